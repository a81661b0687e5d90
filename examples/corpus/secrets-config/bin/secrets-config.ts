#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { AppConfigStack, AppConfigStackProps } from '../lib/app-config-stack';

/** Stack settings for one stage, kept in a class so defaults live in one place. */
class StageSettings implements AppConfigStackProps {
  public readonly terminationProtection: boolean;

  constructor(public readonly stage: string, public readonly settings: Record<string, string>) {
    this.terminationProtection = stage === 'prod';
  }

  get description(): string {
    return `Application configuration (${this.stage})`;
  }
}

const app = new cdk.App();
const stage: string = app.node.tryGetContext('stage') ?? 'dev';
const settings: Record<string, string> = app.node.tryGetContext('settings') ?? { logLevel: 'debug' };

new AppConfigStack(app, `AppConfig-${stage}`, new StageSettings(stage, settings));
app.synth();
