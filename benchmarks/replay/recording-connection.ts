/**
 * A `KernelConnection` that records the conversation of the connection it wraps (a
 * `DirectConnection`: a kernel in this thread), so it can be replayed without the host
 * program. Requests, responses and callback answers are copied (`structuredClone`) when
 * they pass, so later changes by either side do not alter the record.
 */
import type { KernelApi, KernelRequest, RequestOf, ResponseOf } from '../../lib/protocol/api.js';
import type { AliasHandler, CallbackHandler, ConnectionCapabilities, KernelConnection } from '../../lib/host/connection.js';
import { transcriptOf } from './transcript.js';
import type { PhaseName, RequestHow, Transcript, TranscriptEvent } from './transcript.js';

type RequestEvent = Extract<TranscriptEvent, { kind: 'request' }>;

/** Records everything that passes through the connection it wraps. */
export class RecordingConnection implements KernelConnection {
  readonly #inner: KernelConnection;
  readonly #events: TranscriptEvent[] = [];

  public constructor(inner: KernelConnection) {
    this.#inner = inner;
  }

  public get capabilities(): ConnectionCapabilities {
    return this.#inner.capabilities;
  }

  /** Starts a phase: later requests belong to it. */
  public mark(name: PhaseName): void {
    this.#events.push({ kind: 'phase', name });
  }

  /** The recording so far, closed with an end marker. */
  public transcript(): Transcript {
    return transcriptOf([...this.#events, { kind: 'end' }]);
  }

  public request<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): ResponseOf<A> {
    const event = this.#begin(request as KernelRequest, 'request');
    try {
      const response = this.#inner.request<A>(request);
      event.response = structuredClone(response);
      return response;
    } catch (error) {
      event.error = errorOf(error);
      throw error;
    }
  }

  public async requestAsync<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): Promise<ResponseOf<A>> {
    const event = this.#begin(request as KernelRequest, 'async');
    try {
      const response = await this.#inner.requestAsync<A>(request);
      event.response = structuredClone(response);
      return response;
    } catch (error) {
      event.error = errorOf(error);
      throw error;
    }
  }

  public send(request: KernelRequest): void {
    const event = this.#begin(request, 'send');
    try {
      this.#inner.send(request);
    } catch (error) {
      event.error = errorOf(error);
      throw error;
    }
  }

  public allocateId(): string {
    return this.#inner.allocateId();
  }

  public flush(): void {
    this.#inner.flush();
  }

  public setCallbackHandler(handler: CallbackHandler): void {
    this.#inner.setCallbackHandler((callback) => {
      this.#events.push({ kind: 'callback', cbid: callback.cbid });
      try {
        const result = handler(callback);
        this.#events.push({ kind: 'callbackResult', result: structuredClone(result) });
        return result;
      } catch (error) {
        const { name, message } = errorOf(error);
        this.#events.push({ kind: 'callbackError', name, message });
        throw error;
      }
    });
  }

  public setAliasHandler(handler: AliasHandler): void {
    this.#inner.setAliasHandler(handler);
  }

  public close(): Promise<void> {
    return this.#inner.close();
  }

  #begin(request: KernelRequest, how: RequestHow): RequestEvent {
    const event: RequestEvent = { kind: 'request', request: structuredClone(request), how };
    // Pushed before the request runs: callbacks it makes are recorded after it.
    this.#events.push(event);
    return event;
  }
}

function errorOf(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
