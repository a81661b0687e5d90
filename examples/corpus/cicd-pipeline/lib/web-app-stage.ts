import * as cdk from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class WebAppStack extends cdk.Stack {
  public readonly url: cdk.CfnOutput;

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const fn = new lambda.Function(this, 'Web', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "storefront" });'),
    });
    const api = new apigateway.LambdaRestApi(this, 'Api', { handler: fn, cloudWatchRole: false });
    this.url = new cdk.CfnOutput(this, 'Url', { value: api.url });
  }
}

export class WebAppStage extends cdk.Stage {
  public readonly url: cdk.CfnOutput;

  constructor(scope: Construct, id: string, props?: cdk.StageProps) {
    super(scope, id, props);
    this.url = new WebAppStack(this, 'WebApp').url;
  }
}
