#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { FanoutStack } from '../lib/fanout-stack';

const app = new cdk.App();
new FanoutStack(app, 'FanoutStack', {
  channels: ['email', 'sms', 'push', 'webhook'],
  tags: { service: 'notifications' },
});
app.synth();
