import { Duration, Stack, StackProps, CfnOutput } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as apigw from 'aws-cdk-lib/aws-apigateway';

export class GreeterApiStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const greeter = new lambda.Function(this, 'GreeterFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'lambda', 'greeter')),
      handler: 'index.handler',
      timeout: Duration.seconds(5),
      environment: { GREETING: 'Howdy' },
      tracing: lambda.Tracing.ACTIVE,
    });

    const live = new lambda.Alias(this, 'LiveAlias', {
      aliasName: 'live',
      version: greeter.currentVersion,
    });

    const authFn = new lambda.Function(this, 'AuthorizerFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'lambda', 'authorizer')),
      handler: 'index.handler',
      environment: { EXPECTED_TOKEN: 'letmein' },
    });

    const authorizer = new apigw.TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: authFn,
      resultsCacheTtl: Duration.minutes(5),
    });

    const api = new apigw.LambdaRestApi(this, 'GreeterApi', {
      handler: live,
      proxy: false,
      defaultMethodOptions: { authorizer },
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
    });

    const hello = api.root.addResource('hello');
    hello.addMethod('GET');
    hello.addResource('{name}').addMethod('GET');

    const plan = api.addUsagePlan('BasicPlan', {
      name: 'basic',
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 10000, period: apigw.Period.MONTH },
    });
    const key = api.addApiKey('PartnerKey', { apiKeyName: 'partner' });
    plan.addApiKey(key);
    plan.addApiStage({ stage: api.deploymentStage });

    new CfnOutput(this, 'Endpoint', { value: api.url });
  }
}
