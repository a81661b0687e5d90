import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export class BootstrapDataStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const table = new dynamodb.Table(this, 'Settings', {
      partitionKey: { name: 'key', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    // SDK calls written the way people write them: action before service, parameters in
    // the order the API docs list them (not alphabetical, not the struct's declared order).
    const seedSettings: cr.AwsSdkCall = {
      action: 'putItem',
      service: 'DynamoDB',
      parameters: {
        TableName: table.tableName,
        Item: {
          key: { S: 'maintenance-window' },
          value: { S: 'sun:03:00-sun:04:00' },
          enabled: { BOOL: true },
        },
        ConditionExpression: 'attribute_not_exists(#k)',
        ExpressionAttributeNames: { '#k': 'key' },
      },
      physicalResourceId: cr.PhysicalResourceId.of('seed-maintenance-window'),
      ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
    };
    new cr.AwsCustomResource(this, 'SeedSettings', {
      onCreate: seedSettings,
      onUpdate: seedSettings,
      onDelete: {
        service: 'DynamoDB',
        action: 'deleteItem',
        parameters: { TableName: table.tableName, Key: { key: { S: 'maintenance-window' } } },
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [table.tableArn] }),
      installLatestAwsSdk: false,
      logRetention: logs.RetentionDays.ONE_DAY,
    });

    const getParam = new cr.AwsCustomResource(this, 'ReadAmiParameter', {
      onUpdate: {
        service: 'SSM',
        action: 'GetParameter',
        parameters: { Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', WithDecryption: false },
        region: 'us-east-1',
        physicalResourceId: cr.PhysicalResourceId.fromResponse('Parameter.Version'),
        outputPaths: ['Parameter.Value', 'Parameter.Version'],
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['*'] }),
      ]),
      timeout: cdk.Duration.minutes(2),
      installLatestAwsSdk: false,
    });

    // Provider framework: onEvent + isComplete handlers.
    const onEvent = new lambda.Function(this, 'IndexOnEvent', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline([
        'exports.handler = async (event) => {',
        '  if (event.RequestType === "Delete") return {};',
        '  return { PhysicalResourceId: event.ResourceProperties.IndexName, Data: { Status: "CREATING" } };',
        '};',
      ].join('\n')),
    });
    const isComplete = new lambda.Function(this, 'IndexIsComplete', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ IsComplete: true, Data: { Status: "ACTIVE" } });'),
    });
    table.grantReadWriteData(onEvent);

    const provider = new cr.Provider(this, 'SearchIndexProvider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: cdk.Duration.seconds(10),
      totalTimeout: cdk.Duration.minutes(15),
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_WEEK }),
    });

    const index = new cdk.CustomResource(this, 'SearchIndex', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SearchIndex',
      properties: {
        IndexName: 'products',
        Shards: 3,
        Analyzer: { Language: 'english', Stemming: true, StopWords: ['the', 'a'] },
        SourceTable: table.tableName,
      },
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    // Core (CloudFormation-level) custom resource provider with a local code directory.
    const stampProvider = cdk.CustomResourceProvider.getOrCreate(this, 'Custom::Stamp', {
      codeDirectory: path.join(__dirname, '..', 'handlers', 'stamp'),
      runtime: cdk.CustomResourceProviderRuntime.NODEJS_22_X,
      description: 'Builds a deployment stamp',
    });
    const stamp = new cdk.CustomResource(this, 'DeploymentStamp', {
      serviceToken: stampProvider,
      resourceType: 'Custom::Stamp',
      properties: { Version: '1.4.2', Prefix: 'app' },
    });

    new cdk.CfnOutput(this, 'IndexStatus', { value: index.getAttString('Status') });
    new cdk.CfnOutput(this, 'AmiId', { value: getParam.getResponseField('Parameter.Value') });
    new cdk.CfnOutput(this, 'Stamp', { value: stamp.getAttString('Stamp') });
  }
}
