import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { DomainService } from './domain-service';

export interface ServerlessPlatformStackProps extends cdk.StackProps {
  readonly domains: string[];
}

export class ServerlessPlatformStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ServerlessPlatformStackProps) {
    super(scope, id, props);

    const layer = new lambda.LayerVersion(this, 'SharedLayer', {
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'layer')),
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      description: 'shared helpers',
    });

    const api = new apigateway.RestApi(this, 'PlatformApi', {
      cloudWatchRole: false,
      deployOptions: { stageName: 'v1', tracingEnabled: true },
      minCompressionSize: cdk.Size.kibibytes(1),
    });

    const oncall = new sns.Topic(this, 'OnCall');
    const services = props.domains.map((domain) => new DomainService(this, domain, { domain, api, sharedLayer: layer }));

    const composite = new cloudwatch.CompositeAlarm(this, 'PlatformDegraded', {
      alarmRule: cloudwatch.AlarmRule.anyOf(
        ...services.flatMap((s) => s.alarms).map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM)),
      ),
      alarmDescription: 'any domain function is failing',
    });
    composite.addAlarmAction(new actions.SnsAction(oncall));

    new cdk.CfnOutput(this, 'ApiUrl', { value: api.url });
  }
}
