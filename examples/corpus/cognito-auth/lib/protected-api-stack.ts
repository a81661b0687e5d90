import * as cdk from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ProtectedApiStackProps extends cdk.StackProps {
  readonly userPool: cognito.IUserPool;
}

export class ProtectedApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ProtectedApiStackProps) {
    super(scope, id, props);

    const fn = new lambda.Function(this, 'Orders', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer.claims) });'),
    });

    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'PoolAuthorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigateway.IdentitySource.header('Authorization'),
    });

    const api = new apigateway.RestApi(this, 'OrdersApi', { cloudWatchRole: false });
    const orders = api.root.addResource('orders');
    orders.addMethod('GET', new apigateway.LambdaIntegration(fn), {
      authorizer,
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizationScopes: ['orders/read'],
    });
    orders.addMethod('POST', new apigateway.LambdaIntegration(fn), {
      authorizer,
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizationScopes: ['orders/write'],
    });
  }
}
