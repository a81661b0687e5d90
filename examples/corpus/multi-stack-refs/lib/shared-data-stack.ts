import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export class SharedDataStack extends cdk.Stack {
  public readonly table: dynamodb.Table;
  public readonly topic: sns.Topic;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    this.table = new dynamodb.Table(this, 'Events', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    this.topic = new sns.Topic(this, 'Changes', { topicName: 'shared-changes' });
    this.bucket = new s3.Bucket(this, 'Exports', {
      bucketName: `shared-exports-${this.account}-${this.region}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    new cdk.CfnOutput(this, 'TableArn', { value: this.table.tableArn, exportName: 'SharedEventsTableArn' });
  }
}
