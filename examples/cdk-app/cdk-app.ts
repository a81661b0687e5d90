/**
 * The example app as a CDK user writes it, against the jsii-ring bindings: every jsii call
 * goes through the kernel. Run it with
 *
 *   npx jsii-ring synth examples/cdk-app/cdk-app.ts [--mode sync|pipelined|native]
 *
 * `APP_SCALE` (default 1: ~2,200 resources) scales the number of service units.
 */
import { load } from 'jsii-ring';
import { buildApp } from './app';
import type { AppLibraries } from './libraries';

const libs: AppLibraries = {
  cdk: load('aws-cdk-lib') as AppLibraries['cdk'],
  constructs: load('constructs') as AppLibraries['constructs'],
};
const scale = process.env.APP_SCALE !== undefined ? Number(process.env.APP_SCALE) : 1;
const { app } = buildApp(libs, { scale });
app.synth();
