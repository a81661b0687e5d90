import * as cdk from 'aws-cdk-lib';
import { Lazy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

interface Route {
  readonly path: string;
  readonly target: string;
}

/** A value that renders differently depending on whether it ends up in a token context. */
class TargetList implements cdk.IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly routes: Route[]) {}

  public resolve(_context: cdk.IResolveContext): any {
    return this.routes.map((r) => r.target).sort();
  }

  public toString(): string {
    return Token.asString(this);
  }
}

export class RoutingTableStack extends cdk.Stack {
  private readonly routes: Route[] = [];

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    for (const path of this.node.tryGetContext('defaultRoutes') as string[]) {
      this.routes.push({ path, target: 'health-svc' });
    }

    const routeTable = Lazy.string({
      produce: () => this.routes.map((r) => `${r.path}=${r.target}`).join(';'),
    });
    const routeCount = Lazy.number({ produce: () => this.routes.length });
    const routePaths = Lazy.list({ produce: () => this.routes.map((r) => r.path) }, { omitEmpty: true });
    const routeJson = Lazy.any({ produce: () => this.routes.map((r) => ({ path: r.path, target: r.target })) });

    new ssm.StringParameter(this, 'RouteTable', {
      parameterName: '/router/table',
      stringValue: routeTable,
      description: Lazy.string({ produce: () => `${this.routes.length} routes` }),
    });
    new ssm.StringListParameter(this, 'RoutePaths', {
      parameterName: '/router/paths',
      stringListValue: routePaths,
    });

    const queue = new sqs.Queue(this, 'Misrouted');
    const cfnQueue = queue.node.defaultChild as sqs.CfnQueue;
    // Lazy number in a typed property: resolved to the route count at synth.
    cfnQueue.delaySeconds = routeCount;

    const fn = new lambda.Function(this, 'Router', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ route: process.env.ROUTES });'),
      environment: {
        ROUTES: routeTable,
        ROUTE_COUNT: Lazy.string({ produce: () => String(this.routes.length) }),
        ROUTES_JSON: this.toJsonString(routeJson),
        TARGETS: this.toJsonString(new TargetList(this.routes)),
        QUEUE: queue.queueUrl,
      },
    });

    // Token checks the way people use them: only validate what is known at synth time.
    const timeout = this.node.tryGetContext('routerTimeoutSeconds') ?? 15;
    if (!Token.isUnresolved(timeout) && timeout > 900) {
      throw new Error('router timeout too large');
    }
    const arnLooksConcrete = !Token.isUnresolved(fn.functionArn);
    cdk.Annotations.of(this).addInfo(`function ARN known at synth: ${arnLooksConcrete}`);
    cdk.Annotations.of(this).addInfo(`route table unresolved before synth: ${Token.isUnresolved(routeTable)}`);

    const principalAccounts = Lazy.list({ produce: () => ['111111111111', '222222222222'] });
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { StringEquals: { 'aws:PrincipalAccount': principalAccounts } },
    }));

    new cdk.CfnOutput(this, 'RouteCount', { value: Lazy.string({ produce: () => `${this.routes.length}` }) });
    new cdk.CfnOutput(this, 'RouteTableOut', {
      value: Lazy.string({ produce: () => cdk.Fn.join(',', this.routes.map((r) => r.path)) }),
    });
    new cdk.CfnOutput(this, 'Stringified', {
      value: this.toJsonString({ first: Lazy.string({ produce: () => this.routes[0]?.path ?? 'none' }), count: routeCount }),
    });
  }

  public addRoute(path: string, target: string): void {
    this.routes.push({ path, target });
  }
}
