#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ClusterStack } from '../lib/cluster-stack';
import { TeamServicesStack } from '../lib/team-services-stack';

const app = new cdk.App();
const teams: Record<string, string[]> = app.node.tryGetContext('teams') ?? {
  storefront: ['web', 'catalog-api', 'search-api', 'media', 'sessions', 'cms', 'sitemap', 'ab-tests'],
  fulfilment: ['orders', 'picking', 'packing', 'carriers', 'tracking', 'returns', 'labels', 'slots'],
  finance: ['ledger', 'payouts', 'tax', 'fx', 'reports', 'fraud', 'disputes', 'refunds'],
};

const cluster = new ClusterStack(app, 'ContainerCluster');
let priority = 1;
for (const [team, services] of Object.entries(teams)) {
  const stack = new TeamServicesStack(app, `Team-${team}`, {
    team,
    services,
    cluster: cluster.cluster,
    listener: cluster.listener,
    firstPriority: priority,
  });
  stack.addDependency(cluster);
  priority += services.length;
}
app.synth();
