/**
 * Question: how eagerly should V8 optimize in a process that runs the kernel in a worker?
 * The whole example app (ring, pipelined, validation off) in fresh child processes at
 * several V8 interrupt budgets (`--interrupt-budget`, the bytecode a function runs between
 * tier-up checks; V8's own is 67,584), rounds interleaved, with native runs at V8's budget
 * and at the chosen default in every round, so each ratio can be taken against either.
 *
 * Why it matters here: TurboFan compiles on background threads. A native run has a spare
 * core for them; with the host thread and the kernel thread on a 2-vCPU machine there is
 * none, so compile jobs for library code that runs a handful of times take turns with the
 * kernel itself (lib/host/jit-policy.ts).
 *
 * Writes jit.json: per budget the median build and whole-run ms (min–max) and the ratios.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';
import type { AppMode, AppRunOptions, AppRunResult } from './app-run.js';
import { runChild } from './child.js';
import type { BenchContext, SuiteReport } from './context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import { retryNote, round, roundSummary, runSuiteVariants, summarize } from './harness.js';
import type { Summary } from './harness.js';
import { fmt, table, writeJson } from './output.js';

/** Interrupt budgets compared for the pipelined ring mode. */
export const JIT_BUDGETS: readonly number[] = [V8_DEFAULT_INTERRUPT_BUDGET, 150_000, KERNEL_INTERRUPT_BUDGET, 600_000, 1_200_000];

const APP_CHILD = path.join(__dirname, 'app-child.js');

interface JitPoint {
  readonly buildMs: Summary;
  readonly totalMs: Summary;
}

function condense(runs: readonly AppRunResult[]): JitPoint {
  return {
    buildMs: roundSummary(summarize(runs.map((r) => r.phases.build.wallMs))),
    totalMs: roundSummary(summarize(runs.map((r) => r.totalMs))),
  };
}

function budgetLabel(budget: number): string {
  const notes = [budget === V8_DEFAULT_INTERRUPT_BUDGET ? "V8's" : '', budget === KERNEL_INTERRUPT_BUDGET ? 'jsii-ring synth default' : ''].filter((n) => n !== '');
  return `${budget.toLocaleString('en-US')}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** Runs the JIT-policy suite. */
export async function jitSuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-bench-jit-'));
  const budgets = ctx.quick ? [V8_DEFAULT_INTERRUPT_BUDGET, KERNEL_INTERRUPT_BUDGET] : JIT_BUDGETS;
  const nativeBudgets = [V8_DEFAULT_INTERRUPT_BUDGET, KERNEL_INTERRUPT_BUDGET];
  const variant = (mode: AppMode, budget: number): { key: string; run: () => Promise<AppRunResult> } => {
    const key = `${mode}-${budget}`;
    const options: AppRunOptions = { mode, interruptBudget: budget, outdir: path.join(base, key), scale: ctx.scale, validation: false };
    return { key, run: async () => (await runChild<AppRunResult>(APP_CHILD, options)).result };
  };
  const variants = [...nativeBudgets.map((b) => variant('native', b)), ...budgets.map((b) => variant('ringPipelined', b))];
  const { runs, retries } = await runSuiteVariants('jit', variants, ctx, { scratch: base });
  env = finishEnvironment(env);

  const native = new Map(nativeBudgets.map((b) => [b, condense(runs.get(`native-${b}`) ?? [])]));
  const nativeV8 = native.get(V8_DEFAULT_INTERRUPT_BUDGET) as JitPoint;
  const nativeOurs = native.get(KERNEL_INTERRUPT_BUDGET) as JitPoint;
  const points = new Map(budgets.map((b) => [b, condense(runs.get(`ringPipelined-${b}`) ?? [])]));
  const ratio = (a: number, b: number): number => round(a / b, 3);
  const result = {
    environment: env,
    question: "the example app (ring, pipelined, validation off) at each V8 interrupt budget: build and whole-run ms, vs native at V8's budget and at the same budget",
    scale: ctx.scale,
    repeats: ctx.repeats,
    retries,
    v8DefaultBudget: V8_DEFAULT_INTERRUPT_BUDGET,
    synthDefaultBudget: KERNEL_INTERRUPT_BUDGET,
    native: Object.fromEntries([...native].map(([b, p]) => [String(b), p])),
    pipelined: Object.fromEntries([...points].map(([b, p]) => {
      const same = native.get(b);
      return [String(b), {
        ...p,
        buildOverNativeV8: ratio(p.buildMs.median, nativeV8.buildMs.median),
        totalOverNativeV8: ratio(p.totalMs.median, nativeV8.totalMs.median),
        ...(same !== undefined ? { buildOverNativeSame: ratio(p.buildMs.median, same.buildMs.median), totalOverNativeSame: ratio(p.totalMs.median, same.totalMs.median) } : {}),
      }];
    })),
  };
  const files = [writeJson(ctx.resultsDir, 'jit.json', result)];
  const range = (s: Summary): string => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  const x = (a: number, b: number): string => `${fmt(ratio(a, b), 2)}×`;
  const rows = [
    ...[...native].map(([b, p]) => [`native, ${budgetLabel(b)}`, range(p.buildMs), x(p.buildMs.median, nativeV8.buildMs.median), range(p.totalMs), x(p.totalMs.median, nativeV8.totalMs.median)]),
    ...[...points].map(([b, p]) => [`pipelined, ${budgetLabel(b)}`, range(p.buildMs), x(p.buildMs.median, nativeV8.buildMs.median), range(p.totalMs), x(p.totalMs.median, nativeV8.totalMs.median)]),
  ];
  const markdown = [
    '### JIT policy: V8 interrupt budget',
    '',
    `The whole example app (scale ${ctx.scale}), validation off, a fresh process per run (the budget is set at its start: V8 flags are per process), ` +
      `${ctx.repeats} interleaved rounds. Median ms (min–max); ratios to native at V8's own budget. ` +
      `At the synth default (${KERNEL_INTERRUPT_BUDGET.toLocaleString('en-US')}) against native at the same budget: ` +
      `build ${x((points.get(KERNEL_INTERRUPT_BUDGET) ?? nativeOurs).buildMs.median, nativeOurs.buildMs.median)}, ` +
      `whole run ${x((points.get(KERNEL_INTERRUPT_BUDGET) ?? nativeOurs).totalMs.median, nativeOurs.totalMs.median)}.`,
    '',
    table(['run, interrupt budget', 'build ms', 'vs native (V8\'s)', 'whole run ms', 'vs native (V8\'s)'], rows, ['l', 'r', 'r', 'r', 'r']),
    '',
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
  return { id: 'jit', markdown, files };
}
