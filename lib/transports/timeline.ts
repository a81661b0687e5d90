/**
 * A per-request timeline of both threads, for finding where a run's time goes: the host
 * records when it issued each request (and, for a sync one, when the answer arrived); the
 * kernel records, for each request of the request ring, when it started waiting for it,
 * when it had it, when it began and finished serving it. Both use the process-wide
 * monotonic clock (`process.hrtime`), so the two records line up.
 *
 * Off by default (`KernelClientOptions.timeline`); the kernel hands its half over when the
 * client closes. `summarizeTimeline` turns the two into the figures RESULTS.md quotes.
 */

/** The fields of one host record, in order (times in ms; answered is 0 for a pipelined request). */
export const HOST_TIMELINE_FIELDS = ['seq', 'issued', 'answered', 'pipelined', 'depth'] as const;
/** The fields of one kernel record, in order (waited: 1 if the kernel had to wait for it). */
export const KERNEL_TIMELINE_FIELDS = ['seq', 'idleSince', 'read', 'start', 'end', 'waited'] as const;
const HOST_RECORD = HOST_TIMELINE_FIELDS.length;
const KERNEL_RECORD = KERNEL_TIMELINE_FIELDS.length;

/** Both halves, flat (see HOST_TIMELINE_FIELDS and KERNEL_TIMELINE_FIELDS for the layout). */
export interface Timeline {
  readonly host: readonly number[];
  readonly kernel: readonly number[];
}

/** Milliseconds on the clock both threads share. */
export function timelineNow(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Where the time of a window of requests went. */
export interface TimelineSummary {
  /** Requests of the program's own flow (depth 0) in the window, and how many were sync. */
  readonly requests: number;
  readonly syncRequests: number;
  /** From the first request's issue to the last one's end of service. */
  readonly wallMs: number;
  /** The kernel serving requests (dispatch, and writing the answer). */
  readonly kernelServeMs: number;
  /** The kernel decoding requests it had read. */
  readonly kernelDecodeMs: number;
  /** The kernel idle because the host had not issued the next request yet (from the window's first request on). */
  readonly kernelWaitedForHostMs: number;
  /** Issued but not yet picked up by an idle kernel (the hand-over, host to kernel). */
  readonly handoverMs: number;
  /** The host blocked on sync requests. */
  readonly hostSyncWaitMs: number;
  /** Of that, the time the kernel was not serving anything. */
  readonly hostWaitKernelIdleMs: number;
}

/**
 * Summarizes the requests with `seq` in [from, to) of a timeline (the whole run by default):
 * only requests of the program's own flow count (a callback's requests travel on their
 * own ring, inside the request that made the callback).
 */
export function summarizeTimeline(timeline: Timeline, from = 1, to = Infinity): TimelineSummary {
  const issued = new Map<number, { at: number; answered: number; pipelined: boolean }>();
  for (let i = 0; i + HOST_RECORD <= timeline.host.length; i += HOST_RECORD) {
    const [seq, at, answered, pipelined, depth] = timeline.host.slice(i, i + HOST_RECORD) as [number, number, number, number, number];
    if (depth === 0 && seq >= from && seq < to) issued.set(seq, { at, answered, pipelined: pipelined === 1 });
  }
  let firstIssued = Infinity;
  for (const r of issued.values()) firstIssued = Math.min(firstIssued, r.at);
  const busy: [number, number][] = [];
  let serve = 0;
  let decode = 0;
  let waitedForHost = 0;
  let handover = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i + KERNEL_RECORD <= timeline.kernel.length; i += KERNEL_RECORD) {
    const [seq, idleSince, read, start, end, waited] = timeline.kernel.slice(i, i + KERNEL_RECORD) as [number, number, number, number, number, number];
    const host = issued.get(seq);
    if (host === undefined) continue;
    serve += end - start;
    decode += start - read;
    busy.push([read, end]);
    first = Math.min(first, host.at);
    last = Math.max(last, end);
    if (waited === 1) {
      const available = Math.max(idleSince, host.at);
      waitedForHost += available - Math.max(idleSince, Math.min(firstIssued, available));
      handover += Math.max(0, read - available);
    }
  }
  let syncRequests = 0;
  let hostWait = 0;
  let hostWaitIdle = 0;
  const syncWaits = [...issued.values()].filter((r) => !r.pipelined && r.answered > 0).sort((a, b) => a.at - b.at);
  let j = 0;
  for (const wait of syncWaits) {
    syncRequests++;
    const length = wait.answered - wait.at;
    hostWait += length;
    // Busy intervals are in order and do not overlap (one kernel thread).
    while (j < busy.length && (busy[j] as [number, number])[1] <= wait.at) j++;
    let covered = 0;
    for (let k = j; k < busy.length && (busy[k] as [number, number])[0] < wait.answered; k++) {
      const [a, b] = busy[k] as [number, number];
      covered += Math.max(0, Math.min(b, wait.answered) - Math.max(a, wait.at));
    }
    hostWaitIdle += Math.max(0, length - covered);
  }
  return {
    requests: issued.size,
    syncRequests,
    wallMs: busy.length === 0 ? 0 : last - first,
    kernelServeMs: serve,
    kernelDecodeMs: decode,
    kernelWaitedForHostMs: waitedForHost,
    handoverMs: handover,
    hostSyncWaitMs: hostWait,
    hostWaitKernelIdleMs: hostWaitIdle,
  };
}
