import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class CatalogTableStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'TableKey', {
      enableKeyRotation: true,
      description: 'catalog table encryption',
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    const products = new dynamodb.Table(this, 'Products', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PROVISIONED,
      readCapacity: 5,
      writeCapacity: 5,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });

    products.addGlobalSecondaryIndex({
      indexName: 'byCategory',
      partitionKey: { name: 'category', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'price', type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['name', 'thumbnail'],
      readCapacity: 2,
      writeCapacity: 2,
    });
    products.addGlobalSecondaryIndex({
      indexName: 'bySku',
      partitionKey: { name: 'sku', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
      readCapacity: 1,
      writeCapacity: 1,
    });
    products.addLocalSecondaryIndex({
      indexName: 'byUpdatedAt',
      sortKey: { name: 'updatedAt', type: dynamodb.AttributeType.STRING },
    });

    const readScaling = products.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 100 });
    readScaling.scaleOnUtilization({ targetUtilizationPercent: 70 });
    products.autoScaleGlobalSecondaryIndexReadCapacity('byCategory', { minCapacity: 2, maxCapacity: 20 })
      .scaleOnUtilization({ targetUtilizationPercent: 65 });

    const audit = new dynamodb.TableV2(this, 'AuditLog', {
      partitionKey: { name: 'entity', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'seq', type: dynamodb.AttributeType.NUMBER },
      billing: dynamodb.Billing.onDemand(),
      dynamoStream: dynamodb.StreamViewType.KEYS_ONLY,
      globalSecondaryIndexes: [{
        indexName: 'byActor',
        partitionKey: { name: 'actor', type: dynamodb.AttributeType.STRING },
      }],
      tags: [{ key: 'retention', value: 'long' }],
    });

    const dlq = new sqs.Queue(this, 'StreamDlq', { retentionPeriod: cdk.Duration.days(14) });

    const projector = new lambda.Function(this, 'SearchProjector', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        'exports.handler = async (e) => { for (const r of e.Records) console.log(r.eventName, JSON.stringify(r.dynamodb.Keys)); };'),
      environment: { AUDIT_TABLE: audit.tableName },
    });
    projector.addEventSource(new sources.DynamoEventSource(products, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: cdk.Duration.seconds(5),
      bisectBatchOnError: true,
      retryAttempts: 3,
      onFailure: new sources.SqsDlq(dlq),
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('MODIFY') })],
    }));
    audit.grantWriteData(projector);
    products.grantStreamRead(projector);

    new cdk.CfnOutput(this, 'ProductsStreamArn', { value: products.tableStreamArn! });
  }
}
