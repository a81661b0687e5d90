#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { LegacyBridgeStack } from '../lib/legacy-bridge-stack';

const app = new cdk.App();
new LegacyBridgeStack(app, 'LegacyBridgeStack', {
  synthesizer: new cdk.DefaultStackSynthesizer({ qualifier: 'legacy01' }),
});
app.synth();
