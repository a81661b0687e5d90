/**
 * The producing end of a ring. See layout.ts for the memory layout and its invariants.
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
  MAX_MESSAGE_BYTES,
  READER_WAITING_SLOT,
  READ_POS_SLOT,
  ROLE_WRITER,
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
import { PAUSE_ITERATION_WEIGHT, SpinPolicy, atomicsPause, SleepHook, deadlineOf, now } from './wait-policy.js';

/**
 * Writes variable-length messages into a ring.
 *
 * Contract: one producer and one consumer per ring, roles fixed for the ring's life. Exactly one
 * `RingWriter` may attach to a buffer (a second one throws `ERR_RING_ROLE_TAKEN`), and it must
 * be used from one thread only. Messages of any length (0 bytes up) go through: one too big for
 * a single frame is split into fragments the reader reassembles.
 */
export class RingWriter {
  readonly #i32: Int32Array;
  readonly #data32: Int32Array;
  readonly #data8: Uint8Array;
  readonly #counters: Float64Array;
  readonly #capacity: number;
  readonly #mask: number;
  /** Longest payload sent as one WHOLE frame. */
  readonly #maxWholePayload: number;
  readonly #fragmentPayload: number;
  readonly #timeoutMs: number;
  readonly #beforeSleep: SleepHook | undefined;
  readonly #spin: SpinPolicy;
  /** `Atomics.pause` when the `pause` option is on and the runtime has it. */
  readonly #pause: (() => void) | undefined;
  /** Position after the last frame written; equals WRITE_POS after every publish. */
  #w: number;
  /** Last READ_POS loaded: may lag the real one, which only under-states free space. */
  #readCache: number;
  /** A fragmented write timed out after publishing fragments: send ABORT before anything else. */
  #abortPending = false;

  /**
   * Attaches as the ring's writer. Throws `ERR_RING_LAYOUT` for a buffer of another layout
   * version or size, `ERR_RING_ROLE_TAKEN` if the ring already has a writer.
   */
  public constructor(buffer: SharedArrayBuffer, options?: RingOptions) {
    const resolved = resolveOptions(options);
    const capacity = validateRingBuffer(buffer);
    this.#i32 = new Int32Array(buffer, 0, HEADER_BYTES >>> 2);
    claimRole(this.#i32, ROLE_WRITER);
    this.#data32 = new Int32Array(buffer, DATA_OFFSET, capacity >>> 2);
    this.#data8 = new Uint8Array(buffer, DATA_OFFSET, capacity);
    this.#counters = statsView(buffer, 'writer');
    this.#capacity = capacity;
    this.#mask = capacity - 1;
    const limits = frameLimits(capacity);
    this.#maxWholePayload = limits.maxWholeFrame - FRAME_HEADER_BYTES;
    this.#fragmentPayload = limits.fragmentPayload;
    this.#timeoutMs = resolved.timeoutMs;
    this.#beforeSleep = resolved.beforeSleep !== undefined ? new SleepHook(resolved.beforeSleep) : undefined;
    this.#spin = new SpinPolicy(resolved.spin, resolved.adaptive);
    this.#pause = resolved.pause ? atomicsPause : undefined;
    this.#w = Atomics.load(this.#i32, WRITE_POS_SLOT);
    this.#readCache = Atomics.load(this.#i32, READ_POS_SLOT);
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
   * Writes one message, blocking while the ring is full. A message bigger than one frame is
   * fragmented; the call returns once its last fragment is in the ring.
   * @param timeoutMs overrides the default timeout for this call. On `ERR_RING_TIMEOUT` the
   *   message is not delivered (fragments already in the ring are dropped by the reader).
   * @throws RingError `ERR_RING_CLOSED` after either side closed, `ERR_PEER_GONE` once dead.
   */
  public write(message: Uint8Array, timeoutMs?: number): void {
    if (!(message instanceof Uint8Array)) throw notBytes(message);
    if (message.length > MAX_MESSAGE_BYTES) throw tooLong(message.length);
    const timeout = resolveTimeout(timeoutMs, this.#timeoutMs);
    // Hot path: one WHOLE frame with room now. No clock read, no notify unless the reader sleeps.
    // (Compare lengths before align8: its 32-bit arithmetic would wrap for lengths ≥ 2^31.)
    if (message.length <= this.#maxWholePayload && !this.#abortPending) {
      if (this.#tryWhole(message, FRAME_HEADER_BYTES + align8(message.length))) return;
    }
    this.#writeBlocking(message, deadlineOf(timeout));
  }

  /**
   * Writes one message if all of it fits in the ring right now; never blocks.
   * @returns false when there is not enough room yet
   * @throws RingError `ERR_MESSAGE_TOO_LARGE` for a message that can never fit in one go
   *   (use `write`), `ERR_RING_CLOSED` / `ERR_PEER_GONE` as for `write`.
   */
  public tryWrite(message: Uint8Array): boolean {
    if (!(message instanceof Uint8Array)) throw notBytes(message);
    if (message.length > this.#maxWholePayload) {
      throw new RingError(
        RingErrorCode.MESSAGE_TOO_LARGE,
        `tryWrite() takes messages up to ${this.#maxWholePayload} bytes in this ring, ` +
          `got ${message.length}; use write(), which fragments`,
      );
    }
    if (this.#abortPending && !this.#tryAbort()) return false;
    return this.#tryWhole(message, FRAME_HEADER_BYTES + align8(message.length));
  }

  /**
   * Ends the stream: the reader gets every message written so far, then end of stream. Further
   * writes throw `ERR_RING_CLOSED`. Idempotent.
   */
  public close(): void {
    raiseState(this.#i32, STATE_WRITER_CLOSED);
  }

  /** Marks the ring dead: every waiter on either side wakes with `ERR_PEER_GONE`. */
  public markDead(reason?: string): void {
    markRingDead(this.#i32, reason);
  }

  /** Writes a WHOLE frame if there is room now (writing a PAD first when it would wrap). */
  #tryWhole(message: Uint8Array, frame: number): boolean {
    const i32 = this.#i32;
    if (Atomics.load(i32, STATE_SLOT) !== 0) throw this.#stateError();
    let off = this.#w & this.#mask;
    const tail = this.#capacity - off;
    // A frame that does not fit before the end needs the tail (PAD) and `frame` bytes at 0.
    const need = frame <= tail ? frame : tail + frame;
    if (this.#free(need) < need) return false;
    if (frame > tail) off = this.#pad(off, tail);
    const data32 = this.#data32;
    data32[off >>> 2] = message.length;
    data32[(off >>> 2) + 1] = FRAME_TAG | KIND_WHOLE;
    this.#data8.set(message, off + FRAME_HEADER_BYTES);
    this.#publish((this.#w + frame) | 0);
    const counters = this.#counters;
    counters[STAT_MESSAGES]! += 1;
    counters[STAT_BYTES]! += message.length;
    counters[STAT_FRAMES]! += 1;
    return true;
  }

  /** Free bytes, reloading READ_POS only when the cached value says there are fewer than `need`. */
  #free(need: number): number {
    const free = this.#capacity - ((this.#w - this.#readCache) | 0);
    if (free >= need) return free;
    return this.#freshFree();
  }

  /** Reloads READ_POS and returns the free space, however much the cache says. */
  #freshFree(): number {
    this.#readCache = Atomics.load(this.#i32, READ_POS_SLOT);
    return this.#capacity - this.#checkedUsed();
  }

  /** Used bytes from the cached read position, refusing values no correct reader produces. */
  #checkedUsed(): number {
    const used = (this.#w - this.#readCache) | 0;
    if (used < 0 || used > this.#capacity || (used & 7) !== 0) {
      const error = new RingError(
        RingErrorCode.CORRUPT,
        `ring indices are inconsistent (write ${this.#w >>> 0}, read ${this.#readCache >>> 0}, capacity ${this.#capacity})`,
      );
      markRingDead(this.#i32, 'writer found corrupt ring indices');
      throw error;
    }
    return used;
  }

  /** Writes a PAD frame over the `tail` bytes at `off` (unpublished); returns the new offset 0. */
  #pad(off: number, tail: number): number {
    this.#data32[off >>> 2] = tail - FRAME_HEADER_BYTES;
    this.#data32[(off >>> 2) + 1] = FRAME_TAG | KIND_PAD;
    this.#w = (this.#w + tail) | 0;
    return 0;
  }

  /** Stores WRITE_POS (publishing every frame before it) and wakes the reader if it sleeps. */
  #publish(w: number): void {
    const i32 = this.#i32;
    this.#w = w;
    Atomics.store(i32, WRITE_POS_SLOT, w);
    // Dekker with the reader's sleep (invariant 6): it stores READER_WAITING then re-loads
    // WRITE_POS; we store WRITE_POS then load READER_WAITING. One of us sees the other.
    if (Atomics.load(i32, READER_WAITING_SLOT) !== 0) {
      Atomics.store(i32, READER_WAITING_SLOT, 0);
      Atomics.notify(i32, READER_WAITING_SLOT);
      this.#counters[STAT_NOTIFIES]! += 1;
    }
  }

  /** Slow path of `write`: waits for room, fragments big messages, honours the deadline. */
  #writeBlocking(message: Uint8Array, deadline: number): void {
    if (this.#abortPending) {
      this.#awaitRoom(FRAME_HEADER_BYTES, deadline);
      this.#tryAbort();
    }
    if (message.length <= this.#maxWholePayload) {
      const frame = FRAME_HEADER_BYTES + align8(message.length);
      while (!this.#tryWhole(message, frame)) this.#awaitRoom(frame, deadline);
      return;
    }
    const length = message.length;
    const chunk = this.#fragmentPayload;
    let sent = 0;
    while (sent < length) {
      const size = Math.min(chunk, length - sent);
      const first = sent === 0;
      const kind = first ? KIND_FIRST : sent + size === length ? KIND_LAST : KIND_MIDDLE;
      const fragmentFrame = (first ? FIRST_HEADER_BYTES : FRAME_HEADER_BYTES) + align8(size);
      try {
        this.#awaitRoom(fragmentFrame, deadline);
      } catch (error) {
        // Fragments already published cannot be taken back: tell the reader to drop them.
        if (!first) this.#abortPending = true;
        throw error;
      }
      let off = this.#w & this.#mask;
      if (fragmentFrame > this.#capacity - off) off = this.#pad(off, this.#capacity - off);
      const word = off >>> 2;
      this.#data32[word] = size;
      this.#data32[word + 1] = FRAME_TAG | kind;
      if (first) {
        this.#data32[word + 2] = length | 0;
        this.#data32[word + 3] = ~length;
      }
      const payloadAt = off + (first ? FIRST_HEADER_BYTES : FRAME_HEADER_BYTES);
      this.#data8.set(message.subarray(sent, sent + size), payloadAt);
      this.#publish((this.#w + fragmentFrame) | 0);
      this.#counters[STAT_FRAMES]! += 1;
      sent += size;
    }
    this.#counters[STAT_MESSAGES]! += 1;
    this.#counters[STAT_BYTES]! += length;
  }

  /** Writes the pending ABORT frame if it fits now (wrapping with a PAD when needed). */
  #tryAbort(): boolean {
    if (Atomics.load(this.#i32, STATE_SLOT) !== 0) throw this.#stateError();
    let off = this.#w & this.#mask;
    const tail = this.#capacity - off;
    const need = FRAME_HEADER_BYTES <= tail ? FRAME_HEADER_BYTES : tail + FRAME_HEADER_BYTES;
    if (this.#freshFree() < need) return false;
    if (FRAME_HEADER_BYTES > tail) off = this.#pad(off, tail);
    this.#data32[off >>> 2] = 0;
    this.#data32[(off >>> 2) + 1] = FRAME_TAG | KIND_ABORT;
    this.#publish((this.#w + FRAME_HEADER_BYTES) | 0);
    this.#abortPending = false;
    return true;
  }

  /**
   * Returns once a `frame`-byte frame can be written contiguously at the write position (after
   * a PAD if it would wrap), spinning then sleeping. Throws on close, death or the deadline.
   */
  #awaitRoom(frame: number, deadline: number): void {
    const i32 = this.#i32;
    const capacity = this.#capacity;
    const counters = this.#counters;
    let waited = false;
    this.#beforeSleep?.start();
    for (;;) {
      if (Atomics.load(i32, STATE_SLOT) !== 0) throw this.#stateError();
      const tail = capacity - (this.#w & this.#mask);
      const need = frame <= tail ? frame : tail + frame;
      if (this.#freshFree() >= need) return;
      // The READ_POS value at which `need` bytes are free: READ_POS − target ≥ 0.
      const target = (this.#w + need - capacity) | 0;
      if (!waited) {
        waited = true;
        counters[STAT_WAITS]! += 1;
        const pause = this.#pause;
        const budget = pause === undefined ? this.#spin.budget() : Math.ceil(this.#spin.budget() / PAUSE_ITERATION_WEIGHT);
        if (budget > 0) {
          let i = 0;
          for (; i < budget; i++) {
            if (((Atomics.load(i32, READ_POS_SLOT) - target) | 0) >= 0) break;
            if (Atomics.load(i32, STATE_SLOT) !== 0) break;
            if (pause !== undefined) pause();
          }
          counters[STAT_SPIN_ITERATIONS]! += i;
          if (i < budget) {
            this.#spin.answered();
            counters[STAT_SPIN_HITS]! += 1;
            continue;
          }
          this.#spin.ranOut();
        }
      }
      this.#sleep(target, deadline);
    }
  }

  /**
   * One sleep until READ_POS reaches `target`, STATE changes, the deadline, or the end of the
   * sleep `beforeSleep` allowed.
   */
  #sleep(target: number, deadline: number): void {
    const i32 = this.#i32;
    if (((Atomics.load(i32, READ_POS_SLOT) - target) | 0) >= 0 || Atomics.load(i32, STATE_SLOT) !== 0) {
      return;
    }
    let remaining = deadline === Infinity ? Infinity : deadline - now();
    if (remaining <= 0) {
      throw new RingError(RingErrorCode.TIMEOUT, 'timed out waiting for room in the ring (the reader is not reading)');
    }
    // Before the flag: whatever it does, room made meanwhile is seen below.
    if (this.#beforeSleep !== undefined) remaining = this.#beforeSleep.cap(remaining);
    // WAIT_FOR first, then the flag: a reader that sees the flag also sees the target.
    Atomics.store(i32, WRITER_WAIT_FOR_SLOT, target);
    Atomics.store(i32, WRITER_WAITING_SLOT, 1);
    if (((Atomics.load(i32, READ_POS_SLOT) - target) | 0) >= 0 || Atomics.load(i32, STATE_SLOT) !== 0) {
      Atomics.store(i32, WRITER_WAITING_SLOT, 0);
      return;
    }
    this.#counters[STAT_SLEEPS]! += 1;
    Atomics.wait(i32, WRITER_WAITING_SLOT, 1, remaining);
    // Whatever woke us (notify, timeout, spurious), clear the flag so the reader stops notifying;
    // the caller re-checks the condition, so a wake-up racing with this store is not lost.
    Atomics.store(i32, WRITER_WAITING_SLOT, 0);
  }

  /** The error for a write on a ring whose STATE is not 0. */
  #stateError(): RingError {
    const state = Atomics.load(this.#i32, STATE_SLOT);
    if ((state & STATE_WRITER_CLOSED) !== 0) {
      return new RingError(RingErrorCode.CLOSED, 'cannot write: this writer closed the ring');
    }
    if ((state & STATE_READER_CLOSED) !== 0) {
      return new RingError(RingErrorCode.CLOSED, 'cannot write: the reader closed the ring');
    }
    return peerGoneError(this.#i32);
  }
}

/** The error for a message whose length does not fit the FIRST frame's u32 total. */
function tooLong(length: number): RingError {
  return new RingError(RingErrorCode.INVALID_ARGUMENT, `messages are limited to ${MAX_MESSAGE_BYTES} bytes, got ${length}`);
}

/** The error for a non-Uint8Array message. */
function notBytes(message: unknown): RingError {
  const type = typeof message === 'object' ? Object.prototype.toString.call(message).slice(8, -1) : typeof message;
  return new RingError(RingErrorCode.INVALID_ARGUMENT, `message must be a Uint8Array, got ${type}`);
}
