import * as cdk from 'aws-cdk-lib';
import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export class LegacyBridgeStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const envName = new CfnParameter(this, 'EnvName', {
      type: 'String',
      allowedValues: ['dev', 'staging', 'prod'],
      default: 'dev',
    });
    const subnets = new CfnParameter(this, 'LegacySubnets', {
      type: 'CommaDelimitedList',
      default: 'subnet-aaa,subnet-bbb',
    });
    const enableReplica = new CfnParameter(this, 'EnableReplica', { type: 'String', default: 'false', allowedValues: ['true', 'false'] });

    const isProd = new CfnCondition(this, 'IsProd', { expression: Fn.conditionEquals(envName.valueAsString, 'prod') });
    const wantsReplica = new CfnCondition(this, 'WantsReplica', {
      expression: Fn.conditionAnd(isProd, Fn.conditionEquals(enableReplica.valueAsString, 'true')),
    });

    this.templateOptions.description = 'Bridges the legacy order system (escape hatches throughout)';
    this.templateOptions.metadata = { 'legacy:owner': 'platform', 'legacy:ticket': 'OPS-1234' };
    this.addTransform('AWS::LanguageExtensions');

    const bucket = new s3.Bucket(this, 'Exports', { versioned: true });
    const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.analyticsConfigurations = [{
      id: 'whole-bucket',
      storageClassAnalysis: { dataExport: {
        destination: { bucketArn: 'arn:aws:s3:::analytics-sink', format: 'CSV' },
        outputSchemaVersion: 'V_1',
      } },
    }];
    cfnBucket.addPropertyOverride('VersioningConfiguration.Status', Fn.conditionIf(isProd.logicalId, 'Enabled', 'Suspended'));
    cfnBucket.addPropertyOverride('ObjectLockEnabled', true);
    cfnBucket.addOverride('Metadata.Comment', 'object lock required by audit');
    cfnBucket.cfnOptions.updateReplacePolicy = cdk.CfnDeletionPolicy.RETAIN;
    cfnBucket.cfnOptions.deletionPolicy = cdk.CfnDeletionPolicy.RETAIN;
    cfnBucket.overrideLogicalId('LegacyExportsBucket');

    const replica = new s3.CfnBucket(this, 'ReplicaBucket', {
      bucketName: Fn.join('-', ['legacy-replica', envName.valueAsString, cdk.Aws.ACCOUNT_ID]),
    });
    replica.cfnOptions.condition = wantsReplica;

    const queue = new sqs.Queue(this, 'Orders');
    const cfnQueue = queue.node.defaultChild as sqs.CfnQueue;
    cfnQueue.addPropertyOverride('MessageRetentionPeriod', Fn.conditionIf(isProd.logicalId, 1209600, 345600));
    cfnQueue.addDeletionOverride('Properties.SqsManagedSseEnabled');
    cfnQueue.addOverride('Properties.Tags', [{ Key: 'legacy', Value: 'true' }]);
    cfnQueue.cfnOptions.metadata = { 'cfn_nag': { rules_to_suppress: [{ id: 'W48', reason: 'legacy' }] } };

    const topic = new sns.Topic(this, 'Events');
    (topic.node.defaultChild as sns.CfnTopic).addPropertyOverride('ArchivePolicy', { MessageRetentionPeriod: '30' });

    const fn = new lambda.Function(this, 'Bridge', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => "ok";'),
      environment: {
        FIRST_SUBNET: Fn.select(0, subnets.valueAsList),
        ENV_UPPER: Fn.sub('${Env}-bridge', { Env: envName.valueAsString }),
        FIRST_AZ: Fn.select(0, Fn.getAzs()),
        SIZE: Fn.findInMap('RegionSettings', cdk.Aws.REGION, 'size'),
        LEGACY_HOST: Fn.select(1, Fn.split('.', 'orders.legacy.example.internal')),
        B64: Fn.base64('legacy'),
        QUEUE: queue.queueUrl,
      },
    });
    const cfnFn = fn.node.defaultChild as lambda.CfnFunction;
    cfnFn.addPropertyOverride('VpcConfig', {
      SubnetIds: subnets.valueAsList,
      SecurityGroupIds: [Fn.importValue('legacy-sg-id')],
    });
    cfnFn.addOverride('DependsOn', [cfnQueue.logicalId]);
    cfnFn.addPropertyOverride('Environment.Variables.STAGE', Fn.conditionIf(isProd.logicalId, 'production', cdk.Aws.NO_VALUE));
    queue.grantSendMessages(fn);

    const raw = new cdk.CfnResource(this, 'LegacyAlarm', {
      type: 'AWS::CloudWatch::Alarm',
      properties: {
        AlarmName: Fn.sub('${AWS::StackName}-queue-depth'),
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: queue.queueName }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 5,
        Threshold: 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topic.topicArn],
      },
    });
    raw.cfnOptions.condition = isProd;

    new cdk.CfnMapping(this, 'RegionSettings', {
      mapping: {
        'us-east-1': { size: 'large', replicas: 3 },
        'eu-west-1': { size: 'medium', replicas: 2 },
      },
    });
    new cdk.CfnRule(this, 'ProdNeedsReplica', {
      ruleCondition: Fn.conditionEquals(envName.valueAsString, 'prod'),
      assertions: [{ assert: Fn.conditionEquals(enableReplica.valueAsString, 'true'), assertDescription: 'prod must replicate' }],
    });

    new cdk.CfnOutput(this, 'BucketArn', {
      value: bucket.bucketArn,
      condition: isProd,
      exportName: Fn.sub('${AWS::StackName}-BucketArn'),
    });
    new cdk.CfnOutput(this, 'FirstSubnet', { value: Fn.select(0, subnets.valueAsList) });
  }
}
