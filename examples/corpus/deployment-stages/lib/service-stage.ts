import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ServiceStageProps extends cdk.StageProps {
  readonly instances: number;
}

class StatefulStack extends cdk.Stack {
  public readonly bucket: s3.Bucket;
  public readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    this.bucket = new s3.Bucket(this, 'Artifacts', {
      removalPolicy: cdk.RemovalPolicy.RETAIN,
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    this.queue = new sqs.Queue(this, 'Work', { retentionPeriod: cdk.Duration.days(7) });
  }
}

interface StatelessStackProps extends cdk.StackProps {
  readonly bucket: s3.IBucket;
  readonly queue: sqs.IQueue;
  readonly instances: number;
}

class StatelessStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    for (let i = 0; i < props.instances; i++) {
      const fn = new lambda.Function(this, `Worker${i}`, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(`exports.handler = async () => ({ shard: ${i} });`),
        environment: { SHARD: String(i), BUCKET: props.bucket.bucketName, STAGE: cdk.Stage.of(this)!.stageName },
      });
      props.bucket.grantReadWrite(fn);
      props.queue.grantConsumeMessages(fn);
    }
    new iam.Role(this, 'Operator', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `operator for ${cdk.Stage.of(this)!.stageName}`,
    });
  }
}

/** One deployable copy of the service: the unit a pipeline promotes from stage to stage. */
export class ServiceStage extends cdk.Stage {
  constructor(scope: Construct, id: string, props: ServiceStageProps) {
    super(scope, id, props);
    const stateful = new StatefulStack(this, 'Stateful', { terminationProtection: id === 'prod' });
    new StatelessStack(this, 'Stateless', {
      bucket: stateful.bucket,
      queue: stateful.queue,
      instances: props.instances,
    });
    cdk.Tags.of(this).add('stage', id);
  }
}
