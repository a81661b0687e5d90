/**
 * The host's side of the watchdog thread (worker/watchdog-worker.ts): at most one per
 * process, started when the host has slept WATCHDOG_GRACE_MS in one wait on a kernel
 * (`beforeHostSleep`), ended when no kernel is watched any more, never keeping the process
 * alive.
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
/** Our end of the watchdog's inbox: messages queue there until the thread reads them. */
let inbox: MessagePort | undefined;
/** The thread's end of the inbox, until the thread is started with it. */
let threadEnd: MessagePort | undefined;
let nextId = 1;
/** Channels watched and not forgotten yet. */
let watching = 0;
/** Threads started so far in this process. */
let starts = 0;

function post(message: WatchdogMessage, transfer: MessagePort[] = []): void {
  if (inbox === undefined) {
    const channel = new MessageChannel();
    inbox = channel.port1;
    threadEnd = channel.port2;
  }
  // Queued in the inbox without the host's event loop; a lifeline queued there whose kernel
  // ends before the thread starts is heard closing as soon as the thread receives it.
  inbox.postMessage(message, transfer);
}

/**
 * How long a host may sleep waiting on a kernel before the watchdog thread is started. The
 * thread costs about 45 ms of a core to start (2-vCPU VM), which on a small app's run is
 * 5-10% of it when paid up front, while the host and the kernel both load their modules. A
 * host sleeps for a short while many times (the adaptive spin sleeps at once on a busy
 * machine), and a short sleep needs no watchdog: it ends anyway. So the first GRACE of a
 * blocking call is slept in one capped sleep, and only a call still blocked after it starts
 * the thread. The cost: a kernel that ends from outside while the host waits is heard up to
 * this much later (a death the kernel reports itself is heard at once, as before).
 */
export const WATCHDOG_GRACE_MS = 50;
let graceMs = WATCHDOG_GRACE_MS;

/** Changes the grace (tests); returns the previous one. */
export function setWatchdogGrace(ms: number): number {
  const previous = graceMs;
  graceMs = ms;
  return previous;
}

/**
 * The host rings' `beforeSleep`: lets a blocking call sleep through the grace, then starts the
 * watchdog thread if channels are watched and it is not running.
 */
export function beforeHostSleep(sleptMs: number): number | undefined {
  if (thread !== undefined || threadEnd === undefined) return undefined;
  if (sleptMs < graceMs) return graceMs - sleptMs;
  startWatchdog(threadEnd);
  return undefined;
}

/** Starts the watchdog thread on the inbox's other end (`threadEnd`, present while it is not running). */
function startWatchdog(end: MessagePort): void {
  threadEnd = undefined;
  starts++;
  const started = new Worker(WATCHDOG_ENTRY, { workerData: { inbox: end }, transferList: [end] });
  thread = started;
  started.unref();
  // The watchdog never fails on purpose; if it does, the next watch starts another inbox.
  started.on('error', () => undefined);
  // An exit of its own (it never fails on purpose): the next watch starts another inbox.
  started.once('exit', () => {
    if (thread !== started) return;
    thread = undefined;
    inbox?.close();
    inbox = undefined;
  });
}

/**
 * No channel is watched any more: the thread is ended now, not at the process's exit, where
 * Node would wait for its teardown (15-20 ms on Node 24) after the kernel worker's. Ended
 * here, it tears down beside the kernel worker. The inbox goes with it; a later watch starts
 * a new one, and a new thread when a host blocks again.
 */
function stopWatchdog(): void {
  const running = thread;
  thread = undefined;
  inbox?.close();
  inbox = undefined;
  threadEnd = undefined;
  if (running !== undefined) void running.terminate();
}

/** Whether the watchdog thread is running (the synth report, tests). */
export function watchdogRunning(): boolean {
  return thread !== undefined;
}

/** How many times the watchdog thread was started in this process (the synth report). */
export function watchdogStarts(): number {
  return starts;
}

/** The watchdog thread, while it runs (tests and diagnostics). */
export function watchdogThread(): Worker | undefined {
  return thread;
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
  watching++;
  let forgotten = false;
  return {
    lifeline: port2,
    forget: () => {
      if (forgotten) return;
      forgotten = true;
      if (--watching === 0) {
        stopWatchdog();
      } else if (inbox !== undefined) {
        post({ type: 'forget', id });
      }
    },
  };
}
