/**
 * The stacks of the example app, each a `cdk.Stack` subclass with its own constructor (as
 * CDK users write them). Through a jsii kernel, each is a host subclass of a library class.
 */
import type { AppLibraries, Cdk, Constructs } from './libraries.js';
import { defineServiceUnit, type ServiceUnit, type SharedResources } from './service-unit.js';

/** Resources the shared stack adds besides the bootstrap parameter and rule. */
export const SHARED_STACK_RESOURCES = 6;
/** Resources each service stack adds besides its units. */
export const SERVICE_STACK_EXTRA_RESOURCES = 1;
/** Resources the monitoring stack adds. */
export const MONITORING_STACK_RESOURCES = 1;

/** Props of the shared stack. */
export interface SharedStackProps extends Cdk.StackProps {
  /** Value exported under {@link SharedResources.configExportName}. */
  readonly configValue: string;
}

/** Resources used by every service stack. */
export interface SharedStack extends Cdk.Stack {
  readonly shared: SharedResources;
}

/** Props of a service stack. */
export interface ServiceStackProps extends Cdk.StackProps {
  readonly shared: SharedResources;
  /** Index (in the whole app) of this stack's first unit. */
  readonly firstUnit: number;
  /** Number of units in this stack. */
  readonly units: number;
}

/** A stack of {@link ServiceUnit}s. */
export interface ServiceStack extends Cdk.Stack {
  readonly units: readonly ServiceUnit[];
}

/** Props of the monitoring stack. */
export interface MonitoringStackProps extends Cdk.StackProps {
  readonly services: readonly ServiceStack[];
  /** Queues shown per service stack on the dashboard. */
  readonly queuesPerService: number;
}

/** The stack classes, defined on one set of libraries. */
export interface StackClasses {
  readonly SharedStack: new (scope: Constructs.Construct, id: string, props: SharedStackProps) => SharedStack;
  readonly ServiceStack: new (scope: Constructs.Construct, id: string, props: ServiceStackProps) => ServiceStack;
  readonly MonitoringStack: new (scope: Constructs.Construct, id: string, props: MonitoringStackProps) => Cdk.Stack;
}

/** Defines the stack classes on the given libraries (their base class is an injected value). */
export function defineStacks(libs: AppLibraries): StackClasses {
  const { cdk } = libs;
  const ServiceUnitClass = defineServiceUnit(libs);

  class SharedStackImpl extends cdk.Stack implements SharedStack {
    public readonly shared: SharedResources;

    public constructor(scope: Constructs.Construct, id: string, props: SharedStackProps) {
      super(scope, id, props);
      const key = new cdk.aws_kms.Key(this, 'AuditKey', {
        description: 'Encrypts the audit queue',
        enableKeyRotation: true,
        removalPolicy: cdk.RemovalPolicy.DESTROY,
        pendingWindow: cdk.Duration.days(7),
      });
      new cdk.aws_sqs.Queue(this, 'AuditQueue', {
        encryption: cdk.aws_sqs.QueueEncryption.KMS,
        encryptionMasterKey: key,
        retentionPeriod: cdk.Duration.days(4),
      });
      const alertsTopic = new cdk.aws_sns.Topic(this, 'Alerts', { displayName: 'Service alerts' });
      new cdk.aws_sns.Subscription(this, 'OnCall', {
        topic: alertsTopic,
        protocol: cdk.aws_sns.SubscriptionProtocol.EMAIL,
        endpoint: 'oncall@example.com',
      });
      const artifactsBucket = new cdk.aws_s3.Bucket(this, 'Artifacts', {
        encryption: cdk.aws_s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: cdk.aws_s3.BlockPublicAccess.BLOCK_ALL,
        versioned: true,
        enforceSSL: true,
        removalPolicy: cdk.RemovalPolicy.RETAIN,
      });
      const configExportName = `${this.stackName}-config`;
      new cdk.CfnOutput(this, 'Config', {
        value: props.configValue,
        exportName: configExportName,
        description: 'Configuration shared by every service function',
      });
      new cdk.CfnOutput(this, 'AlertsTopicName', { value: alertsTopic.topicName });
      this.shared = { alertsTopic, artifactsBucket, configExportName };
    }
  }

  class ServiceStackImpl extends cdk.Stack implements ServiceStack {
    public readonly units: readonly ServiceUnit[];

    public constructor(scope: Constructs.Construct, id: string, props: ServiceStackProps) {
      super(scope, id, props);
      const units: ServiceUnit[] = [];
      for (let i = 0; i < props.units; i++) {
        const index = props.firstUnit + i;
        units.push(new ServiceUnitClass(this, `Unit${String(index).padStart(3, '0')}`, { index, shared: props.shared }));
      }
      this.units = units;

      // One stack-level topic fanning out to every unit's topic owner.
      const ops = new cdk.aws_sns.Topic(this, 'Ops', { displayName: `${id} operations` });
      for (const unit of units) ops.grantPublish(unit.role);

      const first = units[0];
      if (first !== undefined) {
        new cdk.CfnOutput(this, 'FirstQueueUrl', { value: first.queue.queueUrl });
        new cdk.CfnOutput(this, 'Summary', {
          value: cdk.Fn.join(',', [first.bucket.bucketName, first.handler.functionArn, cdk.Aws.ACCOUNT_ID]),
        });
      }
      cdk.Tags.of(this).add('service-group', id);
      cdk.Tags.of(this).add('units', String(props.units), { includeResourceTypes: ['AWS::Lambda::Function'] });
    }
  }

  class MonitoringStackImpl extends cdk.Stack {
    public constructor(scope: Constructs.Construct, id: string, props: MonitoringStackProps) {
      super(scope, id, props);
      const dashboard = new cdk.aws_cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: 'jsii-ring-example',
        defaultInterval: cdk.Duration.hours(3),
      });
      for (const service of props.services) {
        const queues = service.units.slice(0, props.queuesPerService).map((u) => u.queue);
        // Queue names are tokens of another stack: each becomes an export there and an
        // Fn::ImportValue here.
        dashboard.addWidgets(
          new cdk.aws_cloudwatch.GraphWidget({
            title: `${service.stackName} backlog`,
            left: queues.map((q) => q.metricApproximateNumberOfMessagesVisible()),
            width: 12,
          }),
        );
      }
    }
  }

  return { SharedStack: SharedStackImpl, ServiceStack: ServiceStackImpl, MonitoringStack: MonitoringStackImpl };
}
