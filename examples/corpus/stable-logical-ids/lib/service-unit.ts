import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ServiceUnitProps {
  readonly memorySize?: number;
}

/** Base building block: a queue and a worker. Subclasses customise through protected hooks. */
export abstract class ServiceUnit extends Construct {
  public readonly queue: sqs.Queue;
  public readonly worker: lambda.Function;

  constructor(scope: Construct, id: string, props: ServiceUnitProps = {}) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', { visibilityTimeout: this.visibilityTimeout() });
    this.worker = new lambda.Function(this, 'Worker', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(this.handlerSource()),
      memorySize: props.memorySize ?? 128,
      environment: this.environment(),
    });
    this.queue.grantConsumeMessages(this.worker);
    for (const statement of this.extraStatements()) {
      this.worker.addToRolePolicy(statement);
    }
  }

  protected abstract handlerSource(): string;

  protected visibilityTimeout(): cdk.Duration {
    return cdk.Duration.seconds(30);
  }

  protected environment(): Record<string, string> {
    return { QUEUE_URL: this.queue.queueUrl, UNIT: this.node.id };
  }

  protected extraStatements(): iam.PolicyStatement[] {
    return [];
  }
}

export class ThumbnailUnit extends ServiceUnit {
  protected handlerSource(): string {
    return 'exports.handler = async (e) => ({ thumbnails: e.Records.length });';
  }

  protected visibilityTimeout(): cdk.Duration {
    return cdk.Duration.minutes(5);
  }

  protected environment(): Record<string, string> {
    return { ...super.environment(), SIZES: '64,128,256' };
  }

  protected extraStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rekognition:DetectLabels'], resources: ['*'] })];
  }
}

export class MailerUnit extends ServiceUnit {
  protected handlerSource(): string {
    return 'exports.handler = async () => ({ sent: true });';
  }

  protected extraStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [cdk.Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: 'example.com' })],
    })];
  }
}
