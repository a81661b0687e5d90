#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { PipelineStack } from '../lib/pipeline-stack';

const app = new cdk.App();
new PipelineStack(app, 'DeliveryPipeline', {
  env: { account: '999988887777', region: 'us-east-1' },
  repository: app.node.tryGetContext('repository') ?? 'example-org/storefront',
  branch: app.node.tryGetContext('branch') ?? 'main',
});
app.synth();
