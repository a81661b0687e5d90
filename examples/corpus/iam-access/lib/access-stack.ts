import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AccessStackProps extends cdk.StackProps {
  readonly trustedAccounts: string[];
}

export class AccessStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);

    const boundary = new iam.ManagedPolicy(this, 'DeveloperBoundary', {
      managedPolicyName: 'developer-boundary',
      statements: [
        new iam.PolicyStatement({ sid: 'AllowAppServices', actions: ['s3:*', 'dynamodb:*', 'sqs:*', 'logs:*'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'DenyIamChanges',
          effect: iam.Effect.DENY,
          actions: ['iam:CreateUser', 'iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'],
          resources: ['*'],
        }),
      ],
    });
    iam.PermissionsBoundary.of(this).apply(boundary);

    const key = new kms.Key(this, 'ReportsKey', { enableKeyRotation: true });
    const reports = new s3.Bucket(this, 'Reports', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true });
    const ledger = new dynamodb.Table(this, 'Ledger', {
      partitionKey: { name: 'account', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });
    const jobs = new sqs.Queue(this, 'Jobs');

    const analysts = new iam.Group(this, 'Analysts', { groupName: 'analysts' });
    reports.grantRead(analysts, 'published/*');
    ledger.grantReadData(analysts);

    const auditor = new iam.User(this, 'Auditor', { userName: 'external-auditor' });
    analysts.addUser(auditor);
    auditor.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudtrail:LookupEvents'],
      resources: ['*'],
      conditions: {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24'] },
      },
    }));

    const batchRole = new iam.Role(this, 'BatchRole', {
      roleName: 'nightly-batch',
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
        new iam.ServicePrincipal('lambda.amazonaws.com'),
      ),
      maxSessionDuration: cdk.Duration.hours(4),
      description: 'runs the nightly ledger batch',
      inlinePolicies: {
        logs: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/batch/*', arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME })],
          })],
        }),
      },
    });
    ledger.grantReadWriteData(batchRole);
    reports.grantReadWrite(batchRole, 'daily/*');
    jobs.grantConsumeMessages(batchRole);
    key.grantEncryptDecrypt(batchRole);

    const crossAccount = new iam.Role(this, 'CrossAccountReader', {
      assumedBy: props.trustedAccounts.length > 0
        ? new iam.CompositePrincipal(...props.trustedAccounts.map((a) => new iam.AccountPrincipal(a)))
        : new iam.AccountRootPrincipal(),
      externalIds: ['reports-2024'],
    });
    reports.grantRead(crossAccount, 'shared/*');
    crossAccount.assumeRolePolicy?.addStatements(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sts:AssumeRole'],
      conditions: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-exampleorg' } },
    }));

    const readOnly = iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess');
    const breakGlass = new iam.Role(this, 'BreakGlass', {
      assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${this.account}:role/security-admin`).withConditions({
        StringEquals: { 'aws:RequestedRegion': this.region },
      }),
      managedPolicies: [readOnly],
    });
    iam.PermissionsBoundary.of(breakGlass).clear();

    const queuePolicy = new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [jobs.queueArn],
      conditions: { ArnLike: { 'aws:SourceArn': `arn:aws:events:${this.region}:${this.account}:rule/*` } },
    });
    jobs.addToResourcePolicy(queuePolicy);

    const oidc = new iam.OpenIdConnectProvider(this, 'GithubOidc', {
      url: 'https://token.actions.githubusercontent.com',
      clientIds: ['sts.amazonaws.com'],
      thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    });
    new iam.Role(this, 'DeployFromGithub', {
      assumedBy: new iam.OpenIdConnectPrincipal(oidc, {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example/app:ref:refs/heads/main' },
      }),
      managedPolicies: [boundary],
    });

    new iam.InstanceProfile(this, 'BuilderProfile', { role: batchRole });
    new cdk.CfnOutput(this, 'BatchRoleArn', { value: batchRole.roleArn });
  }
}
