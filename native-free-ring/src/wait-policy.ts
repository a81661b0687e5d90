/**
 * How long a blocked side spins before it sleeps.
 *
 * Why adapt: a spin that ends with the peer's answer saves a futex wake-up (≈ 8 µs one way here),
 * but a spin that runs out only adds its own length to the wait, and on an oversubscribed machine
 * it also steals the CPU the peer needs to answer (a fixed 10,000-iteration spin turned a 31 µs
 * futex round trip into ~200 µs with two busy processes on two cores). So each side keeps a
 * running score of its recent spins and spins only while that score says spinning pays:
 * - a spin that is answered within {@link PAYING_SPIN} iterations counts as a win;
 * - a spin that runs out, or is answered only after longer than that, counts as a loss;
 * - the budget is a few times the iterations recent wins needed (bounded by the `spin` option),
 *   so a peer that answers in 200 iterations is not waited for 20,000;
 * - once the score drops below one half the side sleeps at once, and re-tries a spin every
 *   {@link PROBE_INTERVAL} waits so it notices when spinning starts to pay again.
 */

/** Iterations (≈ 9 ns each) a spin may take and still beat going to sleep. */
export const PAYING_SPIN = 2_000;
/** While spinning does not pay, try a spin again after this many sleeps. */
export const PROBE_INTERVAL = 16;
/** Never budget fewer iterations than this for a spin (below it a spin cannot see an answer). */
export const MIN_SPIN = 256;
/** Weight of the newest outcome in the running averages (1/8). */
const EWMA_SHIFT = 0.125;

/** Spin budget of one side; not shared between threads. */
export class SpinPolicy {
  readonly #max: number;
  readonly #adaptive: boolean;
  /** Running average of wins (1) and losses (0). */
  #score = 1;
  /** Running average of how many iterations winning spins took. */
  #winIterations: number;
  /** Sleeps since the last spin while not spinning. */
  #sinceProbe = 0;

  /**
   * @param max upper bound on iterations (the `spin` option); 0 never spins
   * @param adaptive false: always spin `max`
   */
  public constructor(max: number, adaptive: boolean) {
    this.#max = max;
    this.#adaptive = adaptive;
    this.#winIterations = Math.min(max, PAYING_SPIN) / 4;
  }

  /** Iterations to spin before the next sleep. */
  public budget(): number {
    const max = this.#max;
    if (!this.#adaptive || max === 0) return max;
    if (this.#score >= 0.5) return Math.min(max, Math.max(MIN_SPIN, 4 * this.#winIterations));
    if (++this.#sinceProbe >= PROBE_INTERVAL) {
      this.#sinceProbe = 0;
      return Math.min(max, PAYING_SPIN);
    }
    return 0;
  }

  /** The spin saw the peer's answer after `iterations`. */
  public answered(iterations: number): void {
    if (iterations <= PAYING_SPIN) {
      this.#score += (1 - this.#score) * EWMA_SHIFT;
      this.#winIterations += (iterations - this.#winIterations) * EWMA_SHIFT;
    } else {
      this.#score -= this.#score * EWMA_SHIFT;
    }
  }

  /** A spin of `budget` > 0 iterations ran out; the side is going to sleep. */
  public ranOut(): void {
    this.#score -= this.#score * EWMA_SHIFT;
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
