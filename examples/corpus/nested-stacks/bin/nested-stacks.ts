#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { PlatformStack } from '../lib/platform-stack';

const app = new cdk.App();
new PlatformStack(app, 'PlatformStack', {
  teams: app.node.tryGetContext('teams') ?? ['core'],
});
app.synth();
