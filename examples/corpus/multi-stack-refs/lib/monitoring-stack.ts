import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface MonitoringStackProps extends cdk.StackProps {
  readonly functions: lambda.IFunction[];
  readonly table: dynamodb.ITable;
}

export class MonitoringStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: 'consumers' });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Errors',
        left: props.functions.map((f) => f.metricErrors({ period: cdk.Duration.minutes(5) })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Table throttles',
        left: [props.table.metricThrottledRequestsForOperations({ operations: [dynamodb.Operation.PUT_ITEM] })],
      }),
    );
  }
}
