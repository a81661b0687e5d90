import * as cdk from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export class EventRoutingStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const bus = new events.EventBus(this, 'CommerceBus', { eventBusName: 'commerce' });
    bus.archive('CommerceArchive', {
      archiveName: 'commerce-archive',
      description: 'all order events',
      eventPattern: { source: ['com.example.orders'] },
      retention: cdk.Duration.days(30),
    });

    const deadLetters = new sqs.Queue(this, 'RuleDlq');
    const fulfilment = new sqs.Queue(this, 'FulfilmentQueue', {
      visibilityTimeout: cdk.Duration.minutes(2),
      fifo: false,
    });
    const alerts = new sns.Topic(this, 'HighValueAlerts');
    const auditLogs = new logs.LogGroup(this, 'AuditEvents', {
      logGroupName: '/events/commerce-audit',
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    const fraudCheck = new lambda.Function(this, 'FraudCheck', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ score: e.detail.total > 1000 ? 0.9 : 0.1 });'),
    });

    // Keys deliberately in the order people write them, not alphabetical.
    new events.Rule(this, 'OrderPlaced', {
      eventBus: bus,
      description: 'orders placed in EU stores',
      eventPattern: {
        source: ['com.example.orders'],
        detailType: ['OrderPlaced'],
        detail: {
          store: { region: ['eu-west', 'eu-central'] },
          total: [{ numeric: ['>', 0] }],
          customer: { tier: ['gold', 'platinum'], country: [{ 'anything-but': ['XX'] }] },
        },
      },
      targets: [
        new targets.SqsQueue(fulfilment, {
          deadLetterQueue: deadLetters,
          retryAttempts: 4,
          maxEventAge: cdk.Duration.hours(2),
          message: events.RuleTargetInput.fromObject({
            orderId: events.EventField.fromPath('$.detail.orderId'),
            placedAt: events.EventField.time,
            items: events.EventField.fromPath('$.detail.items'),
          }),
        }),
        new targets.LambdaFunction(fraudCheck, { deadLetterQueue: deadLetters }),
      ],
    });

    const highValue = new events.Rule(this, 'HighValueOrder', {
      eventBus: bus,
      eventPattern: {
        detailType: ['OrderPlaced'],
        source: ['com.example.orders'],
        detail: {
          total: [{ numeric: ['>=', 5000] }],
          payment: { method: [{ prefix: 'card-' }], 'three-d-secure': [false] },
        },
      },
    });
    highValue.addTarget(new targets.SnsTopic(alerts, {
      message: events.RuleTargetInput.fromText(
        `High-value order ${events.EventField.fromPath('$.detail.orderId')} for ${events.EventField.fromPath('$.detail.total')}`),
    }));

    new events.Rule(this, 'AllCommerceToLogs', {
      eventBus: bus,
      eventPattern: { account: [cdk.Stack.of(this).account], source: events.Match.prefix('com.example.') },
      targets: [new targets.CloudWatchLogGroup(auditLogs)],
    });

    new events.Rule(this, 'S3Uploads', {
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: ['invoices-inbox'] },
          object: { key: events.Match.suffix('.pdf'), size: events.Match.greaterThan(1024) },
        },
      },
      targets: [new targets.LambdaFunction(fraudCheck, {
        event: events.RuleTargetInput.fromObject({ kind: 'invoice', key: events.EventField.fromPath('$.detail.object.key') }),
      })],
    });

    new events.Rule(this, 'NightlyReconcile', {
      schedule: events.Schedule.cron({ minute: '30', hour: '2' }),
      targets: [new targets.LambdaFunction(fraudCheck, {
        event: events.RuleTargetInput.fromObject({ mode: 'reconcile', window: 'P1D' }),
      })],
    });

    new cdk.CfnOutput(this, 'BusArn', { value: bus.eventBusArn });
  }
}
