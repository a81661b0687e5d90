/**
 * The kernel worker's entry point: wiring only. Attaches to the channel the host
 * allocated, builds a kernel, serves it, and makes sure that however this thread ends
 * (BYE, an uncaught exception, `process.exit()` inside library code) the host is woken
 * with the reason instead of waiting forever.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { markDead } from 'atomics-ring-buffer';
import { enableCompileCacheIn } from '../host/compile-cache.js';
import { Kernel } from '../kernel/kernel.js';
import { KernelState, STATE_SLOT, stateSlots, writeDeathNote } from '../transports/channel.js';
import { serveHeapProbe } from '../transports/heap-probe.js';
import type { ChannelBuffers } from '../transports/channel.js';
import { RingServer } from './ring-server.js';

/** What the host passes in `workerData`. */
export interface KernelWorkerData {
  readonly buffers: ChannelBuffers;
  readonly cacheDir?: string;
  /** Spin budget of the kernel's ring readers (`KernelClientOptions.spin`). */
  readonly spin?: number;
  /**
   * The watchdog's line to this thread (see host/watchdog.ts): it closes when this thread's
   * environment is torn down, however that happens, and the watchdog hears it.
   */
  readonly lifeline?: MessagePort;
  /** The host thread's compile cache directory, if it has one on (see host/compile-cache.ts). */
  readonly compileCacheDir?: string;
  /** Classes whose modules to load while idle, in order (see type-preloader.ts). */
  readonly preloadTypes?: readonly string[];
}

/** Held for the thread's whole life: a port nothing references could be collected, and closed. */
const held: unknown[] = [];

function die(buffers: ChannelBuffers, note: string): void {
  const slots = stateSlots(buffers.state);
  const state = Atomics.load(slots, STATE_SLOT);
  // The first note wins: after an uncaught exception the 'exit' handler runs too, and must
  // not replace the cause with "exited (code 1)".
  if (state === KernelState.EXITED || state === KernelState.DEAD || state === KernelState.TIMED_OUT) {
    return;
  }
  writeDeathNote(buffers.state, note);
  markDead([buffers.request, buffers.callback, buffers.response], note);
}

function main(data: KernelWorkerData): void {
  const { buffers } = data;
  held.push(data.lifeline);
  process.on('uncaughtException', (error) => {
    die(buffers, `The kernel worker crashed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    die(buffers, `The kernel worker crashed on an unhandled rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`);
    process.exit(1);
  });
  process.on('exit', (code) => {
    die(buffers, `The kernel worker exited (code ${code}) while the host was still connected`);
  });
  if (parentPort !== null) serveHeapProbe(parentPort);
  // Before the library is required: its modules then come from the cache the host uses.
  if (data.compileCacheDir !== undefined) enableCompileCacheIn(data.compileCacheDir);
  // This thread's own `process` never emits beforeExit while the host is connected: the
  // host asks for it (extension before-exit) when its program is done, as Node would.
  const kernel = new Kernel({ cacheDir: data.cacheDir, emitBeforeExit: () => void (process as NodeJS.EventEmitter).emit('beforeExit', typeof process.exitCode === 'number' ? process.exitCode : 0) });
  const server = new RingServer(kernel, buffers, data.spin, data.preloadTypes);
  // A pending Atomics.waitAsync does not keep an event loop alive: hold it open while serving.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  server.run().then(
    () => {
      clearInterval(keepAlive);
      process.exit(0);
    },
    (error: unknown) => {
      die(buffers, `The kernel worker failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

if (!isMainThread) {
  main(workerData as KernelWorkerData);
}
