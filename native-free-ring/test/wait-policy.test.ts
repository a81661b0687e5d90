/**
 * The adaptive spin policy on its own: when it switches to sleeping, what a lone miss does, and
 * that it tries spinning again.
 */
import test from 'ava';
import { MISS_LIMIT, MISS_WEIGHT, SpinPolicy, TRIAL_LENGTH } from '../src/wait-policy.js';

const MAX = 1_000;
/** Run-out spins in a row that switch a side to SLEEP. */
const MISSES_TO_SLEEP = Math.floor(MISS_LIMIT / MISS_WEIGHT) + 1;

/** Calls budget() until it is non-zero (a trial starts), napping 1 ms in between; gives up after 5 s. */
function untilTrial(policy: SpinPolicy): number {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 5_000; i++) {
    const budget = policy.budget();
    if (budget !== 0) return budget;
    Atomics.wait(nap, 0, 0, 1);
  }
  return 0;
}

test('a fixed policy always spins its whole budget, whatever happens', (t) => {
  const policy = new SpinPolicy(MAX, false);
  for (let i = 0; i < 100; i++) {
    t.is(policy.budget(), MAX);
    policy.ranOut();
  }
  t.true(policy.spinning);
});

test('spin 0 never spins', (t) => {
  for (const adaptive of [true, false]) {
    const policy = new SpinPolicy(0, adaptive);
    t.is(policy.budget(), 0);
    t.false(policy.spinning);
  }
});

test('run-out spins in a row switch to sleeping at once', (t) => {
  // A sleeping side tries spinning again at the next millisecond boundary of the wall clock,
  // so "sleeps at once" is checked within one millisecond (retried when the clock ticks, as
  // it may on a loaded machine between two lines).
  for (let attempt = 1; ; attempt++) {
    const policy = new SpinPolicy(MAX, true);
    for (let i = 1; i < MISSES_TO_SLEEP; i++) {
      t.is(policy.budget(), MAX);
      policy.ranOut();
      t.true(policy.spinning, `still spinning after ${i} misses`);
    }
    t.is(policy.budget(), MAX);
    const at = Date.now();
    policy.ranOut();
    t.false(policy.spinning);
    const budget = policy.budget();
    if (Date.now() === at) {
      t.is(budget, 0);
      return;
    }
    if (attempt === 100) t.fail('the clock ticked between every pair of lines in 100 attempts');
  }
});

test('lone misses among answered spins do not switch', (t) => {
  const policy = new SpinPolicy(MAX, true);
  for (let round = 0; round < 200; round++) {
    t.is(policy.budget(), MAX);
    if (round % (MISS_WEIGHT + 2) === 0) policy.ranOut();
    else policy.answered();
  }
  t.true(policy.spinning);
});

test('a sleeping side tries spinning again; a trial that lasts keeps it spinning', (t) => {
  const policy = new SpinPolicy(MAX, true);
  for (let i = 0; i < MISSES_TO_SLEEP; i++) {
    policy.budget();
    policy.ranOut();
  }
  t.is(policy.budget(), 0);
  t.is(untilTrial(policy), MAX);
  for (let i = 0; i < TRIAL_LENGTH; i++) {
    policy.answered();
    t.is(policy.budget(), MAX);
  }
  // After a successful trial a lone miss is tolerated again.
  policy.ranOut();
  t.true(policy.spinning);
});

test('a failed trial goes back to sleeping, and trials keep coming', (t) => {
  const policy = new SpinPolicy(MAX, true);
  for (let i = 0; i < MISSES_TO_SLEEP; i++) {
    policy.budget();
    policy.ranOut();
  }
  for (let trial = 0; trial < 2; trial++) {
    t.is(untilTrial(policy), MAX, `trial ${trial} starts`);
    policy.ranOut();
    t.true(policy.spinning, 'the first miss of a trial is forgiven (the peer may still be asleep)');
    t.is(policy.budget(), MAX);
    policy.ranOut();
    t.false(policy.spinning, 'the second one ends the trial');
    t.is(policy.budget(), 0, 'sleeps at once after the failed trial');
  }
});
