#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ObservabilityStack } from '../lib/observability-stack';

const app = new cdk.App();
new ObservabilityStack(app, 'ObservabilityStack', {
  alarmEmail: app.node.tryGetContext('alarmEmail') ?? 'dev-alerts@example.com',
  latencyThresholdMs: Number(app.node.tryGetContext('latencyThresholdMs') ?? 1500),
});
app.synth();
