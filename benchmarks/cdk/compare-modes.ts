/**
 * Question: how fast is the example CDK app in each mode, whole run and build phase, and
 * are the templates the same? Modes: native in-process (the floor), the reference
 * `@jsii/runtime` over stdio, our kernel over stdio, our kernel over the ring sync and
 * pipelined. Each run is a fresh child process (module caches, JIT and kernel equally
 * cold), modes alternated round by round, with CDK validation off and on.
 *
 * Before the measured rounds: one native run per validation setting produces the
 * templates every run is compared with, and one reference run packs the tarballs the
 * reference runtime needs into a fresh cache (its time is reported separately as the
 * first-run cost, not in the medians).
 *
 * Writes cdk.json, the `cdk` key of protocol.json, and charts/time-by-mode.svg.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies } from '../../examples/cdk-app/compare.js';
import { APP_MODES, MODE_LABELS } from '../research/app-run.js';
import type { AppMode, AppRunOptions, AppRunResult } from '../research/app-run.js';
import { runChild } from '../research/child.js';
import type { BenchContext, SuiteReport } from '../research/context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from '../research/environment.js';
import { Progress, interleave, interleaveSteps, retryNote, round, roundSummary, summarize } from '../research/harness.js';
import type { Summary } from '../research/harness.js';
import { breakdown, measuredBreakdown } from '../research/metrics.js';
import type { BuildTimeline, PhaseMetrics, TimeBreakdown } from '../research/metrics.js';
import { fmt, mergeJson, table, writeChart, writeJson } from '../research/output.js';
import { stackedBarChart } from '../research/svg.js';

const APP_CHILD = path.join(__dirname, '..', 'research', 'app-child.js');

/** The mode keys of protocol.json's `cdk` rows. */
const ROW_KEYS: Readonly<Record<AppMode, string>> = {
  native: 'native',
  reference: 'reference',
  stdioOurs: 'stdioOurs',
  inThread: 'inThread',
  ringSync: 'ringSync',
  ringPipelined: 'ringPipelined',
};

/** Figures of one mode at one validation setting. */
export interface ModeFigures {
  readonly buildMs: Summary;
  readonly totalMs: Summary;
  readonly processMs: Summary;
  readonly loadMs: number;
  readonly synthMs: number;
  readonly closeMs: number;
  /** Build-phase details of the median figures. */
  readonly build: {
    readonly requests: number;
    readonly syncRequests: number;
    readonly pipelinedRequests: number;
    readonly hostWaitMs: number;
    readonly hostBusyMs: number;
    readonly kernelBusyMs: number | null;
    /** Overlap lower bound, ms, and as a share of the wall time. */
    readonly overlapMs: number | null;
    readonly overlap: number | null;
    readonly readSleeps: number;
  };
  readonly synthCallbacks: number;
  /**
   * The kernel's busy time as a share of each phase's wall time (medians of the runs' shares;
   * null where the kernel's time is not visible: native, stdio). In the host thread this is
   * the part no worker could overlap with the host's own work, so it bounds a worker's phase
   * from below, as a share of the in-thread one.
   */
  readonly kernelShare: { readonly build: number | null; readonly synth: number | null; readonly whole: number | null };
  /** Heap after a full GC once the app is done, MB (medians): this thread's, the kernel worker's (ring modes). */
  readonly heap: { readonly hostMb: number | null; readonly kernelMb: number | null };
  /**
   * Where the build phase's time went, as shares of its wall time, measured in a run that
   * recorded the per-request timeline of both threads (ring modes; `measuredBreakdown`).
   */
  readonly split?: TimeBreakdown;
}

/** A measured run of a mode: its figures, the child's process time, and the comparison with native. */
export type ModeRun = AppRunResult & { readonly processMs: number; readonly identical: boolean; readonly differences: readonly string[] };
type Run = ModeRun;

/** The shares of a phase's wall time, from a run that recorded the timeline. */
export function splitShares(build: PhaseMetrics, timeline: BuildTimeline): TimeBreakdown {
  const parts = measuredBreakdown(build, timeline);
  const wall = Math.max(build.wallMs, 1e-9);
  return { hostOnly: round(parts.hostOnly / wall, 4), both: round(parts.both / wall, 4), kernelOnly: round(parts.kernelOnly / wall, 4), waiting: round(parts.waiting / wall, 4) };
}

/** Condenses the measured runs of one mode. */
export function condense(runs: readonly Run[]): ModeFigures {
  const med = (f: (r: Run) => number): number => round(summarize(runs.map(f)).median);
  const build = (f: (p: PhaseMetrics) => number): number => summarize(runs.map((r) => f(r.phases.build))).median;
  const kernelVisible = runs.every((r) => r.phases.build.kernelBusyMs !== null);
  /** Median over the runs of busy / wall, when every run saw the kernel's time. */
  const share = (busy: (r: Run) => number | null | undefined, wall: (r: Run) => number): number | null =>
    kernelVisible && runs.every((r) => busy(r) != null) ? round(summarize(runs.map((r) => (busy(r) ?? 0) / Math.max(wall(r), 1e-9))).median, 3) : null;
  return {
    buildMs: roundSummary(summarize(runs.map((r) => r.phases.build.wallMs))),
    totalMs: roundSummary(summarize(runs.map((r) => r.totalMs))),
    processMs: roundSummary(summarize(runs.map((r) => r.processMs))),
    loadMs: med((r) => r.phases.load.wallMs),
    synthMs: med((r) => r.phases.synth?.wallMs ?? 0),
    closeMs: med((r) => r.closeMs),
    build: {
      requests: build((p) => p.requests),
      syncRequests: build((p) => p.syncRequests),
      pipelinedRequests: build((p) => p.pipelinedRequests),
      hostWaitMs: round(build((p) => p.hostWaitMs)),
      hostBusyMs: round(build((p) => p.hostBusyMs)),
      kernelBusyMs: kernelVisible ? round(build((p) => p.kernelBusyMs ?? 0)) : null,
      overlapMs: kernelVisible ? round(build((p) => p.overlapMs ?? 0)) : null,
      overlap: kernelVisible ? round(build((p) => p.overlap ?? 0), 3) : null,
      readSleeps: build((p) => p.ring.readSleeps),
    },
    synthCallbacks: med((r) => r.phases.synth?.callbacks ?? 0),
    kernelShare: {
      build: share((r) => r.phases.build.kernelBusyMs, (r) => r.phases.build.wallMs),
      synth: share((r) => r.phases.synth?.kernelBusyMs, (r) => r.phases.synth?.wallMs ?? 0),
      // Load, build and synth; the whole run also holds the close, where the kernel does nothing to wait for.
      whole: share((r) => {
        const { load, build: b, synth } = r.phases;
        return load.kernelBusyMs === null || b.kernelBusyMs === null || synth?.kernelBusyMs == null ? null : load.kernelBusyMs + b.kernelBusyMs + synth.kernelBusyMs;
      }, (r) => r.totalMs),
    },
    heap: {
      hostMb: runs.every((r) => r.heap !== undefined) ? med((r) => r.heap?.hostMb ?? 0) : null,
      kernelMb: runs.every((r) => typeof r.heap?.kernelMb === 'number') ? med((r) => r.heap?.kernelMb ?? 0) : null,
    },
  };
}

/** Runs the CDK mode comparison. */
export async function cdkSuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-bench-cdk-'));
  // A fresh package cache: the reference runtime's first run packs tarballs into it.
  const childEnv = { JSII_RING_CACHE_DIR: path.join(base, 'cache') };
  const validations = [false, true];
  const retries: string[] = [];
  const options = { repeats: ctx.repeats, warmups: ctx.quick ? 0 : 1, retries };
  const variants = validations.flatMap((validation) => APP_MODES.map((mode) => ({ mode, validation, key: `${mode}:${validation ? 'on' : 'off'}` })));
  const progress = new Progress('cdk', 3 + interleaveSteps(variants.length, options) + TIMELINE_MODES.length, ctx.silent);

  const child = async (o: AppRunOptions): Promise<{ result: AppRunResult; processMs: number }> =>
    runChild<AppRunResult>(APP_CHILD, o, childEnv);
  const expected = new Map<boolean, string>();
  for (const validation of validations) {
    progress.step(`native templates to compare with (validation ${validation ? 'on' : 'off'})`);
    const outdir = path.join(base, `expected-${validation ? 'on' : 'off'}`);
    await child({ mode: 'native', outdir, scale: ctx.scale, validation });
    expected.set(validation, outdir);
  }
  progress.step('first reference run (packs tarballs into a fresh cache; not in the medians)');
  const first = await child({ mode: 'reference', outdir: path.join(base, 'first-reference'), scale: ctx.scale, validation: false });

  const runs = await interleave(variants.map((v) => ({
    key: v.key,
    run: async (): Promise<Run> => {
      const outdir = path.join(base, v.key.replace(':', '-'));
      const { result, processMs } = await child({ mode: v.mode, outdir, scale: ctx.scale, validation: v.validation });
      const comparison = compareCloudAssemblies(expected.get(v.validation) as string, outdir);
      return { ...result, processMs, identical: comparison.identical, differences: comparison.differences.slice(0, 5) };
    },
  })), { ...options, progress });
  // The split of the build phase: one more run per ring mode that records the per-request
  // timeline of both threads (not in the medians: recording costs a little).
  const splits = new Map<AppMode, TimeBreakdown>();
  for (const mode of TIMELINE_MODES) {
    progress.step(`${mode}: a run recording the timeline (the split of the build phase; not in the medians)`);
    const { result } = await child({ mode, outdir: path.join(base, `timeline-${mode}`), scale: ctx.scale, validation: false, timeline: true });
    if (result.buildTimeline !== undefined) splits.set(mode, splitShares(result.phases.build, result.buildTimeline));
  }
  env = finishEnvironment(env);
  fs.rmSync(base, { recursive: true, force: true });

  const figures = new Map<string, ModeFigures>(variants.map((v) => {
    const split = v.validation ? undefined : splits.get(v.mode);
    return [v.key, { ...condense(runs.get(v.key) ?? []), ...(split !== undefined ? { split } : {}) }];
  }));
  const all = [...runs.values()].flat();
  const identical = all.every((r) => r.identical);
  const differences = [...new Set(all.flatMap((r) => r.differences))].slice(0, 10);
  const rowsOf = (validation: 'on' | 'off', f: (m: ModeFigures) => number): Record<string, number> =>
    Object.fromEntries(APP_MODES.map((mode) => [ROW_KEYS[mode], f(figures.get(`${mode}:${validation}`) as ModeFigures)]));
  const buildMs = rowsOf('off', (m) => m.buildMs.median);
  const totalMs = rowsOf('off', (m) => m.totalMs.median);
  const ratio = (a: number | undefined, b: number | undefined): number => round((a ?? NaN) / (b ?? NaN), 3);
  const kernelHeapMb = figures.get('ringPipelined:off')?.heap.kernelMb ?? undefined;
  const nativeHeapMb = figures.get('native:off')?.heap.hostMb ?? undefined;
  const targets = {
    buildPipelinedOverNative: { value: ratio(buildMs['ringPipelined'], buildMs['native']), goal: '<= 1.3' },
    referenceOverBuildPipelined: { value: ratio(buildMs['reference'], buildMs['ringPipelined']), goal: '>= 2' },
    totalPipelinedOverNative: { value: ratio(totalMs['ringPipelined'], totalMs['native']), goal: '<= 1.15' },
    kernelHeapOverNativeHeap: { value: ratio(kernelHeapMb, nativeHeapMb), goal: '<= 1.5' },
    buildPipelinedOverInThread: { value: ratio(buildMs['ringPipelined'], buildMs['inThread']), goal: '<= 0.9' },
    totalPipelinedOverInThread: { value: ratio(totalMs['ringPipelined'], totalMs['inThread']), goal: '<= 0.9' },
    referenceOverTotalPipelined: { value: ratio(totalMs['reference'], totalMs['ringPipelined']), goal: '>= 3' },
  };
  const met = {
    buildPipelinedOverNative: targets.buildPipelinedOverNative.value <= 1.3,
    referenceOverBuildPipelined: targets.referenceOverBuildPipelined.value >= 2,
    totalPipelinedOverNative: targets.totalPipelinedOverNative.value <= 1.15,
    kernelHeapOverNativeHeap: targets.kernelHeapOverNativeHeap.value <= 1.5,
    buildPipelinedOverInThread: targets.buildPipelinedOverInThread.value <= 0.9,
    totalPipelinedOverInThread: targets.totalPipelinedOverInThread.value <= 0.9,
    referenceOverTotalPipelined: targets.referenceOverTotalPipelined.value >= 3,
  };
  const cdk = {
    buildMs,
    totalMs,
    identical,
    validationOn: { buildMs: rowsOf('on', (m) => m.buildMs.median), totalMs: rowsOf('on', (m) => m.totalMs.median) },
    heapMb: { native: nativeHeapMb ?? null, kernelPipelined: kernelHeapMb ?? null, hostPipelined: figures.get('ringPipelined:off')?.heap.hostMb ?? null },
    targets,
    met,
    referenceFirstRunMs: round(first.result.totalMs),
    scale: ctx.scale,
    repeats: ctx.repeats,
    retries,
    phases: 'build = buildApp + flush; total = load + build + synth + close, in the child process; CDK_VALIDATION=false unless validationOn',
    command: ctx.command,
    node: env.node,
    cpu: env.cpu,
    loadAverage: [env.loadAverageBefore[0], env.loadAverageAfter?.[0]],
    date: env.date,
  };
  const files = [
    writeJson(ctx.resultsDir, 'cdk.json', {
      environment: env,
      question: 'the example app in each mode: build phase and whole run, templates compared with native byte for byte',
      subject: `example app, scale ${ctx.scale}`,
      ...cdk,
      modes: Object.fromEntries(figures),
      differences,
      referenceFirstRun: { totalMs: round(first.result.totalMs), loadMs: round(first.result.phases.load.wallMs), processMs: round(first.processMs) },
    }),
    mergeJson(ctx.resultsDir, 'protocol.json', { cdk }),
  ];
  files.push(writeChart(ctx.chartsDir, 'time-by-mode.svg', timeByModeChart(figures, { subject: `example app, scale ${ctx.scale}` })));
  return { id: 'cdk', markdown: markdownOf(ctx, env, figures, cdk, differences, first.result, retries), files };
}

/** The ring modes whose build phase is split by a timeline run. */
export const TIMELINE_MODES: readonly AppMode[] = ['ringSync', 'ringPipelined'];

/**
 * The stacked bars of where the build phase's time goes in each mode (validation off):
 * `figures` keyed `<mode>:off`, as {@link cdkSuite} condenses them. A mode with a measured
 * split (ring modes) is cut by it; the others by their totals (the kernel is unseen over
 * stdio, in the same thread in-thread, absent natively, so nothing overlaps there). The
 * "host and kernel busy" part is drawn only when some mode measured it: without a timeline
 * it cannot be told from totals (their lower bound is 0 whenever the host waits longer
 * than the kernel works).
 */
export function timeByModeChart(figures: ReadonlyMap<string, ModeFigures>, { subject, modes = APP_MODES }: { subject: string; modes?: readonly AppMode[] }): string {
  const parts = modes.map((mode) => {
    const m = figures.get(`${mode}:off`);
    if (m === undefined) return undefined;
    // The shares are rounded to 4 places and may not sum to exactly 1: scaled by their sum,
    // the bar is as tall as the median build phase (to 0.1 ms per part).
    if (m.split !== undefined) return scaledTo(m.split, m.buildMs.median);
    const parts = breakdown({ wallMs: m.buildMs.median, hostBusyMs: m.build.hostBusyMs, kernelBusyMs: m.build.kernelBusyMs, overlapMs: 0 });
    // Medians of different figures (host busy, kernel busy in the host thread) need not add up
    // to the median build: scaled down to it, as the measured splits are.
    return partsSum(parts) > m.buildMs.median ? scaledTo(parts, m.buildMs.median) : parts;
  });
  const measured = modes.some((mode) => figures.get(`${mode}:off`)?.split !== undefined);
  const shown = (['hostOnly', 'both', 'kernelOnly', 'waiting'] as const).filter((part) => part !== 'both' || measured);
  return stackedBarChart({
    id: 'time-by-mode',
    title: `Where the build phase's time goes (${subject}, validation off)`,
    subtitle: measured
      ? 'median build time per mode; ring modes split by a run recording both threads\' timeline'
      : 'median build time per mode (no timeline run: the overlap of host and kernel is not shown)',
    categories: [...modes],
    series: shown.map((part) => ({
      name: PART_LABELS[part],
      colour: PART_COLOURS[part],
      values: parts.map((p) => (p === undefined ? null : round(p[part]))),
    })),
    xLabel: 'mode',
    yLabel: 'build phase, ms (median)',
  });
}

function partsSum(p: TimeBreakdown): number {
  return p.hostOnly + p.both + p.kernelOnly + p.waiting;
}

/** The parts scaled so they sum to `total` (all 0 if they sum to 0). */
function scaledTo(p: TimeBreakdown, total: number): TimeBreakdown {
  const sum = partsSum(p);
  const scale = sum > 0 ? total / sum : 0;
  return { hostOnly: p.hostOnly * scale, both: p.both * scale, kernelOnly: p.kernelOnly * scale, waiting: p.waiting * scale };
}

/** Each part's colour, the same whether or not the overlap part is drawn. */
const PART_COLOURS = { hostOnly: '#0072B2', both: '#E69F00', kernelOnly: '#009E73', waiting: '#D55E00' } as const;

/** The parts of a bar, as the legend names them. */
export const PART_LABELS = {
  hostOnly: 'host busy, kernel idle',
  both: 'host and kernel busy',
  kernelOnly: 'kernel busy, host waits',
  waiting: 'host waits, kernel idle/unseen',
} as const;

/** The measured splits of the ring modes, in words. */
function splitLine(figures: ReadonlyMap<string, ModeFigures>): string {
  const parts = TIMELINE_MODES.map((mode) => {
    const split = figures.get(`${mode}:off`)?.split;
    return split === undefined ? undefined : `${MODE_LABELS[mode]}: host and kernel busy at once ${fmt(split.both * 100, 1)} % of the build, kernel busy while the host waits ${fmt(split.kernelOnly * 100, 1)} %, host busy alone ${fmt(split.hostOnly * 100, 1)} %, host waiting on an idle kernel ${fmt(split.waiting * 100, 1)} %`;
  }).filter((x): x is string => x !== undefined);
  return parts.length === 0 ? '' : `Timeline runs (validation off): ${parts.join('; ')}.`;
}

/** What the heaps held once the app was done (validation off). */
function heapLine(figures: ReadonlyMap<string, ModeFigures>): string {
  const native = figures.get('native:off')?.heap.hostMb ?? null;
  const parts = (['ringSync', 'ringPipelined'] as const).map((mode) => {
    const h = (figures.get(`${mode}:off`) as ModeFigures).heap;
    return `${MODE_LABELS[mode]}: kernel worker ${fmt(h.kernelMb, 1)} MB${native !== null && h.kernelMb !== null ? ` (${fmt(h.kernelMb / native, 2)}× native)` : ''}, host thread ${fmt(h.hostMb, 1)} MB`;
  });
  return `Heap in use after a full GC once the app is done, before close (validation off, medians): native ${fmt(native, 1)} MB; ${parts.join('; ')}. ` +
    'Taken after the timed phases (process ms includes it); each isolate\'s own `v8.getHeapStatistics()`, the kernel\'s through `KernelClient.kernelHeap()`.';
}

/**
 * What the in-thread kernel's busy share says a worker could reach at best (validation off):
 * a worker's phase lasts at least as long as its kernel works, and the kernel's work is the
 * same in both (the in-thread figure also holds the host's garbage collections that run
 * inside kernel calls, so the bound is a little low, never high).
 */
export function boundLine(figures: ReadonlyMap<string, ModeFigures>): string {
  const inThread = figures.get('inThread:off');
  const pipelined = figures.get('ringPipelined:off');
  if (inThread === undefined || inThread.kernelShare.build === null) return '';
  const { build, synth, whole } = inThread.kernelShare;
  const synthMs = synth === null ? null : synth * inThread.synthMs;
  return `The least a worker could take (validation off): in the host thread the kernel was busy ${fmt(build * 100, 1)} % of the build phase ` +
    `(${fmt(inThread.build.kernelBusyMs)} of ${fmt(inThread.buildMs.median)} ms, medians)${synth === null ? '' : ` and ${fmt(synth * 100, 1)} % of the synth phase (callbacks included: the kernel waits for them in a worker too)`}. ` +
    `The rest is the host's own work (bindings, the app's code), the only part a worker can run beside the kernel; so with every crossing free and all of that overlapped, ` +
    `a worker's build would still take ${fmt(build, 2)}× the in-thread build${synthMs === null ? '' : `, and its synth phase ${fmt(synth ?? 0, 2)}× the in-thread one`}` +
    `${whole === null ? '' : `; its whole run (load, build and synth) ${fmt(whole, 2)}× the in-thread whole run`}.` +
    (pipelined?.kernelShare.build != null ? ` Through the worker, pipelined, its kernel was busy ${fmt(pipelined.kernelShare.build * 100, 1)} % of the build phase.` : '');
}

/** The section of RESULTS.md. */
function markdownOf(
  ctx: BenchContext,
  env: ReturnType<typeof finishEnvironment>,
  figures: ReadonlyMap<string, ModeFigures>,
  cdk: { targets: Record<string, { value: number; goal: string }>; met: Record<string, boolean>; identical: boolean },
  differences: readonly string[],
  first: AppRunResult,
  retries: readonly string[],
): string {
  const identical = cdk.identical;
  const rows = (validation: 'on' | 'off'): (string | number)[][] => APP_MODES.map((mode) => {
    const m = figures.get(`${mode}:${validation}`) as ModeFigures;
    const native = figures.get(`native:${validation}`) as ModeFigures;
    return [
      MODE_LABELS[mode],
      `${fmt(m.buildMs.median)} (${fmt(m.buildMs.min)}–${fmt(m.buildMs.max)})`,
      `${fmt(m.buildMs.median / native.buildMs.median, 2)}×`,
      `${fmt(m.totalMs.median)} (${fmt(m.totalMs.min)}–${fmt(m.totalMs.max)})`,
      `${fmt(m.totalMs.median / native.totalMs.median, 2)}×`,
      fmt(m.loadMs), fmt(m.synthMs), fmt(m.processMs.median),
      m.build.requests === 0 ? '–' : `${fmt(m.build.pipelinedRequests)} / ${fmt(m.build.syncRequests)}`,
    ];
  });
  const header = ['mode', 'build ms', 'build / native', 'whole run ms', 'whole / native', 'load ms', 'synth ms', 'process ms', 'build calls pipelined / sync'];
  const align = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'] as const;
  const t = cdk.targets;
  const yes = (b: boolean | undefined): string => (b === true ? 'yes' : '**no**');
  return [
    '## CDK example app: modes compared',
    '',
    `The example app (scale ${ctx.scale}) in each mode, each run a fresh child process, modes alternated, ${ctx.repeats} rounds${ctx.quick ? '' : ' after one warm-up round'}, median (min–max). ` +
      'Build = `buildApp(...)` then a flush (a pipelined run is timed until the kernel has caught up); whole run = load + build + synth + close inside the child; process = spawn to exit.',
    '',
    '**Validation off** (`CDK_VALIDATION=false`):',
    '',
    table(header, rows('off'), align),
    '',
    '**Validation on** (the library checks every template with its WASM checker during synth):',
    '',
    table(header, rows('on'), align),
    '',
    '![where the build phase time goes](charts/time-by-mode.svg)',
    '',
    'The bars split the build phase: host busy while the kernel is idle, both busy, kernel busy while the host waits, and the host waiting with the kernel idle (wake-ups and transport). The ring modes are split by one more run of each that records when every request was issued, picked up, served and answered on both threads (`KernelClientOptions.timeline`; not in the medians): the kernel\'s busy time outside the host\'s waits is the overlap. Over stdio the kernel\'s time is not visible, so it is part of the host\'s wait; in-thread and native, nothing runs beside the host.',
    '',
    splitLine(figures),
    '',
    heapLine(figures),
    '',
    boundLine(figures),
    '',
    ...(['ringSync', 'ringPipelined'] as const).map((mode) => {
      const b = (figures.get(`${mode}:off`) as ModeFigures).build;
      const beyond = b.kernelBusyMs === null || b.syncRequests === 0 ? null : ((b.hostWaitMs - b.kernelBusyMs) * 1000) / b.syncRequests;
      return `- ${MODE_LABELS[mode]}: the host waited ${fmt(b.hostWaitMs)} ms while the kernel was busy ${fmt(b.kernelBusyMs)} ms, i.e. ${fmt(beyond, 1)} µs per sync request beyond the kernel's own time; it went to sleep on ${fmt(b.readSleeps)} of its ${fmt(b.syncRequests)} sync requests (ring counters).`;
    }),
    '',
    table(['target (validation off)', 'measured', 'goal', 'met'], [
      ['build phase, pipelined / native', `${fmt(t['buildPipelinedOverNative']?.value, 2)}×`, '≤ 1.3×', yes(cdk.met['buildPipelinedOverNative'])],
      ['build phase, reference / pipelined', `${fmt(t['referenceOverBuildPipelined']?.value, 2)}×`, '≥ 2×', yes(cdk.met['referenceOverBuildPipelined'])],
      ['whole run, pipelined / native', `${fmt(t['totalPipelinedOverNative']?.value, 2)}×`, '≤ 1.15×', yes(cdk.met['totalPipelinedOverNative'])],
      ['build phase, pipelined over the ring / our kernel in the host thread', `${fmt(t['buildPipelinedOverInThread']?.value, 2)}×`, '≤ 0.9×', yes(cdk.met['buildPipelinedOverInThread'])],
      ['whole run, pipelined over the ring / our kernel in the host thread', `${fmt(t['totalPipelinedOverInThread']?.value, 2)}×`, '≤ 0.9×', yes(cdk.met['totalPipelinedOverInThread'])],
      ['whole run, reference / pipelined', `${fmt(t['referenceOverTotalPipelined']?.value, 2)}×`, '≥ 3×', yes(cdk.met['referenceOverTotalPipelined'])],
      ['kernel worker heap / native heap (after a full GC, app done)', `${fmt(t['kernelHeapOverNativeHeap']?.value, 2)}×`, '≤ 1.5×', yes(cdk.met['kernelHeapOverNativeHeap'])],
      ['templates byte-identical to native (every run, both settings)', identical ? 'yes' : 'no', 'yes', yes(identical)],
    ], ['l', 'r', 'l', 'l']),
    '',
    `${identical ? '' : `Differences: ${differences.join('; ')}. `}The reference runtime loads packages by tarball: its first run, which packs them into an empty cache, took ${fmt(first.totalMs)} ms (load ${fmt(first.phases.load.wallMs)} ms) and is not in the medians. Raw figures: [\`results/cdk.json\`](results/cdk.json); the \`cdk\` key of [\`results/protocol.json\`](results/protocol.json).`,
    '',
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
}
