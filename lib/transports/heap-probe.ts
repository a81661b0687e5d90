/**
 * The kernel's heap, asked for out of band: the host posts a message to the kernel worker,
 * which answers with `v8.getHeapStatistics()` of its own isolate (after a full GC when asked
 * and the process exposes one, `--expose-gc`). A diagnostic: the answer comes when the
 * kernel's event loop turns, which it does whenever the kernel is idle between requests.
 */
import * as v8 from 'node:v8';
import type { MessagePort, Worker } from 'node:worker_threads';
import { ErrorCode, JsiiRingError } from '../errors.js';

const REQUEST = 'jsii-ring:heap-statistics?';
const REPLY = 'jsii-ring:heap-statistics';

/** The kernel isolate's heap (bytes, as `v8.getHeapStatistics()` names them). */
export interface KernelHeap {
  readonly usedHeapSize: number;
  readonly totalHeapSize: number;
  readonly heapSizeLimit: number;
  readonly externalMemory: number;
  /** Whether a full GC ran just before the figures were taken. */
  readonly gcRan: boolean;
}

interface HeapRequest {
  readonly kind: typeof REQUEST;
  readonly id: number;
  readonly gc: boolean;
}

interface HeapReply {
  readonly kind: typeof REPLY;
  readonly id: number;
  readonly heap: KernelHeap;
}

function isRequest(message: unknown): message is HeapRequest {
  return typeof message === 'object' && message !== null && (message as HeapRequest).kind === REQUEST && typeof (message as HeapRequest).id === 'number';
}

function isReply(message: unknown, id: number): message is HeapReply {
  return typeof message === 'object' && message !== null && (message as HeapReply).kind === REPLY && (message as HeapReply).id === id;
}

/** Worker side: answers heap requests on `port` (the worker's `parentPort`). */
export function serveHeapProbe(port: MessagePort): void {
  port.on('message', (message: unknown) => {
    if (!isRequest(message)) return;
    const gc = (globalThis as { gc?: () => void }).gc;
    const gcRan = message.gc && typeof gc === 'function';
    if (gcRan) gc();
    const s = v8.getHeapStatistics();
    const heap: KernelHeap = { usedHeapSize: s.used_heap_size, totalHeapSize: s.total_heap_size, heapSizeLimit: s.heap_size_limit, externalMemory: s.external_memory, gcRan };
    port.postMessage({ kind: REPLY, id: message.id, heap } satisfies HeapReply);
  });
}

let nextId = 1;

/**
 * Host side: asks the kernel worker for its heap. Rejects with ERR_RING_TIMEOUT when no
 * answer comes within `timeoutMs` (a kernel busy serving one long request, or gone), and
 * with ERR_PEER_GONE when the worker exits first.
 */
export function askKernelHeap(worker: Worker, options: { readonly gc: boolean; readonly timeoutMs: number }): Promise<KernelHeap> {
  const id = nextId++;
  return new Promise<KernelHeap>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (message: unknown): void => {
      if (!isReply(message, id)) return;
      done();
      resolve(message.heap);
    };
    const onExit = (): void => {
      done();
      reject(new JsiiRingError(ErrorCode.PEER_GONE, 'The kernel worker exited before reporting its heap'));
    };
    // The timer also keeps the event loop alive while the (unref'd) worker answers.
    const timer = setTimeout(() => {
      done();
      reject(new JsiiRingError(ErrorCode.TIMEOUT, `The kernel did not report its heap within ${options.timeoutMs} ms (it answers when idle between requests)`));
    }, options.timeoutMs);
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.postMessage({ kind: REQUEST, id, gc: options.gc } satisfies HeapRequest);
  });
}
