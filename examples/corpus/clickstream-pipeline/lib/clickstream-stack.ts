import * as cdk from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export class ClickstreamStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'StreamKey', { enableKeyRotation: true });

    const stream = new kinesis.Stream(this, 'Clicks', {
      shardCount: 4,
      retentionPeriod: cdk.Duration.hours(48),
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: key,
    });

    const lake = new s3.Bucket(this, 'Lake', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      lifecycleRules: [{
        transitions: [
          { storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: cdk.Duration.days(30) },
          { storageClass: s3.StorageClass.GLACIER, transitionAfter: cdk.Duration.days(365) },
        ],
      }],
    });

    const transformer = new lambda.Function(this, 'Transformer', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      timeout: cdk.Duration.minutes(1),
      code: lambda.Code.fromInline(
        'exports.handler = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: "Ok", data: r.data })) });'),
    });

    const deliveryLogs = new logs.LogGroup(this, 'DeliveryLogs', { retention: logs.RetentionDays.ONE_WEEK });

    const toLake = new firehose.DeliveryStream(this, 'ToLake', {
      source: new firehose.KinesisStreamSource(stream),
      destination: new firehose.S3Bucket(lake, {
        dataOutputPrefix: 'clicks/year=!{timestamp:yyyy}/month=!{timestamp:MM}/',
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/',
        bufferingInterval: cdk.Duration.seconds(120),
        bufferingSize: cdk.Size.mebibytes(64),
        compression: firehose.Compression.GZIP,
        processors: [new firehose.LambdaFunctionProcessor(transformer, {
          bufferInterval: cdk.Duration.seconds(60),
          bufferSize: cdk.Size.mebibytes(1),
          retries: 2,
        })],
        loggingConfig: new firehose.EnableLogging(deliveryLogs),
        encryptionKey: key,
      }),
    });

    const sessionizer = new lambda.Function(this, 'Sessionizer', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ count: e.Records.length });'),
    });
    sessionizer.addEventSource(new sources.KinesisEventSource(stream, {
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 500,
      parallelizationFactor: 2,
      tumblingWindow: cdk.Duration.minutes(1),
      retryAttempts: 5,
    }));

    const consumer = new kinesis.CfnStreamConsumer(this, 'AnalyticsConsumer', {
      consumerName: 'analytics',
      streamArn: stream.streamArn,
    });

    new kinesis.CfnStream(this, 'OnDemandAudit', {
      streamModeDetails: { streamMode: 'ON_DEMAND' },
      retentionPeriodHours: 24,
    });

    new cdk.CfnOutput(this, 'StreamName', { value: stream.streamName });
    new cdk.CfnOutput(this, 'DeliveryStreamName', { value: toLake.deliveryStreamName });
    new cdk.CfnOutput(this, 'ConsumerArn', { value: consumer.attrConsumerArn });
  }
}
