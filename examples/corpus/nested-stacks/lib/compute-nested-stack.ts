import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';

export interface ComputeNestedStackProps extends cdk.NestedStackProps {
  readonly bucket: s3.IBucket;
  readonly queue: sqs.IQueue;
}

export class ComputeNestedStack extends cdk.NestedStack {
  constructor(scope: Construct, id: string, props: ComputeNestedStackProps) {
    super(scope, id, props);

    const worker = new lambda.Function(this, 'Worker', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(event, context):\n    return {"processed": len(event["Records"])}\n'),
      environment: { BUCKET: props.bucket.bucketName },
      reservedConcurrentExecutions: 5,
    });
    worker.addEventSource(new sources.SqsEventSource(props.queue, { batchSize: 10, reportBatchItemFailures: true }));
    props.bucket.grantReadWrite(worker);
  }
}
