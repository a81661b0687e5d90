/**
 * One run of the example CDK app (examples/cdk-app) in a given mode, with figures per phase:
 *  - load: start the kernel (if any) and load `aws-cdk-lib` + `constructs`;
 *  - build: `buildApp(...)`, then a flush, so a pipelined run is timed until the kernel has
 *    caught up with everything the build issued (the host alone returns sooner);
 *  - synth: `app.synth().directory` (the sync point that waits for the files);
 *  - close: closing the client (worker exit).
 *
 * The kernel's environment is this process's: `CDK_VALIDATION` is set before the client
 * starts because the worker (and a stdio child) copies the environment.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildApp } from '../../examples/cdk-app/app.js';
import type { AppLibraries } from '../../examples/cdk-app/libraries.js';
import { flush, load } from '../../lib/bindings/index.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelClientOptions } from '../../lib/host/options.js';
import type { CodecName } from '../../lib/protocol/codec.js';
import { busySpin, hostWorkHook } from './host-work.js';
import { timelineNow } from '../../lib/transports/timeline.js';
import { buildTimelineOf, phaseBetween, snapshot } from './metrics.js';
import type { BuildTimeline, PhaseMetrics, Snapshot } from './metrics.js';
import { RequestTrace } from './schedule.js';
import type { TracePoint, TraceWindow } from './schedule.js';

/** How the app reaches the libraries. */
export type AppMode = 'native' | 'reference' | 'stdioOurs' | 'inThread' | 'ringSync' | 'ringPipelined';

/** Every mode, floor first. */
export const APP_MODES: readonly AppMode[] = ['native', 'reference', 'stdioOurs', 'inThread', 'ringSync', 'ringPipelined'];

/** What each mode is, for tables. */
export const MODE_LABELS: Readonly<Record<AppMode, string>> = {
  native: 'native in-process (no protocol)',
  reference: 'reference @jsii/runtime over stdio',
  stdioOurs: 'our kernel over stdio',
  inThread: 'our kernel in the host thread (DirectConnection, no worker)',
  ringSync: 'our kernel over the ring, sync',
  ringPipelined: 'our kernel over the ring, pipelined',
};

/** Options of one run. */
export interface AppRunOptions {
  readonly mode: AppMode;
  /** Where synth writes (emptied first). */
  readonly outdir: string;
  /** App scale (1 = 2,196 resources). */
  readonly scale: number;
  /** The library's CloudFormation validation during synth. */
  readonly validation: boolean;
  /** Stop after the build phase (no synth). @default false */
  readonly buildOnly?: boolean;
  /** Pending cap for `ringPipelined`. @default the client's default */
  readonly pendingCap?: number;
  /** @default 'msgpack' */
  readonly codec?: CodecName;
  /** Busy microseconds spent on the host per request. @default 0 */
  readonly hostWorkUs?: number;
  /** Capture call sites of pipelined requests. @default the client's default (false) */
  readonly captureCallSites?: boolean;
  /** Spin budget of the client's rings (ring modes). @default the client's default */
  readonly spin?: number;
  /**
   * V8's interrupt budget for the child process (every mode: V8 flags are per process),
   * applied by app-child.ts before the run. @default KERNEL_INTERRUPT_BUDGET, as `jsii-ring synth`
   */
  readonly interruptBudget?: number;
  /**
   * Record a trace point after every request of the build phase (ring modes; for the
   * per-request ideal of schedule.ts). @default false
   */
  readonly trace?: boolean;
  /**
   * Record the per-request timeline of both threads (ring modes) and report the build
   * phase's part of it (`buildTimeline`). @default false
   */
  readonly timeline?: boolean;
}

/** Figures of one run. */
export interface AppRunResult {
  readonly mode: AppMode;
  readonly phases: { readonly load: PhaseMetrics; readonly build: PhaseMetrics; readonly synth?: PhaseMetrics };
  /** load + build (+ synth) + close. */
  readonly totalMs: number;
  readonly closeMs: number;
  /** Resources the app built (expected count). */
  readonly expectedResources: number;
  /** Resources the host aspect saw during synth (0 when build-only). */
  readonly auditedResources: number;
  readonly outdir: string;
  /** The build phase's trace, when asked for. */
  readonly buildTrace?: TraceWindow;
  /** The build phase by the timeline of both threads, when asked for. */
  readonly buildTimeline?: BuildTimeline;
  /**
   * Heap in use after a full GC once the app is done (before close), MB: this thread's,
   * and the kernel worker's own isolate (ring modes; null otherwise). Absent when the
   * process exposes no gc (app-child.ts exposes it).
   */
  readonly heap?: { readonly hostMb: number; readonly kernelMb: number | null };
}

/** Heap in use after a full GC, this thread and (ring) the kernel's, MB; undefined without an exposed gc. */
async function heapAfterGc(client: KernelClient | undefined, kernelVisible: boolean): Promise<AppRunResult['heap']> {
  let gc: (() => void) | undefined;
  try {
    gc = runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
  gc();
  const hostMb = v8.getHeapStatistics().used_heap_size / MB;
  const kernelMb = client !== undefined && kernelVisible ? (await client.kernelHeap({ gc: true })).usedHeapSize / MB : null;
  return { hostMb, kernelMb };
}

const MB = 1024 * 1024;

/**
 * `clientOptions` with the request hook of a traced run: a trace point per request, taken
 * before the host work so the work counts as host time after the request, then
 * `hostWorkUs` of host work. `client` gives the running client when the hook runs.
 */
export function withTrace(clientOptions: KernelClientOptions, trace: RequestTrace | undefined, hostWorkUs: number, client: () => KernelClient | undefined): KernelClientOptions {
  if (trace === undefined) return clientOptions;
  return {
    ...clientOptions,
    onRequest: (event) => {
      const c = client() as KernelClient;
      trace.record(performance.now(), c.stats.hostWaitMs, c.kernelBusy.ms, event.pipelined);
      busySpin(hostWorkUs);
    },
  };
}

/** The client options of a kernel mode. */
export function clientOptionsFor(options: AppRunOptions): KernelClientOptions {
  const common: KernelClientOptions = {
    codec: options.codec ?? 'msgpack',
    onRequest: hostWorkHook(options.hostWorkUs ?? 0),
    ...(options.captureCallSites !== undefined ? { captureCallSites: options.captureCallSites } : {}),
    ...(options.spin !== undefined ? { spin: options.spin } : {}),
  };
  switch (options.mode) {
    case 'reference':
      return { ...common, transport: 'stdio', stdioKernel: 'reference' };
    case 'stdioOurs':
      return { ...common, transport: 'stdio', stdioKernel: 'ours' };
    case 'ringSync':
      return { ...common, transport: 'ring', pendingCap: 0 };
    case 'ringPipelined':
      return { ...common, transport: 'ring', ...(options.pendingCap !== undefined ? { pendingCap: options.pendingCap } : {}) };
    case 'native':
    case 'inThread':
      throw new RangeError(`mode '${options.mode}' has no kernel client`);
  }
}

/** Runs the example app once in this process. */
export async function runAppOnce(options: AppRunOptions): Promise<AppRunResult> {
  if (options.validation) delete process.env['CDK_VALIDATION'];
  else process.env['CDK_VALIDATION'] = 'false';
  fs.rmSync(options.outdir, { recursive: true, force: true });
  fs.mkdirSync(options.outdir, { recursive: true });

  const native = options.mode === 'native';
  const ringMode = options.mode === 'ringSync' || options.mode === 'ringPipelined';
  const kernelVisible = ringMode || options.mode === 'inThread';
  let client: KernelClient | undefined;
  const trace = options.trace === true && ringMode ? new RequestTrace() : undefined;
  try {
    const s0 = snapshot(undefined, kernelVisible);
    let clientOptions: KernelClientOptions = native || options.mode === 'inThread' ? {} : clientOptionsFor(options);
    if (options.timeline === true && ringMode) clientOptions = { ...clientOptions, timeline: true };
    clientOptions = withTrace(clientOptions, trace, options.hostWorkUs ?? 0, () => client);
    const inThread = options.mode === 'inThread' ? new DirectConnection() : undefined;
    client = native || inThread !== undefined ? undefined : KernelClient.start(clientOptions);
    const connection = inThread ?? client;
    const loadOptions = connection === undefined ? { native: true } : { connection };
    const libs: AppLibraries = {
      cdk: load('aws-cdk-lib', loadOptions) as AppLibraries['cdk'],
      constructs: load('constructs', loadOptions) as AppLibraries['constructs'],
    };
    const s1 = snapshot(client ?? inThread, kernelVisible);
    const timelineFrom = timelineNow();
    const traceFrom = trace?.length ?? 0;
    const handle = buildApp(libs, { outdir: options.outdir, scale: options.scale });
    if (connection !== undefined) flush(connection);
    const s2 = snapshot(client ?? inThread, kernelVisible);
    const timelineTo = timelineNow();
    const buildTrace = trace?.window(tracePoint(s1), tracePoint(s2), traceFrom, trace.length);
    let s3 = s2;
    if (options.buildOnly !== true) {
      // A string read: the sync point that waits for the files.
      handle.app.synth().directory;
      s3 = snapshot(client ?? inThread, kernelVisible);
    }
    const phases = {
      load: phaseBetween(s0, s1),
      build: phaseBetween(s1, s2),
      ...(options.buildOnly !== true ? { synth: phaseBetween(s2, s3) } : {}),
    };
    const heap = await heapAfterGc(client, kernelVisible);
    const closing = performance.now();
    await client?.close();
    await inThread?.close();
    const closeMs = performance.now() - closing;
    const recorded = client?.timeline;
    const buildTimeline = recorded === undefined ? undefined : buildTimelineOf(recorded, timelineFrom, timelineTo);
    client = undefined;
    return {
      mode: options.mode,
      phases,
      totalMs: s3.at - s0.at + closeMs,
      closeMs,
      expectedResources: handle.expectedResources,
      auditedResources: handle.aspect.resourceCount,
      outdir: options.outdir,
      ...(buildTrace !== undefined ? { buildTrace } : {}),
      ...(buildTimeline !== undefined ? { buildTimeline } : {}),
      ...(heap !== undefined ? { heap } : {}),
    };
  } finally {
    await client?.terminate();
  }
}

function tracePoint(s: Snapshot): TracePoint {
  return { at: s.at, hostWaitMs: s.hostWaitMs, kernelBusyMs: s.kernelBusyMs ?? 0 };
}
