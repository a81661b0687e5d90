#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { MigratedStack } from '../lib/migrated-stack';

const app = new cdk.App();
new MigratedStack(app, 'MigratedStack', { prefix: app.node.tryGetContext('logicalIdPrefix') ?? 'Mig' });
