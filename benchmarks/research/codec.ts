/**
 * Question: what does the codec cost on a real workload? The example app's build phase,
 * ring sync and ring pipelined, msgpack vs JSON, in interleaved rounds (the per-message
 * encode/decode costs are in the micro suite).
 *
 * Writes bench-codec.json.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodecName } from '../../lib/protocol/codec.js';
import { runAppOnce } from './app-run.js';
import type { AppRunResult } from './app-run.js';
import type { BenchContext, SuiteReport } from './context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import { retryNote, round, runSuiteVariants, summarize } from './harness.js';
import { fmt, table, writeJson } from './output.js';

const MODES = ['ringSync', 'ringPipelined'] as const;
const CODECS: readonly CodecName[] = ['msgpack', 'json'];

/** Runs the codec suite. */
export async function codecSuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const outdir = path.join(os.tmpdir(), 'jsii-ring-bench-codec');
  const variants = MODES.flatMap((mode) => CODECS.map((codec) => ({
    key: `${mode}:${codec}`,
    run: (): Promise<AppRunResult> => runAppOnce({ mode, codec, outdir, scale: ctx.scale, validation: false, buildOnly: true }),
  })));
  const { runs, retries } = await runSuiteVariants('codec', variants, ctx, { warmups: 0 });
  env = finishEnvironment(env);

  const figures: Record<string, Record<string, { median: number; min: number; max: number; kernelBusyMs: number; hostBusyMs: number }>> = {};
  for (const mode of MODES) {
    figures[mode] = {};
    for (const codec of CODECS) {
      const build = (runs.get(`${mode}:${codec}`) ?? []).map((r) => r.phases.build);
      const s = summarize(build.map((p) => p.wallMs));
      (figures[mode] as Record<string, unknown>)[codec] = {
        median: round(s.median), min: round(s.min), max: round(s.max),
        kernelBusyMs: round(summarize(build.map((p) => p.kernelBusyMs ?? 0)).median),
        hostBusyMs: round(summarize(build.map((p) => p.hostBusyMs)).median),
      };
    }
  }
  const jsonOverMsgpack = Object.fromEntries(MODES.map((mode) => {
    const f = figures[mode];
    return [mode, round((f?.['json']?.median ?? NaN) / (f?.['msgpack']?.median ?? NaN), 3)];
  }));
  const result = {
    environment: env,
    question: 'example app build phase (buildApp + flush, validation off), msgpack vs JSON, ring sync and pipelined',
    scale: ctx.scale,
    repeats: ctx.repeats,
    retries,
    buildMs: figures,
    jsonOverMsgpack,
  };
  const files = [writeJson(ctx.resultsDir, 'bench-codec.json', result)];
  const rows = MODES.flatMap((mode) => CODECS.map((codec) => {
    const f = figures[mode]?.[codec];
    return [mode, codec, f === undefined ? '–' : `${fmt(f.median)} (${fmt(f.min)}–${fmt(f.max)})`, fmt(f?.hostBusyMs), fmt(f?.kernelBusyMs)];
  }));
  const markdown = [
    '### Codec on the example app',
    '',
    `Build phase (scale ${ctx.scale}), validation off, fresh kernel per run, ${ctx.repeats} interleaved rounds: median ms (min–max), and the host's and kernel's busy ms of the median figures.`,
    '',
    table(['mode', 'codec', 'build ms', 'host busy ms', 'kernel busy ms'], rows, ['l', 'l', 'r', 'r', 'r']),
    '',
    `JSON / msgpack: ${MODES.map((m) => `${m} ${fmt(jsonOverMsgpack[m], 2)}×`).join(', ')}. Per-message encode and decode costs are in the micro-benchmarks below.`,
    '',
    ...retryNote(retries),
    describeEnvironment(env),
  ].join('\n');
  return { id: 'codec', markdown, files };
}
