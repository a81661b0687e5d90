#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { CatalogTableStack } from '../lib/catalog-table-stack';

const app = new cdk.App();
new CatalogTableStack(app, 'CatalogTableStack');
app.synth();
