/**
 * Hostile input over stdio, in the suite: seeded bad lines of every class (malformed JSON,
 * non-objects, unknown apis, wrong argument types, odd control fields, 1-3 MB lines, deep
 * nesting, invalid UTF-8) go to `jsii-ring serve --stdio`, each followed by a valid request:
 * the server never ends, never leaves a line unanswered, and answers the valid request with
 * its own answer every time (`benchmarks/protocol/stdio-fuzz.ts` runs more lines, beside the
 * reference).
 */
import test from 'ava';
import { CLASSES, fuzz } from '../../benchmarks/protocol/stdio-fuzz.js';

test('serve --stdio: no crash, no hang and a correct answer after every bad line', async (t) => {
  const tallies = await fuzz('ours', 12);
  t.deepEqual([...tallies.keys()], Object.keys(CLASSES));
  for (const [name, tally] of tallies) {
    t.deepEqual({ crashes: tally.crashes, hangs: tally.hangs, wrong: tally.wrong }, { crashes: 0, hangs: 0, wrong: 0 }, name);
  }
});
