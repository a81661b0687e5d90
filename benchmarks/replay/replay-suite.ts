/**
 * Question: how fast is our kernel itself, without host, bindings or transport? The
 * example app's request stream is recorded once (bindings on a `DirectConnection`), then
 * replayed straight into a fresh kernel in one thread and compared with the same app run
 * natively (plain `aws-cdk-lib` calls). Every run is a fresh process; native and replay
 * runs alternate. One verified replay first checks every response and the templates
 * against the recording (not timed).
 *
 * Writes replay.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies } from '../../examples/cdk-app/compare.js';
import { KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';
import type { AppRunResult } from '../research/app-run.js';
import { runChild } from '../research/child.js';
import type { BenchContext, SuiteReport } from '../research/context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from '../research/environment.js';
import { BenchmarkError } from '../research/errors.js';
import { Progress, interleave, interleaveSteps, retryNote, round, summarize } from '../research/harness.js';
import { fmt, table, writeJson } from '../research/output.js';
import type { ConnectionReplayResult, RecordResult, ReplayChildConfig, ReplayConnection } from './child.js';
import { SEED_PRELOAD } from './child.js';
import type { TimelineSummary } from '../../lib/transports/timeline.js';
import type { ReplayTimings } from './replayer.js';

const REPLAY_CHILD = path.join(__dirname, 'child.js');
const APP_CHILD = path.join(__dirname, '..', 'research', 'app-child.js');

/** The replay target: build phase ≤ this × native. */
export const REPLAY_TARGET = 1.3;

/**
 * The replay alone and beside a busy thread of the same process (what a host spinning for
 * answers is to the kernel), at the JIT policy's interrupt budget and at V8's own. `replay`
 * is the one compared with native.
 */
const CONTENTION_VARIANTS = [
  { key: 'replay', label: 'alone', busySibling: false, interruptBudget: KERNEL_INTERRUPT_BUDGET },
  { key: 'replay-busy', label: 'beside a busy thread', busySibling: true, interruptBudget: KERNEL_INTERRUPT_BUDGET },
  { key: 'replay-v8', label: 'alone', busySibling: false, interruptBudget: V8_DEFAULT_INTERRUPT_BUDGET },
  { key: 'replay-v8-busy', label: 'beside a busy thread', busySibling: true, interruptBudget: V8_DEFAULT_INTERRUPT_BUDGET },
] as const;

/**
 * The same stream replayed through each connection (no bindings, no app code between
 * requests): what the connection itself costs per request, against the kernel replay above.
 */
const CONNECTION_VARIANTS = [
  { key: 'through-direct', connection: 'direct', label: 'through `DirectConnection` (our kernel in this thread)' },
  { key: 'through-ring', connection: 'ring', label: 'through the ring to the worker, pipelined as recorded' },
  { key: 'through-ring-sync', connection: 'ring-sync', label: 'through the ring to the worker, every request waited for' },
] as const satisfies readonly { key: string; connection: ReplayConnection; label: string }[];

interface PhaseTimes {
  readonly loadMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  /** Ring replays: where the build phase went (the timeline of both threads). */
  readonly buildTimeline?: TimelineSummary;
}

/** Runs the replay suite. */
export async function replaySuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-bench-replay-'));
  const transcript = path.join(base, 'transcript.v8');
  const recorded = path.join(base, 'recorded');
  const retries: string[] = [];
  const options = { repeats: ctx.repeats, warmups: ctx.quick ? 0 : 1, retries };
  const progress = new Progress('replay', 2 + interleaveSteps(1 + CONTENTION_VARIANTS.length + CONNECTION_VARIANTS.length, options), ctx.silent);

  progress.step('record the example app (bindings on a DirectConnection)');
  const record = (await runChild<RecordResult>(REPLAY_CHILD, { task: 'record', outdir: recorded, scale: ctx.scale, transcript } satisfies ReplayChildConfig)).result;
  const keep = path.join(base, 'recorded-templates');
  fs.cpSync(recorded, keep, { recursive: true });
  progress.step('verified replay (every response compared; not timed)');
  const verified = (await runChild<ReplayTimings>(REPLAY_CHILD, { task: 'replay', outdir: recorded, transcript, verify: true } satisfies ReplayChildConfig)).result;
  const comparison = compareCloudAssemblies(keep, recorded);
  if (verified.verified !== record.requests || !comparison.identical) {
    throw new BenchmarkError(`The replay does not reproduce the recording (${verified.verified}/${record.requests} responses verified; ${comparison.differences.slice(0, 3).join('; ')})`);
  }

  const runs = await interleave<PhaseTimes>([
    {
      key: 'native',
      run: async () => {
        const r = (await runChild<AppRunResult>(APP_CHILD, { mode: 'native', outdir: path.join(base, 'native'), scale: ctx.scale, validation: false })).result;
        const synthMs = r.phases.synth?.wallMs ?? 0;
        return { loadMs: r.phases.load.wallMs, buildMs: r.phases.build.wallMs, synthMs, totalMs: r.phases.load.wallMs + r.phases.build.wallMs + synthMs };
      },
    },
    ...CONTENTION_VARIANTS.map((v) => ({
      key: v.key,
      run: async (): Promise<PhaseTimes> => {
        const config: ReplayChildConfig = { task: 'replay', outdir: recorded, transcript, verify: false, busySibling: v.busySibling, interruptBudget: v.interruptBudget };
        const r = (await runChild<ReplayTimings>(REPLAY_CHILD, config)).result;
        return { loadMs: r.kernelMs + r.phases.load, buildMs: r.phases.build, synthMs: r.phases.synth, totalMs: r.totalMs };
      },
    })),
    ...CONNECTION_VARIANTS.map((v) => ({
      key: v.key,
      run: async (): Promise<PhaseTimes> => {
        const config: ReplayChildConfig = { task: 'replay', outdir: recorded, transcript, verify: false, connection: v.connection };
        // Worker threads run the process's preloads: the kernel's thread is seeded too.
        const r = (await runChild<ConnectionReplayResult>(REPLAY_CHILD, config, {}, ['--require', SEED_PRELOAD])).result;
        return { loadMs: r.phases.load, buildMs: r.phases.build, synthMs: r.phases.synth, totalMs: r.totalMs, ...(r.buildTimeline !== undefined ? { buildTimeline: r.buildTimeline } : {}) };
      },
    })),
  ], { ...options, progress });
  env = finishEnvironment(env);
  fs.rmSync(base, { recursive: true, force: true });

  const summary = (key: string, f: (t: PhaseTimes) => number): { median: number; min: number; max: number } => {
    const s = summarize((runs.get(key) ?? []).map(f));
    return { median: round(s.median), min: round(s.min), max: round(s.max) };
  };
  const phases = ['loadMs', 'buildMs', 'synthMs', 'totalMs'] as const;
  const native = Object.fromEntries(phases.map((p) => [p, summary('native', (t) => t[p])]));
  const replay = Object.fromEntries(phases.map((p) => [p, summary('replay', (t) => t[p])]));
  const ratio = (p: (typeof phases)[number]): number => round((replay[p]?.median ?? NaN) / (native[p]?.median ?? NaN), 3);
  const buildRatio = ratio('buildMs');
  const timelines = new Map(CONNECTION_VARIANTS.map((v) => [v.key, medianTimeline(runs.get(v.key) ?? [])]));
  const reference = referenceRatio(ctx.resultsDir);
  const ringKernel = ringKernelBusy(ctx.resultsDir);
  const result = {
    environment: env,
    question: 'the example app request stream replayed straight into a fresh kernel in one thread, vs the same app run natively (validation off)',
    scale: ctx.scale,
    repeats: ctx.repeats,
    retries,
    nativeMs: native,
    replayMs: replay,
    ratio: { load: ratio('loadMs'), build: buildRatio, synth: ratio('synthMs'), total: ratio('totalMs') },
    requests: record.requests,
    requestsByPhase: record.requestsByPhase,
    callbacks: record.callbacks,
    transcriptBytes: record.bytes,
    verifiedResponses: verified.verified,
    templatesIdentical: comparison.identical,
    target: `replay build <= ${REPLAY_TARGET}x native`,
    met: buildRatio <= REPLAY_TARGET,
    referenceBuildOverNative: reference,
    ringSyncKernelBusyBuildMs: ringKernel,
    contention: Object.fromEntries(CONTENTION_VARIANTS.map((v) => [v.key, {
      busySibling: v.busySibling, interruptBudget: v.interruptBudget, buildMs: summary(v.key, (t) => t.buildMs), synthMs: summary(v.key, (t) => t.synthMs),
    }])),
    connections: Object.fromEntries(CONNECTION_VARIANTS.map((v) => [v.key, {
      connection: v.connection,
      buildMs: summary(v.key, (t) => t.buildMs),
      synthMs: summary(v.key, (t) => t.synthMs),
      totalMs: summary(v.key, (t) => t.totalMs),
      buildTimeline: timelines.get(v.key) ?? null,
    }])),
  };
  const files = [writeJson(ctx.resultsDir, 'replay.json', result)];
  const row = (label: string, p: (typeof phases)[number]): string[] => [
    label, `${fmt(native[p]?.median)} (${fmt(native[p]?.min)}–${fmt(native[p]?.max)})`, `${fmt(replay[p]?.median)} (${fmt(replay[p]?.min)}–${fmt(replay[p]?.max)})`, `${fmt(ratio(p), 2)}×`,
  ];
  const markdown = [
    '## Kernel request replay',
    '',
    `The example app (scale ${ctx.scale}, validation off) recorded once through the bindings on a \`DirectConnection\`: ${fmt(record.requests)} requests (load ${fmt(record.requestsByPhase['load'])}, build ${fmt(record.requestsByPhase['build'])}, synth ${fmt(record.requestsByPhase['synth'])}) and ${fmt(record.callbacks)} callbacks with the host's answers. ` +
      `Replayed straight into a fresh \`Kernel\` in one thread (no bindings, no transport; a callback returns the recorded answer after serving the requests the host made inside it), and compared with the app run natively, both under the JIT policy (interrupt budget ${fmt(KERNEL_INTERRUPT_BUDGET)}). Each run a fresh process, native and replay variants alternated, ${ctx.repeats} rounds${ctx.quick ? '' : ' after a warm-up round'}, median (min–max). ` +
      `A verified replay matched all ${fmt(verified.verified)} responses and produced byte-identical templates. Both record and replay seed \`Math.random\` (the library starts its token counter at a random number, and the host passes token strings back).`,
    '',
    table(['phase', 'native ms', 'kernel replay ms', 'replay / native'], [
      row('load (native: require; replay: kernel + load requests)', 'loadMs'),
      row('build', 'buildMs'),
      row('synth', 'synthMs'),
      row('whole', 'totalMs'),
    ], ['l', 'r', 'r', 'r']),
    '',
    `Target: kernel replay of the build phase ≤ ${REPLAY_TARGET}× native — ${result.met ? '**met**' : '**not met**'} (${fmt(buildRatio, 2)}×).` +
      (reference !== null ? ` For comparison, the reference runtime's build phase over stdio took ${fmt(reference, 2)}× native in the CDK comparison (results/cdk.json).` : '') +
      (ringKernel !== null
        ? ` There, the kernel thread of a ring sync run was busy ${fmt(ringKernel)} ms serving the same ${fmt(record.requestsByPhase['build'])} build requests that take ${fmt(replay['buildMs']?.median)} ms here: ${fmt(((ringKernel - (replay['buildMs']?.median ?? 0)) * 1000) / Math.max(1, record.requestsByPhase['build'] ?? 1), 1)} µs more per request in the worker than in one thread. The busy figure covers dispatch and writing the response (not waiting, not decoding), so that difference is encoding and running colder after every wake-up, and, on a shared machine, competing for a core.`
        : ''),
    '',
    'The same replay beside a thread of the same process that never waits (a worker in a busy loop: what a host spinning for answers is to the kernel), ' +
      `at the JIT policy's interrupt budget (${fmt(KERNEL_INTERRUPT_BUDGET)}, lib/host/jit-policy.ts) and at V8's own (${fmt(V8_DEFAULT_INTERRUPT_BUDGET)}); the busy thread costs the kernel the second core, which V8 uses for optimizing compiles and concurrent GC:`,
    '',
    table(['interrupt budget', 'replay', 'build ms', 'synth ms', 'build vs alone'], CONTENTION_VARIANTS.map((v) => {
      const build = summary(v.key, (t) => t.buildMs);
      const alone = summary(v.key.replace('-busy', ''), (t) => t.buildMs);
      return [fmt(v.interruptBudget), v.label, `${fmt(build.median)} (${fmt(build.min)}–${fmt(build.max)})`, fmt(summary(v.key, (t) => t.synthMs).median), `${fmt(round(build.median / alone.median, 3), 2)}×`];
    }), ['r', 'l', 'r', 'r', 'r']),
    '',
    ...connectionSection(timelines, replay['buildMs']?.median ?? NaN, record.requestsByPhase['build'] ?? 0, summary),
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
  return { id: 'replay', markdown, files };
}

type Summary = (key: string, f: (t: PhaseTimes) => number) => { median: number; min: number; max: number };

/** Median of each field of the ring runs' build-phase timelines. */
function medianTimeline(runs: readonly PhaseTimes[]): Record<string, number> | null {
  const timelines = runs.map((r) => r.buildTimeline).filter((t): t is TimelineSummary => t !== undefined);
  if (timelines.length === 0) return null;
  const keys = Object.keys(timelines[0]!) as (keyof TimelineSummary)[];
  return Object.fromEntries(keys.map((k) => [k, round(summarize(timelines.map((t) => t[k])).median, 1)]));
}

/** The table of the same stream through each connection, and the ring's per-request budget. */
function connectionSection(timelines: ReadonlyMap<string, Record<string, number> | null>, kernelBuildMs: number, buildRequests: number, summary: Summary): string[] {
  const cell = (key: string, f: (t: PhaseTimes) => number): string => {
    const s = summary(key, f);
    return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  };
  const rows = CONNECTION_VARIANTS.map((v) => [
    v.label, cell(v.key, (t) => t.buildMs), `${fmt(round(summary(v.key, (t) => t.buildMs).median / kernelBuildMs, 3), 2)}×`, cell(v.key, (t) => t.synthMs), cell(v.key, (t) => t.totalMs),
  ]);
  const perRequest = (ms: number | undefined): string => (ms === undefined ? '–' : fmt(round((ms * 1000) / Math.max(1, buildRequests), 1), 1));
  const budget = CONNECTION_VARIANTS.filter((v) => v.connection !== 'direct').map((v) => {
    const t = timelines.get(v.key);
    const build = summary(v.key, (r) => r.buildMs).median;
    return [
      v.label, perRequest(build), perRequest(t?.['kernelServeMs']), perRequest(kernelBuildMs), perRequest(t?.['kernelDecodeMs']), perRequest(t?.['kernelWaitedForHostMs']), perRequest(t?.['handoverMs']),
    ];
  });
  return [
    '',
    'The same stream replayed through each connection, with no bindings and no app code between requests (a recorded pipelined request is pipelined again, a callback answered with the recorded answer after the requests the host made in it), so the difference to the kernel replay is what the connection costs:',
    '',
    table(['replay', 'build ms', 'build vs kernel replay', 'synth ms', 'whole ms'], rows, ['l', 'r', 'r', 'r', 'r']),
    '',
    `Where a build request's time goes through the ring, µs per request (${fmt(buildRequests)} build requests; medians of the timeline both threads record, \`KernelClientOptions.timeline\`): the kernel thread serving it (dispatch and writing the answer; the kernel replay's whole per-request time alongside), decoding it, idle because the host had not issued the next request yet, and requests issued but not yet picked up (the hand-over):`,
    '',
    table(['replay', 'build wall', 'kernel serves', '(kernel replay, one thread)', 'kernel decodes', 'kernel waits for the host', 'hand-over'], budget, ['l', 'r', 'r', 'r', 'r', 'r', 'r']),
  ];
}

/** The ring sync run's kernel busy ms in the build phase (validation off) from cdk.json, if there is one. */
function ringKernelBusy(dir: string): number | null {
  try {
    const cdk = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')) as { modes?: Record<string, { build?: { kernelBusyMs?: number | null } }> };
    return cdk.modes?.['ringSync:off']?.build?.kernelBusyMs ?? null;
  } catch {
    return null;
  }
}

/** reference / native build phase from cdk.json in the same folder, if there is one. */
function referenceRatio(dir: string): number | null {
  try {
    const cdk = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')) as { buildMs?: Record<string, number> };
    const ref = cdk.buildMs?.['reference'];
    const native = cdk.buildMs?.['native'];
    return ref !== undefined && native !== undefined ? round(ref / native, 2) : null;
  } catch {
    return null;
  }
}
