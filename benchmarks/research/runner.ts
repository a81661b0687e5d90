/**
 * Runs the bench's suites and puts their outputs where they belong. Full runs write
 * benchmarks/results/*.json, benchmarks/charts/*.svg and their sections of
 * benchmarks/RESULTS.md; `--quick` (the CI smoke) writes to a scratch folder unless told
 * otherwise, so its figures never replace the committed ones.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { hasDependency } from '../../lib/cli/dependencies.js';
import { RESULTS_DIR } from '../results.js';
import type { BenchContext, Suite, SuiteReport } from './context.js';
import { BenchmarkError } from './errors.js';
import { CHARTS_DIR, RESULTS_MD, updateMarkdownSection } from './output.js';
import { SWEEP_CAPS } from './sweep.js';

/** A suite of the example app: what it answers, what it needs installed, and its code (loaded when it runs). */
export interface SuiteEntry {
  readonly summary: string;
  /** Packages the suite needs beyond jsii-ring's own dependencies. */
  readonly needs: readonly string[];
  readonly load: () => Promise<Suite>;
}

/** The example app's libraries. */
const APP_LIBRARIES = ['aws-cdk-lib', 'constructs'];
/** The reference runtime (stdio modes compare with it). */
const REFERENCE = '@jsii/runtime';
/**
 * Of the packages suites need, those only jsii-ring's development install brings (an app
 * project has the app libraries itself): `jsii-ring bench` names each missing one with its
 * install command before anything runs.
 */
export const DEVELOPMENT_ONLY: readonly string[] = ['benchmark', REFERENCE];

/** The suites, in the order `all` runs them. */
export const SUITES: Readonly<Record<string, SuiteEntry>> = {
  micro: { summary: 'ring, codec and per-api round trips per transport', needs: ['benchmark', 'constructs', REFERENCE], load: async () => (await import('./micro.js')).microSuite },
  synthetic: { summary: 'synthetic request mixes (creates, chains, a sync read every k calls) in every mode', needs: ['constructs', REFERENCE], load: async () => (await import('./synthetic.js')).syntheticSuite },
  codec: { summary: 'msgpack vs JSON on the example app build phase', needs: APP_LIBRARIES, load: async () => (await import('./codec.js')).codecSuite },
  overlap: { summary: 'simulated host work per call: pipelined vs sync speed-up vs the ideal', needs: APP_LIBRARIES, load: async () => (await import('./overlap.js')).overlapSuite },
  sweep: { summary: 'pending cap 0..unlimited on the example app build phase', needs: APP_LIBRARIES, load: async () => (await import('./sweep.js')).sweepSuite },
  spin: { summary: 'spin budget of the client rings (wait policy) on the whole example app vs native', needs: APP_LIBRARIES, load: async () => (await import('./spin.js')).spinSuite },
  jit: { summary: 'V8 interrupt budget (JIT policy) on the whole example app vs native', needs: APP_LIBRARIES, load: async () => (await import('./jit.js')).jitSuite },
  cdk: { summary: 'the example app in every mode, fresh processes, validation off and on', needs: [...APP_LIBRARIES, REFERENCE], load: async () => (await import('../cdk/compare-modes.js')).cdkSuite },
  replay: { summary: 'the example app request stream replayed into the kernel vs native', needs: APP_LIBRARIES, load: async () => (await import('../replay/replay-suite.js')).replaySuite },
};

/** Which of `names` cannot be found from jsii-ring's own folder or the current directory. */
export function missingPackages(names: readonly string[]): string[] {
  return names.filter((name) => !hasDependency(name));
}

/**
 * Throws, before anything runs, if a suite needs a package that is not installed (an
 * installed jsii-ring has none of its development dependencies): naming the suites, the
 * packages and the install command.
 */
export function checkSuiteNeeds(suites: readonly string[], table: Readonly<Record<string, Pick<SuiteEntry, 'needs'>>> = SUITES): void {
  const lines: string[] = [];
  const all = new Set<string>();
  for (const name of suites) {
    const missing = missingPackages(table[name]?.needs ?? []);
    if (missing.length === 0) continue;
    missing.forEach((m) => all.add(m));
    lines.push(`${name} needs ${missing.join(', ')}`);
  }
  if (lines.length === 0) return;
  throw new BenchmarkError(`${lines.join('; ')}: not installed (npm install --save-dev ${[...all].join(' ')}; or run sweep, overlap or cdk on your own app with --app FILE)`);
}

/** Other names accepted on the command line. */
export const SUITE_ALIASES: Readonly<Record<string, string>> = { modes: 'cdk', hostwork: 'overlap', 'host-work': 'overlap' };

/** Options of {@link runBench}; unset fields take the quick or full defaults. */
export interface BenchOptions {
  readonly suites: readonly string[];
  readonly quick: boolean;
  /** Folder for results and charts instead of the defaults; RESULTS.md is then left alone. */
  readonly out?: string;
  readonly scale?: number;
  readonly repeats?: number;
  readonly syntheticCalls?: number;
  readonly hostWork?: readonly number[];
  readonly sweepHostWork?: readonly number[];
  readonly caps?: readonly number[];
  readonly microSeconds?: number;
  readonly silent?: boolean;
  readonly command: string;
}

/** Where a quick run writes by default. */
export const QUICK_OUT = path.join(os.tmpdir(), 'jsii-ring-bench-quick');

/** The settings of a run: the quick or full defaults, overridden by the options. */
export function benchContext(options: BenchOptions): BenchContext {
  const quick = options.quick;
  const out = options.out ?? (quick ? QUICK_OUT : undefined);
  return {
    quick,
    resultsDir: out !== undefined ? path.resolve(out) : RESULTS_DIR,
    chartsDir: out !== undefined ? path.resolve(out, 'charts') : CHARTS_DIR,
    resultsMd: out !== undefined ? undefined : RESULTS_MD,
    scale: options.scale ?? (quick ? 0.05 : 1),
    repeats: options.repeats ?? (quick ? 1 : 5),
    syntheticCalls: options.syntheticCalls ?? (quick ? 1000 : 10_000),
    hostWork: options.hostWork ?? [0, 20, 50, 100],
    sweepHostWork: options.sweepHostWork ?? [0, 50],
    caps: options.caps ?? SWEEP_CAPS,
    microSeconds: options.microSeconds ?? (quick ? 0.05 : 0.5),
    silent: options.silent ?? false,
    command: options.command,
  };
}

/** The canonical suite names of a request (`all` = every suite, in order). */
export function resolveSuites(names: readonly string[]): string[] {
  if (names.length === 0 || names.includes('all')) return Object.keys(SUITES);
  const wanted = new Set(names.map((n) => SUITE_ALIASES[n] ?? n));
  return Object.keys(SUITES).filter((n) => wanted.has(n));
}

const INTRO = [
  '## Protocol research bench',
  '',
  'Produced by `jsii-ring bench` (`lib/cli/bench.ts`, code in `benchmarks/research/`, `benchmarks/cdk/`, `benchmarks/replay/`). ' +
    'Modes: native in-process (no protocol, the floor), the reference `@jsii/runtime` over stdio (what Python/Java/.NET hosts use today), our kernel over stdio, our kernel over the ring sync (pending cap 0) and pipelined. ' +
    'Macro figures come from interleaved rounds (order alternating), medians with min–max; each section records its command, Node version, CPU and the load average, as the machine is shared. `--quick` (CI smoke) figures are never quoted here. ' +
    'The charts are drawn from the results files (`jsii-ring bench charts` redraws them; `test/bench/charts-render.test.ts` renders each to PNG and reads its values back). The sweep, overlap and mode suites also run on any app: `jsii-ring bench sweep --app app.ts` (see benchmarks/research/README.md).',
].join('\n');

/** Runs the suites; returns their reports (Markdown sections and files written). */
export async function runBench(options: BenchOptions): Promise<{ readonly context: BenchContext; readonly reports: SuiteReport[] }> {
  const context = benchContext(options);
  const reports: SuiteReport[] = [];
  const names = resolveSuites(options.suites);
  checkSuiteNeeds(names);
  for (const name of names) {
    const suite = SUITES[name];
    if (suite === undefined) continue;
    const report = await (await suite.load())(context);
    reports.push(report);
    if (context.resultsMd !== undefined) {
      updateMarkdownSection(context.resultsMd, 'research', INTRO);
      updateMarkdownSection(context.resultsMd, report.id, report.markdown);
    }
  }
  return { context, reports };
}
