#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ServiceStage } from '../lib/service-stage';

interface StageConfig {
  readonly account: string;
  readonly region: string;
  readonly instances: number;
}

const app = new cdk.App();
const stages: Record<string, StageConfig> = app.node.tryGetContext('stages') ?? {
  dev: { account: '111111111111', region: 'us-east-1', instances: 1 },
};

for (const [name, config] of Object.entries(stages)) {
  new ServiceStage(app, name, {
    env: { account: config.account, region: config.region },
    instances: config.instances,
    stageName: name,
  });
}

app.synth();
