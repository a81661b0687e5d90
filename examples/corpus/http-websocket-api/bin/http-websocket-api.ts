#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ChatApiStack } from '../lib/chat-api-stack';

const app = new cdk.App();
new ChatApiStack(app, 'ChatApiStack', {
  allowedOrigins: app.node.tryGetContext('allowedOrigins') ?? ['*'],
});
