import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface StorageNestedStackProps extends cdk.NestedStackProps {
  readonly team: string;
}

export class StorageNestedStack extends cdk.NestedStack {
  public readonly bucket: s3.Bucket;
  public readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StorageNestedStackProps) {
    super(scope, id, props);

    const retentionDays = new cdk.CfnParameter(this, 'RetentionDays', { type: 'Number', default: 30, minValue: 1 });

    this.bucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{
        id: 'expire-tmp',
        prefix: 'tmp/',
        expiration: cdk.Duration.days(7),
      }],
    });
    this.queue = new sqs.Queue(this, 'Work', {
      queueName: `${props.team}-work`,
      retentionPeriod: cdk.Duration.days(4),
    });
    this.bucket.grantRead(new cdk.aws_iam.AccountRootPrincipal());

    new cdk.CfnOutput(this, 'Retention', { value: retentionDays.valueAsString });
  }
}
