import * as cdk from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ComputeNestedStack } from './compute-nested-stack';
import { StorageNestedStack } from './storage-nested-stack';

export interface PlatformStackProps extends cdk.StackProps {
  readonly teams: string[];
}

export class PlatformStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);

    const ops = new sns.Topic(this, 'OpsTopic');

    for (const team of props.teams) {
      const storage = new StorageNestedStack(this, `${team}-storage`, {
        team,
        parameters: { RetentionDays: '14' },
        timeout: cdk.Duration.minutes(30),
        notificationArns: [ops.topicArn],
      });
      const compute = new ComputeNestedStack(this, `${team}-compute`, {
        bucket: storage.bucket,
        queue: storage.queue,
        description: `compute for ${team}`,
      });
      compute.addDependency(storage);
      new cdk.CfnOutput(this, `${team}BucketName`, { value: storage.bucket.bucketName });
    }
  }
}
