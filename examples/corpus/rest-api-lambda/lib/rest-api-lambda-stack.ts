import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

export interface RestApiLambdaStackProps extends cdk.StackProps {
  readonly stage: string;
}

const HANDLER_SOURCE = `
const { DynamoDBClient, PutItemCommand, ScanCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  if (event.httpMethod === 'POST') {
    const body = JSON.parse(event.body || '{}');
    await client.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { id: { S: body.id } } }));
    return { statusCode: 201, body: JSON.stringify({ ok: true }) };
  }
  const out = await client.send(new ScanCommand({ TableName: process.env.TABLE_NAME }));
  return { statusCode: 200, body: JSON.stringify(out.Items) };
};
`;

export class RestApiLambdaStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: RestApiLambdaStackProps) {
    super(scope, id, props);

    const table = new dynamodb.Table(this, 'Todos', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });

    const handler = new lambda.Function(this, 'TodoHandler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER_SOURCE),
      memorySize: 256,
      timeout: cdk.Duration.seconds(10),
      environment: {
        TABLE_NAME: table.tableName,
        STAGE: props.stage,
      },
      logGroup: new logs.LogGroup(this, 'TodoHandlerLogs', {
        retention: logs.RetentionDays.ONE_WEEK,
        removalPolicy: cdk.RemovalPolicy.DESTROY,
      }),
    });
    table.grantReadWriteData(handler);

    const api = new apigateway.RestApi(this, 'TodoRestApi', {
      restApiName: `todo-${props.stage}`,
      deployOptions: {
        stageName: props.stage,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
        metricsEnabled: true,
      },
      defaultCorsPreflightOptions: {
        allowOrigins: apigateway.Cors.ALL_ORIGINS,
        allowMethods: ['GET', 'POST', 'OPTIONS'],
      },
    });

    const integration = new apigateway.LambdaIntegration(handler, { proxy: true });
    const todos = api.root.addResource('todos');
    todos.addMethod('GET', integration);
    todos.addMethod('POST', integration, {
      requestValidatorOptions: { validateRequestBody: true },
      requestModels: {
        'application/json': new apigateway.Model(this, 'TodoModel', {
          restApi: api,
          contentType: 'application/json',
          schema: {
            type: apigateway.JsonSchemaType.OBJECT,
            required: ['id'],
            properties: {
              id: { type: apigateway.JsonSchemaType.STRING, minLength: 1 },
              title: { type: apigateway.JsonSchemaType.STRING },
              done: { type: apigateway.JsonSchemaType.BOOLEAN },
            },
          },
        }),
      },
    });
    const single = todos.addResource('{id}');
    single.addMethod('GET', integration);
    single.addMethod('DELETE', integration);

    new cdk.CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the API' });
    new cdk.CfnOutput(this, 'TableName', { value: table.tableName });
  }
}
