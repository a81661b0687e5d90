import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface AppConfigStackProps extends cdk.StackProps {
  readonly stage: string;
  readonly settings: Record<string, string>;
}

export class AppConfigStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: AppConfigStackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'ConfigKey', {
      alias: `alias/app-config-${props.stage}`,
      description: 'Encrypts application secrets',
      enableKeyRotation: true,
      rotationPeriod: cdk.Duration.days(180),
      pendingWindow: cdk.Duration.days(10),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailDescribe',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
    }));

    const dbCredentials = new secretsmanager.Secret(this, 'DbCredentials', {
      secretName: `/${props.stage}/db/credentials`,
      encryptionKey: key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'app_user' }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 32,
      },
    });

    const apiKeys = new secretsmanager.Secret(this, 'PartnerApiKeys', {
      description: 'keys issued by partners',
      secretObjectValue: {
        stripe: cdk.SecretValue.unsafePlainText('placeholder-stripe'),
        sendgrid: cdk.SecretValue.unsafePlainText('placeholder-sendgrid'),
      },
    });

    const rotator = new lambda.Function(this, 'Rotator', {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: 'index.handler',
      code: lambda.Code.fromInline('def handler(event, context):\n    pass\n'),
    });
    dbCredentials.addRotationSchedule('Rotation', {
      rotationLambda: rotator,
      automaticallyAfter: cdk.Duration.days(30),
    });

    for (const [name, value] of Object.entries(props.settings)) {
      new ssm.StringParameter(this, `Setting-${name}`, {
        parameterName: `/${props.stage}/app/${name}`,
        stringValue: value,
        tier: ssm.ParameterTier.STANDARD,
        description: `app setting ${name}`,
      });
    }
    const hosts = new ssm.StringListParameter(this, 'AllowedHosts', {
      parameterName: `/${props.stage}/app/allowed-hosts`,
      stringListValue: ['api.example.com', 'admin.example.com'],
    });

    const ami = ssm.StringParameter.valueForStringParameter(this, '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    const featureFlags = ssm.StringParameter.fromStringParameterAttributes(this, 'FeatureFlags', {
      parameterName: '/shared/feature-flags',
      version: 3,
    });

    const app = new lambda.Function(this, 'App', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
      environment: {
        DB_SECRET_ARN: dbCredentials.secretArn,
        API_KEYS_ARN: apiKeys.secretArn,
        BASE_AMI: ami,
        FLAGS: featureFlags.stringValue,
        DB_USER: dbCredentials.secretValueFromJson('username').unsafeUnwrap(),
      },
    });
    dbCredentials.grantRead(app);
    apiKeys.grantRead(app);
    hosts.grantRead(app);
    key.grantDecrypt(app);

    new cdk.CfnOutput(this, 'SecretArn', { value: dbCredentials.secretArn });
  }
}
