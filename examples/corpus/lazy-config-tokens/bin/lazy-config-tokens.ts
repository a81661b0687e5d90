#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { RoutingTableStack } from '../lib/routing-table-stack';

const app = new cdk.App({
  context: { defaultRoutes: ['/health', '/status'] },
});
const stack = new RoutingTableStack(app, 'RoutingTableStack');

// Routes added after the constructs that render them: resolved lazily at synth.
stack.addRoute('/orders', 'orders-svc');
stack.addRoute('/users', 'users-svc');
stack.addRoute('/search', 'search-svc');

app.synth();
