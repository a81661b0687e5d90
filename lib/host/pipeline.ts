/**
 * Bookkeeping for pipelined requests: which are in flight (for the pending cap and for
 * naming a failure), and the failures waiting for the next sync point.
 */
import type { KernelRequest } from '../protocol/api.js';
import { FAULT_NAME } from '../protocol/api.js';
import type { WireError } from '../protocol/frames.js';
import { ErrorCode, JsiiRingError } from '../errors.js';

/** One pipelined request the kernel may not have served yet. */
export interface InFlight {
  readonly seq: number;
  readonly request: KernelRequest;
  /** Callback nesting depth it was issued at (0 = the program's own flow). */
  readonly depth: number;
  /** Holder of the host stack at the call site, when call sites are captured. */
  readonly site: { stack?: string } | undefined;
}

/**
 * A FIFO of in-flight requests, oldest first. A head index instead of `shift()` keeps
 * removal O(1) even with an unlimited pending cap.
 */
export class InFlightQueue {
  #items: (InFlight | undefined)[] = [];
  #head = 0;

  public get length(): number {
    return this.#items.length - this.#head;
  }

  public push(item: InFlight): void {
    this.#items.push(item);
  }

  /** The seq of the item `index` places from the oldest. */
  public seqAt(index: number): number {
    return (this.#items[this.#head + index] as InFlight).seq;
  }

  /** True if a request with this seq is in the queue. */
  public includes(seq: number): boolean {
    return this.find(seq) !== undefined;
  }

  /** The queued request with this seq, if any (seqs are increasing: binary search). */
  public find(seq: number): InFlight | undefined {
    let low = this.#head;
    let high = this.#items.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const item = this.#items[middle] as InFlight;
      if (item.seq === seq) return item;
      if (item.seq < seq) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Removes every item with seq <= `seq`; returns the item whose seq equals it, if any. */
  public retireThrough(seq: number): InFlight | undefined {
    let match: InFlight | undefined;
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head] as InFlight;
      if (item.seq > seq) {
        break;
      }
      if (item.seq === seq) {
        match = item;
      }
      this.#items[this.#head++] = undefined;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return match;
  }
}

/** Describes a request in a few words: `create aws-cdk-lib.Stack`, `invoke Bucket@h3.addToResourcePolicy`. */
export function describeRequest(request: KernelRequest): { target: string; member?: string; text: string } {
  const r = request as unknown as Record<string, unknown>;
  // Any shape: a malformed request is described in its failure report too.
  const ref: unknown = r.objref;
  const target = typeof r.fqn === 'string' ? r.fqn : typeof ref === 'object' && ref !== null ? String((ref as Record<string, unknown>)['$jsii.byref']) : '';
  const member = typeof r.method === 'string' ? r.method : typeof r.property === 'string' ? r.property : undefined;
  const text = `${request.api} ${target}${member !== undefined ? `.${member}` : ''}`.trim();
  return { target, member, text };
}

/**
 * A pipelined request failed. Thrown at the next sync point (or `flush()`/`close()`).
 * `jsiiName` keeps the kernel's error name (`@jsii/kernel.Fault` / `.RuntimeError`);
 * `kernelStack` the kernel-side stack; `callSite` where the host issued the request;
 * `others` any further failures reported at the same sync point.
 */
export class PipelinedRequestError extends JsiiRingError {
  public readonly seq: number;
  public readonly request: { readonly api: string; readonly target: string; readonly member?: string };
  public readonly jsiiName: string;
  public readonly kernelStack: string | undefined;
  public readonly callSite: string | undefined;
  /** Callback depth the request was issued at (0 = the program's own flow). */
  public readonly depth: number;
  public others: PipelinedRequestError[] = [];

  public constructor(entry: InFlight | undefined, seq: number, wire: WireError) {
    const described = entry !== undefined ? describeRequest(entry.request) : undefined;
    const what = described !== undefined ? described.text : 'an unknown request';
    super(ErrorCode.DEFERRED, `Pipelined request #${seq} (${what}) failed: ${wire.error}`);
    this.name = 'PipelinedRequestError';
    this.seq = seq;
    this.request = { api: entry?.request.api ?? 'unknown', target: described?.target ?? '', member: described?.member };
    this.jsiiName = wire.name ?? FAULT_NAME;
    this.kernelStack = wire.stack;
    this.callSite = entry?.site?.stack;
    this.depth = entry?.depth ?? 0;
    const sections = [`${this.name} [${this.code}]: ${this.message}`];
    if (this.callSite !== undefined) {
      sections.push(`  issued at:\n${indentFrames(this.callSite)}`);
    } else if (entry !== undefined) {
      sections.push('  issued at: not recorded (set the client option captureCallSites: true, or JSII_RING_CALL_SITES=1)');
    }
    if (this.kernelStack !== undefined) {
      sections.push(`  kernel stack:\n${indentFrames(this.kernelStack)}`);
    }
    this.stack = sections.join('\n');
  }
}

function indentFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .map((line) => `    ${line.trim()}`)
    .join('\n');
}

/** Folds a list of failures into the one that is thrown (the first, the rest attached). */
export function firstWithOthers(failures: PipelinedRequestError[]): PipelinedRequestError {
  const [first, ...rest] = failures as [PipelinedRequestError, ...PipelinedRequestError[]];
  first.others = rest;
  if (rest.length > 0) {
    const more = ` (and ${rest.length} more failed pipelined request${rest.length === 1 ? '' : 's'}: see .others)`;
    // The stack was rendered from the message in the constructor: its header must say it too
    // (an uncaught error is printed from its stack).
    const header = `${first.name} [${first.code}]: ${first.message}`;
    first.message += more;
    if (first.stack?.startsWith(header) === true) {
      first.stack = `${header}${more}${first.stack.slice(header.length)}`;
    }
  }
  return first;
}
