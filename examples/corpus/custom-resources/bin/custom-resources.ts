#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { BootstrapDataStack } from '../lib/bootstrap-data-stack';

const app = new cdk.App();
new BootstrapDataStack(app, 'BootstrapDataStack', {
  env: { account: '123456789012', region: 'us-west-2' },
});
app.synth();
