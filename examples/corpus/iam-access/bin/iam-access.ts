#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { AccessStack } from '../lib/access-stack';

const app = new cdk.App();
new AccessStack(app, 'AccessStack', {
  env: { account: '123456789012', region: 'eu-west-1' },
  trustedAccounts: app.node.tryGetContext('trustedAccounts') ?? [],
});
app.synth();
