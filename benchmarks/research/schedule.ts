/**
 * The per-request ideal: what pipelining could give on this exact request stream if the
 * transport cost nothing. A sync run records, after every request, the host's clock, its
 * total wait and the kernel's total busy time; from those come each request's kernel time
 * k_j and the host's busy time h_j after it (host work, bindings, encoding). A pipelined
 * run of the same program says which requests were sync points. Replaying the two
 * resources in order gives the ideal wall time:
 *
 *   the host issues request j, then is busy h_j; the kernel starts j when it is free and j
 *   has been issued, and takes k_j; at a sync point the host waits for the kernel first.
 *
 * Unlike the closed form of metrics.ts `idealSpeedup` (uniform kernel time per request),
 * this keeps expensive creates followed by cheap sync reads where they are, so it is the
 * tighter bound. The kernel's counter may lag by one request, which moves time between
 * neighbours, not in total.
 */

/** Clock, host wait and kernel busy totals at one point, ms. */
export interface TracePoint {
  readonly at: number;
  readonly hostWaitMs: number;
  readonly kernelBusyMs: number;
}

/** A phase of a traced run: its boundaries and one point per request, in issue order. */
export interface TraceWindow {
  readonly start: TracePoint;
  readonly end: TracePoint;
  readonly requests: readonly (TracePoint & { readonly pipelined: boolean })[];
}

/** Collects trace points as the client reports requests. */
export class RequestTrace {
  readonly #points: (TracePoint & { readonly pipelined: boolean })[] = [];

  /** Records the moment a request was issued (sync: answered). */
  public record(at: number, hostWaitMs: number, kernelBusyMs: number, pipelined: boolean): void {
    this.#points.push({ at, hostWaitMs, kernelBusyMs, pipelined });
  }

  /** Requests recorded so far. */
  public get length(): number {
    return this.#points.length;
  }

  /** The window between two boundary points, with the requests recorded in between. */
  public window(start: TracePoint, end: TracePoint, from: number, to: number): TraceWindow {
    return { start, end, requests: this.#points.slice(from, to) };
  }
}

/**
 * Per-request times of a sync run: `kernel[j]` = k_j; `host[0]` = host busy before the
 * first request, `host[j + 1]` = host busy after request j (the last one: until the end).
 */
export function requestTimes(sync: TraceWindow): { readonly host: number[]; readonly kernel: number[] } {
  const host: number[] = [];
  const kernel: number[] = [];
  let previous: TracePoint = sync.start;
  for (const point of sync.requests) {
    host.push(Math.max(0, point.at - previous.at - (point.hostWaitMs - previous.hostWaitMs)));
    kernel.push(Math.max(0, point.kernelBusyMs - previous.kernelBusyMs));
    previous = point;
  }
  host.push(Math.max(0, sync.end.at - previous.at - (sync.end.hostWaitMs - previous.hostWaitMs)));
  // Busy time the kernel reported only after the last request (the counter's lag).
  const tail = Math.max(0, sync.end.kernelBusyMs - previous.kernelBusyMs);
  if (kernel.length > 0) kernel[kernel.length - 1] = (kernel[kernel.length - 1] as number) + tail;
  // The host's busy time between issuing a sync request and its answer is not visible;
  // before the first request it is part of host[0], and the last host[] ends the phase.
  return { host, kernel };
}

/** Ideal wall time of issuing the requests with these times, `sync[j]` marking sync points. */
export function simulateSchedule(host: readonly number[], kernel: readonly number[], sync: readonly boolean[]): number {
  let hostAt = host[0] ?? 0;
  let kernelFree = 0;
  for (let j = 0; j < kernel.length; j++) {
    const start = Math.max(kernelFree, hostAt);
    kernelFree = start + (kernel[j] as number);
    if (sync[j] === true) hostAt = kernelFree;
    hostAt += host[j + 1] ?? 0;
  }
  // The phase ends with a flush: the host waits for the kernel to catch up.
  return Math.max(hostAt, kernelFree);
}

/** The per-request ideal of one pair of runs. */
export interface ScheduleIdeal {
  /** Σ h + Σ k: the sync run without transport cost, ms. */
  readonly serialMs: number;
  /** The simulated pipelined schedule, ms. */
  readonly idealMs: number;
  /** serialMs / idealMs. */
  readonly speedup: number;
}

/**
 * The per-request ideal of pipelining, from a sync run's times and a pipelined run's sync
 * points. null when the two runs did not issue the same number of requests (then they are
 * not the same stream).
 */
export function scheduleIdeal(sync: TraceWindow, pipelined: TraceWindow): ScheduleIdeal | null {
  if (sync.requests.length !== pipelined.requests.length || sync.requests.length === 0) return null;
  const { host, kernel } = requestTimes(sync);
  const flags = pipelined.requests.map((r) => !r.pipelined);
  const serialMs = host.reduce((a, b) => a + b, 0) + kernel.reduce((a, b) => a + b, 0);
  const idealMs = simulateSchedule(host, kernel, flags);
  return idealMs > 0 ? { serialMs, idealMs, speedup: serialMs / idealMs } : null;
}
