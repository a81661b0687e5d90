/**
 * Question: how much of the host's and the kernel's work does pipelining overlap, and how
 * close does it come to the ideal? The example app's build phase, ring sync vs ring
 * pipelined (default cap), at several host-work settings, plus the "equal work" setting:
 * host work per call equal to the measured mean kernel time per call (from the sync runs
 * at 0 µs), where the ideal speed-up approaches 2× as far as sync points allow.
 *
 * Writes overlap.json: per setting the speed-up of pipelined over sync, the ideal for that
 * setting (metrics.ts `idealSpeedup`), how close the pipeline came, and `equalWork`.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_PENDING_CAP } from '../../lib/host/options.js';
import { runAppOnce } from './app-run.js';
import type { AppRunResult } from './app-run.js';
import type { BenchContext, SuiteReport } from './context.js';
import type { RunEnvironment } from './environment.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import { Progress, interleave, interleaveSteps, retryNote, round, summarize } from './harness.js';
import { idealSpeedup } from './metrics.js';
import { scheduleIdeal } from './schedule.js';
import type { ScheduleIdeal } from './schedule.js';
import type { PhaseMetrics } from './metrics.js';
import { fmt, table, writeJson } from './output.js';

/** Figures of one host-work setting. */
export interface OverlapSetting {
  readonly hostWorkUs: number;
  readonly syncMs: number;
  readonly pipelinedMs: number;
  readonly syncRange: readonly [number, number];
  readonly pipelinedRange: readonly [number, number];
  /** syncMs / pipelinedMs. */
  readonly speedup: number;
  /** The ideal speed-up for this setting from totals and the sync-point count (metrics.ts). */
  readonly ideal: number;
  /** speedup / ideal. */
  readonly ofIdeal: number;
  /** The per-request ideal (schedule.ts): the same stream with each request's own times. */
  readonly idealSchedule: number | null;
  /** speedup / idealSchedule. */
  readonly ofIdealSchedule: number | null;
  /** The simulated pipelined time of the per-request ideal, ms (no transport cost). */
  readonly idealPipelinedMs: number | null;
  /** idealPipelinedMs / pipelinedMs: how close the real pipeline comes to that schedule. */
  readonly pipelineEfficiency: number | null;
  /** (speedup − 1) / (ideal − 1): the share of the possible gain obtained. */
  readonly shareOfGain: number | null;
  /** Host and kernel busy time in the sync runs (the inputs of the ideal). */
  readonly hostBusyMs: number;
  readonly kernelBusyMs: number;
  /** Kernel busy time in the pipelined runs (more than in sync runs when the threads compete for cores). */
  readonly pipelinedKernelBusyMs: number;
  /** Share of requests that are sync points in the pipelined runs. */
  readonly syncShare: number;
  /** Overlap figure (lower bound of host busy ∩ kernel busy) / wall of the pipelined runs. */
  readonly overlap: number;
  readonly requests: number;
}

const medianOf = (phases: readonly PhaseMetrics[], f: (p: PhaseMetrics) => number): number => summarize(phases.map(f)).median;

/** Condenses the sync and pipelined runs of one setting (runs paired by round). */
export function condenseSetting(hostWorkUs: number, syncRuns: readonly AppRunResult[], pipelinedRuns: readonly AppRunResult[]): OverlapSetting {
  const sync = syncRuns.map((r) => r.phases.build);
  const pipelined = pipelinedRuns.map((r) => r.phases.build);
  const schedules = syncRuns
    .map((r, i) => {
      const p = pipelinedRuns[i];
      return r.buildTrace !== undefined && p?.buildTrace !== undefined ? scheduleIdeal(r.buildTrace, p.buildTrace) : null;
    })
    .filter((x): x is ScheduleIdeal => x !== null);
  const idealSchedule = schedules.length > 0 ? summarize(schedules.map((x) => x.speedup)).median : null;
  const idealPipelinedMs = schedules.length > 0 ? summarize(schedules.map((x) => x.idealMs)).median : null;
  const s = summarize(sync.map((p) => p.wallMs));
  const p = summarize(pipelined.map((x) => x.wallMs));
  const hostBusyMs = medianOf(sync, (x) => x.hostBusyMs);
  const kernelBusyMs = medianOf(sync, (x) => x.kernelBusyMs ?? 0);
  const syncShare = medianOf(pipelined, (x) => (x.requests > 0 ? x.syncRequests / x.requests : 1));
  const speedup = s.median / p.median;
  const ideal = idealSpeedup(hostBusyMs, kernelBusyMs, syncShare);
  return {
    hostWorkUs,
    syncMs: round(s.median),
    pipelinedMs: round(p.median),
    syncRange: [round(s.min), round(s.max)],
    pipelinedRange: [round(p.min), round(p.max)],
    speedup: round(speedup, 3),
    ideal: round(ideal, 3),
    ofIdeal: round(speedup / ideal, 3),
    idealSchedule: idealSchedule === null ? null : round(idealSchedule, 3),
    ofIdealSchedule: idealSchedule === null ? null : round(speedup / idealSchedule, 3),
    idealPipelinedMs: idealPipelinedMs === null ? null : round(idealPipelinedMs),
    pipelineEfficiency: idealPipelinedMs === null ? null : round(idealPipelinedMs / p.median, 3),
    shareOfGain: ideal > 1.001 ? round((speedup - 1) / (ideal - 1), 3) : null,
    hostBusyMs: round(hostBusyMs),
    kernelBusyMs: round(kernelBusyMs),
    pipelinedKernelBusyMs: round(medianOf(pipelined, (x) => x.kernelBusyMs ?? 0)),
    syncShare: round(syncShare, 3),
    overlap: round(medianOf(pipelined, (x) => x.overlap ?? 0), 3),
    requests: medianOf(pipelined, (x) => x.requests),
  };
}

/** Runs the overlap (host work) suite. */
export async function overlapSuite(ctx: BenchContext): Promise<SuiteReport> {
  const outdir = path.join(os.tmpdir(), 'jsii-ring-bench-overlap');
  return measureOverlap({
    run: (mode, hostWorkUs) => runAppOnce({ mode, hostWorkUs, outdir, scale: ctx.scale, validation: false, buildOnly: true, trace: true }),
    hostWork: ctx.hostWork, repeats: ctx.repeats, silent: ctx.silent, command: ctx.command, resultsDir: ctx.resultsDir,
    subject: `the example app (scale ${ctx.scale})`,
    extra: { scale: ctx.scale },
  });
}

/** What {@link measureOverlap} needs. */
export interface OverlapInput {
  /** One measured run (build phase traced) in a mode at a host-work setting. */
  readonly run: (mode: 'ringSync' | 'ringPipelined', hostWorkUs: number) => Promise<AppRunResult>;
  readonly hostWork: readonly number[];
  readonly repeats: number;
  readonly silent: boolean;
  readonly command: string;
  readonly resultsDir: string;
  /** The pending cap of the pipelined runs. @default DEFAULT_PENDING_CAP */
  readonly pendingCap?: number;
  /** What was measured, for the text: "the example app (scale 1)", "app.ts". */
  readonly subject: string;
  /** More top-level fields of overlap.json. */
  readonly extra?: Record<string, unknown>;
  /** Lines added to the Markdown before the environment line. */
  readonly notes?: readonly string[];
  /** Called with every run (the user's app suites compare its output with native). */
  readonly check?: (result: AppRunResult) => void;
}

/**
 * The overlap study on any subject: sync vs pipelined at every host-work setting, then the
 * equal-work setting calibrated from the 0 µs sync runs; writes overlap.json.
 */
export async function measureOverlap(input: OverlapInput): Promise<SuiteReport> {
  let env: RunEnvironment = startEnvironment(input.command);
  const run = (mode: 'ringSync' | 'ringPipelined', hostWorkUs: number) => async (): Promise<AppRunResult> => {
    const result = await input.run(mode, hostWorkUs);
    input.check?.(result);
    return result;
  };
  const settings = [...new Set([0, ...input.hostWork])];
  const retries: string[] = [];
  const options = { repeats: input.repeats, warmups: 0, retries };
  // Two passes: the fixed settings first, whose 0 µs sync runs calibrate the kernel's mean
  // time per call; then the equal-work setting at that figure.
  const progress = new Progress('overlap', interleaveSteps(settings.length * 2 + 2, options), input.silent);
  const fixed = await interleave(settings.flatMap((hw) => [
    { key: `ringSync:${hw}`, run: run('ringSync', hw) },
    { key: `ringPipelined:${hw}`, run: run('ringPipelined', hw) },
  ]), { ...options, progress });
  const build = (key: string, source: Map<string, AppRunResult[]>): PhaseMetrics[] => (source.get(key) ?? []).map((r) => r.phases.build);
  const runsOf = (key: string, source: Map<string, AppRunResult[]>): AppRunResult[] => source.get(key) ?? [];
  const calibration = build('ringSync:0', fixed);
  const kernelUsPerCall = medianOf(calibration, (p) => ((p.kernelBusyMs ?? 0) * 1000) / Math.max(1, p.requests));
  const equalUs = Math.max(1, Math.round(kernelUsPerCall));
  progress.note(`mean kernel time per call (sync, 0 µs host work): ${kernelUsPerCall.toFixed(1)} µs; equal-work setting: ${equalUs} µs`);
  const equal = await interleave([
    { key: `ringSync:${equalUs}`, run: run('ringSync', equalUs) },
    { key: `ringPipelined:${equalUs}`, run: run('ringPipelined', equalUs) },
  ], { ...options, progress });
  env = finishEnvironment(env);

  const rows = settings.map((hw) => condenseSetting(hw, runsOf(`ringSync:${hw}`, fixed), runsOf(`ringPipelined:${hw}`, fixed)));
  const equalWork = condenseSetting(equalUs, runsOf(`ringSync:${equalUs}`, equal), runsOf(`ringPipelined:${equalUs}`, equal));
  const target = 1.5;
  const result = {
    environment: env,
    question: `speed-up of ring pipelined over ring sync on the build phase of ${input.subject} (validation off) with simulated host work per call, vs the ideal for each setting`,
    idealModel: 'ideal = (H + K) / (max(H, K(1 - f)) + K f): H, K = host and kernel busy ms of the sync runs, f = share of requests that are sync points in the pipelined runs (an upper bound)',
    idealScheduleModel: 'idealSchedule = (sum h + sum k) / T: h, k = host busy after and kernel time of each request in the sync run, T = the two-resource schedule of the same stream with the pipelined run\'s sync points and no transport cost (schedule.ts; median over rounds)',
    overlapFigure: 'max(0, host busy + kernel busy - wall) / wall of the pipelined runs (a lower bound of (host busy ∩ kernel busy) / wall)',
    ...input.extra,
    repeats: input.repeats,
    retries,
    pendingCap: input.pendingCap ?? DEFAULT_PENDING_CAP,
    kernelUsPerCall: round(kernelUsPerCall, 1),
    settings: Object.fromEntries(rows.map((r) => [String(r.hostWorkUs), r])),
    equalWork: { ...equalWork, target: `pipelined >= ${target}x faster than sync`, met: equalWork.speedup >= target },
  };
  const files = [writeJson(input.resultsDir, 'overlap.json', result)];

  const line = (r: OverlapSetting, label: string): (string | number)[] => [
    label, fmt(r.syncMs), fmt(r.pipelinedMs), `${fmt(r.speedup, 2)}×`, `${fmt(r.ideal, 2)}×`, `${fmt(r.ofIdeal * 100)} %`,
    r.idealSchedule === null ? '–' : `${fmt(r.idealSchedule, 2)}×`, fmt(r.idealPipelinedMs), r.pipelineEfficiency === null ? '–' : `${fmt(r.pipelineEfficiency * 100)} %`,
    `${fmt(r.overlap * 100)} %`, `${fmt(r.syncShare * 100)} %`, `${fmt(r.kernelBusyMs)} / ${fmt(r.pipelinedKernelBusyMs)}`,
  ];
  const markdown = [
    '### Simulated host work and overlap',
    '',
    `Build phase of ${input.subject}, ring transport, validation off, fresh kernel per run, ${input.repeats} interleaved rounds, medians. Host work is a busy spin after every request the client issues. ` +
      `Mean kernel time per call (sync, no host work): **${fmt(kernelUsPerCall, 1)} µs**, so the equal-work setting spends ${equalUs} µs per call on the host.`,
    '',
    table(
      ['host work per call', 'sync ms', 'pipelined ms', 'speed-up', 'ideal (totals)', 'of ideal', 'ideal (per request)', 'ideal pipelined ms', 'ideal ms / pipelined ms', 'overlap / wall', 'sync share', 'kernel busy ms sync / pipelined'],
      [...rows.map((r) => line(r, `${r.hostWorkUs} µs`)), line(equalWork, `**${equalUs} µs (equal work)**`)],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    'The ideals compare work only: the measured sync runs also pay a transport round trip per request, which pipelining saves too, so a measured speed-up can exceed them; the last-but-three column compares the pipelined run with the ideal schedule directly.',
    '',
    `Ideal (totals): ${result.idealModel}. Ideal (per request): ${result.idealScheduleModel}. Overlap: ${result.overlapFigure}. ` +
      `Target at equal work: pipelined ≥ ${target}× faster than sync — ${result.equalWork.met ? '**met**' : '**not met**'} (${fmt(equalWork.speedup, 2)}×; the ideal for this setting is ${fmt(equalWork.ideal, 2)}× from totals, ${equalWork.idealSchedule === null ? '–' : `${fmt(equalWork.idealSchedule, 2)}×`} per request).`,
    '',
    ...(input.notes ?? []),
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
  return { id: 'overlap', markdown, files };
}
