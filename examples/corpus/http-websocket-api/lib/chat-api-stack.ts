import * as cdk from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ChatApiStackProps extends cdk.StackProps {
  readonly allowedOrigins: string[];
}

function handler(scope: Construct, id: string, reply: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`exports.handler = async () => ({ statusCode: 200, body: ${JSON.stringify(reply)} });`),
  });
}

export class ChatApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ChatApiStackProps) {
    super(scope, id, props);

    const connections = new dynamodb.Table(this, 'Connections', {
      partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
    });

    // HTTP API
    const authFn = handler(this, 'Authorizer', 'auth');
    const authorizer = new authorizers.HttpLambdaAuthorizer('TokenAuthorizer', authFn, {
      responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: cdk.Duration.minutes(2),
    });
    const http = new apigwv2.HttpApi(this, 'RoomsApi', {
      description: 'rooms and messages',
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: cdk.Duration.hours(1),
      },
      defaultAuthorizer: authorizer,
    });
    const rooms = handler(this, 'Rooms', 'rooms');
    connections.grantReadData(rooms);
    http.addRoutes({
      path: '/rooms',
      methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST],
      integration: new integrations.HttpLambdaIntegration('RoomsIntegration', rooms),
    });
    http.addRoutes({
      path: '/rooms/{roomId}/messages',
      methods: [apigwv2.HttpMethod.GET],
      integration: new integrations.HttpLambdaIntegration('MessagesIntegration', rooms, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    const inbox = new sqs.Queue(this, 'ModerationInbox');
    http.addRoutes({
      path: '/report',
      methods: [apigwv2.HttpMethod.POST],
      integration: new integrations.HttpUrlIntegration('ReportIntegration', 'https://moderation.example.com/report', {
        method: apigwv2.HttpMethod.POST,
      }),
      authorizer: new apigwv2.HttpNoneAuthorizer(),
    });
    http.addStage('beta', { stageName: 'beta', autoDeploy: true, throttle: { rateLimit: 20, burstLimit: 40 } });

    // WebSocket API
    const connect = handler(this, 'Connect', 'connected');
    const disconnect = handler(this, 'Disconnect', 'bye');
    const message = handler(this, 'Message', 'sent');
    connections.grantReadWriteData(connect);
    connections.grantReadWriteData(disconnect);
    connections.grantReadData(message);

    const ws = new apigwv2.WebSocketApi(this, 'ChatSocket', {
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: { integration: new integrations.WebSocketLambdaIntegration('ConnectIntegration', connect) },
      disconnectRouteOptions: { integration: new integrations.WebSocketLambdaIntegration('DisconnectIntegration', disconnect) },
      defaultRouteOptions: { integration: new integrations.WebSocketLambdaIntegration('DefaultIntegration', message) },
    });
    ws.addRoute('sendMessage', {
      integration: new integrations.WebSocketLambdaIntegration('SendIntegration', message),
      returnResponse: true,
    });
    const stage = new apigwv2.WebSocketStage(this, 'ProdStage', { webSocketApi: ws, stageName: 'prod', autoDeploy: true });
    ws.grantManageConnections(message);
    message.addEnvironment('CALLBACK_URL', stage.callbackUrl);
    message.addEnvironment('INBOX', inbox.queueUrl);
    inbox.grantSendMessages(message);

    new cdk.CfnOutput(this, 'HttpUrl', { value: http.apiEndpoint });
    new cdk.CfnOutput(this, 'SocketUrl', { value: stage.url });
  }
}
