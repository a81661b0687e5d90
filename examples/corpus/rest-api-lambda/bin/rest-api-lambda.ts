#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { RestApiLambdaStack } from '../lib/rest-api-lambda-stack';

const app = new cdk.App();
const stage = app.node.tryGetContext('stage') ?? 'dev';

new RestApiLambdaStack(app, `TodoApi-${stage}`, {
  stage,
  description: 'Todo REST API backed by Lambda and DynamoDB',
});

app.synth();
