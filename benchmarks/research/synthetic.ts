/**
 * Synthetic request mixes on the `constructs` library, the same code natively and through
 * the bindings, to show where the pipeline stalls:
 *  - `creates`: nothing but `new Construct(root, id)` (every call pipelinable);
 *  - `chains`: create, read `.node` (a class: pipelined), `node.addMetadata(...)` and
 *    `node.addDependency(previous)` (void: pipelined);
 *  - `syncK`: the chains with a sync read (`node.id`, a string) after every k pipelinable
 *    calls, for k = 1, 4, 16, 64.
 * A run warms the kernel up with a quarter of the work first (not timed).
 */
import type * as Constructs from 'constructs';
import { flush, load } from '../../lib/bindings/index.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { CodecName } from '../../lib/protocol/codec.js';
import { APP_MODES, clientOptionsFor } from './app-run.js';
import type { AppMode } from './app-run.js';
import type { BenchContext, SuiteReport } from './context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import { retryNote, round, runSuiteVariants, summarize } from './harness.js';
import { phaseBetween, snapshot } from './metrics.js';
import type { PhaseMetrics } from './metrics.js';
import { fmt, table, writeJson } from './output.js';

/** The mixes, in report order. */
export const MIXES = ['creates', 'chains', 'sync1', 'sync4', 'sync16', 'sync64'] as const;
/** A synthetic mix. */
export type MixName = (typeof MIXES)[number];

/** Options of one synthetic run. */
export interface SyntheticRunOptions {
  readonly mode: AppMode;
  readonly mix: MixName;
  /** Pipelinable calls in the timed part (sync reads come on top). */
  readonly calls: number;
  readonly codec?: CodecName;
  readonly hostWorkUs?: number;
}

/** Figures of one synthetic run. */
export interface SyntheticRunResult {
  readonly mode: AppMode;
  readonly mix: MixName;
  readonly calls: number;
  readonly metrics: PhaseMetrics;
}

/** The sync-read interval of a mix (0: none). */
export function syncInterval(mix: MixName): number {
  return mix.startsWith('sync') ? Number(mix.slice(4)) : 0;
}

/**
 * Runs `calls` pipelinable calls of `mix` against `lib` under a fresh root, reading
 * `node.id` after every `syncInterval(mix)` of them.
 */
export function runMix(lib: typeof Constructs, mix: MixName, calls: number, rootId: string): number {
  const root = new lib.RootConstruct(rootId);
  const every = syncInterval(mix);
  // The node a sync read looks at: the latest one the chain obtained.
  let lastNode = every > 0 ? root.node : undefined;
  let done = 0;
  let checksum = 0;
  const counted = (): boolean => {
    done++;
    if (every > 0 && done % every === 0 && lastNode !== undefined) {
      checksum += lastNode.id.length;
    }
    return done >= calls;
  };
  let previous: Constructs.Construct | undefined;
  for (let i = 0; done < calls; i++) {
    const construct = new lib.Construct(root, `c${i}`);
    if (counted() || mix === 'creates') continue;
    const node = construct.node;
    lastNode = node;
    if (counted()) break;
    node.addMetadata('step', i);
    if (counted()) break;
    if (previous !== undefined) {
      node.addDependency(previous);
      if (counted()) break;
    }
    previous = construct;
  }
  // Returned so the native reads cannot be optimised away.
  return checksum;
}

/** One synthetic run in this process: a fresh kernel (unless native), warm-up, timed part. */
export async function runSyntheticOnce(options: SyntheticRunOptions): Promise<SyntheticRunResult> {
  const native = options.mode === 'native';
  const kernelVisible = options.mode === 'ringSync' || options.mode === 'ringPipelined';
  const inThread = options.mode === 'inThread' ? new DirectConnection() : undefined;
  const client = native || inThread !== undefined
    ? undefined
    : KernelClient.start(clientOptionsFor({ mode: options.mode, outdir: '', scale: 1, validation: false, codec: options.codec ?? 'msgpack', hostWorkUs: options.hostWorkUs ?? 0 }));
  try {
    const connection = inThread ?? client;
    const lib = load('constructs', connection === undefined ? { native: true } : { connection }) as typeof Constructs;
    runMix(lib, options.mix, Math.max(1, options.calls >> 2), 'warmup');
    if (connection !== undefined) flush(connection);
    const before = snapshot(client, kernelVisible);
    runMix(lib, options.mix, options.calls, 'timed');
    if (connection !== undefined) flush(connection);
    const after = snapshot(client, kernelVisible);
    return { mode: options.mode, mix: options.mix, calls: options.calls, metrics: phaseBetween(before, after) };
  } finally {
    await client?.close();
    await inThread?.close();
  }
}

/** Runs the synthetic-mix suite: every mix in every mode, interleaved. */
export async function syntheticSuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const variants = MIXES.flatMap((mix) => APP_MODES.map((mode) => ({
    key: `${mix}:${mode}`,
    run: (): Promise<SyntheticRunResult> => runSyntheticOnce({ mode, mix, calls: ctx.syntheticCalls }),
  })));
  const { runs, retries } = await runSuiteVariants('synthetic', variants, ctx, { warmups: 0 });
  env = finishEnvironment(env);

  const figures: Record<string, Record<string, Record<string, number>>> = {};
  for (const mix of MIXES) {
    const byMode: Record<string, Record<string, number>> = {};
    for (const mode of APP_MODES) {
      const metrics = (runs.get(`${mix}:${mode}`) ?? []).map((r) => r.metrics);
      const s = summarize(metrics.map((m) => m.wallMs));
      const med = (f: (m: PhaseMetrics) => number): number => summarize(metrics.map(f)).median;
      byMode[mode] = {
        median: round(s.median, 2), min: round(s.min, 2), max: round(s.max, 2),
        usPerCall: round((s.median * 1000) / ctx.syntheticCalls, 2),
        requests: med((m) => m.requests),
        syncRequests: med((m) => m.syncRequests),
        pipelinedRequests: med((m) => m.pipelinedRequests),
        hostWaitMs: round(med((m) => m.hostWaitMs), 2),
        kernelBusyMs: round(med((m) => m.kernelBusyMs ?? 0), 2),
        overlap: round(med((m) => m.overlap ?? 0), 3),
      };
    }
    const sync = byMode['ringSync']?.['median'] ?? NaN;
    const pipelined = byMode['ringPipelined']?.['median'] ?? NaN;
    byMode['pipelinedSpeedup'] = { overSync: round(sync / pipelined, 3) };
    figures[mix] = byMode;
  }
  const result = {
    environment: env,
    question: 'synthetic request mixes on constructs: wall ms of the timed part (after a warm-up of a quarter of the work in the same kernel), per mode',
    calls: ctx.syntheticCalls,
    repeats: ctx.repeats,
    retries,
    mixes: figures,
  };
  const files = [writeJson(ctx.resultsDir, 'bench-synthetic.json', result)];
  const rows = MIXES.map((mix) => [
    mix,
    ...APP_MODES.map((mode) => fmt(figures[mix]?.[mode]?.['usPerCall'], 2)),
    `${fmt(figures[mix]?.['pipelinedSpeedup']?.['overSync'], 2)}×`,
    fmt(figures[mix]?.['ringPipelined']?.['syncRequests']),
  ]);
  const markdown = [
    '### Synthetic request mixes',
    '',
    `${fmt(ctx.syntheticCalls)} pipelinable calls on \`constructs\` per run (\`creates\`: \`new Construct\` only; \`chains\`: create, \`.node\`, \`addMetadata\`, \`addDependency\`; \`syncK\`: the chains with a string read after every k calls), after a warm-up in the same kernel; µs per pipelinable call, median of ${ctx.repeats} interleaved rounds. Where the speed-up falls towards 1×, the pipeline stalls on sync points.`,
    '',
    table(['mix', ...APP_MODES, 'pipelined / sync', 'sync reads'], rows, ['l', ...APP_MODES.map(() => 'r' as const), 'r', 'r']),
    '',
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
  return { id: 'synthetic', markdown, files };
}
