#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { NetworkStack } from '../lib/network-stack';
import { WebServiceStack } from '../lib/web-service-stack';

const app = new cdk.App();

const network = new NetworkStack(app, 'WebNetwork');
new WebServiceStack(app, 'WebService', {
  vpc: network.vpc,
  image: app.node.tryGetContext('image') ?? 'public.ecr.aws/nginx/nginx:stable',
  desiredCount: Number(app.node.tryGetContext('desiredCount') ?? 2),
});

app.synth();
