import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export class DataLakeStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const zones = ['raw', 'curated', 'published'];
    const buckets = zones.map((zone) => {
      const bucket = new s3.Bucket(this, `${zone}-zone`, {
        // raw is encrypted by the aspect, the others explicitly
        encryption: zone === 'raw' ? undefined : s3.BucketEncryption.S3_MANAGED,
        versioned: zone !== 'raw',
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      });
      cdk.Tags.of(bucket).add('zone', zone);
      return bucket;
    });

    const catalog = new glue.CfnDatabase(this, 'Catalog', {
      catalogId: this.account,
      databaseInput: { name: 'lake', description: 'data lake catalog' },
    });

    const crawlerRole = new iam.Role(this, 'CrawlerRole', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSGlueServiceRole')],
    });
    buckets.forEach((b) => b.grantRead(crawlerRole));

    for (const [i, zone] of zones.entries()) {
      const crawler = new glue.CfnCrawler(this, `${zone}-crawler`, {
        role: crawlerRole.roleArn,
        databaseName: 'lake',
        targets: { s3Targets: [{ path: `s3://${buckets[i].bucketName}/` }] },
        schedule: { scheduleExpression: 'cron(0 3 * * ? *)' },
        tablePrefix: `${zone}_`,
      });
      crawler.addResourceDependency(catalog);
    }

    new dynamodb.Table(this, 'Lineage', {
      partitionKey: { name: 'dataset', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'version', type: dynamodb.AttributeType.NUMBER },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });
    new sqs.Queue(this, 'IngestEvents', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  }
}
