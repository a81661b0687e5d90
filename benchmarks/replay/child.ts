/**
 * Child entry of the replay benchmark (a fresh process per run, see research/child.ts):
 *  - `record`: runs the example app through the bindings on a `DirectConnection` wrapped
 *    in a `RecordingConnection`, and saves the transcript;
 *  - `replay`: replays a transcript into a fresh kernel in this thread (reading the file is
 *    not timed), optionally verifying every response.
 */
import { once } from 'node:events';
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../../examples/cdk-app/app.js';
import type { AppLibraries } from '../../examples/cdk-app/libraries.js';
import { flush, load } from '../../lib/bindings/index.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { summarizeTimeline } from '../../lib/transports/timeline.js';
import type { TimelineSummary } from '../../lib/transports/timeline.js';
import * as path from 'node:path';
import { ConnectionReplayer } from './connection-replayer.js';
import type { ConnectionReplayTimings } from './connection-replayer.js';
import { applyJitPolicy, KERNEL_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';
import { childMain } from '../research/child.js';
import { RecordingConnection } from './recording-connection.js';
import { Replayer } from './replayer.js';
import type { ReplayTimings } from './replayer.js';
import { loadTranscript, saveTranscript } from './transcript.js';
import { REPLAY_SEED, seedRandom } from './seed.js';

/** What the parent asks of a child. */
export type ReplayChildConfig =
  | { readonly task: 'record'; readonly outdir: string; readonly scale: number; readonly transcript: string }
  | {
    readonly task: 'replay';
    readonly outdir: string;
    readonly transcript: string;
    readonly verify: boolean;
    /** Keep another thread of the process busy meanwhile (as a spinning host thread would be). */
    readonly busySibling?: boolean;
    /** V8's interrupt budget for the process. @default KERNEL_INTERRUPT_BUDGET */
    readonly interruptBudget?: number;
    /**
     * Replay through a connection instead of straight into a kernel: `direct` (a kernel in
     * this thread), `ring` (the worker, pipelined as recorded), `ring-sync` (the worker, every
     * request waited for). Ring replays need the seed preloaded in the worker too
     * (`--require seed-preload.js`).
     */
    readonly connection?: ReplayConnection;
  };

/** Connections a transcript can be replayed through. */
export type ReplayConnection = 'direct' | 'ring' | 'ring-sync';

/** A replay through a connection: the timings, and for the ring the build phase's timeline. */
export interface ConnectionReplayResult extends ConnectionReplayTimings {
  readonly buildTimeline?: TimelineSummary;
  /** The kernel thread's serving time over the whole replay (ring). */
  readonly kernelBusyMs?: number;
}

/** What a record run reports. */
export interface RecordResult {
  readonly requests: number;
  readonly callbacks: number;
  readonly requestsByPhase: Readonly<Record<string, number>>;
  readonly bytes: number;
  readonly resources: number;
}

/** Records the example app's conversation with the kernel. */
export async function record(outdir: string, scale: number, file: string): Promise<RecordResult> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const recorder = new RecordingConnection(new DirectConnection());
  recorder.mark('load');
  const libs: AppLibraries = {
    cdk: load('aws-cdk-lib', { connection: recorder }) as AppLibraries['cdk'],
    constructs: load('constructs', { connection: recorder }) as AppLibraries['constructs'],
  };
  recorder.mark('build');
  const handle = buildApp(libs, { outdir, scale });
  flush(recorder);
  recorder.mark('synth');
  handle.app.synth().directory;
  const transcript = recorder.transcript();
  await recorder.close();
  saveTranscript(file, transcript);
  return {
    requests: transcript.requests,
    callbacks: transcript.callbacks,
    requestsByPhase: transcript.requestsByPhase,
    bytes: fs.statSync(file).size,
    resources: handle.expectedResources,
  };
}

/** Replays a saved transcript (the outdir it writes to is emptied first). */
export async function replay(outdir: string, file: string, verify: boolean, busySibling = false): Promise<ReplayTimings> {
  const transcript = loadTranscript(file);
  fs.rmSync(outdir, { recursive: true, force: true });
  // A thread that never waits: what a host spinning for answers is to the kernel's process.
  const sibling = busySibling ? new Worker('for (;;) {}', { eval: true }) : undefined;
  try {
    if (sibling !== undefined) await once(sibling, 'online');
    return await new Replayer(transcript, { verify }).run();
  } finally {
    await sibling?.terminate();
  }
}

/** Replays a saved transcript through a connection (see ConnectionReplayer). */
export async function replayThrough(outdir: string, file: string, connection: ReplayConnection): Promise<ConnectionReplayResult> {
  const transcript = loadTranscript(file);
  fs.rmSync(outdir, { recursive: true, force: true });
  if (connection === 'direct') {
    const direct = new DirectConnection();
    try {
      return await new ConnectionReplayer(transcript, direct).run();
    } finally {
      await direct.close();
    }
  }
  const client = KernelClient.start({ timeline: true, ...(connection === 'ring-sync' ? { pendingCap: 0 } : {}) });
  let timings: ConnectionReplayTimings;
  try {
    timings = await new ConnectionReplayer(transcript, client).run();
  } finally {
    await client.close();
  }
  const timeline = client.timeline;
  return {
    ...timings,
    kernelBusyMs: client.kernelBusy.ms,
    ...(timeline !== undefined ? { buildTimeline: summarizeTimeline(timeline, timings.firstRequest.build, timings.firstRequest.synth) } : {}),
  };
}

/** The preload that seeds `Math.random` in every thread of a replay child. */
export const SEED_PRELOAD = path.join(__dirname, 'seed-preload.js');

if (require.main === module) {
  childMain<ReplayChildConfig, unknown>(async (config) => {
    seedRandom(REPLAY_SEED);
    // As every bench child: `jsii-ring synth`'s JIT policy unless the suite varies it.
    applyJitPolicy((config.task === 'replay' ? config.interruptBudget : undefined) ?? KERNEL_INTERRUPT_BUDGET);
    // The recording ran with validation off; the replay must run the same way.
    process.env['CDK_VALIDATION'] = 'false';
    if (config.task === 'record') return record(config.outdir, config.scale, config.transcript);
    if (config.connection !== undefined) return replayThrough(config.outdir, config.transcript, config.connection);
    return replay(config.outdir, config.transcript, config.verify, config.busySibling);
  });
}
