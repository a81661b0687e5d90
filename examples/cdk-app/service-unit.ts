/**
 * One repeated unit of the example app: a small queue-driven service, written the way CDK
 * users write constructs (a `Construct` subclass with typed props). Each unit synthesizes
 * {@link RESOURCES_PER_UNIT} CloudFormation resources.
 */
import type { AppLibraries, Cdk, Constructs } from './libraries.js';

/** CloudFormation resources one {@link ServiceUnit} adds to its stack. */
export const RESOURCES_PER_UNIT = 12;

/** Resources in another stack that every unit uses (each use is a cross-stack reference). */
export interface SharedResources {
  /** Where every unit's alarms and functions publish alerts. */
  readonly alertsTopic: Cdk.aws_sns.ITopic;
  /** Read by every unit's function. */
  readonly artifactsBucket: Cdk.aws_s3.IBucket;
  /** Name of an explicit export (`CfnOutput.exportName`) read back with `Fn.importValue`. */
  readonly configExportName: string;
}

/** Props of {@link ServiceUnit}. */
export interface ServiceUnitProps {
  /** Position of the unit in the whole app; varies settings so units are not identical. */
  readonly index: number;
  readonly shared: SharedResources;
}

/** A queue-driven service: DLQ, queue, topic + subscription, bucket, role, function, alarm. */
export interface ServiceUnit extends Constructs.Construct {
  readonly queue: Cdk.aws_sqs.Queue;
  readonly topic: Cdk.aws_sns.Topic;
  readonly bucket: Cdk.aws_s3.Bucket;
  readonly role: Cdk.aws_iam.Role;
  readonly handler: Cdk.aws_lambda.Function;
}

/** Constructor of {@link ServiceUnit}. */
export type ServiceUnitClass = new (scope: Constructs.Construct, id: string, props: ServiceUnitProps) => ServiceUnit;

/** Inline handler source; `index.handler` of a Node.js function. */
const HANDLER_SOURCE = [
  'exports.handler = async (event) => {',
  "  console.log('records', event.Records.length, process.env.BUCKET_NAME);",
  '  return { batchItemFailures: [] };',
  '};',
].join('\n');

/**
 * Defines the `ServiceUnit` class on the given libraries. The class is created per library
 * set because its base class (`constructs.Construct`) is one of the injected values.
 */
export function defineServiceUnit(libs: AppLibraries): ServiceUnitClass {
  const { cdk, constructs } = libs;
  const { aws_sqs: sqs, aws_sns: sns, aws_s3: s3, aws_iam: iam, aws_lambda: lambda } = cdk;

  return class ServiceUnitConstruct extends constructs.Construct implements ServiceUnit {
    public readonly queue: Cdk.aws_sqs.Queue;
    public readonly topic: Cdk.aws_sns.Topic;
    public readonly bucket: Cdk.aws_s3.Bucket;
    public readonly role: Cdk.aws_iam.Role;
    public readonly handler: Cdk.aws_lambda.Function;

    public constructor(scope: Constructs.Construct, id: string, props: ServiceUnitProps) {
      super(scope, id);
      const { index, shared } = props;

      const deadLetters = new sqs.Queue(this, 'DeadLetters', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        retentionPeriod: cdk.Duration.days(14),
        removalPolicy: cdk.RemovalPolicy.DESTROY,
      });
      this.queue = new sqs.Queue(this, 'Work', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        visibilityTimeout: cdk.Duration.seconds(60 + (index % 5) * 30),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 + (index % 3) },
      });

      // A token string read back from one construct and reused in another's props.
      const queueName = this.queue.queueName;
      this.topic = new sns.Topic(this, 'Events', { displayName: `${id} events` });
      this.topic.addSubscription(
        new cdk.aws_sns_subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: index % 2 === 0 }),
      );

      this.bucket = new s3.Bucket(this, 'Store', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned: index % 2 === 1,
        enforceSSL: true,
        removalPolicy: index % 4 === 0 ? cdk.RemovalPolicy.DESTROY : cdk.RemovalPolicy.RETAIN,
        lifecycleRules: [
          {
            id: 'expire-scratch',
            prefix: 'scratch/',
            expiration: cdk.Duration.days(7 + (index % 7)),
          },
          {
            id: 'archive',
            transitions: [
              { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: cdk.Duration.days(30) },
            ],
          },
        ],
      });
      const bucketName = this.bucket.bucketName;
      if (!cdk.Token.isUnresolved(bucketName)) {
        // A generated bucket name is only known at deploy time; a literal here means the
        // library (or the bindings) returned something other than the token string.
        throw new Error(`expected a token for ${this.node.path}'s bucket name, got ${bucketName}`);
      }

      this.role = new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs ${this.node.path}`,
        maxSessionDuration: cdk.Duration.hours(1),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      });
      this.bucket.grantReadWrite(this.role);
      this.topic.grantPublish(this.role);
      shared.alertsTopic.grantPublish(this.role);
      shared.artifactsBucket.grantRead(this.role, 'releases/*');
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.ALLOW,
          actions: ['s3:GetObjectTagging'],
          resources: [cdk.Fn.sub('arn:${AWS::Partition}:s3:::${Name}/tags/*', { Name: bucketName })],
        }),
      );

      this.handler = new lambda.Function(this, 'Handler', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(HANDLER_SOURCE),
        role: this.role,
        timeout: cdk.Duration.seconds(30),
        memorySize: 128 * (1 + (index % 4)),
        architecture: index % 2 === 0 ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
        description: `Consumes ${queueName}`,
        environment: {
          QUEUE_URL: this.queue.queueUrl,
          BUCKET_NAME: bucketName,
          TOPIC_NAME: cdk.Fn.select(5, cdk.Fn.split(':', this.topic.topicArn)),
          ALERTS_TOPIC_ARN: shared.alertsTopic.topicArn,
          CONFIG: cdk.Fn.importValue(shared.configExportName),
          REGION: cdk.Stack.of(this).region,
        },
      });
      this.handler.addEventSource(
        new cdk.aws_lambda_event_sources.SqsEventSource(this.queue, {
          batchSize: 5 + (index % 6),
          reportBatchItemFailures: true,
        }),
      );

      const alarm = new cdk.aws_cloudwatch.Alarm(this, 'Backlog', {
        metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: cdk.Duration.minutes(5) }),
        threshold: 100 + index,
        evaluationPeriods: 3,
        comparisonOperator: cdk.aws_cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cdk.aws_cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: cdk.Fn.join(' ', ['Backlog on', queueName]),
      });
      alarm.addAlarmAction(new cdk.aws_cloudwatch_actions.SnsAction(shared.alertsTopic));

      // An escape hatch: the L1 resource behind the L2 queue, reached through `defaultChild`.
      const cfnQueue = this.queue.node.defaultChild as Cdk.aws_sqs.CfnQueue;
      cfnQueue.addPropertyOverride('ReceiveMessageWaitTimeSeconds', 20);
    }
  };
}
