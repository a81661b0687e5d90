/**
 * The bare rival of the ring's wait: one Int32 cell, spin-then-`Atomics.wait` on it. What the
 * ring's round trip is compared to.
 */

/** Spins up to `spin` iterations, then sleeps in `Atomics.wait`, until `i32[0] !== value`. */
export function waitWhileEquals(i32: Int32Array, value: number, spin: number): void {
  for (let i = 0; i < spin; i++) if (Atomics.load(i32, 0) !== value) return;
  // Wait on the value we checked, and re-check after every wake-up (spurious or not).
  while (Atomics.load(i32, 0) === value) Atomics.wait(i32, 0, value);
}
