#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { GreeterApiStack } from '../lib/greeter-api-stack';

const app = new cdk.App();
new GreeterApiStack(app, 'GreeterApiStack', {
  /* Uncomment the next line to specialize this stack for the AWS Account
   * and Region that are implied by the current CLI configuration. */
  // env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
