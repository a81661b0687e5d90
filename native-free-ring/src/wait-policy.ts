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
 * - SPIN: spin up to the full budget. When spins run out often (see {@link MISS_LIMIT}),
 *   spinning does not pay right now: switch to SLEEP.
 * - SLEEP: sleep at once, and try SPIN again at the next multiple of the trial period on the
 *   wall clock (from {@link TRIAL_MIN_MS}, doubling after each failed trial up to
 *   {@link TRIAL_MAX_MS}, back to the minimum after a trial that lasts {@link TRIAL_LENGTH}
 *   waits). A trial fails at its second run-out spin.
 *
 * Why trials are aligned to the wall clock: spinning pays only when *both* ends of an exchange
 * spin (a spinner waiting on a sleeping peer still pays the peer's wake-up, and under load that
 * wake-up can outlast the whole spin). The two ends are independent objects, often on rings of
 * their own, with no channel to agree on anything; but both read the same clock, so sides that
 * fell back to SLEEP at different moments still try spinning again within one exchange of each
 * other. Powers-of-two periods keep two sides with different backoffs aligned as well.
 */

/** Weight of a run-out spin in the miss score; every answered spin takes 1 off. */
export const MISS_WEIGHT = 8;
/**
 * Miss score above which the side switches to SLEEP: four run-out spins in a row, or about one
 * wait in five running out over the last few dozen. A lone miss (a GC pause, the peer preempted
 * once by an unrelated process) does not switch.
 */
export const MISS_LIMIT = 3 * MISS_WEIGHT;
/** Shortest period between trials of SPIN while in SLEEP mode, ms (a power of two). */
export const TRIAL_MIN_MS = 1;
/** Longest period between trials, ms (a power of two). */
export const TRIAL_MAX_MS = 1024;
/** Answered spins a trial must reach without switching back to count as a success. */
export const TRIAL_LENGTH = 32;

/**
 * `Atomics.pause` (V8 13.3+: Node 24; absent on Node 20 and 22): a hint to the CPU inside a
 * spin-wait loop (x86 `pause`, ARM `yield`). When a side spins with it, each iteration takes
 * a few times longer, so its iteration budget is divided by {@link PAUSE_ITERATION_WEIGHT}
 * to keep the spin's length in time.
 */
export const atomicsPause: (() => void) | undefined =
  typeof (Atomics as unknown as { pause?: unknown }).pause === 'function' ? (Atomics as unknown as { pause: () => void }).pause : undefined;

/** How many plain spin iterations one iteration with `Atomics.pause` is worth (measured ~3.4 on AMD EPYC). */
export const PAUSE_ITERATION_WEIGHT = 4;

/** Spin budget of one side; not shared between threads. */
export class SpinPolicy {
  readonly #max: number;
  readonly #adaptive: boolean;
  #spinning = true;
  /** MISS_WEIGHT per run-out spin, minus one per answered spin. */
  #missCredit = 0;
  /** SLEEP mode: wall-clock time (ms) of the next trial. */
  #nextTrialAt = 0;
  #trialPeriod = TRIAL_MIN_MS;
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
    // Date.now, not performance.now: every thread must see the same period boundaries.
    if (Date.now() < this.#nextTrialAt) return 0;
    this.#spinning = true;
    this.#trialLeft = TRIAL_LENGTH;
    this.#missCredit = 0;
    return this.#max;
  }

  /** The spin saw the peer's answer. */
  public answered(): void {
    if (this.#missCredit > 0) this.#missCredit--;
    // A trial that lasted: the next fall-back to SLEEP (on an idle machine, most likely a
    // passing hiccup) gets the shortest period again, so it costs at most a millisecond or two
    // of slow round trips. A lucky trial on a busy machine costs at most MISS_LIMIT spins.
    if (this.#trialLeft > 0 && --this.#trialLeft === 0) this.#trialPeriod = TRIAL_MIN_MS;
  }

  /** A spin of the full budget ran out; the side is going to sleep. */
  public ranOut(): void {
    if (!this.#adaptive) return;
    this.#missCredit += MISS_WEIGHT;
    // On trial one miss is forgiven (the peer may still be asleep when the trial starts); a
    // second one ends the trial, so a failed trial costs at most two spins.
    if (this.#missCredit <= (this.#trialLeft > 0 ? MISS_WEIGHT : MISS_LIMIT)) return;
    this.#spinning = false;
    if (this.#trialLeft > 0) this.#trialPeriod = Math.min(TRIAL_MAX_MS, this.#trialPeriod * 2);
    this.#trialLeft = 0;
    this.#missCredit = 0;
    const period = this.#trialPeriod;
    this.#nextTrialAt = (Math.floor(Date.now() / period) + 1) * period;
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

/**
 * A side's `beforeSleep` option with the one thing it needs across the sleeps of a blocking
 * call: when that call first slept. `start()` when a blocking call begins waiting;
 * `cap(remaining)` before each sleep gives the sleep to take.
 */
export class SleepHook {
  readonly #hook: (sleptMs: number) => number | undefined | void;
  #firstSleep = -1;

  public constructor(hook: (sleptMs: number) => number | undefined | void) {
    this.#hook = hook;
  }

  /** A blocking call begins: its first sleep is still to come. */
  public start(): void {
    this.#firstSleep = -1;
  }

  /**
   * Calls the hook with how long this call has slept so far (0 on its first sleep), and
   * returns `remaining` (until the deadline) shortened to what it returned when that is a
   * number ≥ 0 (anything else leaves it as it is).
   */
  public cap(remaining: number): number {
    const t = now();
    if (this.#firstSleep < 0) this.#firstSleep = t;
    const cap: unknown = this.#hook(t - this.#firstSleep);
    return typeof cap === 'number' && cap >= 0 && cap < remaining ? cap : remaining;
  }
}
