/**
 * The host's side of the watchdog thread (worker/watchdog-worker.ts): one per process,
 * started with the first kernel link, never keeping the process alive.
 *
 * Why a thread of its own: the host blocks in `Atomics.wait` at every sync point, and
 * nothing on its event loop runs meanwhile (no worker `exit` event, no timer), so it cannot
 * notice a kernel ended from outside or a call that never returns. The watchdog's event
 * loop is never blocked: it hears a kernel thread's lifeline port close, and checks call
 * deadlines, and wakes the host by marking the channel's rings dead. It costs the hot path
 * nothing: no request passes through it, and a spin-satisfied wait never looks at it.
 */
import * as path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { ChannelBuffers } from '../transports/channel.js';
import type { WatchdogMessage } from '../worker/watchdog-worker.js';

const WATCHDOG_ENTRY = path.join(__dirname, '..', 'worker', 'watchdog-worker.js');

let thread: Worker | undefined;
let nextId = 1;

function post(message: WatchdogMessage, transfer: MessagePort[] = []): void {
  if (thread === undefined) {
    thread = new Worker(WATCHDOG_ENTRY);
    thread.unref();
    // The watchdog never fails on purpose; if it does, the next link starts another.
    thread.on('error', () => undefined);
    thread.once('exit', () => {
      thread = undefined;
    });
  }
  // postMessage queues into the watchdog's port without the host's event loop: a host that
  // blocks right after this is still watched once the thread is up.
  thread.postMessage(message, transfer);
}

/** A channel under watch. */
export interface Watch {
  /** Give this port to the kernel worker (in `workerData`, and its transfer list). */
  readonly lifeline: MessagePort;
  /** Stop watching (the host closed the channel on purpose). */
  forget(): void;
}

/**
 * Watches a kernel channel: when the thread holding the returned lifeline ends, or a call
 * runs past `callTimeoutMs` (Infinity: never), the channel's rings are marked dead with a note
 * (see channel.ts, KernelState.DEAD / TIMED_OUT).
 */
export function watchChannel(buffers: ChannelBuffers, callTimeoutMs: number): Watch {
  const id = nextId++;
  const { port1, port2 } = new MessageChannel();
  post({ type: 'watch', id, buffers, lifeline: port1, callTimeoutMs }, [port1]);
  return {
    lifeline: port2,
    forget: () => {
      if (thread !== undefined) post({ type: 'forget', id });
    },
  };
}
