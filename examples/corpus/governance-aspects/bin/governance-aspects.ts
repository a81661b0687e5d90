#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { Aspects, Tags } from 'aws-cdk-lib';
import { DataLakeStack } from '../lib/data-lake-stack';
import { BucketEncryptionEnforcer, CostCenterTagger, RetainStatefulResources } from '../lib/aspects';

const app = new cdk.App();
const stack = new DataLakeStack(app, 'DataLakeStack');

Tags.of(app).add('project', 'data-lake');
Tags.of(app).add('owner', 'analytics-team', { excludeResourceTypes: ['AWS::IAM::Role'] });
Tags.of(stack).add('environment', app.node.tryGetContext('environment') ?? 'sandbox', { priority: 200 });
Tags.of(stack).remove('owner', { includeResourceTypes: ['AWS::SQS::Queue'] });

Aspects.of(app).add(new CostCenterTagger('cc-4411'));
Aspects.of(app).add(new BucketEncryptionEnforcer());
Aspects.of(stack).add(new RetainStatefulResources(), { priority: cdk.AspectPriority.MUTATING });
