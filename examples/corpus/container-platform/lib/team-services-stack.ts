import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface TeamServicesStackProps extends cdk.StackProps {
  readonly team: string;
  readonly services: string[];
  readonly cluster: ecs.ICluster;
  readonly listener: elbv2.IApplicationListener;
  readonly firstPriority: number;
}

export class TeamServicesStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: TeamServicesStackProps) {
    super(scope, id, props);
    cdk.Tags.of(this).add('team', props.team);

    const logGroup = new logs.LogGroup(this, 'TeamLogs', {
      logGroupName: `/ecs/${props.team}`,
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    props.services.forEach((name, i) => {
      const queue = new sqs.Queue(this, `${name}-queue`, {
        deadLetterQueue: { queue: new sqs.Queue(this, `${name}-dlq`), maxReceiveCount: 5 },
      });

      const taskDef = new ecs.FargateTaskDefinition(this, `${name}-task`, {
        cpu: 256,
        memoryLimitMiB: 512,
        runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      });
      const container = taskDef.addContainer('app', {
        image: ecs.ContainerImage.fromRegistry(`public.ecr.aws/example/${props.team}-${name}:1.0.0`),
        logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: name }),
        environment: { SERVICE: name, TEAM: props.team, QUEUE_URL: queue.queueUrl },
        healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: cdk.Duration.seconds(30) },
        portMappings: [{ containerPort: 8080, name: 'http' }],
      });
      container.addUlimits({ name: ecs.UlimitName.NOFILE, softLimit: 65536, hardLimit: 65536 });
      queue.grantConsumeMessages(taskDef.taskRole);

      const service = new ecs.FargateService(this, `${name}-service`, {
        cluster: props.cluster,
        taskDefinition: taskDef,
        desiredCount: 2,
        minHealthyPercent: 100,
        circuitBreaker: { enable: true, rollback: true },
        capacityProviderStrategies: [
          { capacityProvider: 'FARGATE_SPOT', weight: 2 },
          { capacityProvider: 'FARGATE', weight: 1, base: 1 },
        ],
      });

      const targetGroup = new elbv2.ApplicationTargetGroup(this, `${name}-tg`, {
        vpc: props.cluster.vpc,
        port: 8080,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targets: [service],
        healthCheck: { path: '/health' },
      });
      new elbv2.ApplicationListenerRule(this, `${name}-rule`, {
        listener: props.listener,
        priority: props.firstPriority + i,
        conditions: [elbv2.ListenerCondition.pathPatterns([`/${props.team}/${name}/*`])],
        action: elbv2.ListenerAction.forward([targetGroup]),
      });

      const scaling = service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 12 });
      scaling.scaleOnMetric('QueueDepth', {
        metric: queue.metricApproximateNumberOfMessagesVisible(),
        scalingSteps: [
          { upper: 0, change: -1 },
          { lower: 100, change: +1 },
          { lower: 1000, change: +3 },
        ],
      });

      new cloudwatch.Alarm(this, `${name}-cpu`, {
        metric: service.metricCpuUtilization(),
        threshold: 85,
        evaluationPeriods: 3,
      });
    });
  }
}
