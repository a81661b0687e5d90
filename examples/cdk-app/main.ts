/**
 * Entry point of the example app: gets `aws-cdk-lib` and `constructs` from jsii-ring's
 * run-time bindings (every call goes through the jsii kernel in a worker thread), builds the
 * app and synthesizes it.
 *
 *   node dist/examples/cdk-app/main.js [--native | --sync] [--outdir DIR] [--scale N]
 *
 * Modes: pipelined through the kernel (the default), `--sync` (pending cap 0: every call
 * waits for its answer), `--native` (or JSII_RING_NATIVE=1: `load(name, { native: true })`,
 * the packages themselves, no kernel).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { load } from '../../lib/bindings/index.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { CloudAssemblySummary } from './compare.js';
import type { AppLibraries } from './libraries.js';
import { buildAndSynth } from './synth-native.js';

/** How the app reaches the libraries. */
export type RunMode = 'native' | 'sync' | 'pipelined';

/** Options of {@link runApp}. */
export interface RunAppOptions {
  readonly mode: RunMode;
  readonly outdir: string;
  /** @default 1 */
  readonly scale?: number;
}

/** What {@link runApp} did. */
export interface RunAppResult {
  readonly mode: RunMode;
  /** The cloud assembly directory `synth()` reported. */
  readonly outdir: string;
  readonly summary: CloudAssemblySummary;
  readonly expectedResources: number;
  readonly auditedResources: number;
  readonly timings: { readonly loadMs: number; readonly buildMs: number; readonly synthMs: number };
}

/**
 * Loads the libraries (natively or into a fresh kernel worker), builds the app, synthesizes
 * it into `outdir`, and closes the kernel.
 */
export async function runApp(options: RunAppOptions): Promise<RunAppResult> {
  const t0 = performance.now();
  const client = options.mode === 'native' ? undefined : KernelClient.start({ pendingCap: options.mode === 'sync' ? 0 : undefined });
  try {
    const loadOptions = client === undefined ? { native: true } : { connection: client };
    const libs: AppLibraries = {
      cdk: load('aws-cdk-lib', loadOptions) as AppLibraries['cdk'],
      constructs: load('constructs', loadOptions) as AppLibraries['constructs'],
    };
    return { mode: options.mode, ...buildAndSynth(libs, options, t0) };
  } finally {
    await client?.close();
  }
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunAppOptions {
  let mode: RunMode = env['JSII_RING_NATIVE'] === '1' || env['JSII_RING_NATIVE'] === 'true' ? 'native' : 'pipelined';
  let outdir = path.join(os.tmpdir(), 'jsii-ring-example');
  let scale = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--native') mode = 'native';
    else if (arg === '--sync') mode = 'sync';
    else if (arg === '--outdir') outdir = path.resolve(value());
    else if (arg === '--scale') scale = Number(value());
    else throw new Error(`unknown argument ${String(arg)}; usage: main [--native | --sync] [--outdir DIR] [--scale N]`);
  }
  return { mode, outdir, scale };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2), process.env);
  const result = await runApp(options);
  const { summary, timings } = result;
  const label = result.mode === 'native' ? 'native' : `jsii-ring kernel (${result.mode})`;
  console.log(`${label}: ${summary.stacks.length} stacks, ${summary.resources} resources in ${options.outdir}`);
  console.log(`load: ${timings.loadMs.toFixed(0)} ms  build: ${timings.buildMs.toFixed(0)} ms  synth: ${timings.synthMs.toFixed(0)} ms`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
