/**
 * Simulated host work: a fixed busy time per request, spent on the host thread right after
 * the client issues the request (for a sync request, after its answer arrived). It stands
 * in for a slower host language doing its own work between calls, so the overlap that
 * pipelining buys becomes visible: while the host spins, a pipelined kernel keeps serving.
 */
import type { RequestEvent } from '../../lib/host/options.js';

/** Spins the current thread for `us` microseconds (busy, not sleeping: the core stays taken). */
export function busySpin(us: number): void {
  if (us <= 0) return;
  const end = performance.now() + us / 1000;
  // performance.now() costs well under a microsecond, so the error is below 1 µs per call.
  while (performance.now() < end) {
    // Busy by design.
  }
}

/** An `onRequest` hook that spends `us` microseconds per request, or undefined for none. */
export function hostWorkHook(us: number): ((event: RequestEvent) => void) | undefined {
  if (us <= 0) return undefined;
  return () => busySpin(us);
}
