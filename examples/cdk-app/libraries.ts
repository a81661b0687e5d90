/**
 * The libraries the example app is written against. The app never imports `aws-cdk-lib`
 * or `constructs` for values: the caller injects them, so the very same code runs on the
 * native packages or on proxies that forward every call to a jsii kernel.
 */
import type * as Cdk from 'aws-cdk-lib';
import type * as Constructs from 'constructs';

/** The two jsii libraries the app uses, as values (native modules or kernel-backed proxies). */
export interface AppLibraries {
  readonly cdk: typeof Cdk;
  readonly constructs: typeof Constructs;
}

export type { Cdk, Constructs };
