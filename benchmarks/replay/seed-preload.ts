/**
 * Preloaded (`node --require`) by replays through a kernel worker: worker threads run the
 * process's preloads too, so the kernel's thread draws the same `Math.random` numbers as
 * the recording (see child.ts, `seedRandom`).
 */
import { REPLAY_SEED, seedRandom } from './seed.js';

seedRandom(REPLAY_SEED);
