/**
 * A `KernelConnection` to a kernel in the same thread: no transport, no pipelining.
 * Used by tests of the bindings, by the request replay benchmark, and wherever a worker
 * thread is not wanted. Every `send` runs at once; its failure is thrown right there
 * (there is no later sync point to defer it to).
 */
import { EXT_ALIAS_NOTICES, EXT_JS_VALUES, EXT_LOAD_PATH, EXT_OBJID, HOST_ID_PREFIX } from '../protocol/api.js';
import type { Callback, KernelApi, KernelRequest, RequestOf, ResponseOf } from '../protocol/api.js';
import { ErrorCode, JsiiRingError } from '../errors.js';
import { Kernel } from '../kernel/kernel.js';
import type { KernelOptions } from '../kernel/kernel.js';
import type { KernelBusy } from './stats.js';
import type { AliasHandler, CallbackHandler, ConnectionCapabilities, KernelConnection } from './connection.js';

/** Options of `DirectConnection`. */
export interface DirectConnectionOptions extends Omit<KernelOptions, 'callbackHandler'> {
  /**
   * Turn on the client-allocated id extension (so callers exercise the same code paths as
   * with a pipelining transport). @default true
   */
  readonly objid?: boolean;
}

/** A kernel in this thread behind the `KernelConnection` interface. */
export class DirectConnection implements KernelConnection {
  public readonly capabilities: ConnectionCapabilities;
  /** The kernel itself, for tests that want to look inside. */
  public readonly kernel: Kernel;
  #nextId = 1;
  #callbackHandler: CallbackHandler | undefined;
  #aliasHandler: AliasHandler | undefined;
  #closed = false;
  /** How deep the host is in kernel calls (a callback's handler calls back in). */
  #depth = 0;
  #busyMs = 0;
  #served = 0;
  #callbackMs = 0;
  #callbacks = 0;
  #callbackDepth = 0;

  public constructor(options: DirectConnectionOptions = {}) {
    const objid = options.objid ?? true;
    this.kernel = new Kernel({ ...options, callbackHandler: (cb: Callback) => this.#onCallback(cb) });
    this.kernel.enableExtensions(objid ? [EXT_OBJID, EXT_LOAD_PATH, EXT_ALIAS_NOTICES, EXT_JS_VALUES] : [EXT_LOAD_PATH, EXT_JS_VALUES]);
    this.capabilities = { objid, pipeline: false, loadPath: true, jsValues: true, beforeExit: false };
  }

  public request<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): ResponseOf<A> {
    this.#assertOpen();
    const response = this.#dispatch(request);
    if (response instanceof Promise) {
      throw new JsiiRingError(ErrorCode.INVALID_OPTION, `'${request.api}' must be sent with requestAsync() on a direct connection`);
    }
    this.#deliverAliases();
    return response as ResponseOf<A>;
  }

  public async requestAsync<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): Promise<ResponseOf<A>> {
    this.#assertOpen();
    const response = await this.#dispatch(request);
    this.#deliverAliases();
    return response as ResponseOf<A>;
  }

  public send(request: KernelRequest): void {
    this.#assertOpen();
    this.#dispatch(request);
    this.#deliverAliases();
  }

  /**
   * Milliseconds the kernel has spent serving the host's requests, and how many it served:
   * the same measure as `KernelClient.kernelBusy` (the kernel's own count in the worker).
   * A request's time runs from its dispatch to its answer, callbacks it makes included (the
   * kernel waits for them); the requests a callback's handler makes count within it, not again.
   * For an async request only its synchronous part counts. Callbacks are timed from the
   * kernel's call of the handler to its return, as the worker's kernel times them from
   * sending one to its completion.
   */
  public get kernelBusy(): KernelBusy {
    return { ms: this.#busyMs, requests: this.#served, callbackMs: this.#callbackMs, callbacks: this.#callbacks };
  }

  /**
   * Runs `work` counted as the kernel's (see `kernelBusy`): library code this thread runs
   * outside any request, such as the CDK's synth when the process is about to exit.
   */
  public asKernel<T>(work: () => T): T {
    if (this.#depth > 0) {
      return work();
    }
    const since = performance.now();
    this.#depth = 1;
    try {
      return work();
    } finally {
      this.#depth = 0;
      this.#busyMs += performance.now() - since;
    }
  }

  #dispatch(request: KernelRequest): unknown {
    // The host's own requests are counted; a callback handler's count within their callback.
    if (this.#depth === 0) this.#served++;
    return this.asKernel(() => this.kernel.dispatch(request));
  }

  public allocateId(): string {
    return `${HOST_ID_PREFIX}${this.#nextId++}`;
  }

  public flush(): void {
    this.#assertOpen();
  }

  public setCallbackHandler(handler: CallbackHandler): void {
    this.#callbackHandler = handler;
  }

  public setAliasHandler(handler: AliasHandler): void {
    this.#aliasHandler = handler;
  }

  public async close(): Promise<void> {
    this.#closed = true;
  }

  #onCallback(callback: Callback): unknown {
    if (this.#callbackHandler === undefined) {
      throw new JsiiRingError(ErrorCode.CALLBACK_FAILED, `Kernel made callback ${callback.cbid} but no callback handler is installed`);
    }
    this.#callbacks++;
    if (this.#callbackDepth > 0) {
      return this.#callbackHandler(callback);
    }
    const since = performance.now();
    this.#callbackDepth = 1;
    try {
      return this.#callbackHandler(callback);
    } finally {
      this.#callbackDepth = 0;
      this.#callbackMs += performance.now() - since;
    }
  }

  #deliverAliases(): void {
    const notices = this.kernel.takeAliasNotices();
    if (notices.length === 0 || this.#aliasHandler === undefined) {
      return;
    }
    for (const notice of notices) {
      this.#aliasHandler(notice.objid, notice.target);
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new JsiiRingError(ErrorCode.CLOSED, 'The connection is closed');
    }
  }
}
