/**
 * The shared memory between a host and its kernel worker: three rings and one block of
 * counters.
 *
 * ```
 *  request ring   host ──▶ kernel   requests (sync and pipelined), BYE
 *  callback ring  host ──▶ kernel   read by the kernel only while a callback runs:
 *                                   COMPLETE frames and the handler's own requests
 *  response ring  kernel ──▶ host   RESPONSE, ERROR, CALLBACK, ALIASES, WAKE
 *  state          Int32Array, slots below
 * ```
 *
 * State slots (Int32, all accessed with Atomics):
 *  - COMPLETED_SLOT: seq of the last request served from the request ring. Written by the
 *    kernel only, after the request's effects (and its ERROR frame, if any) are published.
 *  - CB_COMPLETED_SLOT: the same for the callback ring.
 *  - HOST_WAIT_SLOT: a seq the host is blocked waiting to see completed (0 = not waiting).
 *    The host stores it, then re-reads the completed slot before sleeping; the kernel
 *    stores the completed slot, then reads this one. Atomics are sequentially consistent,
 *    so at least one side sees the other's store: either the host sees the progress and
 *    does not sleep, or the kernel sees the waiter and writes a WAKE frame. The kernel
 *    clears it with compareExchange so one wait gets at most one WAKE.
 *  - STATE_SLOT: the kernel's life (STARTING, READY, EXITED, DEAD).
 *  - NOTE_LENGTH_SLOT: byte length of the death note (why the kernel died), written before
 *    STATE_SLOT becomes DEAD (or TIMED_OUT).
 *  - SERVING_SLOT: seq of the request whose library code the kernel is running (0: none:
 *    idle, writing an answer, or waiting for the host to finish a callback; PRELOAD_SERVING:
 *    loading a class's module ahead of its first use, worker/type-preloader.ts). Written by the
 *    kernel with plain stores: read only by the watchdog and after a death, where a value
 *    one request old is harmless.
 *  - CLOSING_SLOT: 1 once the host is ending the channel on purpose (BYE or terminate), so
 *    the watchdog takes the worker's exit for no death.
 *  - MARK_SLOT: seq of a request-ring request at whose start the kernel copies its busy time
 *    into BUSY_AT_MARK_STAT (0: none). Written by the host before it issues that request.
 *
 * After the Int32 slots, Float64 statistics written by the kernel only (plain stores: a
 * reader may see a value one request old, never a torn one, as the slots are 8-aligned):
 *  - BUSY_MS_STAT: milliseconds the kernel spent serving requests (not waiting for them).
 *  - SERVED_STAT: requests served.
 *  - STARTED_STAT: when the kernel entered the library code of SERVING_SLOT's request, in
 *    ms since the epoch (`performance.timeOrigin + performance.now()`, comparable across
 *    threads). The watchdog ends a kernel whose call runs past the deadline.
 *  - PRELOADED_STAT, PRELOAD_MS_STAT: classes whose modules the kernel loaded ahead of their
 *    first use while idle (worker/type-preloader.ts), and the milliseconds that took.
 *  - CALLBACK_MS_STAT, CALLBACKS_STAT: milliseconds the kernel spent waiting for callbacks
 *    to complete (sending each, the host's handler, the requests the handler made, the
 *    completion), and how many callbacks it made; a callback made within a callback counts
 *    in its outer one's time only. Part of BUSY_MS_STAT.
 *  - BUSY_AT_MARK_STAT: BUSY_MS_STAT as it was when the kernel began to serve the request
 *    MARK_SLOT names; -1 until then (set so at creation, and by the host as it names one): where
 *    a phase begins in the kernel's own order, whatever was still in flight when the host
 *    crossed into it.
 *
 * Invariants: seqs are allocated by the host, strictly increasing across both rings; the
 * kernel serves each ring in order, so "completed >= s" means every request of that ring
 * up to s has been served.
 */
import { createRingBuffer } from 'atomics-ring-buffer';

export const COMPLETED_SLOT = 0;
export const CB_COMPLETED_SLOT = 1;
export const HOST_WAIT_SLOT = 2;
export const STATE_SLOT = 3;
export const NOTE_LENGTH_SLOT = 4;
export const SERVING_SLOT = 5;
export const CLOSING_SLOT = 6;
export const MARK_SLOT = 7;
/** SERVING_SLOT while the kernel loads a class ahead (no request): held to the same deadline. */
export const PRELOAD_SERVING = -1;
const STATE_SLOTS = 8;
export const BUSY_MS_STAT = 0;
export const SERVED_STAT = 1;
export const STARTED_STAT = 2;
export const PRELOADED_STAT = 3;
export const PRELOAD_MS_STAT = 4;
export const CALLBACK_MS_STAT = 5;
export const CALLBACKS_STAT = 6;
export const BUSY_AT_MARK_STAT = 7;
const STATS = 8;
/** Bytes after the slots and statistics that hold the death note (UTF-8). */
const NOTE_BYTES = 8192;
const NOTE_OFFSET = STATE_SLOTS * 4 + STATS * 8;

/**
 * The kernel's life. DEAD and TIMED_OUT are final and carry a death note; TIMED_OUT means
 * the watchdog gave up on a call that ran past its deadline (the kernel may still be running it).
 */
export const KernelState = { STARTING: 0, READY: 1, EXITED: 2, DEAD: 3, TIMED_OUT: 4 } as const;

/** Everything a worker needs to attach to its host. Plain data: goes through `workerData`. */
export interface ChannelBuffers {
  readonly request: SharedArrayBuffer;
  readonly callback: SharedArrayBuffer;
  readonly response: SharedArrayBuffer;
  readonly state: SharedArrayBuffer;
}

/** Ring sizes. */
export interface ChannelSizes {
  readonly requestCapacity: number;
  readonly callbackCapacity: number;
  readonly responseCapacity: number;
}

/** Allocates the shared memory of one host ↔ kernel channel. */
export function createChannelBuffers(sizes: ChannelSizes): ChannelBuffers {
  const state = new SharedArrayBuffer(NOTE_OFFSET + NOTE_BYTES);
  // No request marked yet (see BUSY_AT_MARK_STAT).
  channelStats(state)[BUSY_AT_MARK_STAT] = -1;
  return {
    request: createRingBuffer(sizes.requestCapacity),
    callback: createRingBuffer(sizes.callbackCapacity),
    response: createRingBuffer(sizes.responseCapacity),
    state,
  };
}

/** Writes why the kernel is dying, then flags it DEAD or TIMED_OUT (the note is published first). */
export function writeDeathNote(state: SharedArrayBuffer, note: string, final: typeof KernelState.DEAD | typeof KernelState.TIMED_OUT = KernelState.DEAD): void {
  const slots = new Int32Array(state, 0, STATE_SLOTS);
  const bytes = new Uint8Array(state, NOTE_OFFSET, NOTE_BYTES);
  const encoded = new TextEncoder().encode(note).subarray(0, NOTE_BYTES);
  bytes.set(encoded);
  Atomics.store(slots, NOTE_LENGTH_SLOT, encoded.byteLength);
  Atomics.store(slots, STATE_SLOT, final);
}

/** Reads the death note, or undefined if the kernel did not leave one. */
export function readDeathNote(state: SharedArrayBuffer): string | undefined {
  const slots = new Int32Array(state, 0, STATE_SLOTS);
  const life = Atomics.load(slots, STATE_SLOT);
  if (life !== KernelState.DEAD && life !== KernelState.TIMED_OUT) {
    return undefined;
  }
  const length = Atomics.load(slots, NOTE_LENGTH_SLOT);
  return new TextDecoder().decode(new Uint8Array(state, NOTE_OFFSET, length).slice());
}

/** The counters of a channel. */
export function stateSlots(state: SharedArrayBuffer): Int32Array {
  return new Int32Array(state, 0, STATE_SLOTS);
}

/** The kernel's statistics of a channel (see BUSY_MS_STAT, SERVED_STAT). */
export function channelStats(state: SharedArrayBuffer): Float64Array {
  return new Float64Array(state, STATE_SLOTS * 4, STATS);
}
