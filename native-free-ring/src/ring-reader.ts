/**
 * The consuming end of a ring. See layout.ts for the memory layout and its invariants.
 */
import { RingError, RingErrorCode } from './errors.js';
import { markRingDead, peerGoneError, raiseState } from './lifecycle.js';
import {
  DATA_OFFSET,
  FIRST_HEADER_BYTES,
  FRAME_HEADER_BYTES,
  FRAME_TAG,
  HEADER_BYTES,
  KIND_ABORT,
  KIND_FIRST,
  KIND_LAST,
  KIND_MIDDLE,
  KIND_PAD,
  KIND_WHOLE,
  READER_WAITING_SLOT,
  READ_POS_SLOT,
  ROLE_READER,
  STATE_READER_CLOSED,
  STATE_SLOT,
  STATE_WRITER_CLOSED,
  WRITER_WAITING_SLOT,
  WRITER_WAIT_FOR_SLOT,
  WRITE_POS_SLOT,
  align8,
  claimRole,
  frameLimits,
  validateRingBuffer,
} from './layout.js';
import { type RingOptions, resolveOptions, resolveTimeout } from './options.js';
import {
  type RingStats,
  STAT_BYTES,
  STAT_FRAMES,
  STAT_MESSAGES,
  STAT_NOTIFIES,
  STAT_SLEEPS,
  STAT_SPIN_HITS,
  STAT_SPIN_ITERATIONS,
  STAT_WAITS,
  snapshotStats,
  statsView,
} from './stats.js';
import { PAUSE_ITERATION_WEIGHT, SpinPolicy, atomicsPause, SleepHook, deadlineOf, now, waitAsync } from './wait-policy.js';

const EMPTY = new Uint8Array(0);
/** How long the keep-alive timer of `readAsync` outlives the wait's own timeout. */
const KEEP_ALIVE_MARGIN_MS = 1000;
/** Longest delay `setTimeout` takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reads the messages a {@link RingWriter} wrote, in order, each exactly once.
 *
 * Contract: one producer and one consumer per ring, roles fixed for the ring's life. Exactly one
 * `RingReader` may attach to a buffer (a second one throws `ERR_RING_ROLE_TAKEN`), and it must
 * be used from one thread only. `read`/`tryRead`/`readAsync` return a view that stays valid until
 * the next read call on this reader (the ring space is released then); `readCopy` returns an
 * owned copy. `null` means end of stream: the ring was closed and everything written was read.
 */
export class RingReader {
  readonly #buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #data32: Int32Array;
  readonly #data8: Uint8Array;
  readonly #counters: Float64Array;
  readonly #capacity: number;
  readonly #mask: number;
  readonly #fragmentPayload: number;
  readonly #timeoutMs: number;
  readonly #beforeSleep: SleepHook | undefined;
  readonly #spin: SpinPolicy;
  /** `Atomics.pause` when the `pause` option is on and the runtime has it. */
  readonly #pause: (() => void) | undefined;
  /** Position of the next unread frame. Runs ahead of READ_POS by the frame the caller holds. */
  #r: number;
  /** Last value stored to READ_POS. */
  #published: number;
  /** Last WRITE_POS loaded: may lag the real one, which only under-states available data. */
  #writeCache: number;
  /** Destination of the fragmented message being reassembled, or null. */
  #target: Uint8Array | null = null;
  #total = 0;
  #filled = 0;
  /** Reassembly buffer reused by `read` (its views are valid until the next read anyway). */
  #scratch: Uint8Array = EMPTY;
  #asyncPending = false;

  /**
   * Attaches as the ring's reader. Throws `ERR_RING_LAYOUT` for a buffer of another layout
   * version or size, `ERR_RING_ROLE_TAKEN` if the ring already has a reader.
   */
  public constructor(buffer: SharedArrayBuffer, options?: RingOptions) {
    const resolved = resolveOptions(options);
    const capacity = validateRingBuffer(buffer);
    this.#buffer = buffer;
    this.#i32 = new Int32Array(buffer, 0, HEADER_BYTES >>> 2);
    claimRole(this.#i32, ROLE_READER);
    this.#data32 = new Int32Array(buffer, DATA_OFFSET, capacity >>> 2);
    this.#data8 = new Uint8Array(buffer, DATA_OFFSET, capacity);
    this.#counters = statsView(buffer, 'reader');
    this.#capacity = capacity;
    this.#mask = capacity - 1;
    this.#fragmentPayload = frameLimits(capacity).fragmentPayload;
    this.#timeoutMs = resolved.timeoutMs;
    this.#beforeSleep = resolved.beforeSleep !== undefined ? new SleepHook(resolved.beforeSleep) : undefined;
    this.#spin = new SpinPolicy(resolved.spin, resolved.adaptive);
    this.#pause = resolved.pause ? atomicsPause : undefined;
    this.#r = Atomics.load(this.#i32, READ_POS_SLOT);
    this.#published = this.#r;
    this.#writeCache = this.#r;
  }

  /** Data-region size in bytes. */
  public get capacity(): number {
    return this.#capacity;
  }

  /** This side's counters (a snapshot). */
  public get stats(): RingStats {
    return snapshotStats(this.#counters);
  }

  /**
   * Reads the next message, blocking while the ring is empty.
   * @returns a view valid until the next read on this reader (zero-copy when the message was one
   *   frame; a reused reassembly buffer when it was fragmented), or null at end of stream
   * @throws RingError `ERR_RING_TIMEOUT` (nothing consumed; a partly reassembled message is kept
   *   for the next call), `ERR_PEER_GONE` once the ring is dead and drained, `ERR_RING_CORRUPT`.
   */
  public read(timeoutMs?: number): Uint8Array | null {
    const timeout = resolveTimeout(timeoutMs, this.#timeoutMs);
    if (this.#asyncPending) throw busyError();
    const message = this.#next(false);
    return message !== undefined ? message : this.#readBlocking(false, timeout);
  }

  /** Like {@link read}, but returns a copy the caller owns. */
  public readCopy(timeoutMs?: number): Uint8Array | null {
    const timeout = resolveTimeout(timeoutMs, this.#timeoutMs);
    if (this.#asyncPending) throw busyError();
    const message = this.#next(true);
    return message !== undefined ? message : this.#readBlocking(true, timeout);
  }

  /**
   * Reads the next message if one is complete right now; never blocks.
   * @returns a view as for {@link read}, null at end of stream, undefined if nothing is ready
   */
  public tryRead(): Uint8Array | null | undefined {
    if (this.#asyncPending) throw busyError();
    return this.#next(false);
  }

  /**
   * Reads the next message without blocking the thread: waits with `Atomics.waitAsync`, so the
   * event loop keeps running. At most one may be pending per reader; other reads throw
   * `ERR_RING_BUSY` meanwhile. Returns and throws as {@link read}.
   */
  public async readAsync(timeoutMs?: number): Promise<Uint8Array | null> {
    const timeout = resolveTimeout(timeoutMs, this.#timeoutMs);
    if (this.#asyncPending) throw busyError();
    const ready = this.#next(false);
    if (ready !== undefined) return ready;
    this.#asyncPending = true;
    try {
      const i32 = this.#i32;
      const deadline = deadlineOf(timeout);
      this.#counters[STAT_WAITS]! += 1;
      for (;;) {
        // Same protocol as #sleep (invariant 6), with the wait handed to the event loop.
        Atomics.store(i32, READER_WAITING_SLOT, 1);
        if (Atomics.load(i32, WRITE_POS_SLOT) === this.#r && Atomics.load(i32, STATE_SLOT) === 0) {
          const remaining = deadline === Infinity ? Infinity : deadline - now();
          if (remaining <= 0) {
            Atomics.store(i32, READER_WAITING_SLOT, 0);
            throw timeoutError();
          }
          const result = waitAsync(i32, READER_WAITING_SLOT, 1, remaining);
          if (result.async) {
            this.#counters[STAT_SLEEPS]! += 1;
            // A pending Atomics.waitAsync does not keep Node's event loop alive, and its result
            // arrives through a task the loop runs: without this timer (outliving the wait's own
            // timeout) a process with nothing else to do would exit with the read still pending.
            const keepAlive = setTimeout(noop, Math.min(remaining + KEEP_ALIVE_MARGIN_MS, MAX_TIMER_MS));
            try {
              await result.value;
            } finally {
              clearTimeout(keepAlive);
            }
          }
        }
        Atomics.store(i32, READER_WAITING_SLOT, 0);
        const message = this.#next(false);
        if (message !== undefined) return message;
      }
    } finally {
      this.#asyncPending = false;
    }
  }

  /**
   * Closes from the reading side: the writer's next write throws `ERR_RING_CLOSED` (a blocked
   * one wakes with it). Messages already in the ring can still be read, then end of stream.
   */
  public close(): void {
    raiseState(this.#i32, STATE_READER_CLOSED);
  }

  /** Marks the ring dead: every waiter on either side wakes with `ERR_PEER_GONE`. */
  public markDead(reason?: string): void {
    markRingDead(this.#i32, reason);
  }

  /**
   * The next complete message if there is one now (undefined if not), null at end of stream.
   * Hot path: one WHOLE frame, index cached, no allocation beyond the returned view.
   */
  #next(copy: boolean): Uint8Array | null | undefined {
    this.#release();
    const data32 = this.#data32;
    for (;;) {
      const r = this.#r;
      let used = (this.#writeCache - r) | 0;
      if (used === 0) {
        used = this.#reloadUsed();
        if (used === 0) {
          const state = Atomics.load(this.#i32, STATE_SLOT);
          if (state === 0) return undefined;
          // The writer publishes its last frames before it closes (or dies): look once more.
          used = this.#reloadUsed();
          if (used === 0) return this.#end(state);
        }
      }
      const off = r & this.#mask;
      const word = off >>> 2;
      const length = data32[word]!;
      const kind = data32[word + 1]! - FRAME_TAG;
      if (kind === KIND_WHOLE) {
        const frame = FRAME_HEADER_BYTES + align8(length);
        // Range-check `length` first: align8's 32-bit arithmetic wraps for garbage lengths.
        if (length < 0 || length > used || frame > used || frame > this.#capacity - off || this.#target !== null) {
          throw this.#corrupt(`bad WHOLE frame of length ${length} at offset ${off}`);
        }
        this.#r = (r + frame) | 0;
        const counters = this.#counters;
        counters[STAT_MESSAGES]! += 1;
        counters[STAT_BYTES]! += length;
        counters[STAT_FRAMES]! += 1;
        const start = off + FRAME_HEADER_BYTES;
        if (!copy) return new Uint8Array(this.#buffer, DATA_OFFSET + start, length);
        const owned = this.#data8.slice(start, start + length);
        this.#release();
        return owned;
      }
      const message = this.#otherFrame(kind, length, off, used, copy);
      if (message !== undefined) return message;
    }
  }

  /** Handles PAD, FIRST, MIDDLE, LAST and ABORT frames; returns a message when one completes. */
  #otherFrame(kind: number, length: number, off: number, used: number, copy: boolean): Uint8Array | undefined {
    const tail = this.#capacity - off;
    if (kind === KIND_PAD) {
      if (length !== tail - FRAME_HEADER_BYTES || tail > used) {
        throw this.#corrupt(`bad PAD frame of length ${length} at offset ${off}`);
      }
      this.#advance(tail);
      return undefined;
    }
    if (kind === KIND_ABORT) {
      if (length !== 0) throw this.#corrupt(`bad ABORT frame of length ${length} at offset ${off}`);
      this.#target = null;
      this.#advance(FRAME_HEADER_BYTES);
      return undefined;
    }
    const first = kind === KIND_FIRST;
    if (!first && kind !== KIND_MIDDLE && kind !== KIND_LAST) {
      throw this.#corrupt(`unknown frame kind word ${(kind + FRAME_TAG) >>> 0} at offset ${off}`);
    }
    const header = first ? FIRST_HEADER_BYTES : FRAME_HEADER_BYTES;
    const frame = header + align8(length);
    const last = kind === KIND_LAST;
    // Every fragment but the last carries exactly fragmentPayload bytes (see layout.ts).
    if (length < 0 || length > used || frame > used || frame > tail || (last ? length > this.#fragmentPayload : length !== this.#fragmentPayload)) {
      throw this.#corrupt(`bad fragment frame (kind ${kind}, length ${length}) at offset ${off}`);
    }
    if (first) {
      const word = off >>> 2;
      const total = this.#data32[word + 2]! >>> 0;
      if (this.#target !== null || total <= length || ~total !== this.#data32[word + 3]) {
        throw this.#corrupt(`bad FIRST frame (total ${total}, length ${length}) at offset ${off}`);
      }
      this.#target = copy ? new Uint8Array(total) : this.#scratchOf(total);
      this.#total = total;
      this.#filled = 0;
    } else if (this.#target === null || this.#filled + length > this.#total || (last && this.#filled + length !== this.#total)) {
      throw this.#corrupt(`fragment (kind ${kind}, length ${length}) does not continue a message at offset ${off}`);
    }
    const target = this.#target!;
    const start = off + header;
    target.set(this.#data8.subarray(start, start + length), this.#filled);
    this.#filled += length;
    this.#counters[STAT_FRAMES]! += 1;
    this.#advance(frame);
    if (!last) return undefined;
    const total = this.#total;
    this.#target = null;
    this.#counters[STAT_MESSAGES]! += 1;
    this.#counters[STAT_BYTES]! += total;
    if (copy && target === this.#scratch) return target.slice(0, total);
    return target.length === total ? target : target.subarray(0, total);
  }

  /** Consumes `bytes` and releases them at once (the caller keeps nothing of them). */
  #advance(bytes: number): void {
    this.#r = (this.#r + bytes) | 0;
    this.#release();
  }

  /** The reuse buffer, grown to hold `total` bytes. */
  #scratchOf(total: number): Uint8Array {
    if (this.#scratch.length < total) this.#scratch = new Uint8Array(total);
    return this.#scratch;
  }

  /**
   * Publishes READ_POS up to the frames consumed, then wakes the writer if it sleeps and now has
   * the room it asked for (it published that READ_POS in WRITER_WAIT_FOR before its flag).
   */
  #release(): void {
    const r = this.#r;
    if (r === this.#published) return;
    this.#published = r;
    const i32 = this.#i32;
    Atomics.store(i32, READ_POS_SLOT, r);
    if (Atomics.load(i32, WRITER_WAITING_SLOT) !== 0 && ((r - Atomics.load(i32, WRITER_WAIT_FOR_SLOT)) | 0) >= 0) {
      Atomics.store(i32, WRITER_WAITING_SLOT, 0);
      Atomics.notify(i32, WRITER_WAITING_SLOT);
      this.#counters[STAT_NOTIFIES]! += 1;
    }
  }

  /** Reloads WRITE_POS; returns the bytes available, refusing values no correct writer produces. */
  #reloadUsed(): number {
    const w = Atomics.load(this.#i32, WRITE_POS_SLOT);
    this.#writeCache = w;
    const used = (w - this.#r) | 0;
    if (used < 0 || used > this.#capacity || (used & 7) !== 0) {
      throw this.#corrupt(`ring indices are inconsistent (write ${w >>> 0}, read ${this.#r >>> 0})`);
    }
    return used;
  }

  /** Ring drained and STATE set: null after a close, ERR_PEER_GONE after a death. */
  #end(state: number): null {
    // A message cut short by close or death is dropped: its sender already saw an error.
    this.#target = null;
    if ((state & (STATE_WRITER_CLOSED | STATE_READER_CLOSED)) !== 0) return null;
    throw peerGoneError(this.#i32);
  }

  /** Slow path of the blocking reads: wait, parse, repeat until a message, the end, or an error. */
  #readBlocking(copy: boolean, timeout: number): Uint8Array | null {
    const deadline = deadlineOf(timeout);
    for (;;) {
      this.#awaitData(deadline);
      const message = this.#next(copy);
      if (message !== undefined) return message;
    }
  }

  /** Returns once WRITE_POS moved past this reader or STATE changed; throws at the deadline. */
  #awaitData(deadline: number): void {
    const i32 = this.#i32;
    const r = this.#r;
    const counters = this.#counters;
    counters[STAT_WAITS]! += 1;
    const pause = this.#pause;
    const budget = pause === undefined ? this.#spin.budget() : Math.ceil(this.#spin.budget() / PAUSE_ITERATION_WEIGHT);
    if (budget > 0) {
      let i = 0;
      if (pause === undefined) {
        for (; i < budget; i++) {
          if (Atomics.load(i32, WRITE_POS_SLOT) !== r || Atomics.load(i32, STATE_SLOT) !== 0) break;
        }
      } else {
        for (; i < budget; i++) {
          if (Atomics.load(i32, WRITE_POS_SLOT) !== r || Atomics.load(i32, STATE_SLOT) !== 0) break;
          pause();
        }
      }
      counters[STAT_SPIN_ITERATIONS]! += i;
      if (i < budget) {
        this.#spin.answered();
        counters[STAT_SPIN_HITS]! += 1;
        return;
      }
      this.#spin.ranOut();
    }
    this.#beforeSleep?.start();
    for (;;) {
      if (Atomics.load(i32, WRITE_POS_SLOT) !== r || Atomics.load(i32, STATE_SLOT) !== 0) {
        return;
      }
      let remaining = deadline === Infinity ? Infinity : deadline - now();
      if (remaining <= 0) {
        throw timeoutError();
      }
      // Before the flag: whatever it does, a message that arrives meanwhile is seen below.
      if (this.#beforeSleep !== undefined) remaining = this.#beforeSleep.cap(remaining);
      Atomics.store(i32, READER_WAITING_SLOT, 1);
      if (Atomics.load(i32, WRITE_POS_SLOT) !== r || Atomics.load(i32, STATE_SLOT) !== 0) {
        Atomics.store(i32, READER_WAITING_SLOT, 0);
        return;
      }
      counters[STAT_SLEEPS]! += 1;
      Atomics.wait(i32, READER_WAITING_SLOT, 1, remaining);
      // Cleared whatever woke us; the loop re-checks, so a racing publish is not lost.
      Atomics.store(i32, READER_WAITING_SLOT, 0);
    }
  }

  /** Marks the ring dead (the writer must not block on it forever) and builds the error. */
  #corrupt(detail: string): RingError {
    markRingDead(this.#i32, 'the reader found the ring memory corrupt');
    return new RingError(RingErrorCode.CORRUPT, `ring memory is corrupt: ${detail}`);
  }
}

function noop(): void {}

function busyError(): RingError {
  return new RingError(RingErrorCode.BUSY, 'a readAsync() on this reader is still pending; await it first');
}

function timeoutError(): RingError {
  return new RingError(RingErrorCode.TIMEOUT, 'timed out waiting for a message (the writer is not writing)');
}
