/** The seeded `Math.random` of record and replay runs. */

/**
 * Makes `Math.random` a seeded generator (mulberry32). The library draws the first number
 * of its token counter at random (`${Token[TOKEN.n]}`), and the host passes token strings it
 * read back into later requests, so a replay must draw the same numbers as the recording.
 */
export function seedRandom(seed: number): void {
  let state = seed >>> 0;
  Math.random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of record and replay runs. */
export const REPLAY_SEED = 20_261_127;
