/**
 * Per-side counters, kept in the ring's shared header (lines 3 and 4 of layout.ts) so either
 * side, or a benchmark holding only the buffer, can read both sides' figures.
 *
 * Each side is the only writer of its own counters and updates them with plain stores: an
 * observer on another thread may see values a few operations stale (never torn in practice on
 * the 64-bit platforms Node supports, but the memory model does not promise it).
 */
import { READER_STATS_F64, STATS_COUNT, WRITER_STATS_F64, validateRingBuffer } from './layout.js';

/** Counters of one side of a ring. Totals since the side attached. */
export interface RingStats {
  /** Complete messages written or read. */
  readonly messages: number;
  /** Payload bytes of those messages. */
  readonly bytes: number;
  /** Frames written or read (a fragmented message is several frames; padding not counted). */
  readonly frames: number;
  /** Times the side found the ring full (writer) or empty (reader) and had to wait. */
  readonly waits: number;
  /** Waits that ended while spinning, without sleeping. */
  readonly spinHits: number;
  /** `Atomics.wait` / `Atomics.waitAsync` calls (times the side went to sleep). */
  readonly sleeps: number;
  /** Spin-loop iterations in total. */
  readonly spinIterations: number;
  /** `Atomics.notify` calls made to wake the other side. */
  readonly notifies: number;
}

/** Offset of each counter within a side's block; the order is part of the layout. */
export const STAT_MESSAGES = 0;
/** @see RingStats.bytes */
export const STAT_BYTES = 1;
/** @see RingStats.frames */
export const STAT_FRAMES = 2;
/** @see RingStats.waits */
export const STAT_WAITS = 3;
/** @see RingStats.spinHits */
export const STAT_SPIN_HITS = 4;
/** @see RingStats.sleeps */
export const STAT_SLEEPS = 5;
/** @see RingStats.spinIterations */
export const STAT_SPIN_ITERATIONS = 6;
/** @see RingStats.notifies */
export const STAT_NOTIFIES = 7;

/** A Float64Array over one side's counters (index with the `STAT_*` constants). */
export function statsView(buffer: SharedArrayBuffer, side: 'writer' | 'reader'): Float64Array {
  const first = side === 'writer' ? WRITER_STATS_F64 : READER_STATS_F64;
  return new Float64Array(buffer, first * 8, STATS_COUNT);
}

/** Copies a counters block into a plain object. */
export function snapshotStats(counters: Float64Array): RingStats {
  return {
    messages: counters[STAT_MESSAGES] ?? 0,
    bytes: counters[STAT_BYTES] ?? 0,
    frames: counters[STAT_FRAMES] ?? 0,
    waits: counters[STAT_WAITS] ?? 0,
    spinHits: counters[STAT_SPIN_HITS] ?? 0,
    sleeps: counters[STAT_SLEEPS] ?? 0,
    spinIterations: counters[STAT_SPIN_ITERATIONS] ?? 0,
    notifies: counters[STAT_NOTIFIES] ?? 0,
  };
}

/**
 * Reads both sides' counters from a ring buffer, from any thread (values may lag by a few
 * operations while the sides are running).
 */
export function readRingStats(buffer: SharedArrayBuffer): { readonly writer: RingStats; readonly reader: RingStats } {
  validateRingBuffer(buffer);
  return { writer: snapshotStats(statsView(buffer, 'writer')), reader: snapshotStats(statsView(buffer, 'reader')) };
}
