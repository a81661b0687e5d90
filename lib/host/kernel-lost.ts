/**
 * What a host is told when it loses its kernel: the kernel died (`ERR_PEER_GONE`), or a call
 * ran past its deadline and the kernel was ended (`ERR_RING_TIMEOUT`). Everything the host
 * knew at that moment is in the error, so nothing the kernel did before is lost with it.
 */
import { ErrorCode, JsiiRingError } from '../errors.js';
import type { KernelRequest } from '../protocol/api.js';
import { describeRequest } from './pipeline.js';
import type { InFlightQueue, PipelinedRequestError } from './pipeline.js';

/** A request named in a loss report. */
export interface LostRequest {
  readonly seq: number;
  readonly api: string;
  /** Class fqn or object reference. */
  readonly target: string;
  readonly member?: string;
  /** True if it was pipelined (issued without waiting for its answer). */
  readonly pipelined: boolean;
}

/** What the link knows of a loss; the client adds what it knows of the requests. */
export interface Loss {
  readonly code: typeof ErrorCode.PEER_GONE | typeof ErrorCode.TIMEOUT;
  /** Why, in the words of whoever saw it (the kernel, the watchdog, the ring). */
  readonly reason: string;
  readonly cause: unknown;
}

/** How the kernel's thread ended, once the host has heard (its `exit` event). */
export interface WorkerEnd {
  readonly exitCode: number;
  /** The worker's own error, e.g. one with code `ERR_WORKER_OUT_OF_MEMORY`. */
  readonly error: unknown;
}

/**
 * The kernel is lost. `serving` is the request whose library code the kernel was running
 * (undefined if it was between requests); `unserved` counts the pipelined requests it never
 * finished (the one it was serving included); `failures` holds every pipelined failure it
 * reported before (they are not thrown again elsewhere). `workerEnd` is filled in when the
 * host's event loop hears the thread end: a host blocked in a call cannot hear it before it
 * is woken, so `close()` waits for it.
 */
export class KernelLostError extends JsiiRingError {
  public readonly reason: string;
  public readonly serving: LostRequest | undefined;
  public readonly unserved: number;
  public readonly failures: readonly PipelinedRequestError[];
  public workerEnd: WorkerEnd | undefined;

  public constructor(loss: Loss, serving: LostRequest | undefined, unserved: number, failures: readonly PipelinedRequestError[]) {
    const head = loss.code === ErrorCode.TIMEOUT ? 'The kernel was ended: ' : 'The kernel is gone: ';
    const parts = [`${head}${loss.reason}`];
    if (serving !== undefined) {
      const member = serving.member !== undefined ? `.${serving.member}` : '';
      const what = `${serving.api} ${serving.target}${member}`.trim();
      parts.push(`it was serving ${serving.pipelined ? 'pipelined ' : ''}request #${serving.seq} (${what})`);
    }
    if (unserved > 0) {
      parts.push(`${unserved} pipelined request${unserved === 1 ? ' was' : 's were'} never served`);
    }
    if (failures.length > 0) {
      const first = failures[0] as PipelinedRequestError;
      parts.push(`${failures.length} pipelined request${failures.length === 1 ? '' : 's'} failed before (see .failures), first #${first.seq}: ${first.message}`);
    }
    super(loss.code, parts.join('; '), { cause: loss.cause });
    this.name = 'KernelLostError';
    this.reason = loss.reason;
    this.serving = serving;
    this.unserved = unserved;
    this.failures = failures;
  }

  /** Records how the thread ended (first call wins), and says so in the message. */
  public heardEnd(end: WorkerEnd): void {
    if (this.workerEnd !== undefined) return;
    this.workerEnd = end;
    const error = end.error as { code?: unknown; message?: unknown } | undefined;
    const detail = error !== undefined ? `: ${String(error.code ?? '')} ${String(error.message ?? error)}`.replace(':  ', ': ') : '';
    this.message += ` [the worker exited with code ${end.exitCode}${detail}]`;
  }
}

/**
 * Builds the loss report from the host's books, once they are settled to what the kernel
 * served: `servingSeq` is the request the kernel was running (0: none), found among the
 * pipelined `queues` or as the awaited `sync` request; what is left in the queues was never
 * served.
 */
export function lossReport(
  loss: Loss,
  servingSeq: number,
  queues: readonly InFlightQueue[],
  sync: { readonly seq: number; readonly request: KernelRequest } | undefined,
  failures: readonly PipelinedRequestError[],
): KernelLostError {
  let serving: LostRequest | undefined;
  if (servingSeq !== 0) {
    const entry = queues.map((q) => q.find(servingSeq)).find((e) => e !== undefined);
    const request = entry?.request ?? (sync?.seq === servingSeq ? sync.request : undefined);
    if (request !== undefined) {
      const { target, member } = describeRequest(request);
      serving = { seq: servingSeq, api: request.api, target, member, pipelined: entry !== undefined };
    }
  }
  const unserved = queues.reduce((sum, q) => sum + q.length, 0);
  return new KernelLostError(loss, serving, unserved, failures);
}
