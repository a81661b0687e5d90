#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { AppConfigStack } from '../lib/app-config-stack';

const app = new cdk.App();
const stage: string = app.node.tryGetContext('stage') ?? 'dev';
const settings: Record<string, string> = app.node.tryGetContext('settings') ?? { logLevel: 'debug' };

new AppConfigStack(app, `AppConfig-${stage}`, { stage, settings });
app.synth();
