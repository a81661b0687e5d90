/**
 * The memory layout of one ring: the only file that knows where anything lives.
 *
 * ```
 *  byte 0                                                           byte 512          512 + capacity
 *  ┌──────────┬──────────────┬──────────────┬─────────┬─────────┬────────┬─────┬───────────────────┐
 *  │ line 0   │ line 1       │ line 2       │ line 3  │ line 4  │ 5..6   │ pad │ data region       │
 *  │ identity │ writer-owned │ reader-owned │ writer  │ reader  │ dead   │     │ `capacity` bytes, │
 *  │ + state  │ WRITE_POS    │ READ_POS     │ stats   │ stats   │ reason │     │ frames, 8-aligned │
 *  │          │ READER_WAIT. │ WRITER_WAIT. │ (f64)   │ (f64)   │ UTF-8  │     │                   │
 *  └──────────┴──────────────┴──────────────┴─────────┴─────────┴────────┴─────┴───────────────────┘
 *   64-byte lines, so the index each side publishes never shares a cache line with the other's.
 * ```
 *
 * Frames in the data region (all lengths in bytes, every frame starts 8-aligned):
 * ```
 *  WHOLE / MIDDLE / LAST : [u32 payloadLength][u32 FRAME_TAG|kind][payload, padded to 8]
 *  FIRST                 : [u32 payloadLength][u32 FRAME_TAG|kind][u32 total][u32 ~total][payload, padded]
 *  PAD                   : [u32 tail − 8][u32 FRAME_TAG|PAD] … skip to the end of the data region
 *  ABORT                 : [u32 0][u32 FRAME_TAG|ABORT]  (drop the partly delivered message)
 * ```
 *
 * Invariants:
 * 1. Only the writer stores `WRITE_POS`; only the reader stores `READ_POS`. Both are free-running
 *    byte counters modulo 2^32 (kept in an Int32 slot); the offset in the data region is
 *    `pos & (capacity − 1)`. Both are always multiples of 8.
 * 2. `used = (WRITE_POS − READ_POS) mod 2^32` satisfies `0 ≤ used ≤ capacity` (capacity ≤ 2^30, so
 *    `(w − r) | 0` is exact). Empty iff `used = 0`; full iff `used = capacity`.
 * 3. Bytes `[READ_POS, WRITE_POS)` hold complete frames only; the writer touches bytes only in
 *    `[WRITE_POS, READ_POS + capacity)`, the reader only in `[READ_POS, WRITE_POS)`.
 * 4. A frame never straddles the end of the data region: when it would, the writer fills the tail
 *    with one PAD frame first. Because `capacity` and every frame length are multiples of 8, a
 *    tail always has room for a PAD header.
 * 5. Publish order, writer: frame header and payload (plain stores, any order) →
 *    `Atomics.store(WRITE_POS)` → `Atomics.load(READER_WAITING)` → (only if set) clear it and
 *    `Atomics.notify`. The reader's `Atomics.load(WRITE_POS)` that sees the new value makes the
 *    plain stores before it visible (a synchronizes-with edge in the JS memory model).
 *    Reader: done with the bytes → `Atomics.store(READ_POS)` → `Atomics.load(WRITER_WAITING)` →
 *    (only if set and READ_POS reached WRITER_WAIT_FOR) clear it and notify.
 * 6. A side about to sleep stores its WAITING flag = 1, then re-checks the index and STATE, then
 *    `Atomics.wait(WAITING, 1)`. Every access is sequentially consistent, so (Dekker) either the
 *    sleeper sees the new index or the publisher sees the flag; a wake-up is never lost. Whoever
 *    clears the flag to 0 before the sleeper reaches `Atomics.wait` makes that wait return at once.
 * 7. STATE bits are only ever set, never cleared. The dead reason is written before the DEAD bit,
 *    and the side that sets DEAD (or CLOSED) then clears both WAITING flags and notifies both.
 * 8. Staleness: the writer's cached READ_POS and the reader's cached WRITE_POS can only lag, which
 *    under-states free space / available data: never unsafe, at worst a reload. Stats read by the
 *    other side may lag by a few operations.
 * 9. The identity words (MAGIC, VERSION, CAPACITY) are written once, before the buffer is shared.
 *
 * Bump {@link LAYOUT_VERSION} on any change to this file's numbers or to the frame format.
 */
import { RingError, RingErrorCode } from './errors.js';

/** Version of this layout; a side refuses to attach to a buffer that carries another. */
export const LAYOUT_VERSION = 1;
/** Identifies a ring buffer ("RING" in ASCII). */
export const RING_MAGIC = 0x52494e47;

/** Bytes before the data region. */
export const HEADER_BYTES = 512;
/** Smallest allowed data region (bytes). Big enough that a fragment always carries payload. */
export const MIN_CAPACITY = 256;
/** Largest allowed data region (bytes): keeps `(w − r) | 0` exact. */
export const MAX_CAPACITY = 2 ** 30;
/** Largest message (bytes): its length must fit the FIRST frame's u32 total. */
export const MAX_MESSAGE_BYTES = 2 ** 32 - 1;

// ── Int32 slots: line 0, identity and shared state (written rarely) ──────────────────────────
/** Int32 slot: {@link RING_MAGIC}. */
export const MAGIC_SLOT = 0;
/** Int32 slot: {@link LAYOUT_VERSION} of the side that created the buffer. */
export const VERSION_SLOT = 1;
/** Int32 slot: data region size in bytes. */
export const CAPACITY_SLOT = 2;
/** Int32 slot: {@link STATE_WRITER_CLOSED} | {@link STATE_READER_CLOSED} | {@link STATE_DEAD}. */
export const STATE_SLOT = 3;
/** Int32 slot: {@link ROLE_WRITER} | {@link ROLE_READER}, claimed by compare-exchange on attach. */
export const ROLES_SLOT = 4;
/** Int32 slot: 0 until some side claims the right to write the dead reason (first one wins). */
export const DEAD_CLAIM_SLOT = 5;
/** Int32 slot: byte length of the UTF-8 dead reason. */
export const DEAD_REASON_LENGTH_SLOT = 6;

// ── line 1: published by the writer, polled by the reader ─────────────────────────────────────
/** Int32 slot: writer's position (see invariant 1). */
export const WRITE_POS_SLOT = 16;
/**
 * Int32 slot: 1 while the reader sleeps (or is about to) waiting for data. It sits on the
 * writer's line because the writer loads it after every publish: a hit in its own cache line.
 */
export const READER_WAITING_SLOT = 17;

// ── line 2: published by the reader, polled by the writer ─────────────────────────────────────
/** Int32 slot: reader's position (see invariant 1). */
export const READ_POS_SLOT = 32;
/** Int32 slot: 1 while the writer sleeps (or is about to) waiting for room. */
export const WRITER_WAITING_SLOT = 33;
/** Int32 slot: the READ_POS the sleeping writer needs; the reader notifies only once past it. */
export const WRITER_WAIT_FOR_SLOT = 34;

// ── lines 3 and 4: per-side counters, Float64 indices ─────────────────────────────────────────
/** Float64 index of the writer's first counter (see stats.ts for the order). */
export const WRITER_STATS_F64 = 24;
/** Float64 index of the reader's first counter. */
export const READER_STATS_F64 = 32;
/** Number of Float64 counters per side. */
export const STATS_COUNT = 8;

// ── lines 5–6: dead reason ────────────────────────────────────────────────────────────────────
/** Byte offset of the UTF-8 dead reason. */
export const DEAD_REASON_OFFSET = 320;
/** Most bytes of dead reason kept (longer reasons are cut). */
export const DEAD_REASON_MAX_BYTES = 128;

/** Byte offset of the data region. */
export const DATA_OFFSET = HEADER_BYTES;

// ── STATE and ROLES bits ──────────────────────────────────────────────────────────────────────
/** STATE bit: the writer closed; the reader drains, then sees end of stream. */
export const STATE_WRITER_CLOSED = 1;
/** STATE bit: the reader closed; further writes fail. */
export const STATE_READER_CLOSED = 2;
/** STATE bit: a side died; everyone still waiting gets `ERR_PEER_GONE`. */
export const STATE_DEAD = 4;
/** ROLES bit: a {@link RingWriter} is attached. */
export const ROLE_WRITER = 1;
/** ROLES bit: a {@link RingReader} is attached. */
export const ROLE_READER = 2;

// ── frames ────────────────────────────────────────────────────────────────────────────────────
/** Header bytes of WHOLE, MIDDLE, LAST, PAD and ABORT frames. */
export const FRAME_HEADER_BYTES = 8;
/**
 * Header bytes of a FIRST frame: adds the message's total length and its bitwise complement, so
 * one damaged word cannot make the reader allocate a bogus size.
 */
export const FIRST_HEADER_BYTES = 16;
/** High 16 bits of every frame's second word: a cheap check against reading garbage. */
export const FRAME_TAG = 0x52470000;
/** Frame kind: a complete message. */
export const KIND_WHOLE = 1;
/** Frame kind: first fragment of a message too big for one frame; carries the total length. */
export const KIND_FIRST = 2;
/** Frame kind: a fragment after the first and before the last. */
export const KIND_MIDDLE = 3;
/** Frame kind: the last fragment; the message is complete. */
export const KIND_LAST = 4;
/** Frame kind: filler up to the end of the data region. */
export const KIND_PAD = 5;
/** Frame kind: the writer gave up mid-message (a timed-out write); drop the fragments so far. */
export const KIND_ABORT = 6;

/** Rounds a byte length up to the next multiple of 8. */
export function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Size arithmetic for a given capacity; the only place that decides frame sizes. */
export interface FrameLimits {
  /** Largest frame (header included) sent as one WHOLE frame and readable as a zero-copy view. */
  readonly maxWholeFrame: number;
  /** Payload bytes of each fragment of a fragmented message (a multiple of 8). */
  readonly fragmentPayload: number;
}

/**
 * Why these sizes: a WHOLE frame is capped at half the ring so the writer can fill one half while
 * the reader drains the other; fragments are a quarter of the ring so copies in and out overlap.
 * Fragment payloads are multiples of 8 so every reassembly copy stays 8-byte aligned (unaligned
 * copies through shared memory run several times slower).
 */
export function frameLimits(capacity: number): FrameLimits {
  return {
    maxWholeFrame: capacity >>> 1,
    fragmentPayload: (capacity >>> 2) - FIRST_HEADER_BYTES,
  };
}

/** Whether `capacity` is an allowed data-region size. */
export function isValidCapacity(capacity: number): boolean {
  return (
    Number.isInteger(capacity) &&
    capacity >= MIN_CAPACITY &&
    capacity <= MAX_CAPACITY &&
    (capacity & (capacity - 1)) === 0
  );
}

/**
 * Allocates and initialises a SharedArrayBuffer for one ring whose data region holds `capacity`
 * bytes (a power of two from {@link MIN_CAPACITY} to {@link MAX_CAPACITY}). Hand the same buffer to
 * one {@link RingWriter} and one {@link RingReader}, on any threads.
 */
export function createRingBuffer(capacity: number): SharedArrayBuffer {
  if (!isValidCapacity(capacity)) {
    throw new RingError(
      RingErrorCode.INVALID_CAPACITY,
      `capacity must be a power of two from ${MIN_CAPACITY} to ${MAX_CAPACITY} bytes, got ${String(capacity)}`,
    );
  }
  const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity);
  const i32 = new Int32Array(buffer, 0, HEADER_BYTES >>> 2);
  // Nothing else can see the buffer yet; plain stores are enough (invariant 9).
  i32[MAGIC_SLOT] = RING_MAGIC;
  i32[VERSION_SLOT] = LAYOUT_VERSION;
  i32[CAPACITY_SLOT] = capacity;
  return buffer;
}

/**
 * Checks that `buffer` is a ring of this layout version and returns its capacity. Does not
 * claim a role; see {@link claimRole}.
 */
export function validateRingBuffer(buffer: unknown): number {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new RingError(RingErrorCode.INVALID_ARGUMENT, 'buffer must be a SharedArrayBuffer from createRingBuffer()');
  }
  if (buffer.byteLength < HEADER_BYTES) {
    throw new RingError(
      RingErrorCode.LAYOUT,
      `buffer of ${buffer.byteLength} bytes is smaller than a ring header (${HEADER_BYTES} bytes)`,
    );
  }
  const i32 = new Int32Array(buffer, 0, HEADER_BYTES >>> 2);
  const magic = Atomics.load(i32, MAGIC_SLOT);
  if (magic !== RING_MAGIC) {
    throw new RingError(RingErrorCode.LAYOUT, 'buffer is not a ring buffer (bad magic word)');
  }
  const version = Atomics.load(i32, VERSION_SLOT);
  if (version !== LAYOUT_VERSION) {
    throw new RingError(
      RingErrorCode.LAYOUT,
      `ring layout version ${version} does not match this library's version ${LAYOUT_VERSION}`,
    );
  }
  const capacity = Atomics.load(i32, CAPACITY_SLOT);
  if (!isValidCapacity(capacity) || buffer.byteLength !== HEADER_BYTES + capacity) {
    throw new RingError(
      RingErrorCode.LAYOUT,
      `ring header says capacity ${capacity} but the buffer has ${buffer.byteLength} bytes ` +
        `(expected ${HEADER_BYTES} + a power-of-two capacity)`,
    );
  }
  return capacity;
}

/** Claims the writer or reader role on `buffer`, once per ring; a second claim throws. */
export function claimRole(i32: Int32Array, role: typeof ROLE_WRITER | typeof ROLE_READER): void {
  // Compare-exchange loop: the two roles may be claimed concurrently from two threads.
  for (;;) {
    const roles = Atomics.load(i32, ROLES_SLOT);
    if ((roles & role) !== 0) {
      throw new RingError(
        RingErrorCode.ROLE_TAKEN,
        `this ring already has a ${role === ROLE_WRITER ? 'writer' : 'reader'} (one producer, one consumer)`,
      );
    }
    if (Atomics.compareExchange(i32, ROLES_SLOT, roles, roles | role) === roles) return;
  }
}
