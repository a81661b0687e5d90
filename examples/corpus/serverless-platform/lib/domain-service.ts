import * as cdk from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DomainServiceProps {
  readonly domain: string;
  readonly api: apigateway.RestApi;
  readonly sharedLayer: lambda.ILayerVersion;
}

/** A business domain: table + CRUD functions behind /<domain> + an async worker. */
export class DomainService extends Construct {
  public readonly table: dynamodb.Table;
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: DomainServiceProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    const readFn = this.makeFunction('Read', props, 'read');
    const writeFn = this.makeFunction('Write', props, 'write');
    this.table.grantReadData(readFn);
    this.table.grantReadWriteData(writeFn);

    const resource = props.api.root.addResource(props.domain);
    const item = resource.addResource('{id}');
    resource.addMethod('GET', new apigateway.LambdaIntegration(readFn));
    resource.addMethod('POST', new apigateway.LambdaIntegration(writeFn));
    item.addMethod('GET', new apigateway.LambdaIntegration(readFn));

    const queue = new sqs.Queue(this, 'Jobs', { visibilityTimeout: cdk.Duration.seconds(60) });
    const worker = this.makeFunction('Worker', props, 'worker');
    worker.addEventSource(new sources.SqsEventSource(queue, { batchSize: 10 }));
    queue.grantSendMessages(writeFn);
    writeFn.addEnvironment('JOBS_URL', queue.queueUrl);

    for (const fn of [readFn, writeFn, worker]) {
      this.alarms.push(new cloudwatch.Alarm(this, `${fn.node.id}Errors`, {
        metric: fn.metricErrors({ period: cdk.Duration.minutes(5) }),
        threshold: 5,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
  }

  private makeFunction(id: string, props: DomainServiceProps, role: string): lambda.Function {
    return new lambda.Function(this, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async () => ({ statusCode: 200, body: '${props.domain}:${role}' });`),
      memorySize: role === 'worker' ? 512 : 256,
      timeout: cdk.Duration.seconds(role === 'worker' ? 50 : 10),
      layers: [props.sharedLayer],
      environment: { TABLE_NAME: this.table.tableName, DOMAIN: props.domain },
      logGroup: new logs.LogGroup(this, `${id}Logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: cdk.RemovalPolicy.DESTROY,
      }),
    });
  }
}
