import * as cdk from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';

export class ThreeTierStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const instanceType = new cdk.CfnParameter(this, 'AppInstanceType', {
      type: 'String',
      default: 't3.small',
      allowedValues: ['t3.small', 't3.medium', 'm6i.large'],
      description: 'EC2 instance type of the app tier',
    });

    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 3,
      natGateways: 3,
      subnetConfiguration: [
        { name: 'web', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
    });
    vpc.addInterfaceEndpoint('SsmEndpoint', { service: ec2.InterfaceVpcEndpointAwsService.SSM });

    const albSg = new ec2.SecurityGroup(this, 'AlbSg', { vpc, description: 'public load balancer' });
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from anywhere');
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP redirect');

    const appSg = new ec2.SecurityGroup(this, 'AppSg', { vpc, allowAllOutbound: true });
    appSg.addIngressRule(albSg, ec2.Port.tcp(8080), 'from ALB');

    const dbSg = new ec2.SecurityGroup(this, 'DbSg', { vpc, allowAllOutbound: false });
    dbSg.addIngressRule(appSg, ec2.Port.tcp(5432), 'from app tier');

    const userData = ec2.UserData.forLinux();
    userData.addCommands('dnf install -y nginx', 'systemctl enable --now nginx');

    const asg = new autoscaling.AutoScalingGroup(this, 'AppAsg', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: new ec2.InstanceType(instanceType.valueAsString),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      securityGroup: appSg,
      minCapacity: 2,
      maxCapacity: 6,
      userData,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: cdk.Duration.minutes(3),
      }),
    });
    asg.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 55 });

    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      securityGroup: albSg,
    });
    alb.addListener('Http', {
      port: 80,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    const https = alb.addListener('Https', {
      port: 443,
      certificates: [elbv2.ListenerCertificate.fromArn(
        'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555')],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    });
    https.addTargets('App', {
      port: 8080,
      targets: [asg],
      healthCheck: { path: '/health', interval: cdk.Duration.seconds(20) },
      deregistrationDelay: cdk.Duration.seconds(30),
    });

    const db = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.serverlessV2('writer'),
      readers: [rds.ClusterInstance.serverlessV2('reader', { scaleWithWriter: true })],
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 4,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [dbSg],
      defaultDatabaseName: 'app',
      storageEncrypted: true,
      backup: { retention: cdk.Duration.days(7) },
      removalPolicy: cdk.RemovalPolicy.SNAPSHOT,
    });
    db.secret?.grantRead(asg);

    new cdk.CfnOutput(this, 'AlbDns', { value: alb.loadBalancerDnsName });
    new cdk.CfnOutput(this, 'DbEndpoint', { value: db.clusterEndpoint.hostname });
  }
}
