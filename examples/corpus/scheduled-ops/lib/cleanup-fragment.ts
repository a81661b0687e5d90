import * as cdk from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Deletes one expired record, tolerating records that are already gone. */
export class DeleteExpiredFragment extends sfn.StateMachineFragment {
  public startState: sfn.State;
  public endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, table: dynamodb.ITable) {
    super(scope, id);
    const del = new tasks.DynamoDeleteItem(this, 'Delete', {
      table,
      key: { pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.pk')) },
      conditionExpression: 'attribute_exists(pk)',
      resultPath: sfn.JsonPath.DISCARD,
    });
    const gone = new sfn.Pass(this, 'AlreadyGone', { result: sfn.Result.fromObject({ skipped: true }) });
    const done = new sfn.Pass(this, 'Deleted', { result: sfn.Result.fromObject({ skipped: false }) });
    del.addCatch(gone, { errors: ['DynamoDB.ConditionalCheckFailedException'] });
    del.addRetry({ errors: ['DynamoDB.ProvisionedThroughputExceededException'], maxAttempts: 6, backoffRate: 1.5, interval: cdk.Duration.seconds(1) });
    del.next(done);
    this.startState = del;
    this.endStates = [done, gone];
  }
}
