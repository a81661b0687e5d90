#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { AuthStack } from '../lib/auth-stack';
import { ProtectedApiStack } from '../lib/protected-api-stack';

const app = new cdk.App();
const callbackUrls: string[] = app.node.tryGetContext('callbackUrls') ?? ['http://localhost:3000/callback'];

const auth = new AuthStack(app, 'AuthStack', { callbackUrls });
new ProtectedApiStack(app, 'ProtectedApiStack', { userPool: auth.userPool });

app.synth();
