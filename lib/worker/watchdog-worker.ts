/**
 * The watchdog thread's entry point (one per process, see host/watchdog.ts). It watches
 * kernel channels from outside both the host and the kernel, because neither can always
 * report a death:
 * - a kernel worker ended from outside (`terminate()`, out of memory, a native failure) runs
 *   none of its own exit handlers, and the host hears the worker's `exit` event only when
 *   its event loop turns, which it does not while it blocks in `Atomics.wait`. This thread's
 *   event loop is free: it hears the kernel's lifeline port close and marks the rings dead,
 *   which wakes the blocked host.
 * - a library call that never returns keeps the kernel's thread and the blocked host's
 *   timers still. This thread's timer sees the call's start stamp grow old, writes a
 *   TIMED_OUT note and marks the rings dead; the host, woken, ends the worker.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { markDead } from 'atomics-ring-buffer';
import { CLOSING_SLOT, KernelState, PRELOAD_SERVING, SERVING_SLOT, STARTED_STAT, STATE_SLOT, channelStats, stateSlots, writeDeathNote } from '../transports/channel.js';
import type { ChannelBuffers } from '../transports/channel.js';

/** What the host sends: watch a channel, or forget it. */
export type WatchdogMessage =
  | { readonly type: 'watch'; readonly id: number; readonly buffers: ChannelBuffers; readonly lifeline: MessagePort; readonly callTimeoutMs: number }
  | { readonly type: 'forget'; readonly id: number };

/** Shortest and longest period of the deadline check, ms. */
const CHECK_MIN_MS = 5;
const CHECK_MAX_MS = 1000;

/** The note's first words when the kernel's thread ended without a word of its own. */
export const SILENT_DEATH = 'the kernel worker thread ended without saying why';

interface Watched {
  readonly buffers: ChannelBuffers;
  readonly lifeline: MessagePort;
  readonly timer: ReturnType<typeof setInterval> | undefined;
}

const watched = new Map<number, Watched>();

/** Marks every ring dead (wakes whoever waits on any of them), once. */
function kill(buffers: ChannelBuffers, note: string, final: typeof KernelState.DEAD | typeof KernelState.TIMED_OUT): void {
  const slots = stateSlots(buffers.state);
  const life = Atomics.load(slots, STATE_SLOT);
  // A kernel that said BYE, left its own note, or that the host is ending is no death.
  if (life === KernelState.EXITED || life === KernelState.DEAD || life === KernelState.TIMED_OUT || Atomics.load(slots, CLOSING_SLOT) !== 0) {
    return;
  }
  writeDeathNote(buffers.state, note, final);
  markDead([buffers.request, buffers.callback, buffers.response], note.slice(0, 120));
}

function forget(id: number): void {
  const entry = watched.get(id);
  if (entry === undefined) return;
  watched.delete(id);
  if (entry.timer !== undefined) clearInterval(entry.timer);
  entry.lifeline.close();
}

function watch(id: number, buffers: ChannelBuffers, lifeline: MessagePort, callTimeoutMs: number): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  if (callTimeoutMs !== Infinity) {
    const slots = stateSlots(buffers.state);
    const stats = channelStats(buffers.state);
    // The deadline is overrun by at most two periods: half of it (or 2 × CHECK_MAX_MS).
    const period = Math.max(CHECK_MIN_MS, Math.min(CHECK_MAX_MS, callTimeoutMs / 4));
    // The kernel stores the seq and the stamp with plain stores (no fence per request), so
    // one check may pair a new seq with the previous call's stamp: only a call found past
    // its deadline by two checks in a row, a period apart, is ended.
    let suspect = 0;
    timer = setInterval(() => {
      const seq = Atomics.load(slots, SERVING_SLOT);
      const ranMs = performance.timeOrigin + performance.now() - (stats[STARTED_STAT] as number);
      if (seq === 0 || ranMs <= callTimeoutMs || Atomics.load(slots, SERVING_SLOT) !== seq) {
        suspect = 0;
        return;
      }
      if (suspect !== seq) {
        suspect = seq;
        return;
      }
      const what = seq === PRELOAD_SERVING ? 'loading a class\'s module ahead of its first use (options.preloadTypes)' : `request #${seq}`;
      kill(buffers, `${what} ran for ${Math.round(ranMs)} ms, past the call deadline of ${callTimeoutMs} ms (options.callTimeoutMs)`, KernelState.TIMED_OUT);
      forget(id);
    }, period);
  }
  watched.set(id, { buffers, lifeline, timer });
  // The port closes when the kernel thread's environment is torn down, whatever ended it.
  lifeline.on('close', () => {
    kill(buffers, `${SILENT_DEATH} (ended with terminate(), out of memory, or a native failure)`, KernelState.DEAD);
    forget(id);
  });
  // Listening keeps the port (and this thread) attentive; nothing is ever sent on it.
  lifeline.on('message', () => undefined);
}

/** What the host starts the thread with: its end of the inbox the host queues messages in. */
export interface WatchdogWorkerData {
  readonly inbox: MessagePort;
}

if (!isMainThread) {
  (workerData as WatchdogWorkerData).inbox.on('message', (message: WatchdogMessage) => {
    if (message.type === 'watch') {
      watch(message.id, message.buffers, message.lifeline, message.callTimeoutMs);
    } else {
      forget(message.id);
    }
  });
}
