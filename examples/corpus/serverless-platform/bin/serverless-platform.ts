#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ServerlessPlatformStack } from '../lib/serverless-platform-stack';

const app = new cdk.App();
const domains: string[] = app.node.tryGetContext('domains') ?? [
  'accounts', 'billing', 'catalog', 'cart', 'checkout', 'coupons', 'inventory', 'invoices',
  'loyalty', 'notifications', 'orders', 'payments', 'pricing', 'profiles', 'reviews', 'shipping',
];

new ServerlessPlatformStack(app, 'ServerlessPlatform', {
  domains,
  description: 'One REST API, a table, functions and a queue per business domain',
});
app.synth();
