/**
 * A conformance driver over `KernelClient`: the same scripts that run against the
 * reference runtime and the in-process kernel run through the ring to a worker kernel
 * (or through the stdio transport), so the transports are held to the same transcripts.
 */
import { ALL_EXTENSIONS } from '../../lib/host/options.js';
import { EXT_JS_VALUES } from '../../lib/protocol/api.js';
import type { Callback, KernelApi, KernelRequest, RequestOf } from '../../lib/protocol/api.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelClientOptions } from '../../lib/host/options.js';
import {
  unexpectedCallbackAnswer,
  type CallbackAnswer, type Envelope, type ProtocolDriver, type SyncProtocolDriver,
} from '../helpers/protocol-driver.js';

/** A sync conformance driver over a `KernelClient`; subclasses may pipeline. */
export class RingDriver implements SyncProtocolDriver {
  public readonly label: string;
  public readonly client: KernelClient;
  public onCallback: (cb: Callback, driver: ProtocolDriver) => Promise<CallbackAnswer> = async (cb) => unexpectedCallbackAnswer(cb);
  public onCallbackSync: (cb: Callback, driver: SyncProtocolDriver) => CallbackAnswer = (cb) => unexpectedCallbackAnswer(cb);

  public constructor(label: string, options: KernelClientOptions) {
    this.label = label;
    // The recorded conversations are the reference's jsii: values keep jsii's rules
    // (js-values, which takes values as a JavaScript program wrote them, stays off).
    this.client = KernelClient.start({ extensions: ALL_EXTENSIONS.filter((e) => e !== EXT_JS_VALUES), ...options });
    this.client.setCallbackHandler((cb) => {
      const answer = this.onCallbackSync(cb, this);
      if ('err' in answer) {
        const error = new Error(answer.err);
        if (answer.name !== undefined) error.name = answer.name;
        throw error;
      }
      return answer.result;
    });
  }

  public requestSync(req: KernelRequest): Envelope {
    try {
      const ok = this.client.request(req as RequestOf<KernelApi> & { readonly api: KernelApi });
      return { ok: JSON.parse(JSON.stringify(ok ?? {})) as unknown };
    } catch (error) {
      if (this.isFatal(error)) {
        throw error;
      }
      const e = error as Error;
      return { error: e.message, name: e.name, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
    }
  }

  /** Errors that are not a kernel's answer (the driver itself failed): rethrown, not enveloped. */
  protected isFatal(error: unknown): boolean {
    const code = (error as { code?: string }).code;
    return code === 'ERR_PEER_GONE' || code === 'ERR_RING_TIMEOUT';
  }

  public async request(req: KernelRequest): Promise<Envelope> {
    return this.requestSync(req);
  }

  public async close(): Promise<void> {
    await this.client.close();
  }
}

/** Starts a worker kernel (or a stdio kernel) behind a sync conformance driver. */
export function startRingDriver(label: string, options: KernelClientOptions = {}): SyncProtocolDriver & { readonly client: KernelClient } {
  return new RingDriver(label, { pendingCap: 0, ...options });
}
