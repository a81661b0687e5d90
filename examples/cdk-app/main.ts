/**
 * Entry point of the example app: gets `aws-cdk-lib` and `constructs` from jsii-ring's
 * run-time bindings (every call goes through the jsii kernel in a worker thread), builds the
 * app and synthesizes it.
 *
 *   node dist/examples/cdk-app/main.js [--native] [--outdir DIR] [--scale N]
 *
 * `--native` (or JSII_RING_NATIVE=1) runs on the packages themselves instead, as
 * `load(name, { native: true })` would.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from './app.js';
import { summarizeCloudAssembly } from './compare.js';
import type { AppLibraries } from './libraries.js';
import { loadNativeLibraries } from './synth-native.js';

/** The part of `lib/bindings/index.js` this entry uses. */
interface BindingsModule {
  load(packageName: string, options?: { readonly native?: boolean }): unknown;
  /** Optional: stops the kernel worker so the process can exit. */
  shutdown?(): unknown;
}

/** Where the run-time bindings live, relative to this file (compiled or not). */
const BINDINGS_MODULE = '../../lib/bindings/index.js';

/** Loads the libraries through the jsii kernel bindings. */
export function loadKernelLibraries(): { libs: AppLibraries; bindings: BindingsModule } {
  // Resolved at run time, so this example compiles on its own and fails with a clear
  // message where the bindings are not built.
  let bindings: BindingsModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    bindings = require(BINDINGS_MODULE) as BindingsModule;
  } catch (error) {
    throw new Error(`cannot load the jsii-ring bindings (${BINDINGS_MODULE}); use --native to run without them`, {
      cause: error,
    });
  }
  const cdk = bindings.load('aws-cdk-lib') as AppLibraries['cdk'];
  const constructs = bindings.load('constructs') as AppLibraries['constructs'];
  return { libs: { cdk, constructs }, bindings };
}

interface MainArgs {
  native: boolean;
  outdir: string;
  scale: number;
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): MainArgs {
  const args: MainArgs = {
    native: env['JSII_RING_NATIVE'] === '1' || env['JSII_RING_NATIVE'] === 'true',
    outdir: path.join(os.tmpdir(), 'jsii-ring-example'),
    scale: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--native') args.native = true;
    else if (arg === '--outdir') args.outdir = path.resolve(value());
    else if (arg === '--scale') args.scale = Number(value());
    else throw new Error(`unknown argument ${String(arg)}; usage: main [--native] [--outdir DIR] [--scale N]`);
  }
  return args;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), process.env);
  const t0 = performance.now();
  const loaded = args.native ? { libs: loadNativeLibraries(), bindings: undefined } : loadKernelLibraries();
  const t1 = performance.now();
  try {
    const handle = buildApp(loaded.libs, { outdir: args.outdir, scale: args.scale });
    const t2 = performance.now();
    handle.app.synth();
    const t3 = performance.now();
    const summary = summarizeCloudAssembly(args.outdir);
    console.log(`${args.native ? 'native' : 'jsii-ring kernel'}: ${summary.stacks.length} stacks, ${summary.resources} resources in ${args.outdir}`);
    console.log(`load: ${(t1 - t0).toFixed(0)} ms  build: ${(t2 - t1).toFixed(0)} ms  synth: ${(t3 - t2).toFixed(0)} ms`);
  } finally {
    loaded.bindings?.shutdown?.();
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
