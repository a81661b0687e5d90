import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';

export interface PaymentFragmentProps {
  readonly chargeFunction: lambda.IFunction;
  readonly refundFunction: lambda.IFunction;
  readonly maxAttempts?: number;
}

/**
 * Charge the card, retry transient failures, refund on a hard failure.
 * A reusable piece of a state machine: the ordinary StateMachineFragment idiom.
 */
export class PaymentFragment extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: PaymentFragmentProps) {
    super(scope, id);

    const charge = new tasks.LambdaInvoke(this, 'Charge', {
      lambdaFunction: props.chargeFunction,
      payloadResponseOnly: true,
      resultPath: '$.payment',
    });
    charge.addRetry({
      errors: ['Payment.Throttled', 'Lambda.TooManyRequestsException'],
      interval: Duration.seconds(2),
      maxAttempts: props.maxAttempts ?? 3,
      backoffRate: 2,
    });

    const refund = new tasks.LambdaInvoke(this, 'Refund', {
      lambdaFunction: props.refundFunction,
      payloadResponseOnly: true,
      resultPath: sfn.JsonPath.DISCARD,
    });
    const failed = new sfn.Fail(this, 'PaymentFailed', { error: 'PaymentFailed', cause: 'card declined' });
    charge.addCatch(refund.next(failed), { errors: ['States.ALL'], resultPath: '$.error' });

    const paid = new sfn.Pass(this, 'MarkPaid', {
      parameters: { 'orderId.$': '$.orderId', status: 'PAID', 'amount.$': '$.payment.amount' },
    });
    charge.next(paid);

    this.startState = charge;
    this.endStates = [paid];
  }
}
