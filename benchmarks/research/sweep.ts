/**
 * Question: what pending cap should the client use? The example app's build phase (ring,
 * pipelined, validation off, a fresh kernel per run, all in this process) at every cap of
 * the sweep, for each host-work setting, in interleaved rounds.
 *
 * Writes sweep.json: `capMs` (cap → median build ms, host work 0) and `capMsHostWork50`
 * (the same with 50 µs of host work per call), the spread of every point, and the cap the
 * figures support, with the rule that picked it.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_PENDING_CAP } from '../../lib/host/options.js';
import { runAppOnce } from './app-run.js';
import type { AppRunResult } from './app-run.js';
import type { BenchContext, SuiteReport } from './context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import type { RunEnvironment } from './environment.js';
import { retryNote, round, roundSummary, runSuiteVariants, summarize } from './harness.js';
import type { Summary } from './harness.js';
import { fmt, table, writeChart, writeJson } from './output.js';
import { lineChart } from './svg.js';

/** The caps of the sweep (Infinity = unlimited). */
export const SWEEP_CAPS: readonly number[] = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, Infinity];

/** A cap as a results key / chart label. */
export function capKey(cap: number): string {
  return cap === Infinity ? 'unlimited' : String(cap);
}

/** Slack within which a cap counts as as fast as the best one (noise on a shared machine). */
export const SUPPORT_TOLERANCE = 0.03;

/** One point of the sweep. */
export interface SweepPoint extends Summary {
  readonly syncRequests: number;
  readonly pipelinedRequests: number;
  readonly capWaits: number;
  /** The most cap waits of any run (0: the cap never bound). */
  readonly capWaitsMax: number;
  readonly hostWaitMs: number;
  readonly kernelBusyMs: number;
  readonly overlap: number;
}

/**
 * The cap the sweep supports: the smallest cap ≥ 1 that, at every host-work setting, is
 * either within SUPPORT_TOLERANCE of the fastest cap's median, or never made the host wait
 * in any run (`capWaits` 0: the cap did not bind, so no larger cap can change anything and
 * differences between them are noise). Smaller is better when equally fast: fewer requests
 * in flight means failures are reported closer to their call and less host memory is held.
 */
export function supportedCap(
  medians: ReadonlyMap<number, ReadonlyMap<number, number>>,
  tolerance = SUPPORT_TOLERANCE,
  capWaits?: ReadonlyMap<number, ReadonlyMap<number, number>>,
  sweptCaps: readonly number[] = SWEEP_CAPS,
): number {
  const caps = sweptCaps.filter((c) => c >= 1);
  for (const cap of caps) {
    let ok = true;
    for (const [setting, byCap] of medians) {
      const best = Math.min(...caps.map((c) => byCap.get(c) ?? Infinity));
      const value = byCap.get(cap);
      const neverBound = capWaits?.get(setting)?.get(cap) === 0;
      if (value === undefined || (value > best * (1 + tolerance) && !neverBound)) ok = false;
    }
    if (ok) return cap;
  }
  return Infinity;
}

/** Runs the sweep suite. */
export async function sweepSuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const outdir = path.join(os.tmpdir(), 'jsii-ring-bench-sweep');
  const variants = ctx.sweepHostWork.flatMap((hostWorkUs) =>
    ctx.caps.map((cap) => ({
      key: sweepKey(hostWorkUs, cap),
      run: (): Promise<AppRunResult> =>
        runAppOnce({ mode: 'ringPipelined', pendingCap: cap, hostWorkUs, outdir, scale: ctx.scale, validation: false, buildOnly: true }),
    })),
  );
  const { runs, retries } = await runSuiteVariants('sweep', variants, ctx, { warmups: 0 });
  env = finishEnvironment(env);
  return reportSweep({
    runs, retries, env, caps: ctx.caps, hostWork: ctx.sweepHostWork, repeats: ctx.repeats, resultsDir: ctx.resultsDir, chartsDir: ctx.chartsDir,
    subject: `the example app (scale ${ctx.scale})`,
    extra: { scale: ctx.scale },
  });
}

/** The key of one sweep variant. */
export function sweepKey(hostWorkUs: number, cap: number): string {
  return `${hostWorkUs}:${capKey(cap)}`;
}

/** Condenses the runs of a sweep (keyed by {@link sweepKey}) into points per host work and cap. */
export function condenseSweep(runs: ReadonlyMap<string, readonly AppRunResult[]>, caps: readonly number[], hostWork: readonly number[]): Map<number, Map<number, SweepPoint>> {
  const points = new Map<number, Map<number, SweepPoint>>();
  for (const hostWorkUs of hostWork) {
    const byCap = new Map<number, SweepPoint>();
    for (const cap of caps) {
      const build = (runs.get(sweepKey(hostWorkUs, cap)) ?? []).map((r) => r.phases.build);
      if (build.length === 0) continue;
      const med = (f: (p: (typeof build)[number]) => number): number => summarize(build.map(f)).median;
      byCap.set(cap, {
        ...roundSummary(summarize(build.map((p) => p.wallMs))),
        syncRequests: med((p) => p.syncRequests),
        pipelinedRequests: med((p) => p.pipelinedRequests),
        capWaits: med((p) => p.capWaits),
        capWaitsMax: Math.max(...build.map((p) => p.capWaits)),
        hostWaitMs: round(med((p) => p.hostWaitMs)),
        kernelBusyMs: round(med((p) => p.kernelBusyMs ?? 0)),
        overlap: round(med((p) => p.overlap ?? 0), 3),
      });
    }
    points.set(hostWorkUs, byCap);
  }
  return points;
}

/** The sweep chart: median build ms per cap, one line per host-work setting, min–max bars, the client's default cap marked. */
export function sweepChart(points: ReadonlyMap<number, ReadonlyMap<number, SweepPoint>>, caps: readonly number[], subject: string, repeats: number): string {
  const label = (c: number): string => (c === Infinity ? '∞' : String(c));
  return lineChart({
    id: 'sweep',
    title: `Build phase vs pending cap (${subject})`,
    subtitle: `median of ${repeats} run${repeats === 1 ? '' : 's'}; bars: min–max; dashed: the client's default cap`,
    categories: caps.map(label),
    series: [...points].map(([hw, byCap]) => ({
      name: `host work ${hw} µs/call`,
      values: caps.map((c) => byCap.get(c)?.median ?? null),
      spread: caps.map((c) => {
        const p = byCap.get(c);
        return p === undefined ? null : ([p.min, p.max] as const);
      }),
    })),
    markers: caps.includes(DEFAULT_PENDING_CAP) ? [{ category: label(DEFAULT_PENDING_CAP), label: `default ${label(DEFAULT_PENDING_CAP)}` }] : [],
    xLabel: 'pending cap (0 = sync)',
    yLabel: 'build phase, ms',
  });
}

/** What {@link reportSweep} needs. */
export interface SweepReportInput {
  readonly runs: ReadonlyMap<string, readonly AppRunResult[]>;
  readonly retries: readonly string[];
  readonly env: RunEnvironment;
  readonly caps: readonly number[];
  readonly hostWork: readonly number[];
  readonly repeats: number;
  readonly resultsDir: string;
  readonly chartsDir: string;
  /** What was measured, for titles and text: "the example app (scale 1)", "app.ts". */
  readonly subject: string;
  /** More top-level fields of sweep.json. */
  readonly extra?: Record<string, unknown>;
  /** Lines added to the Markdown before the environment line. */
  readonly notes?: readonly string[];
  /**
   * Explain the supported cap against the client's default (why, and why the default
   * stays): the example app's reasoning. @default true
   */
  readonly explain?: boolean;
}

/** Writes sweep.json and charts/sweep.svg and returns the Markdown section. */
export function reportSweep(input: SweepReportInput): SuiteReport {
  const { caps, hostWork, env, retries } = input;
  const points = condenseSweep(input.runs, caps, hostWork);
  const medians = new Map([...points].map(([hw, byCap]) => [hw, new Map([...byCap].map(([cap, p]) => [cap, p.median]))]));
  const waits = new Map([...points].map(([hw, byCap]) => [hw, new Map([...byCap].map(([cap, p]) => [cap, p.capWaitsMax]))]));
  const supported = supportedCap(medians, SUPPORT_TOLERANCE, waits, caps);
  const capMsOf = (hw: number): Record<string, number> | undefined => {
    const byCap = points.get(hw);
    return byCap === undefined ? undefined : Object.fromEntries([...byCap].map(([cap, p]) => [capKey(cap), p.median]));
  };
  const zero = points.get(0);
  // The first cap from which no run waited for room, per host-work setting.
  const neverBound = new Map(hostWork.map((hw) => {
    const byCap = points.get(hw);
    const positive = caps.filter((c) => c >= 1);
    const first = positive.find((_cap, i) => positive.slice(i).every((d) => byCap?.get(d)?.capWaitsMax === 0));
    return [hw, first === undefined ? undefined : capKey(first)];
  }));
  const anyPoint = [...(zero ?? [...points.values()][0] ?? new Map<number, SweepPoint>()).values()].find((p) => p.pipelinedRequests > 0);
  const syncShare = anyPoint === undefined ? NaN : anyPoint.syncRequests / (anyPoint.syncRequests + anyPoint.pipelinedRequests);
  const syncMs = zero?.get(0)?.median;
  const slowerThanSync = zero === undefined || syncMs === undefined ? [] : caps.filter((c) => c >= 1 && (zero.get(c)?.median ?? 0) > syncMs).map(capKey);

  const result = {
    environment: env,
    question: `median wall ms of the build phase of ${input.subject}, ring transport, pipelined, validation off, per pending cap`,
    subject: input.subject,
    ...input.extra,
    repeats: input.repeats,
    retries,
    caps: caps.map(capKey),
    hostWorkUs: hostWork,
    capMs: capMsOf(0),
    capMsHostWork50: capMsOf(50),
    points: Object.fromEntries([...points].map(([hw, byCap]) => [String(hw), Object.fromEntries([...byCap].map(([cap, p]) => [capKey(cap), p]))])),
    supportedCap: capKey(supported),
    supportRule: `smallest cap >= 1 that at every host-work setting is within ${SUPPORT_TOLERANCE * 100}% of the fastest cap's median or never made the host wait (no cap waits in any run, so larger caps cannot differ)`,
    clientDefaultCap: capKey(DEFAULT_PENDING_CAP),
    hostWork0SlowerThanSyncAtCaps: slowerThanSync,
  };
  const files = [writeJson(input.resultsDir, 'sweep.json', result)];
  files.push(writeChart(input.chartsDir, 'sweep.svg', sweepChart(points, caps, input.subject, input.repeats)));

  const rows = caps.map((cap) => [capKey(cap), ...hostWork.flatMap((hw) => {
    const p = points.get(hw)?.get(cap);
    return p === undefined ? ['–', '–'] : [`${fmt(p.median)} (${fmt(p.min)}–${fmt(p.max)})`, fmt(p.capWaitsMax)];
  })]);
  const markdown = [
    '### Pending-cap sweep',
    '',
    `Build phase of ${input.subject}, ring transport, validation off, a fresh kernel per run, ${input.repeats} interleaved round${input.repeats === 1 ? '' : 's'}; median ms (min–max) and the most cap waits (times the cap made the host wait for room) of any run.`,
    '',
    table(['pending cap', ...hostWork.flatMap((hw) => [`host work ${hw} µs: ms`, 'cap waits'])], rows, ['l', ...hostWork.flatMap(() => ['r', 'r'] as const)]),
    '',
    `![build phase vs pending cap](charts/sweep.svg)`,
    '',
    `Supported cap: **${capKey(supported)}** (${result.supportRule}); the client's default \`DEFAULT_PENDING_CAP\` is ${capKey(DEFAULT_PENDING_CAP)}${supported === DEFAULT_PENDING_CAP ? ', the same' : ''}. ` +
      `${fmt(syncShare * 100)} % of the build phase's requests are sync points; ` +
      hostWork.map((hw) => `at ${hw} µs host work no run waited for the cap from cap ${neverBound.get(hw) ?? '–'} on`).join(', ') + '. ' +
      (zero === undefined || syncMs === undefined ? '' : slowerThanSync.length === 0 ? 'With 0 µs host work no cap ≥ 1 was slower than sync (cap 0).' : `With 0 µs host work, caps ${slowerThanSync.join(', ')} had a higher median than sync (cap 0).`) +
      (input.explain === false ? '' : ' Why: the sync points are reads of tokens and names, so the pipeline seldom holds many requests; a larger cap then buys nothing measurable, while a smaller one reports a pipelined failure closer to its call and holds fewer requests in flight.' +
      (supported < DEFAULT_PENDING_CAP
        ? ` The default stays ${capKey(DEFAULT_PENDING_CAP)} although the rule picked ${capKey(supported)}: the caps between them are within the tolerance here, and ${capKey(DEFAULT_PENDING_CAP)} is ` +
          `${neverBound.get(0) === capKey(DEFAULT_PENDING_CAP) ? 'the smallest cap that never made the host wait in any run' : 'a cap that seldom made the host wait'}, so apps with longer pipelined runs than this one do not pace the host to the kernel.`
        : '')),
    '',
    ...(input.notes ?? []),
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
  return { id: 'sweep', markdown, files };
}
