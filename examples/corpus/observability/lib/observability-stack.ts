import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ObservabilityStackProps extends cdk.StackProps {
  readonly alarmEmail: string;
  readonly latencyThresholdMs: number;
}

export class ObservabilityStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);

    const topic = new sns.Topic(this, 'Alarms', { displayName: 'service alarms' });
    topic.addSubscription(new subs.EmailSubscription(props.alarmEmail));

    const appLogs = new logs.LogGroup(this, 'AppLogs', {
      logGroupName: '/app/checkout',
      retention: logs.RetentionDays.THREE_MONTHS,
      dataProtectionPolicy: new logs.DataProtectionPolicy({
        name: 'mask-pii',
        identifiers: [logs.DataIdentifier.EMAILADDRESS, logs.DataIdentifier.CREDITCARDNUMBER],
      }),
    });

    const errors = new logs.MetricFilter(this, 'ErrorFilter', {
      logGroup: appLogs,
      metricNamespace: 'Checkout',
      metricName: 'Errors',
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.level', '=', 'ERROR'),
        logs.FilterPattern.exists('$.requestId'),
      ),
      metricValue: '1',
      dimensions: { Service: '$.service' },
    });
    const latency = appLogs.addMetricFilter('LatencyFilter', {
      metricNamespace: 'Checkout',
      metricName: 'LatencyMs',
      filterPattern: logs.FilterPattern.numberValue('$.latencyMs', '>=', 0),
      metricValue: '$.latencyMs',
      unit: cloudwatch.Unit.MILLISECONDS,
    });

    const shipper = new lambda.Function(this, 'LogShipper', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => { console.log(e.awslogs.data.length); };'),
    });
    new logs.SubscriptionFilter(this, 'ShipErrors', {
      logGroup: appLogs,
      destination: new destinations.LambdaDestination(shipper),
      filterPattern: logs.FilterPattern.anyTerm('ERROR', 'FATAL'),
    });

    const errorMetric = errors.metric({ statistic: cloudwatch.Stats.SUM, period: cdk.Duration.minutes(1) });
    const p99 = latency.metric({ statistic: cloudwatch.Stats.percentile(99), period: cdk.Duration.minutes(5) });
    const requests = new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway', metricName: 'Count', dimensionsMap: { ApiName: 'checkout' },
      statistic: cloudwatch.Stats.SUM, period: cdk.Duration.minutes(1),
    });
    const errorRate = new cloudwatch.MathExpression({
      expression: '100 * errors / MAX([requests, 1])',
      usingMetrics: { errors: errorMetric, requests },
      label: 'error rate %',
      period: cdk.Duration.minutes(1),
    });

    const errorRateAlarm = errorRate.createAlarm(this, 'ErrorRateAlarm', {
      threshold: 2,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      alarmDescription: 'more than 2% of checkout requests fail',
    });
    const latencyAlarm = new cloudwatch.Alarm(this, 'LatencyAlarm', {
      metric: p99,
      threshold: props.latencyThresholdMs,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    const anomaly = new cloudwatch.CfnAnomalyDetector(this, 'RequestAnomaly', {
      namespace: 'AWS/ApiGateway',
      metricName: 'Count',
      stat: 'Sum',
      dimensions: [{ name: 'ApiName', value: 'checkout' }],
    });

    const composite = new cloudwatch.CompositeAlarm(this, 'CheckoutUnhealthy', {
      alarmRule: cloudwatch.AlarmRule.allOf(
        cloudwatch.AlarmRule.fromAlarm(errorRateAlarm, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.not(cloudwatch.AlarmRule.fromAlarm(latencyAlarm, cloudwatch.AlarmState.OK)),
      ),
      actionsSuppressor: latencyAlarm,
      actionsSuppressorWaitPeriod: cdk.Duration.minutes(2),
    });
    for (const alarm of [errorRateAlarm, latencyAlarm, composite]) {
      alarm.addAlarmAction(new actions.SnsAction(topic));
      alarm.addOkAction(new actions.SnsAction(topic));
    }

    const dashboard = new cloudwatch.Dashboard(this, 'Checkout', {
      dashboardName: 'checkout',
      defaultInterval: cdk.Duration.hours(6),
      periodOverride: cloudwatch.PeriodOverride.AUTO,
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: '# Checkout\nErrors, latency and volume', width: 24, height: 2 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Error rate', left: [errorRate], leftYAxis: { min: 0, max: 10 }, width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'p99 latency', left: [p99], width: 8,
        leftAnnotations: [{ value: props.latencyThresholdMs, label: 'threshold', color: cloudwatch.Color.RED }],
      }),
      new cloudwatch.SingleValueWidget({ title: 'Requests', metrics: [requests], width: 8, sparkline: true }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ alarms: [errorRateAlarm, latencyAlarm, composite], width: 12 }),
      new cloudwatch.LogQueryWidget({
        title: 'Recent errors', logGroupNames: [appLogs.logGroupName], width: 12,
        queryLines: ['fields @timestamp, @message', 'filter level = "ERROR"', 'sort @timestamp desc', 'limit 20'],
      }),
    );

    new logs.QueryDefinition(this, 'SlowRequests', {
      queryDefinitionName: 'checkout/slow-requests',
      queryString: new logs.QueryString({
        fields: ['@timestamp', 'requestId', 'latencyMs'],
        filterStatements: ['latencyMs > 1000'],
        sort: '@timestamp desc',
        limit: 50,
      }),
      logGroups: [appLogs],
    });

    new cdk.CfnOutput(this, 'AnomalyDetector', { value: anomaly.ref });
  }
}
