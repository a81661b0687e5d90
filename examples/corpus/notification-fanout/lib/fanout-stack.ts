import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';

export interface FanoutStackProps extends cdk.StackProps {
  readonly channels: string[];
}

export class FanoutStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: FanoutStackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'MessagingKey', { enableKeyRotation: true, alias: 'alias/notifications' });
    const topic = new sns.Topic(this, 'Notifications', { masterKey: key, enforceSSL: true });
    const fifoTopic = new sns.Topic(this, 'OrderedNotifications', { fifo: true, contentBasedDeduplication: true });
    const alarmTopic = new sns.Topic(this, 'Alarms');
    alarmTopic.addSubscription(new subs.EmailSubscription('oncall@example.com'));

    for (const channel of props.channels) {
      const dlq = new sqs.Queue(this, `${channel}-dlq`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: key,
        retentionPeriod: cdk.Duration.days(14),
      });
      const queue = new sqs.Queue(this, `${channel}-queue`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: key,
        deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
        visibilityTimeout: cdk.Duration.seconds(60),
      });
      topic.addSubscription(new subs.SqsSubscription(queue, {
        filterPolicyWithMessageBody: {
          channel: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: [channel] })),
          priority: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.numericFilter({ greaterThanOrEqualTo: 1, lessThanOrEqualTo: 5 })),
        },
        deadLetterQueue: dlq,
      }));

      const sender = new lambda.Function(this, `${channel}-sender`, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(`exports.handler = async (e) => { console.log('${channel}', e.Records.length); return { batchItemFailures: [] }; };`),
        timeout: cdk.Duration.seconds(30),
        environment: { CHANNEL: channel },
      });
      sender.addEventSource(new sources.SqsEventSource(queue, {
        batchSize: 25,
        maxBatchingWindow: cdk.Duration.seconds(10),
        reportBatchItemFailures: true,
        maxConcurrency: 10,
      }));

      new cloudwatch.Alarm(this, `${channel}-dlq-alarm`, {
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: cdk.Duration.minutes(1) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `messages in the ${channel} dead-letter queue`,
      }).addAlarmAction(new actions.SnsAction(alarmTopic));
    }

    const audit = new sqs.Queue(this, 'Audit.fifo', { fifo: true, contentBasedDeduplication: true });
    fifoTopic.addSubscription(new subs.SqsSubscription(audit, { rawMessageDelivery: true }));

    const webhook = new lambda.Function(this, 'LegacyWebhook', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(event, context):\n    return None\n'),
    });
    topic.addSubscription(new subs.LambdaSubscription(webhook, {
      filterPolicy: {
        eventType: sns.SubscriptionFilter.stringFilter({ allowlist: ['order.created', 'order.cancelled'], denylist: ['order.test'] }),
        region: sns.SubscriptionFilter.stringFilter({ matchPrefixes: ['eu-'] }),
      },
    }));
    topic.addSubscription(new subs.UrlSubscription('https://hooks.example.com/notify', { protocol: sns.SubscriptionProtocol.HTTPS }));
    topic.grantPublish(new cdk.aws_iam.AccountPrincipal('444455556666'));
  }
}
