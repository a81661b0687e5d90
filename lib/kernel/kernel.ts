/**
 * The jsii kernel: serves jsii protocol requests against loaded jsii libraries.
 * (Work in progress: the request handlers land in the following commits.)
 */
import type { Callback, HelloResponse, KernelRequest } from '../protocol/api.js';
import { EXT_ALIAS_NOTICES, EXT_LOAD_PATH, EXT_OBJID, PROTOCOL_VERSION } from '../protocol/api.js';
import { JsiiFault } from '../errors.js';

/** Options of {@link Kernel}. */
export interface KernelOptions {
  /**
   * Serves sync callbacks into host overrides: gets the Callback, returns the wire-encoded result or throws.
   * @default none: a callback is a Fault
   */
  readonly callbackHandler?: (callback: Callback) => unknown;
  /** Passed to assembly loading. @default the assembly store's default */
  readonly cacheDir?: string;
}

/** A pipelined get/invoke with `objid` returned an object the kernel already knew. */
export interface AliasNotice {
  readonly objid: string;
  /** The full `fqn@id` ref of the pre-existing object. */
  readonly target: string;
}

/** The jsii kernel. */
export class Kernel {
  /** Serves sync callbacks into host overrides. */
  public callbackHandler: ((callback: Callback) => unknown) | undefined;

  public constructor(options: KernelOptions = {}) {
    this.callbackHandler = options.callbackHandler;
  }

  /** The hello response. */
  public hello(): HelloResponse {
    return {
      hello: 'jsii-ring@0.1.0',
      capabilities: { protocol: PROTOCOL_VERSION, codecs: ['json', 'msgpack'], extensions: [EXT_OBJID, EXT_LOAD_PATH, EXT_ALIAS_NOTICES] },
    };
  }

  /** Turns on extensions. */
  public enableExtensions(_names: readonly string[]): void {}

  /** Serves one request. */
  public dispatch(request: KernelRequest): unknown {
    throw new JsiiFault(`Not implemented yet: ${request.api}`);
  }

  /** Alias notices recorded since the last call. */
  public takeAliasNotices(): AliasNotice[] {
    return [];
  }
}
