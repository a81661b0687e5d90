import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ConsumerStackProps extends cdk.StackProps {
  readonly table: dynamodb.ITable;
  readonly topic: sns.ITopic;
  readonly bucket: s3.IBucket;
  readonly consumerName: string;
}

export class ConsumerStack extends cdk.Stack {
  public readonly handler: lambda.Function;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);

    const queue = new sqs.Queue(this, 'Inbox', { visibilityTimeout: cdk.Duration.seconds(90) });
    props.topic.addSubscription(new subs.SqsSubscription(queue, {
      rawMessageDelivery: true,
      filterPolicy: { consumer: sns.SubscriptionFilter.stringFilter({ allowlist: [props.consumerName, 'all'] }) },
    }));

    this.handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
      environment: {
        TABLE: props.table.tableName,
        BUCKET: props.bucket.bucketName,
        QUEUE: queue.queueUrl,
        CONSUMER: props.consumerName,
      },
    });
    props.table.grantReadData(this.handler);
    props.bucket.grantPut(this.handler, `${props.consumerName}/*`);
    queue.grantConsumeMessages(this.handler);
  }
}
