/**
 * A small seeded PRNG (mulberry32) so randomized host tests replay exactly: a failing seed
 * is printed by the test and reproduces the same sequence.
 */

/** A deterministic source of numbers in [0, 1), ints and choices. */
export class SeededRandom {
  #state: number;

  public constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  public next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of a non-empty list. */
  public pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** True with probability `p`. */
  public chance(p: number): boolean {
    return this.next() < p;
  }
}
