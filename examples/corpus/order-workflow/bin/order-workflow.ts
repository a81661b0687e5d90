#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { OrderWorkflowStack } from '../lib/order-workflow-stack';

const app = new cdk.App();
new OrderWorkflowStack(app, 'OrderWorkflowStack', {
  env: { region: 'us-east-1' },
});
app.synth();
