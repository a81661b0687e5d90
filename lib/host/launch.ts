/**
 * Starting a kernel worker: the shared buffers, the watchdog's lifeline, the thread. Kept
 * apart from `KernelLink` (and light: no codec, no ring reader) so that a program can start
 * the worker before it loads the modules that talk to it. `jsii-ring synth` does so first
 * thing (`prelaunchKernel`): Node's bootstrap of the worker and the kernel's loading of its
 * own modules then run on the other core while this thread loads the CLI, the bindings and
 * the app, instead of after. The first ring `KernelLink` of the process whose worker options
 * are the same takes the prelaunched worker over (`takePrelaunched`); with other options the
 * prelaunched one is ended and a fresh one started, so adopting is never observable.
 */
import * as path from 'node:path';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { createChannelBuffers } from '../transports/channel.js';
import type { ChannelBuffers } from '../transports/channel.js';
import type { KernelWorkerData } from '../worker/kernel-worker.js';
import { activeCompileCacheDir } from './compile-cache.js';
import { watchChannel } from './watchdog.js';
import type { Watch } from './watchdog.js';

const WORKER_ENTRY = path.join(__dirname, '..', 'worker', 'kernel-worker.js');

const MIB = 1024 * 1024;

/**
 * Default spin budget of the client's rings, about 3 ms. The host waits on the kernel for
 * anything from a microsecond (a property read) to milliseconds (a sync read behind 64
 * pipelined constructs), and on a 2-vCPU VM every sleep costs the waker ~25-35 µs inside
 * `Atomics.notify` plus the sleeper's own wake-up: a budget that covers the long waits
 * too took the example app's whole run from 2.03× to 1.70× native (`jsii-ring bench spin`,
 * benchmarks/RESULTS.md, "Wait policy").
 * The ring package's own default (10,000) suits short exchanges; the adaptive fall-back to
 * sleeping still applies when spins run out (a loaded machine).
 */
export const DEFAULT_SPIN = 300_000;

/**
 * Default call deadline: far beyond any real call (a whole synth of the 2,200-resource
 * example app is one `synth()` call of about 10 s), short enough that a stuck library ends.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;

/** What a worker is started with: every client option that reaches the thread or its rings. */
export interface WorkerLaunchOptions {
  readonly requestRingBytes: number;
  readonly callbackRingBytes: number;
  readonly responseRingBytes: number;
  readonly spin: number;
  readonly callTimeoutMs: number;
  readonly cacheDir?: string | undefined;
  /** Classes whose modules the kernel loads while idle, in order (`KernelClientOptions.preloadTypes`). */
  readonly preloadTypes?: readonly string[] | undefined;
}

/** The defaults of `WorkerLaunchOptions` (the client's defaults). */
export const DEFAULT_WORKER_LAUNCH: WorkerLaunchOptions = {
  requestRingBytes: MIB,
  callbackRingBytes: MIB / 4,
  responseRingBytes: MIB,
  spin: DEFAULT_SPIN,
  callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
};

/** A started worker thread and what it was given, with how it ended if it already has. */
export interface LaunchedWorker {
  readonly buffers: ChannelBuffers;
  readonly watch: Watch;
  readonly worker: Worker;
  /** Resolves with the worker's exit code. */
  readonly exited: Promise<number>;
  /** The worker's last 'error' event, heard from the start (recorded before other listeners run). */
  readonly error: unknown;
  /** The exit code, once the thread has ended (recorded before other listeners run). */
  readonly exitCode: number | undefined;
}

/** The ring sizes and call deadline of a channel: what every worker thread on one is given. */
export type ChannelLaunchOptions = Pick<WorkerLaunchOptions, 'requestRingBytes' | 'callbackRingBytes' | 'responseRingBytes' | 'callTimeoutMs'>;

/**
 * Allocates a channel's rings and starts a thread on them under watch: the watch is set up
 * before the thread starts, so a thread that dies while starting is heard too. Error and exit
 * are recorded from the start, so whoever takes the thread over later learns of them.
 */
export function startWatchedWorker(options: ChannelLaunchOptions, start: (buffers: ChannelBuffers, lifeline: Watch['lifeline']) => Worker): LaunchedWorker {
  const buffers = createChannelBuffers({
    requestCapacity: options.requestRingBytes,
    callbackCapacity: options.callbackRingBytes,
    responseCapacity: options.responseRingBytes,
  });
  const watch = watchChannel(buffers, options.callTimeoutMs);
  const worker = start(buffers, watch.lifeline);
  const record = { buffers, watch, worker, exited: undefined as unknown as Promise<number>, error: undefined as unknown, exitCode: undefined as number | undefined };
  record.exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.on('error', (error) => {
    record.error = error;
  });
  worker.once('exit', (code) => {
    record.exitCode = code;
  });
  // An idle client must not keep the process alive (nor a prelaunched worker nobody took).
  worker.unref();
  return record;
}

/** Starts our kernel in a worker thread. */
export function launchKernelWorker(options: WorkerLaunchOptions): LaunchedWorker {
  return startWatchedWorker(options, (buffers, lifeline) => new Worker(WORKER_ENTRY, {
    // SHARE_ENV: the library sees the environment the program has when it calls it (an app
    // sets CDK_DEFAULT_REGION before `new App()`), as it would natively.
    env: SHARE_ENV,
    workerData: { buffers, cacheDir: options.cacheDir, spin: options.spin, lifeline, compileCacheDir: activeCompileCacheDir(), preloadTypes: options.preloadTypes ?? [] } satisfies KernelWorkerData,
    transferList: [lifeline],
  }));
}

/** What must be equal for a prelaunched worker to serve a client (compile cache included). */
function launchKey(options: WorkerLaunchOptions): string {
  return JSON.stringify([options.requestRingBytes, options.callbackRingBytes, options.responseRingBytes, options.spin, options.callTimeoutMs, options.cacheDir ?? null, activeCompileCacheDir() ?? null, options.preloadTypes ?? []]);
}

let prelaunched: { readonly key: string; readonly launched: LaunchedWorker } | undefined;

/**
 * Starts a kernel worker now for the first client of this process to take over. Apply the
 * JIT policy and the compile cache first: the thread starts with what is in force. A second
 * call ends the first prelaunched worker if nobody took it.
 */
export function prelaunchKernel(options: WorkerLaunchOptions = DEFAULT_WORKER_LAUNCH): LaunchedWorker {
  discardPrelaunched();
  const launched = launchKernelWorker(options);
  prelaunched = { key: launchKey(options), launched };
  return launched;
}

/**
 * The prelaunched worker if it was started with these options (it is then no longer
 * prelaunched); otherwise undefined, and a prelaunched worker with other options is ended.
 */
export function takePrelaunched(options: WorkerLaunchOptions): LaunchedWorker | undefined {
  const candidate = prelaunched;
  if (candidate === undefined) return undefined;
  if (candidate.key !== launchKey(options) || candidate.launched.exitCode !== undefined) {
    discardPrelaunched();
    return undefined;
  }
  prelaunched = undefined;
  return candidate.launched;
}

/** Ends the prelaunched worker, if any (nobody is going to take it). */
export function discardPrelaunched(): void {
  const candidate = prelaunched;
  prelaunched = undefined;
  if (candidate === undefined) return;
  candidate.launched.watch.forget();
  void candidate.launched.worker.terminate();
}

/** Whether a prelaunched worker is waiting to be taken (for tests and the synth report). */
export function hasPrelaunched(): boolean {
  return prelaunched !== undefined;
}
