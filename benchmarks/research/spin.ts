/**
 * Question: how long should a blocked side spin before it sleeps? The whole example app
 * (ring, pipelined, validation off) in fresh child processes at several spin budgets of the
 * client's rings, with a native run in every round for the ratio, rounds interleaved.
 *
 * Why it matters here: on a 2-vCPU VM a futex wake-up is expensive on both ends (the waker
 * spends tens of µs inside `Atomics.notify`, the sleeper as long again to resume), and the
 * host waits on the kernel for anything from a microsecond to milliseconds; the aspect's
 * callbacks make thousands of short exchanges after long ones.
 *
 * Writes spin.json: per budget the median build and whole-run ms (min–max), host waits that
 * spun vs slept, and the ratios to native.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SPIN } from '../../lib/host/options.js';
import type { AppRunOptions, AppRunResult } from './app-run.js';
import { runChild } from './child.js';
import type { BenchContext, SuiteReport } from './context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import { retryNote, round, roundSummary, runSuiteVariants, summarize } from './harness.js';
import type { Summary } from './harness.js';
import { fmt, table, writeJson } from './output.js';

/** Spin budgets compared (iterations, ~11 ns each); 10,000 is the ring package's default. */
export const SPIN_BUDGETS: readonly number[] = [0, 10_000, 100_000, 300_000, 1_000_000];

const APP_CHILD = path.join(__dirname, 'app-child.js');

/** Figures of one budget (or native). */
interface SpinPoint {
  readonly buildMs: Summary;
  readonly totalMs: Summary;
  /** Host waits for an answer that ended while spinning / in `Atomics.wait` (whole run, medians). */
  readonly hostSpinHits: number;
  readonly hostSleeps: number;
}

function phasesSum(r: AppRunResult, f: (p: AppRunResult['phases']['build']) => number): number {
  return f(r.phases.load) + f(r.phases.build) + (r.phases.synth === undefined ? 0 : f(r.phases.synth));
}

function condense(runs: readonly AppRunResult[]): SpinPoint {
  return {
    buildMs: roundSummary(summarize(runs.map((r) => r.phases.build.wallMs))),
    totalMs: roundSummary(summarize(runs.map((r) => r.totalMs))),
    hostSpinHits: summarize(runs.map((r) => phasesSum(r, (p) => p.ring.readSpinHits))).median,
    hostSleeps: summarize(runs.map((r) => phasesSum(r, (p) => p.ring.readSleeps))).median,
  };
}

/** Runs the spin suite. */
export async function spinSuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-bench-spin-'));
  const budgets = ctx.quick ? [0, DEFAULT_SPIN] : SPIN_BUDGETS;
  const child = async (o: AppRunOptions): Promise<AppRunResult> => (await runChild<AppRunResult>(APP_CHILD, o)).result;
  const variants = [
    { key: 'native', run: (): Promise<AppRunResult> => child({ mode: 'native', outdir: path.join(base, 'native'), scale: ctx.scale, validation: false }) },
    ...budgets.map((spin) => ({
      key: String(spin),
      run: (): Promise<AppRunResult> => child({ mode: 'ringPipelined', spin, outdir: path.join(base, `spin-${spin}`), scale: ctx.scale, validation: false }),
    })),
  ];
  const { runs, retries } = await runSuiteVariants('spin', variants, ctx, { scratch: base });
  env = finishEnvironment(env);

  const native = condense(runs.get('native') ?? []);
  const points = new Map(budgets.map((spin) => [spin, condense(runs.get(String(spin)) ?? [])]));
  const ratio = (a: number, b: number): number => round(a / b, 3);
  const result = {
    environment: env,
    question: 'the example app (ring, pipelined, validation off) at each spin budget of the client rings: build and whole-run ms, host waits spun vs slept',
    scale: ctx.scale,
    repeats: ctx.repeats,
    retries,
    clientDefaultSpin: DEFAULT_SPIN,
    native: { buildMs: native.buildMs, totalMs: native.totalMs },
    budgets: Object.fromEntries([...points].map(([spin, p]) => [String(spin), {
      ...p,
      buildOverNative: ratio(p.buildMs.median, native.buildMs.median),
      totalOverNative: ratio(p.totalMs.median, native.totalMs.median),
    }])),
  };
  const files = [writeJson(ctx.resultsDir, 'spin.json', result)];
  const range = (s: Summary): string => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  const rows = [
    ['native', range(native.buildMs), '1×', range(native.totalMs), '1×', '–', '–'],
    ...[...points].map(([spin, p]) => [
      `${spin.toLocaleString('en-US')}${spin === DEFAULT_SPIN ? ' (default)' : spin === 10_000 ? ' (ring package default)' : ''}`,
      range(p.buildMs), `${fmt(ratio(p.buildMs.median, native.buildMs.median), 2)}×`,
      range(p.totalMs), `${fmt(ratio(p.totalMs.median, native.totalMs.median), 2)}×`,
      fmt(p.hostSpinHits), fmt(p.hostSleeps),
    ]),
  ];
  const markdown = [
    '### Wait policy: spin budget',
    '',
    `The whole example app (scale ${ctx.scale}), ring, pipelined, validation off, a fresh process per run, ${ctx.repeats} interleaved rounds with a native run in each; ` +
      'the spin budget (`KernelClientOptions.spin`, `jsii-ring synth --spin`) applies to the host\'s response ring and the kernel\'s request and callback rings, adaptive as always. ' +
      'Median ms (min–max); host waits are the response-ring waits of the whole run that ended while spinning vs in `Atomics.wait`.',
    '',
    table(['spin budget', 'build ms', 'vs native', 'whole run ms', 'vs native', 'waits spun', 'waits slept'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
  return { id: 'spin', markdown, files };
}
