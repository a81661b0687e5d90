/**
 * Options of a ring side: one readonly interface, one defaults constant, one validating merge.
 */
import { RingError, RingErrorCode } from './errors.js';

/** Options shared by {@link RingWriter} and {@link RingReader}. */
export interface RingOptions {
  /**
   * Upper bound on spin-loop iterations (about 11 ns each) before a blocked side sleeps in
   * `Atomics.wait`. With `adaptive` on, the side spins only as long as spinning has recently
   * paid off and sleeps at once otherwise; 0 never spins.
   * @default 10000
   */
  readonly spin?: number;
  /**
   * Adapt the spin to what recently worked (see the README's wait policy). Off spins the full
   * `spin` budget every time: for benchmarks comparing fixed budgets.
   * @default true
   */
  readonly adaptive?: boolean;
  /**
   * Spin with `Atomics.pause` (where the runtime has it: Node 24) between checks, with the
   * iteration budget divided by its cost so the spin lasts as long. Ignored without it. Off by
   * default: on a 2-vCPU AMD EPYC VM it changed neither the round trip nor the CDK example
   * app's synth beyond noise (benchmarks/RESULTS.md, "Node 24: Atomics.pause").
   * `ATOMICS_RING_PAUSE=1` in the environment turns it on for every ring of the process.
   * @default false
   */
  readonly pause?: boolean;
  /**
   * Default timeout of blocking reads and writes, in milliseconds.
   * @default Infinity
   */
  readonly timeoutMs?: number;
  /**
   * Called each time this side is about to sleep in `Atomics.wait` (after its spin, never on
   * a wait that spinning ended), with how long the blocking call has slept so far (0 on its
   * first sleep). It may return the longest this sleep should last, in ms: the side then
   * wakes by then (if nothing woke it first), and calls it again before sleeping on. For what
   * must be in place before a thread blocks for long and is too costly to set up for short
   * waits: a thread that can wake it, say. It runs on this side's thread; what it throws
   * propagates from the read or write.
   * @default none
   */
  readonly beforeSleep?: (sleptMs: number) => number | undefined | void;
}

/** {@link RingOptions} with every field present. */
export interface ResolvedRingOptions {
  /** @see RingOptions.spin */
  readonly spin: number;
  /** @see RingOptions.adaptive */
  readonly adaptive: boolean;
  /** @see RingOptions.pause */
  readonly pause: boolean;
  /** @see RingOptions.timeoutMs */
  readonly timeoutMs: number;
  /** @see RingOptions.beforeSleep */
  readonly beforeSleep: ((sleptMs: number) => number | undefined | void) | undefined;
}

/** Defaults of {@link RingOptions}; see `benchmarks/ring` for how `spin` was chosen. */
export const DEFAULT_RING_OPTIONS: ResolvedRingOptions = Object.freeze({
  spin: 10_000,
  adaptive: true,
  pause: typeof process !== 'undefined' && process.env?.ATOMICS_RING_PAUSE === '1',
  timeoutMs: Infinity,
  beforeSleep: undefined,
});

/** Validates `options` and merges them over {@link DEFAULT_RING_OPTIONS}. */
export function resolveOptions(options: RingOptions | undefined): ResolvedRingOptions {
  if (options === undefined) return DEFAULT_RING_OPTIONS;
  if (typeof options !== 'object' || options === null) {
    throw new RingError(RingErrorCode.INVALID_OPTION, 'options must be an object');
  }
  const spin = options.spin ?? DEFAULT_RING_OPTIONS.spin;
  if (typeof spin !== 'number' || !Number.isSafeInteger(spin) || spin < 0) {
    throw new RingError(RingErrorCode.INVALID_OPTION, `options.spin must be a non-negative integer, got ${String(spin)}`);
  }
  const adaptive = options.adaptive ?? DEFAULT_RING_OPTIONS.adaptive;
  if (typeof adaptive !== 'boolean') {
    throw new RingError(RingErrorCode.INVALID_OPTION, `options.adaptive must be a boolean, got ${String(adaptive)}`);
  }
  const pause = options.pause ?? DEFAULT_RING_OPTIONS.pause;
  if (typeof pause !== 'boolean') {
    throw new RingError(RingErrorCode.INVALID_OPTION, `options.pause must be a boolean, got ${String(pause)}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_RING_OPTIONS.timeoutMs;
  if (!isTimeout(timeoutMs)) {
    throw new RingError(
      RingErrorCode.INVALID_OPTION,
      `options.timeoutMs must be a non-negative number of milliseconds or Infinity, got ${String(timeoutMs)}`,
    );
  }
  const beforeSleep = options.beforeSleep;
  if (beforeSleep !== undefined && typeof beforeSleep !== 'function') {
    throw new RingError(RingErrorCode.INVALID_OPTION, `options.beforeSleep must be a function, got ${typeof beforeSleep}`);
  }
  return { spin, adaptive, pause, timeoutMs, beforeSleep };
}

/** Whether `value` is an acceptable timeout: a number ≥ 0 (Infinity allowed, NaN not). */
export function isTimeout(value: unknown): value is number {
  return typeof value === 'number' && value >= 0;
}

/** Resolves a per-call timeout argument against the side's default; throws on a bad value. */
export function resolveTimeout(timeoutMs: number | undefined, fallback: number): number {
  if (timeoutMs === undefined) return fallback;
  if (!isTimeout(timeoutMs)) {
    throw new RingError(
      RingErrorCode.INVALID_ARGUMENT,
      `timeoutMs must be a non-negative number of milliseconds or Infinity, got ${String(timeoutMs)}`,
    );
  }
  return timeoutMs;
}
