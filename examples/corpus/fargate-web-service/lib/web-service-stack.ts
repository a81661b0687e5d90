import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface WebServiceStackProps extends cdk.StackProps {
  readonly vpc: ec2.IVpc;
  readonly image: string;
  readonly desiredCount: number;
}

export class WebServiceStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: WebServiceStackProps) {
    super(scope, id, props);

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const featureFlag = new ssm.StringParameter(this, 'FeatureFlag', {
      parameterName: '/web/feature-flag',
      stringValue: 'blue',
    });

    const service = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Web', {
      cluster,
      cpu: 512,
      memoryLimitMiB: 1024,
      desiredCount: props.desiredCount,
      publicLoadBalancer: true,
      circuitBreaker: { rollback: true },
      taskImageOptions: {
        image: ecs.ContainerImage.fromRegistry(props.image),
        containerPort: 80,
        environment: { APP_ENV: 'production', LOG_LEVEL: 'info' },
        secrets: { FEATURE_FLAG: ecs.Secret.fromSsmParameter(featureFlag) },
        logDriver: ecs.LogDrivers.awsLogs({
          streamPrefix: 'web',
          logGroup: new logs.LogGroup(this, 'WebLogs', { retention: logs.RetentionDays.TWO_WEEKS }),
        }),
      },
    });

    service.targetGroup.configureHealthCheck({
      path: '/',
      healthyHttpCodes: '200-299',
      interval: cdk.Duration.seconds(15),
    });

    const scaling = service.service.autoScaleTaskCount({ minCapacity: props.desiredCount, maxCapacity: 10 });
    scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: 60,
      scaleInCooldown: cdk.Duration.seconds(60),
      scaleOutCooldown: cdk.Duration.seconds(30),
    });
    scaling.scaleOnRequestCount('RequestScaling', {
      requestsPerTarget: 1000,
      targetGroup: service.targetGroup,
    });

    new cdk.CfnOutput(this, 'LoadBalancerDns', { value: service.loadBalancer.loadBalancerDnsName });
  }
}
