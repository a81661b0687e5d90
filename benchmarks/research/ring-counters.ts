/**
 * The host side's ring counters (`atomics-ring-buffer` RingStats: waits, sleeps, spin hits)
 * of a kernel client, from `KernelClient.ringStats`: the response ring's reader and the
 * request and callback rings' writers. The kernel's idle time comes from
 * `KernelClient.kernelBusy` instead (its own ring sides are not visible to the host).
 */
import type { KernelClient } from '../../lib/host/kernel-client.js';

/** Host-side ring counters of one client. */
export interface HostRingCounters {
  /** Times the host found the response ring empty and had to wait. */
  readonly readWaits: number;
  /** Of those, waits that went to sleep (`Atomics.wait`). */
  readonly readSleeps: number;
  /** Waits that ended while spinning. */
  readonly readSpinHits: number;
  /** Times the host found a request or callback ring full. */
  readonly writeWaits: number;
  /** Messages the host read and wrote. */
  readonly messagesRead: number;
  readonly messagesWritten: number;
}

const ZERO: HostRingCounters = { readWaits: 0, readSleeps: 0, readSpinHits: 0, writeWaits: 0, messagesRead: 0, messagesWritten: 0 };

/** The client's host-side counters now (totals since it started). */
export function hostRingCounters(client: KernelClient): HostRingCounters {
  const stats = client.ringStats;
  return {
    readWaits: stats.response.waits,
    readSleeps: stats.response.sleeps,
    readSpinHits: stats.response.spinHits,
    writeWaits: stats.request.waits + stats.callback.waits,
    messagesRead: stats.response.messages,
    messagesWritten: stats.request.messages + stats.callback.messages,
  };
}

/** `b - a`, field by field. */
export function diffCounters(a: HostRingCounters, b: HostRingCounters): HostRingCounters {
  return {
    readWaits: b.readWaits - a.readWaits,
    readSleeps: b.readSleeps - a.readSleeps,
    readSpinHits: b.readSpinHits - a.readSpinHits,
    writeWaits: b.writeWaits - a.writeWaits,
    messagesRead: b.messagesRead - a.messagesRead,
    messagesWritten: b.messagesWritten - a.messagesWritten,
  };
}

/** Counters of no activity. */
export function zeroCounters(): HostRingCounters {
  return ZERO;
}
