/**
 * Runs the bench's suites and puts their outputs where they belong. Full runs write
 * benchmarks/results/*.json, benchmarks/charts/*.svg and their sections of
 * benchmarks/RESULTS.md; `--quick` (the CI smoke) writes to a scratch folder unless told
 * otherwise, so its figures never replace the committed ones.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { cdkSuite } from '../cdk/compare-modes.js';
import { replaySuite } from '../replay/replay-suite.js';
import { RESULTS_DIR } from '../results.js';
import { codecSuite } from './codec.js';
import type { BenchContext, Suite, SuiteReport } from './context.js';
import { microSuite } from './micro.js';
import { CHARTS_DIR, RESULTS_MD, updateMarkdownSection } from './output.js';
import { jitSuite } from './jit.js';
import { overlapSuite } from './overlap.js';
import { SWEEP_CAPS, sweepSuite } from './sweep.js';
import { spinSuite } from './spin.js';
import { syntheticSuite } from './synthetic.js';

/** The suites, in the order `all` runs them. */
export const SUITES: Readonly<Record<string, { readonly summary: string; readonly run: Suite }>> = {
  micro: { summary: 'ring, codec and per-api round trips per transport (benchmark.js)', run: microSuite },
  synthetic: { summary: 'synthetic request mixes (creates, chains, a sync read every k calls) in every mode', run: syntheticSuite },
  codec: { summary: 'msgpack vs JSON on the example app build phase', run: codecSuite },
  overlap: { summary: 'simulated host work per call: pipelined vs sync speed-up vs the ideal', run: overlapSuite },
  sweep: { summary: 'pending cap 0..unlimited on the example app build phase', run: sweepSuite },
  spin: { summary: 'spin budget of the client rings (wait policy) on the whole example app vs native', run: spinSuite },
  jit: { summary: 'V8 interrupt budget (JIT policy) on the whole example app vs native', run: jitSuite },
  cdk: { summary: 'the example app in every mode, fresh processes, validation off and on', run: cdkSuite },
  replay: { summary: 'the example app request stream replayed into the kernel vs native', run: replaySuite },
};

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
    'Macro figures come from interleaved rounds (order alternating), medians with min–max; each section records its command, Node version, CPU and the load average, as the machine is shared. `--quick` (CI smoke) figures are never quoted here.',
].join('\n');

/** Runs the suites; returns their reports (Markdown sections and files written). */
export async function runBench(options: BenchOptions): Promise<{ readonly context: BenchContext; readonly reports: SuiteReport[] }> {
  const context = benchContext(options);
  const reports: SuiteReport[] = [];
  for (const name of resolveSuites(options.suites)) {
    const suite = SUITES[name];
    if (suite === undefined) continue;
    const report = await suite.run(context);
    reports.push(report);
    if (context.resultsMd !== undefined) {
      updateMarkdownSection(context.resultsMd, 'research', INTRO);
      updateMarkdownSection(context.resultsMd, report.id, report.markdown);
    }
  }
  return { context, reports };
}
