/**
 * One measurement of loading `aws-cdk-lib` and its jsii dependencies, in a fresh process
 * (run by `assembly-load.ts` with `--expose-gc`; prints one JSON line).
 *
 *   node --expose-gc child.js index <cacheDir>   through the index (cold if cacheDir is empty)
 *   node --expose-gc child.js full               full parse with @jsii/spec (the rival)
 */
import * as path from 'node:path';

/** What a child reports. */
export interface LoadSample {
  readonly mode: string;
  /** Time to require the loading code (our module, or @jsii/spec). */
  readonly requireMs: number;
  /** Time to find the closure and open every assembly in it. */
  readonly openMs: number;
  /** Heap retained by the opened assemblies (after gc). */
  readonly openHeapBytes: number;
  /** Time to then read the submodules and 1,000 seeded random types of aws-cdk-lib. */
  readonly useMs: number;
  /** Heap retained after that use (after gc), from the same baseline. */
  readonly usedHeapBytes: number;
  readonly assemblies: ReadonlyArray<{ name: string; types: number; origin?: string }>;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const AWS_CDK_LIB = path.join(ROOT, 'node_modules', 'aws-cdk-lib');
const USED_TYPES = 1000;

interface Opened {
  readonly name: string;
  readonly typeCount: number;
  readonly origin?: string;
  readonly submodules: () => unknown;
  readonly getType: (fqn: string) => unknown;
  readonly names: () => string[];
}

function main(): void {
  const [mode, cacheDir] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    throw new Error('run with --expose-gc');
  }
  let start = performance.now();
  let open: () => Opened[];
  if (mode === 'index') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('../../lib/kernel/assemblies/index.js') as typeof import('../../lib/kernel/assemblies/index.js');
    open = () =>
      lib.dependencyClosure(AWS_CDK_LIB).map(({ packageDir }) => {
        const source = lib.openAssembly(packageDir, { cacheDir: cacheDir as string });
        return {
          name: source.name,
          typeCount: source.typeCount,
          origin: source instanceof lib.IndexedAssemblySource ? source.origin : 'parsed',
          submodules: () => source.metadata.submodules,
          getType: (fqn) => source.getType(fqn),
          names: () => [...source.typeNames()],
        };
      });
  } else if (mode === 'full') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jsiiSpec = require('@jsii/spec') as typeof import('@jsii/spec');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('../../lib/kernel/assemblies/dependency-closure.js') as typeof import('../../lib/kernel/assemblies/dependency-closure.js');
    open = () =>
      lib.dependencyClosure(AWS_CDK_LIB).map(({ packageDir }) => {
        // validate=false, as the reference kernel loads by default.
        const assembly = jsiiSpec.loadAssemblyFromPath(packageDir, false, ['intersection-types', 'class-covariant-overrides']);
        const types = assembly.types ?? {};
        return {
          name: assembly.name,
          typeCount: Object.keys(types).length,
          submodules: () => assembly.submodules,
          getType: (fqn) => types[fqn],
          names: () => Object.keys(types),
        };
      });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const requireMs = performance.now() - start;
  // Baseline after the code is loaded: what follows is the assemblies' data only.
  gc();
  const baseline = process.memoryUsage().heapUsed;

  start = performance.now();
  const opened = open();
  const openMs = performance.now() - start;
  gc();
  const openHeapBytes = process.memoryUsage().heapUsed - baseline;

  const cdk = opened.find((o) => o.name === 'aws-cdk-lib');
  if (cdk === undefined) {
    throw new Error('aws-cdk-lib missing from the closure');
  }
  const names = cdk.names();
  start = performance.now();
  const kept: unknown[] = [cdk.submodules()];
  let seed = 12345;
  for (let i = 0; i < USED_TYPES; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    kept.push(cdk.getType(names[seed % names.length] as string));
  }
  const useMs = performance.now() - start;
  gc();
  const usedHeapBytes = process.memoryUsage().heapUsed - baseline;

  const sample: LoadSample = {
    mode: mode as string,
    requireMs,
    openMs,
    openHeapBytes,
    useMs,
    usedHeapBytes,
    assemblies: opened.map((o) => ({ name: o.name, types: o.typeCount, ...(o.origin ? { origin: o.origin } : {}) })),
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
  // Keep everything reachable until the heap was measured.
  if (kept.length + opened.length < 0) {
    process.stdout.write('unreachable');
  }
}

main();
