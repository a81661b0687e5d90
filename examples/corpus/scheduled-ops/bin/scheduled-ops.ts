#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ScheduledOpsStack } from '../lib/scheduled-ops-stack';

const app = new cdk.App();
new ScheduledOpsStack(app, 'ScheduledOpsStack', {
  timeZone: app.node.tryGetContext('timeZone') ?? 'UTC',
});
app.synth();
