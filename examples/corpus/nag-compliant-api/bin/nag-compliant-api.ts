#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CompliantApiStack } from '../lib/compliant-api-stack';

const app = new cdk.App();
const stack = new CompliantApiStack(app, 'CompliantApiStack');

Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  new ServerlessChecks(app),
);

Validations.of(stack).acknowledge({
  id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  reason: 'AWSLambdaBasicExecutionRole is acceptable for this service',
});

app.synth();
