import * as cdk from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class CompliantApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'DataKey', { enableKeyRotation: true });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
    });
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'this is the access log bucket itself' });

    const uploads = new s3.Bucket(this, 'Uploads', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      versioned: true,
    });

    const dlq = new sqs.Queue(this, 'JobsDlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
    });
    const jobs = new sqs.Queue(this, 'Jobs', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
    });
    Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'this queue is a dead-letter queue' });
    Validations.of(dlq).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: 'a dead-letter queue has no redrive' });

    const fn = new lambda.Function(this, 'Ingest', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      memorySize: 512,
      timeout: cdk.Duration.seconds(15),
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: dlq,
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 202, body: "queued" });'),
      environment: { QUEUE_URL: jobs.queueUrl, BUCKET: uploads.bucketName },
    });
    jobs.grantSendMessages(fn);
    uploads.grantPut(fn);
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray PutTraceSegments has no resource scope' });
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM5[Resource::<Uploads4F6EB0FD.Arn>/*]', reason: 'bucket grant uses object wildcard' });
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: 'bucket grant uses object wildcard' });
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: 'bucket grant uses object wildcard' });
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM5[Action::s3:Abort*]', reason: 'bucket grant uses object wildcard' });

    const apiLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const api = new apigateway.RestApi(this, 'IngestApi', {
      cloudWatchRole: true,
      deployOptions: {
        accessLogDestination: new apigateway.LogGroupLogDestination(apiLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        tracingEnabled: true,
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
      },
    });
    const validator = api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: true });
    api.root.addResource('ingest').addMethod('POST', new apigateway.LambdaIntegration(fn), {
      requestValidator: validator,
      authorizationType: apigateway.AuthorizationType.IAM,
    });

    Validations.of(api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'WAF is attached by the central security account',
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'the account-level API Gateway logging role',
    });
    Validations.of(api).acknowledge({ id: 'AwsSolutions-APIG2', reason: 'validation is configured per method' });
    Validations.of(api).acknowledge({ id: 'AwsSolutions-COG4', reason: 'IAM authorization is used instead of Cognito' });
  }
}
