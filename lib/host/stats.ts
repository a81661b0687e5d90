/**
 * The kernel's own account of its time, the same measure on every connection that has one
 * (the worker's kernel, and our kernel in this thread): milliseconds serving requests and how
 * many it served (the host's own requests: those a callback's handler makes count within it);
 * of those milliseconds, how long it waited for the callbacks it made to complete (the host's
 * handler and the requests the handler made included), and how many it made (at every depth).
 * A callback made within a callback counts in its outer one's time only.
 */
export interface KernelBusy {
  readonly ms: number;
  readonly requests: number;
  readonly callbackMs: number;
  readonly callbacks: number;
}

/** Counters a client keeps about its own traffic (for the CLI summary and benchmarks). */
export class ClientStats {
  /** Requests by api, split by how they were sent. */
  public readonly sync: Record<string, number> = {};
  public readonly pipelined: Record<string, number> = {};
  public syncPoints = 0;
  public pipelinedTotal = 0;
  public callbacks = 0;
  public aliases = 0;
  public capWaits = 0;
  public flushes = 0;
  public pipelinedFailures = 0;
  /** Milliseconds the host spent blocked waiting for a frame from the kernel. */
  public hostWaitMs = 0;

  public countSync(api: string): void {
    this.sync[api] = (this.sync[api] ?? 0) + 1;
    this.syncPoints++;
  }

  public countPipelined(api: string): void {
    this.pipelined[api] = (this.pipelined[api] ?? 0) + 1;
    this.pipelinedTotal++;
  }

  /** A plain snapshot. */
  public toJSON(): Record<string, unknown> {
    return {
      sync: { ...this.sync },
      pipelined: { ...this.pipelined },
      syncPoints: this.syncPoints,
      pipelinedTotal: this.pipelinedTotal,
      callbacks: this.callbacks,
      aliases: this.aliases,
      capWaits: this.capWaits,
      flushes: this.flushes,
      pipelinedFailures: this.pipelinedFailures,
      hostWaitMs: this.hostWaitMs,
    };
  }
}
