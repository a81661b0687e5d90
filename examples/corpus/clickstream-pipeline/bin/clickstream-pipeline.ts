#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ClickstreamStack } from '../lib/clickstream-stack';

const app = new cdk.App();
new ClickstreamStack(app, 'ClickstreamStack');
