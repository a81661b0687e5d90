/**
 * A `KernelConnection` with no kernel behind it: it records every request and how it was
 * made (`send`, `request`, `requestAsync`) and answers with what the test scripts. Used to
 * check the decisions the bindings make from declared types, without running a library.
 */
import type { AliasHandler, CallbackHandler, ConnectionCapabilities, KernelConnection } from '../../../lib/host/connection.js';
import type { KernelApi, KernelRequest, RequestOf, ResponseOf } from '../../../lib/protocol/api.js';

/** One recorded request. */
export interface Recorded {
  readonly mode: 'send' | 'request' | 'requestAsync';
  readonly request: KernelRequest;
}

/** Answers a request (return the response; throw to fail it). */
export type Responder = (request: KernelRequest) => unknown;

export class ScriptedConnection implements KernelConnection {
  public readonly capabilities: ConnectionCapabilities;
  public readonly log: Recorded[] = [];
  public responder: Responder = (request) => defaultResponse(request);
  /** Runs after a `send` is recorded (e.g. to deliver an alias notice at once). */
  public afterSend: (request: KernelRequest) => void = () => undefined;
  public callbackHandler: CallbackHandler | undefined;
  public aliasHandler: AliasHandler | undefined;
  #nextId = 1;

  public constructor(capabilities: Partial<ConnectionCapabilities> = {}) {
    this.capabilities = { objid: true, pipeline: true, loadPath: true, jsValues: true, beforeExit: false, ...capabilities };
  }

  public request<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): ResponseOf<A> {
    this.log.push({ mode: 'request', request });
    return this.responder(request) as ResponseOf<A>;
  }

  public async requestAsync<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): Promise<ResponseOf<A>> {
    this.log.push({ mode: 'requestAsync', request });
    return this.responder(request) as ResponseOf<A>;
  }

  public send(request: KernelRequest): void {
    this.log.push({ mode: 'send', request });
    this.afterSend(request);
  }

  public allocateId(): string {
    return `h${this.#nextId++}`;
  }

  public flush(): void {}

  public setCallbackHandler(handler: CallbackHandler): void {
    this.callbackHandler = handler;
  }

  public setAliasHandler(handler: AliasHandler): void {
    this.aliasHandler = handler;
  }

  public async close(): Promise<void> {}

  /** The recorded requests after `load`s, as `mode api` strings. */
  public calls(): string[] {
    return this.log.filter((r) => r.request.api !== 'load').map((r) => `${r.mode} ${r.request.api}`);
  }

  /** The last recorded request. */
  public last(): Recorded {
    const last = this.log[this.log.length - 1];
    if (last === undefined) throw new Error('nothing recorded');
    return last;
  }
}

function defaultResponse(request: KernelRequest): unknown {
  switch (request.api) {
    case 'load': return { assembly: request.name, types: 0 };
    case 'callbacks': return { callbacks: [] };
    default: return {};
  }
}
