/**
 * Per-phase figures of one run: wall time, requests sync vs pipelined, sync points, time
 * each thread waited, and the overlap of host and kernel work.
 *
 * Where the figures come from:
 *  - host wait: `ClientStats.hostWaitMs`, time the host was blocked reading the response ring;
 *    host busy = wall − host wait;
 *  - kernel busy: `KernelClient.kernelBusy.ms`, time the kernel thread spent serving
 *    requests (ring transport only; may lag by one request); kernel idle = wall − busy;
 *  - ring counters: the host sides' `RingStats` (`KernelClient.ringStats`, ring-counters.ts).
 *  - our kernel in the host thread (`DirectConnection`): kernel busy is its `kernelBusy.ms`,
 *    the time inside the kernel's calls (callbacks included, as in the worker), and the host
 *    "waits" exactly that long (it runs the kernel meanwhile), so host busy is the host's own
 *    work and the overlap is 0; every request counts as sync.
 *
 * Overlap (host busy ∩ kernel busy) / wall is bounded from below by
 * max(0, host busy + kernel busy − wall) / wall (the two intervals cannot fit in the wall
 * time without overlapping that much); that lower bound is what is reported. When a phase
 * makes callbacks, the kernel's busy time includes the time it waited for the host's
 * callback handlers, so its overlap figure means little (the build phase makes none).
 */
import { DirectConnection } from '../../lib/host/direct-connection.js';
import type { KernelClient } from '../../lib/host/kernel-client.js';
import { HOST_TIMELINE_FIELDS, KERNEL_TIMELINE_FIELDS } from '../../lib/transports/timeline.js';
import type { Timeline } from '../../lib/transports/timeline.js';
import { diffCounters, hostRingCounters, zeroCounters } from './ring-counters.js';
import type { HostRingCounters } from './ring-counters.js';

/** Counters read at a phase boundary. */
export interface Snapshot {
  readonly at: number;
  readonly sync: number;
  readonly pipelined: number;
  readonly flushes: number;
  readonly capWaits: number;
  readonly callbacks: number;
  readonly hostWaitMs: number;
  /** null over stdio (the kernel's time is not visible there). */
  readonly kernelBusyMs: number | null;
  readonly kernelServed: number | null;
  readonly ring: HostRingCounters;
}

/** Figures of one phase. */
export interface PhaseMetrics {
  readonly wallMs: number;
  readonly requests: number;
  readonly syncRequests: number;
  readonly pipelinedRequests: number;
  /** Explicit flushes (each callback ends with one too). */
  readonly flushes: number;
  /** Times the pending cap made the host wait for room. */
  readonly capWaits: number;
  readonly callbacks: number;
  readonly hostWaitMs: number;
  readonly hostBusyMs: number;
  readonly kernelBusyMs: number | null;
  readonly kernelIdleMs: number | null;
  /** Lower bound of host busy ∩ kernel busy, ms (null over stdio). */
  readonly overlapMs: number | null;
  /** overlapMs / wallMs. */
  readonly overlap: number | null;
  readonly ring: HostRingCounters;
}

/**
 * Reads the counters of `client`. Without a client (a native run, or before the client
 * starts) every counter is zero, and the kernel's are null unless `kernelVisible`.
 */
export function snapshot(client: KernelClient | DirectConnection | undefined, kernelVisible: boolean): Snapshot {
  const at = performance.now();
  if (client instanceof DirectConnection) {
    const busy = client.kernelBusy;
    return { at, sync: busy.requests, pipelined: 0, flushes: 0, capWaits: 0, callbacks: busy.callbacks, hostWaitMs: busy.ms, kernelBusyMs: busy.ms, kernelServed: busy.requests, ring: zeroCounters() };
  }
  if (client === undefined) {
    const kernel = kernelVisible ? 0 : null;
    return { at, sync: 0, pipelined: 0, flushes: 0, capWaits: 0, callbacks: 0, hostWaitMs: 0, kernelBusyMs: kernel, kernelServed: kernel, ring: zeroCounters() };
  }
  const s = client.stats;
  const busy = kernelVisible ? client.kernelBusy : undefined;
  return {
    at,
    sync: s.syncPoints,
    pipelined: s.pipelinedTotal,
    flushes: s.flushes,
    capWaits: s.capWaits,
    callbacks: s.callbacks,
    hostWaitMs: s.hostWaitMs,
    kernelBusyMs: busy?.ms ?? null,
    kernelServed: busy?.requests ?? null,
    ring: hostRingCounters(client),
  };
}

/** The figures of the phase between two snapshots. */
export function phaseBetween(a: Snapshot, b: Snapshot): PhaseMetrics {
  const wallMs = b.at - a.at;
  const hostWaitMs = b.hostWaitMs - a.hostWaitMs;
  const hostBusyMs = wallMs - hostWaitMs;
  const kernelBusyMs = a.kernelBusyMs !== null && b.kernelBusyMs !== null ? b.kernelBusyMs - a.kernelBusyMs : null;
  const overlapMs = kernelBusyMs !== null ? Math.max(0, hostBusyMs + kernelBusyMs - wallMs) : null;
  return {
    wallMs,
    requests: b.sync - a.sync + (b.pipelined - a.pipelined),
    syncRequests: b.sync - a.sync,
    pipelinedRequests: b.pipelined - a.pipelined,
    flushes: b.flushes - a.flushes,
    capWaits: b.capWaits - a.capWaits,
    callbacks: b.callbacks - a.callbacks,
    hostWaitMs,
    hostBusyMs,
    kernelBusyMs,
    kernelIdleMs: kernelBusyMs !== null ? wallMs - kernelBusyMs : null,
    overlapMs,
    overlap: overlapMs !== null && wallMs > 0 ? overlapMs / wallMs : null,
    ring: diffCounters(a.ring, b.ring),
  };
}

/**
 * The speed-up of pipelined over sync that perfect overlap would give, from the sync run's
 * host busy time H and kernel busy time K and the share f of requests that are sync points
 * in the pipelined run: T_sync = H + K; the kernel's work on sync requests (K·f) cannot
 * overlap anything, the rest can hide behind the host's work, so T_ideal = max(H, K·(1−f)) +
 * K·f. With no sync points and H = K this is 2×. (Per-segment imbalance only lowers the
 * speed-up reachable, so this is an upper bound.)
 */
export function idealSpeedup(hostBusyMs: number, kernelBusyMs: number, syncShare: number): number {
  const f = Math.min(1, Math.max(0, syncShare));
  const ideal = Math.max(hostBusyMs, kernelBusyMs * (1 - f)) + kernelBusyMs * f;
  return ideal > 0 ? (hostBusyMs + kernelBusyMs) / ideal : 1;
}

/** Where a phase's wall time went, for the stacked bars (ms; sums to the wall time). */
export interface TimeBreakdown {
  /** Host busy while the kernel was idle (or invisible). */
  readonly hostOnly: number;
  /** Host and kernel busy at once (the overlap lower bound). */
  readonly both: number;
  /** Kernel busy while the host waited. */
  readonly kernelOnly: number;
  /** Host waiting with the kernel idle: transport, wake-ups; over stdio, also the kernel's own time. */
  readonly waiting: number;
}

/** Splits a phase's wall time into the four parts of {@link TimeBreakdown}. */
export function breakdown(p: Pick<PhaseMetrics, 'wallMs' | 'hostBusyMs' | 'kernelBusyMs' | 'overlapMs'>): TimeBreakdown {
  const both = p.overlapMs ?? 0;
  const kernel = p.kernelBusyMs ?? 0;
  const hostOnly = Math.max(0, p.hostBusyMs - both);
  const kernelOnly = Math.max(0, kernel - both);
  return { hostOnly, both, kernelOnly, waiting: Math.max(0, p.wallMs - hostOnly - both - kernelOnly) };
}

/** Where a build phase's time went by the per-request timeline of both threads (ms). */
export interface BuildTimeline {
  /** The kernel thread decoding and serving requests during the phase. */
  readonly kernelBusyMs: number;
  /** The host blocked on sync requests, and the part of that with the kernel idle. */
  readonly hostSyncWaitMs: number;
  readonly hostWaitKernelIdleMs: number;
}

/**
 * The part of a recorded timeline between two moments (`timelineNow()` ms): the kernel's
 * busy intervals (read to end of service, of every request: a load still running when the
 * phase starts counts for the time it runs inside it) and the host's sync waits (issue to
 * answer, the program's own flow), each clipped to the window.
 */
export function buildTimelineOf(recorded: Timeline, from: number, to: number): BuildTimeline {
  const clip = (a: number, b: number): [number, number] | undefined => {
    const lo = Math.max(a, from);
    const hi = Math.min(b, to);
    return hi > lo ? [lo, hi] : undefined;
  };
  const busy: [number, number][] = [];
  for (let i = 0; i + KERNEL_TIMELINE_FIELDS.length <= recorded.kernel.length; i += KERNEL_TIMELINE_FIELDS.length) {
    const read = recorded.kernel[i + 2] as number;
    const end = recorded.kernel[i + 4] as number;
    const c = clip(read, end);
    if (c !== undefined) busy.push(c);
  }
  busy.sort((a, b) => a[0] - b[0]);
  const waits: [number, number][] = [];
  for (let i = 0; i + HOST_TIMELINE_FIELDS.length <= recorded.host.length; i += HOST_TIMELINE_FIELDS.length) {
    const [, issued, answered, pipelined, depth] = recorded.host.slice(i, i + HOST_TIMELINE_FIELDS.length) as [number, number, number, number, number];
    if (pipelined === 1 || depth !== 0 || answered <= 0) continue;
    const c = clip(issued, answered);
    if (c !== undefined) waits.push(c);
  }
  waits.sort((a, b) => a[0] - b[0]);
  let kernelBusyMs = 0;
  for (const [a, b] of busy) kernelBusyMs += b - a;
  let hostSyncWaitMs = 0;
  let hostWaitKernelIdleMs = 0;
  let j = 0;
  for (const [wa, wb] of waits) {
    hostSyncWaitMs += wb - wa;
    while (j < busy.length && (busy[j] as [number, number])[1] <= wa) j++;
    let covered = 0;
    for (let k = j; k < busy.length && (busy[k] as [number, number])[0] < wb; k++) {
      const [a, b] = busy[k] as [number, number];
      covered += Math.max(0, Math.min(b, wb) - Math.max(a, wa));
    }
    hostWaitKernelIdleMs += Math.max(0, wb - wa - covered);
  }
  return { kernelBusyMs, hostSyncWaitMs, hostWaitKernelIdleMs };
}

/**
 * The four parts of {@link TimeBreakdown} measured, not bounded: from a phase that recorded
 * the timeline. The host waits in two ways: on sync requests (the timeline has each one's
 * window, from issue to answer, and the part of it with the kernel idle) and on flushes
 * and room under the cap (the rest of `hostWaitMs`; the host waits there on a working
 * kernel, so that time counts as kernel busy while the host waits). The kernel's busy time
 * beyond what the host waited through ran while the host was busy too: the overlap.
 */
export function measuredBreakdown(p: Pick<PhaseMetrics, 'wallMs' | 'hostWaitMs'>, t: BuildTimeline): TimeBreakdown {
  const otherWaits = Math.max(0, p.hostWaitMs - t.hostSyncWaitMs);
  const hostWaiting = Math.min(p.wallMs, t.hostSyncWaitMs + otherWaits);
  const hostBusy = p.wallMs - hostWaiting;
  const kernelOnly = Math.min(t.kernelBusyMs, Math.max(0, t.hostSyncWaitMs - t.hostWaitKernelIdleMs) + otherWaits);
  const both = Math.min(hostBusy, Math.max(0, t.kernelBusyMs - kernelOnly));
  const hostOnly = hostBusy - both;
  return { hostOnly, both, kernelOnly, waiting: Math.max(0, p.wallMs - hostOnly - both - kernelOnly) };
}
