/**
 * How long a blocked side spins before it sleeps.
 *
 * Measured on a 2-vCPU VM (see benchmarks/ring): on an idle machine a futex wake-up is slow (the
 * peer's vCPU halts, tens of µs to wake) while spinning answers in well under a microsecond, so a
 * spin should be long enough to cover a whole wake-up; a short budget that runs out just before
 * the answer makes both sides sleep every time. Under contention (more runnable threads than
 * cores) it is the other way round: a spinning thread takes the CPU its peer needs to answer,
 * a fixed 10,000-iteration spin turned a ~7 µs futex round trip into ~200 µs with two busy
 * processes on two cores, and plain sleeping is the fastest policy.
 *
 * So each side runs one of two modes and switches on what its own spins achieve:
 * - SPIN: spin up to the full budget. Two spins that run out within {@link MISS_MEMORY} waits of
 *   each other mean spinning does not pay right now: switch to SLEEP.
 * - SLEEP: sleep at once. After {@link TRIAL_MIN} waits, try SPIN again; if that trial fails
 *   within {@link TRIAL_LENGTH} waits, the next trial comes twice as late (up to
 *   {@link TRIAL_MAX}), so a machine that stays busy pays for trials less and less often.
 */

/** A run-out spin is remembered for this many waits; a second one inside that switches to SLEEP. */
export const MISS_MEMORY = 16;
/** Waits in SLEEP mode before the first trial of SPIN. */
export const TRIAL_MIN = 64;
/** Most waits in SLEEP mode between two trials. */
export const TRIAL_MAX = 8192;
/** Waits a trial must survive without switching back to count as a success. */
export const TRIAL_LENGTH = 32;

/** Spin budget of one side; not shared between threads. */
export class SpinPolicy {
  readonly #max: number;
  readonly #adaptive: boolean;
  #spinning = true;
  /** MISS_MEMORY per run-out spin, minus one per answered spin. */
  #missCredit = 0;
  /** SLEEP mode: waits left before the next trial. */
  #untilTrial = 0;
  #trialInterval = TRIAL_MIN;
  /** SPIN mode on trial: answered spins left before the trial counts as a success (0: not on trial). */
  #trialLeft = 0;

  /**
   * @param max upper bound on iterations (the `spin` option); 0 never spins
   * @param adaptive false: always spin `max`
   */
  public constructor(max: number, adaptive: boolean) {
    this.#max = max;
    this.#adaptive = adaptive;
  }

  /** Whether the side currently spins before sleeping (false: it sleeps at once). */
  public get spinning(): boolean {
    return this.#max > 0 && (!this.#adaptive || this.#spinning);
  }

  /** Iterations to spin before the next sleep; call once per wait. */
  public budget(): number {
    if (!this.#adaptive || this.#spinning) return this.#max;
    if (--this.#untilTrial > 0) return 0;
    this.#spinning = true;
    this.#trialLeft = TRIAL_LENGTH;
    this.#missCredit = 0;
    return this.#max;
  }

  /** The spin saw the peer's answer. */
  public answered(): void {
    if (this.#missCredit > 0) this.#missCredit--;
    if (this.#trialLeft > 0 && --this.#trialLeft === 0) this.#trialInterval = TRIAL_MIN;
  }

  /** A spin of the full budget ran out; the side is going to sleep. */
  public ranOut(): void {
    if (!this.#adaptive) return;
    this.#missCredit += MISS_MEMORY;
    if (this.#missCredit <= MISS_MEMORY) return;
    this.#spinning = false;
    if (this.#trialLeft > 0) this.#trialInterval = Math.min(TRIAL_MAX, this.#trialInterval * 2);
    this.#trialLeft = 0;
    this.#missCredit = 0;
    this.#untilTrial = this.#trialInterval;
  }
}

/** `Atomics.waitAsync`'s result (ES2024; typed here because the project targets ES2023 libs). */
export type WaitAsyncResult =
  | { readonly async: false; readonly value: 'not-equal' | 'timed-out' }
  | { readonly async: true; readonly value: Promise<'ok' | 'timed-out'> };

type WaitAsync = (typedArray: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult;

/** `Atomics.waitAsync` (present since Node 16). */
export const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Milliseconds on a monotonic clock. */
export function now(): number {
  return performance.now();
}

/** Absolute deadline for a relative timeout (Infinity stays Infinity, no clock read). */
export function deadlineOf(timeoutMs: number): number {
  return timeoutMs === Infinity ? Infinity : now() + timeoutMs;
}
