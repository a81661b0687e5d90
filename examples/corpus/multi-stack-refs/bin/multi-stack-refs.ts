#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { SharedDataStack } from '../lib/shared-data-stack';
import { ConsumerStack } from '../lib/consumer-stack';
import { MonitoringStack } from '../lib/monitoring-stack';

// Defaults for running outside the CDK CLI (the CLI sets these from the profile).
process.env.CDK_DEFAULT_ACCOUNT = process.env.CDK_DEFAULT_ACCOUNT || '210987654321';
process.env.CDK_DEFAULT_REGION = process.env.CDK_DEFAULT_REGION || 'ap-southeast-2';
// Keep construct metadata free of stack traces (read by the library at App construction).
process.env.CDK_DISABLE_STACK_TRACE = '1';

const app = new cdk.App();
const env: cdk.Environment = {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
};

const shared = new SharedDataStack(app, 'SharedData', { env, terminationProtection: true });
const consumerA = new ConsumerStack(app, 'ConsumerA', {
  env,
  table: shared.table,
  topic: shared.topic,
  bucket: shared.bucket,
  consumerName: 'billing',
});
const consumerB = new ConsumerStack(app, 'ConsumerB', {
  env,
  table: shared.table,
  topic: shared.topic,
  bucket: shared.bucket,
  consumerName: 'reporting',
});
const monitoring = new MonitoringStack(app, 'Monitoring', {
  env,
  functions: [consumerA.handler, consumerB.handler],
  table: shared.table,
});
monitoring.addDependency(consumerA, 'dashboards read the consumers');
monitoring.addDependency(consumerB);

app.synth();
