#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { EventRoutingStack } from '../lib/event-routing-stack';

process.env.CDK_DEFAULT_REGION = process.env.CDK_DEFAULT_REGION ?? 'eu-central-1';
process.env.CDK_DEFAULT_ACCOUNT = process.env.CDK_DEFAULT_ACCOUNT ?? '111122223333';

const app = new cdk.App();
new EventRoutingStack(app, 'EventRoutingStack', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
