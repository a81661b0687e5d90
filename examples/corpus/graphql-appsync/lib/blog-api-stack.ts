import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export class BlogApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const api = new appsync.GraphqlApi(this, 'BlogApi', {
      name: 'blog',
      definition: appsync.Definition.fromFile(path.join(__dirname, '..', 'graphql', 'schema.graphql')),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: appsync.AuthorizationType.API_KEY,
          apiKeyConfig: { name: 'public-read', description: 'read-only access' },
        },
        additionalAuthorizationModes: [{ authorizationType: appsync.AuthorizationType.IAM }],
      },
      logConfig: { fieldLogLevel: appsync.FieldLogLevel.ERROR, retention: logs.RetentionDays.ONE_WEEK },
      xrayEnabled: true,
    });

    const posts = new dynamodb.Table(this, 'Posts', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });
    const postsSource = api.addDynamoDbDataSource('PostsSource', posts);

    postsSource.createResolver('GetPost', {
      typeName: 'Query',
      fieldName: 'getPost',
      requestMappingTemplate: appsync.MappingTemplate.dynamoDbGetItem('id', 'id'),
      responseMappingTemplate: appsync.MappingTemplate.dynamoDbResultItem(),
    });
    postsSource.createResolver('ListPosts', {
      typeName: 'Query',
      fieldName: 'listPosts',
      requestMappingTemplate: appsync.MappingTemplate.fromString(
        '{ "version": "2017-02-28", "operation": "Scan", "limit": $util.defaultIfNull($ctx.args.limit, 20), "nextToken": $util.toJson($ctx.args.nextToken) }'),
      responseMappingTemplate: appsync.MappingTemplate.fromString('{ "items": $util.toJson($ctx.result.items), "nextToken": $util.toJson($ctx.result.nextToken) }'),
    });
    postsSource.createResolver('CreatePost', {
      typeName: 'Mutation',
      fieldName: 'createPost',
      requestMappingTemplate: appsync.MappingTemplate.dynamoDbPutItem(
        appsync.PrimaryKey.partition('id').auto(),
        appsync.Values.projecting('input').attribute('author').is('$ctx.identity.username'),
      ),
      responseMappingTemplate: appsync.MappingTemplate.dynamoDbResultItem(),
    });

    // JavaScript resolver in a pipeline, the newer AppSync style.
    const deleteFn = new appsync.AppsyncFunction(this, 'DeletePostFn', {
      name: 'deletePost',
      api,
      dataSource: postsSource,
      runtime: appsync.FunctionRuntime.JS_1_0_0,
      code: appsync.Code.fromInline([
        "import * as ddb from '@aws-appsync/utils/dynamodb';",
        'export function request(ctx) { return ddb.remove({ key: { id: ctx.args.id } }); }',
        'export function response(ctx) { return ctx.result; }',
      ].join('\n')),
    });
    new appsync.Resolver(this, 'DeletePostResolver', {
      api,
      typeName: 'Mutation',
      fieldName: 'deletePost',
      runtime: appsync.FunctionRuntime.JS_1_0_0,
      pipelineConfig: [deleteFn],
      code: appsync.Code.fromInline('export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.prev.result; }'),
    });

    const moderation = new lambda.Function(this, 'Moderation', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ ...e.arguments, flagged: false });'),
    });
    api.addLambdaDataSource('ModerationSource', moderation);
    api.addNoneDataSource('LocalSource');

    api.grantQuery(new cdk.aws_iam.AccountRootPrincipal(), 'getPost', 'listPosts');

    new cdk.CfnOutput(this, 'GraphqlUrl', { value: api.graphqlUrl });
  }
}
