/**
 * Synthesizes the example app natively (plain `require('aws-cdk-lib')`, no kernel) and
 * reports counts and time per phase: load (requiring the libraries), build (everything
 * before `synth()`), synth.
 *
 *   node dist/examples/cdk-app/synth-native.js [--outdir DIR] [--scale N] [--no-validation] [--json]
 *
 * `--no-validation` sets CDK_VALIDATION=false (the library's CloudFormation check in
 * `synth()`, ~5 s at full scale). Without it the environment decides.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from './app.js';
import { summarizeCloudAssembly, type CloudAssemblySummary } from './compare.js';
import type { AppLibraries } from './libraries.js';

/** Options of {@link synthNative}. */
export interface SynthNativeOptions {
  /** Output directory; created if missing, emptied first. */
  readonly outdir: string;
  /** @default 1 */
  readonly scale?: number;
}

/** Result of {@link synthNative}. */
export interface SynthNativeResult {
  readonly outdir: string;
  readonly summary: CloudAssemblySummary;
  /** Resources the app expected to build; equals `summary.resources` when all is well. */
  readonly expectedResources: number;
  /** Resources the host-implemented aspect visited during synth. */
  readonly auditedResources: number;
  readonly timings: {
    /** Requiring `aws-cdk-lib` and `constructs` (near zero when already loaded). */
    readonly loadMs: number;
    /** Building the construct tree: everything before `synth()`. */
    readonly buildMs: number;
    readonly synthMs: number;
  };
}

/** Loads the native libraries (Node's module cache makes repeated calls cheap). */
export function loadNativeLibraries(): AppLibraries {
  // Required here, not imported at the top: the app itself never imports the libraries,
  // and the load phase is timed separately.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk = require('aws-cdk-lib') as AppLibraries['cdk'];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const constructs = require('constructs') as AppLibraries['constructs'];
  return { cdk, constructs };
}

/** Builds and synthesizes the example app in this process on the native libraries. */
export function synthNative(options: SynthNativeOptions): SynthNativeResult {
  fs.rmSync(options.outdir, { recursive: true, force: true });
  fs.mkdirSync(options.outdir, { recursive: true });

  const t0 = performance.now();
  const libs = loadNativeLibraries();
  return { ...buildAndSynth(libs, options, t0), outdir: options.outdir };
}

/**
 * Builds the app on `libs`, synthesizes it and summarizes the output, timing each phase
 * (`loadStarted`: when loading the libraries began, for the load phase).
 */
export function buildAndSynth(libs: AppLibraries, options: SynthNativeOptions, loadStarted: number): SynthNativeResult {
  const t1 = performance.now();
  const handle = buildApp(libs, { outdir: options.outdir, ...(options.scale !== undefined ? { scale: options.scale } : {}) });
  const t2 = performance.now();
  // `synth()` returns an object, so through the kernel it is pipelined; reading the
  // assembly's directory (a string) is the sync point that waits for the files.
  const directory = handle.app.synth().directory;
  const t3 = performance.now();
  return {
    outdir: directory,
    summary: summarizeCloudAssembly(directory),
    expectedResources: handle.expectedResources,
    auditedResources: handle.aspect.resourceCount,
    timings: { loadMs: t1 - loadStarted, buildMs: t2 - t1, synthMs: t3 - t2 },
  };
}

interface CliArgs {
  outdir: string;
  scale: number;
  validation: boolean;
  json: boolean;
}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    outdir: path.join(os.tmpdir(), 'jsii-ring-example-native'),
    scale: 1,
    validation: true,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--outdir') args.outdir = path.resolve(value());
    else if (arg === '--scale') args.scale = Number(value());
    else if (arg === '--no-validation') args.validation = false;
    else if (arg === '--json') args.json = true;
    else throw new Error(`unknown argument ${String(arg)}; usage: synth-native [--outdir DIR] [--scale N] [--no-validation] [--json]`);
  }
  return args;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // Must be set before synth(): the library reads it when it decides to validate.
  if (!args.validation) process.env['CDK_VALIDATION'] = 'false';
  const result = synthNative({ outdir: args.outdir, scale: args.scale });
  const { summary, timings } = result;
  if (args.json) {
    console.log(
      JSON.stringify({
        outdir: result.outdir,
        stacks: summary.stacks.length,
        templates: summary.templates,
        resources: summary.resources,
        expectedResources: result.expectedResources,
        auditedResources: result.auditedResources,
        validation: process.env['CDK_VALIDATION'] !== 'false',
        timings,
      }),
    );
    return;
  }
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  console.log(`cloud assembly: ${result.outdir}`);
  console.log(`stacks: ${summary.stacks.length} (${summary.stacks.join(', ')})`);
  for (const [file, count] of summary.resourcesByTemplate) console.log(`  ${file}: ${count} resources`);
  console.log(`resources: ${summary.resources} (expected ${result.expectedResources}, aspect saw ${result.auditedResources})`);
  console.log(`validation: ${process.env['CDK_VALIDATION'] === 'false' ? 'off' : 'on'}`);
  console.log(`load: ${ms(timings.loadMs)}  build: ${ms(timings.buildMs)}  synth: ${ms(timings.synthMs)}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
