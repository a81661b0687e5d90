/**
 * The one interface the bindings (and any other caller) use to talk to a jsii kernel,
 * whatever carries the requests: the ring to a worker thread, stdio to a child process,
 * or a kernel in the same thread.
 *
 * Contract ("as if sequential", DESIGN.md): a program observes exactly what it would
 * observe if every call were synchronous, only sooner.
 */
import type { Callback, KernelApi, KernelRequest, RequestOf, ResponseOf } from '../protocol/api.js';

/** What the kernel on the other side agreed to in the handshake. */
export interface ConnectionCapabilities {
  /** Requests may carry a client-allocated `objid` (see `allocateId`). */
  readonly objid: boolean;
  /** `send` really pipelines (false when the pending cap is 0 or the peer cannot). */
  readonly pipeline: boolean;
  /** The kernel can load a package from an installed directory (`load` with `path`). */
  readonly loadPath: boolean;
  /**
   * The kernel takes values as a JavaScript program wrote them (extension `js-values`):
   * struct keys in program order, undeclared keys kept, plain data where a class is declared.
   */
  readonly jsValues: boolean;
  /** The kernel has a thread of its own whose `beforeExit` handlers the host can run (extension `before-exit`). */
  readonly beforeExit: boolean;
}

/**
 * Told when a pipelined `get`/`invoke` that carried `objid` turned out to return an object
 * the kernel already knew under another id (`target`, a full `fqn@id` ref string).
 */
export type AliasHandler = (objid: string, target: string) => void;

/**
 * Serves a callback from the kernel into a host override. Returns the wire value of the
 * result; throwing completes the callback with an error the library sees.
 */
export type CallbackHandler = (callback: Callback) => unknown;

export interface KernelConnection {
  readonly capabilities: ConnectionCapabilities;

  /**
   * A sync point: sends the request, waits for its response and returns it. If an earlier
   * pipelined request (of this callback depth or deeper) failed, that failure is thrown
   * instead (with the rest attached) and this request's answer is discarded: the request
   * itself has run by then, like every pipelined request issued after the failure.
   */
  request<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): ResponseOf<A>;

  /** Like `request`, but lets the caller's event loop run while waiting (needed for `end`). */
  requestAsync<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): Promise<ResponseOf<A>>;

  /**
   * Pipelines a request whose response the caller will not read: `create`, `invoke`/
   * `sinvoke`/`get`/`sget` whose declared return type is a class or interface reference
   * (these must carry an `objid` from `allocateId`), `void` invokes, `set`/`sset`, `del`.
   * Returns at once (or after waiting for room under the pending cap). A failure is
   * reported at the next sync point. With `capabilities.pipeline` false this is a
   * synchronous request whose failure is thrown here.
   */
  send(request: KernelRequest): void;

  /** A fresh id in the host namespace, for a request's `objid`. */
  allocateId(): string;

  /** An explicit sync point: waits until every pipelined request has been served. */
  flush(): void;

  /** Installs the handler that serves kernel callbacks (host overrides). */
  setCallbackHandler(handler: CallbackHandler): void;

  /** Installs the handler told about aliases (identity, DESIGN.md). */
  setAliasHandler(handler: AliasHandler): void;

  /** Drains, reports any deferred error, and releases the kernel. Idempotent. */
  close(): Promise<void>;
}
