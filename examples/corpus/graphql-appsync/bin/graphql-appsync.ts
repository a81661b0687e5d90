#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { BlogApiStack } from '../lib/blog-api-stack';

const app = new cdk.App();
new BlogApiStack(app, 'BlogApiStack');
app.synth();
