#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ThreeTierStack } from '../lib/three-tier-stack';

const app = new cdk.App();
new ThreeTierStack(app, 'ThreeTierStack', {
  description: 'Web tier (ALB), app tier (Auto Scaling), data tier (Aurora) in one VPC',
});
app.synth();
