import * as cdk from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeleteExpiredFragment } from './cleanup-fragment';

export interface ScheduledOpsStackProps extends cdk.StackProps {
  readonly timeZone: string;
}

export class ScheduledOpsStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ScheduledOpsStackProps) {
    super(scope, id, props);

    const sessions = new dynamodb.Table(this, 'Sessions', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });

    const finder = new lambda.Function(this, 'FindExpired', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ expired: [] });'),
    });
    sessions.grantReadData(finder);

    const find = new tasks.LambdaInvoke(this, 'Find', { lambdaFunction: finder, payloadResponseOnly: true });
    const each = new sfn.Map(this, 'EachExpired', { itemsPath: '$.expired', maxConcurrency: 10 });
    each.itemProcessor(new DeleteExpiredFragment(this, 'DeleteExpired', sessions));
    const cleanup = new sfn.StateMachine(this, 'Cleanup', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(find.next(each)),
      timeout: cdk.Duration.minutes(5),
    });

    const group = new scheduler.ScheduleGroup(this, 'OpsGroup', { scheduleGroupName: 'ops' });
    const dlq = new sqs.Queue(this, 'ScheduleDlq');

    new scheduler.Schedule(this, 'NightlyCleanup', {
      schedule: scheduler.ScheduleExpression.cron({ minute: '15', hour: '1', timeZone: cdk.TimeZone.of(props.timeZone) }),
      target: new targets.StepFunctionsStartExecution(cleanup, {
        input: scheduler.ScheduleTargetInput.fromObject({ reason: 'nightly', table: sessions.tableName }),
        deadLetterQueue: dlq,
        retryAttempts: 3,
        maxEventAge: cdk.Duration.hours(1),
      }),
      scheduleGroup: group,
      timeWindow: scheduler.TimeWindow.flexible(cdk.Duration.minutes(30)),
      description: 'delete expired sessions',
    });
    new scheduler.Schedule(this, 'Warmup', {
      schedule: scheduler.ScheduleExpression.rate(cdk.Duration.minutes(10)),
      target: new targets.LambdaInvoke(finder, { input: scheduler.ScheduleTargetInput.fromText('warmup') }),
      enabled: false,
    });

    const vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: 'ops-vault',
      removalPolicy: cdk.RemovalPolicy.DESTROY,
      lockConfiguration: { minRetention: cdk.Duration.days(7) },
    });
    const plan = new backup.BackupPlan(this, 'Plan', { backupPlanName: 'ops-plan', backupVault: vault });
    plan.addRule(new backup.BackupPlanRule({
      ruleName: 'daily',
      scheduleExpression: events.Schedule.cron({ minute: '0', hour: '4' }),
      deleteAfter: cdk.Duration.days(35),
      startWindow: cdk.Duration.hours(1),
      completionWindow: cdk.Duration.hours(4),
    }));
    plan.addRule(backup.BackupPlanRule.monthly1Year(vault));
    plan.addSelection('Tables', {
      resources: [
        backup.BackupResource.fromDynamoDbTable(sessions),
        backup.BackupResource.fromTag('backup', 'daily'),
      ],
    });
  }
}
