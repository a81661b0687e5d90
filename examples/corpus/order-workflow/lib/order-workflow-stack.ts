import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { PaymentFragment } from './payment-fragment';

function stubFunction(scope: Construct, id: string, body: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`exports.handler = async (event) => { ${body} };`),
    timeout: cdk.Duration.seconds(30),
  });
}

export class OrderWorkflowStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const orders = new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });
    const notifications = new sns.Topic(this, 'OrderNotifications', { displayName: 'Order updates' });

    const validate = stubFunction(this, 'ValidateOrder', 'return { valid: event.items.length > 0 };');
    const reserve = stubFunction(this, 'ReserveItem', 'return { reserved: true, sku: event.sku };');
    const charge = stubFunction(this, 'ChargeCard', 'return { amount: event.total };');
    const refund = stubFunction(this, 'RefundCard', 'return {};');

    const validateTask = new tasks.LambdaInvoke(this, 'Validate', {
      lambdaFunction: validate,
      payloadResponseOnly: true,
      resultSelector: { 'valid.$': '$.valid' },
      resultPath: '$.validation',
    });

    const reserveEach = new sfn.Map(this, 'ReserveEachItem', {
      itemsPath: sfn.JsonPath.stringAt('$.items'),
      maxConcurrency: 5,
      resultPath: '$.reservations',
    });
    reserveEach.itemProcessor(new tasks.LambdaInvoke(this, 'Reserve', {
      lambdaFunction: reserve,
      payloadResponseOnly: true,
    }));

    const payment = new PaymentFragment(this, 'Payment', {
      chargeFunction: charge,
      refundFunction: refund,
      maxAttempts: 4,
    });

    const record = new tasks.DynamoPutItem(this, 'RecordOrder', {
      table: orders,
      item: {
        orderId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.orderId')),
        status: tasks.DynamoAttributeValue.fromString('PAID'),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    const notify = new tasks.SnsPublish(this, 'NotifyCustomer', {
      topic: notifications,
      message: sfn.TaskInput.fromJsonPathAt('$'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    const finish = new sfn.Parallel(this, 'Finish', { resultPath: sfn.JsonPath.DISCARD })
      .branch(record)
      .branch(notify);

    const rejected = new sfn.Fail(this, 'Rejected', { error: 'InvalidOrder', cause: 'order has no items' });
    const waitForStock = new sfn.Wait(this, 'WaitForStock', { time: sfn.WaitTime.duration(cdk.Duration.minutes(1)) });

    const definition = validateTask.next(
      new sfn.Choice(this, 'IsValid?')
        .when(sfn.Condition.booleanEquals('$.validation.valid', false), rejected)
        .when(sfn.Condition.and(
          sfn.Condition.isPresent('$.backorder'),
          sfn.Condition.booleanEquals('$.backorder', true),
        ), waitForStock.next(reserveEach))
        .otherwise(reserveEach)
        .afterwards()
        .next(payment)
        .next(finish)
        .next(new sfn.Succeed(this, 'Done')),
    );

    const machine = new sfn.StateMachine(this, 'OrderStateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: cdk.Duration.hours(1),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'OrderMachineLogs', { removalPolicy: cdk.RemovalPolicy.DESTROY }),
        level: sfn.LogLevel.ERROR,
      },
    });

    new cdk.CfnOutput(this, 'StateMachineArn', { value: machine.stateMachineArn });
  }
}
