/**
 * The state of one kernel and the helpers every request handler shares: calling library
 * code the way the reference's `ensureSync` does, converting argument lists, calling back
 * into host overrides, and the per-request extension bookkeeping (`objid`).
 *
 * Re-entrancy: a library call may call a host override, whose handler may send nested
 * requests to this same kernel before returning. Nothing here keeps per-request state in
 * a field without saving and restoring it around the nested work.
 */
import { JsiiFault } from '../errors.js';
import type { Callback, ObjRef } from '../protocol/api.js';
import type { ConversionHost, Converter } from './converters.js';
import { callbackError, syncCallError } from './kernel-errors.js';
import type { CallableInfo } from './member-info.js';
import { makeInstallDir } from './install-dirs.js';
import { ObjectTable } from './object-table.js';
import { type ContextFn, withContext } from './serialization-error.js';
import { convert } from './serialization.js';
import { type LoadedAssembly, TypeRegistry } from './type-registry.js';

/** A pipelined get/invoke with `objid` returned an object the kernel already knew. */
export interface AliasNotice {
  readonly objid: string;
  /** The full `fqn@id` ref of the pre-existing object. */
  readonly target: string;
}

/** A call into an async host override, waiting for the host to pick it up and complete it. */
export interface AsyncCallback {
  readonly objref: ObjRef;
  readonly cookie: string | undefined;
  readonly method: string;
  /** The arguments, already in wire form. */
  readonly args: unknown[];
  readonly returns: Converter;
  readonly succeed: (value: unknown) => void;
  readonly fail: (error: unknown) => void;
}

/** An async method started by `begin`, waiting for `end`. */
export interface PendingPromise {
  readonly promise: Promise<unknown>;
  readonly method: CallableInfo;
}

/** What a sync library call is doing, for the Fault of a `begin` attempted meanwhile. */
export const SyncKind = { METHOD: 1, PROPERTY: 2, STATIC_METHOD: 3, STATIC_PROPERTY: 4 } as const;

/** Where the kernel gets its callback handler (the public `Kernel`, whose field is settable). */
export interface CallbackSource {
  readonly callbackHandler: ((callback: Callback) => unknown) | undefined;
}

/** Kernel state shared by the request handlers. */
export class KernelCore implements ConversionHost {
  public readonly types = new TypeRegistry();
  public readonly objects = new ObjectTable(this.types);
  public failure = '';
  public depth = 0;

  /** Extension `objid` is on. */
  public objid = false;
  /** Extension `load-path` is on. */
  public loadPath = false;
  /** Emits `beforeExit` in the kernel's own thread (`KernelOptions.emitBeforeExit`), if it has one. */
  public emitBeforeExit: (() => void) | undefined;

  /** `beforeExit`: the library's exit handlers run, as in a process that ends (CDK auto-synth). */
  public beforeExit(): { emitted: boolean } {
    if (this.emitBeforeExit === undefined) return { emitted: false };
    this.inSync(SyncKind.STATIC_METHOD, 'process', 'beforeExit', this.emitBeforeExit);
    return { emitted: true };
  }

  /** Extension `js-values` is on (see `ConversionHost.jsValues`). */
  public jsValues = false;
  /** Extension `alias-notices` is on. */
  public aliasNoticesOn = false;
  public aliasNotices: AliasNotice[] = [];

  /** Host callbacks (sync overrides) currently running. */
  public callbackDepth = 0;
  // Sync library calls in progress (reference `#syncInProgress`), innermost last: triples
  // of kind and two details. A flat array, so entering a call allocates nothing.
  readonly #sync: (number | string)[] = [];
  #syncTop = 0;

  /** Packages loaded, by npm name. */
  public readonly loadedPackages = new Map<string, LoadedAssembly>();

  /** Async override calls not yet handed out by `callbacks`. */
  public readonly queuedCallbacks = new Map<string, AsyncCallback>();
  /** Async override calls handed out by `callbacks`, waiting for `complete`. */
  public readonly waitingCallbacks = new Map<string, AsyncCallback>();
  /** Promises of `begin`, waiting for `end`. */
  public readonly promises = new Map<string, PendingPromise>();

  public readonly cacheDir: string | undefined;
  readonly #installDirOption: string | undefined;
  #installDir: string | undefined;
  readonly #callbacks: CallbackSource;
  // Callback and promise ids share one counter, from 20000, as in the reference.
  #nextCallbackId = 20000;

  public constructor(callbacks: CallbackSource, cacheDir: string | undefined, installDir: string | undefined) {
    this.#callbacks = callbacks;
    this.cacheDir = cacheDir;
    this.#installDirOption = installDir;
  }

  /** This kernel's install directory (`<dir>/node_modules/<package>`), created on first use. */
  public installDir(): string {
    this.#installDir ??= this.#installDirOption ?? makeInstallDir();
    return this.#installDir;
  }

  /** A fresh `jsii::callback::<n>` id. */
  public nextCallbackId(): string {
    return `jsii::callback::${this.#nextCallbackId++}`;
  }

  /** A fresh `jsii::promise::<n>` id. */
  public nextPromiseId(): string {
    return `jsii::promise::${this.#nextCallbackId++}`;
  }

  /**
   * Calls the host's override synchronously. Whatever the handler throws reaches the
   * library as a Fault or RuntimeError, as the reference's host rethrows a failed
   * `complete`.
   */
  public callHost(callback: Callback): unknown {
    const handler = this.#callbacks.callbackHandler;
    if (handler === undefined) {
      throw new JsiiFault(`No callback handler: cannot call the host for ${describeCallback(callback)}`);
    }
    this.callbackDepth++;
    try {
      return handler(callback);
    } catch (e) {
      throw callbackError(e);
    } finally {
      this.callbackDepth--;
    }
  }

  /**
   * Runs a sync library call (the reference's `ensureSync`): while it runs, `begin` is
   * refused, with `a`/`b` describing the call in that Fault. Nested calls (from host
   * callbacks) stack. What the call throws comes out as `syncCallError` makes it.
   */
  public inSync<T>(kind: number, a: string, b: string, call: () => T): T {
    const top = this.#syncTop;
    this.#sync[top] = kind;
    this.#sync[top + 1] = a;
    this.#sync[top + 2] = b;
    this.#syncTop = top + 3;
    try {
      return call();
    } catch (e) {
      throw syncCallError(e);
    } finally {
      // A stack pointer rather than `length -= 3`: the length setter is slow on V8.
      this.#syncTop = top;
    }
  }

  /** The sync call in progress, as the reference describes it (`method 'a.B@10000.m'`), if any. */
  public describeSync(): string | undefined {
    const n = this.#syncTop;
    if (n === 0) {
      return undefined;
    }
    const kind = this.#sync[n - 3];
    const a = this.#sync[n - 2] as string;
    const b = this.#sync[n - 1] as string;
    switch (kind) {
      case SyncKind.METHOD: return `method '${a}.${b}'`;
      case SyncKind.PROPERTY: return `property '${a}.${b}'`;
      case SyncKind.STATIC_METHOD: return `method '${a}.${b}'`;
      default: return `property ${b}`;
    }
  }

  /**
   * Converts an argument list for `callable` (the reference's `boxUnboxParameters`): the
   * last parameter's type repeats for variadic extras, and arguments beyond the declared
   * parameters are dropped. A failure names the parameter and `describeCall(a, b)`.
   */
  public convertArgs(
    callable: CallableInfo | undefined, args: readonly unknown[], toJs: boolean, describeCall: ContextFn, a: unknown, b: unknown,
  ): unknown[] {
    if (callable === undefined) {
      return [];
    }
    const count = callable.lastVariadic ? args.length : Math.min(args.length, callable.paramConverters.length);
    const out = new Array<unknown>(count);
    for (let i = 0; i < count; i++) {
      const conv = callable.converterAt(i) as Converter;
      try {
        out[i] = convert(this, conv, args[i], toJs);
      } catch (e) {
        throw withContext(e, this.types, `passed to parameter ${callable.parameterAt(i)!.name} of ${describeCall(a, b)}`);
      }
    }
    return out;
  }

  /** Records an alias notice (when the host asked for them). */
  public noticeAlias(objid: string, target: string): void {
    if (this.aliasNoticesOn) {
      this.aliasNotices.push({ objid, target });
    }
  }
}

function describeCallback(callback: Callback): string {
  if (callback.invoke !== undefined) return `method '${callback.invoke.method}'`;
  if (callback.get !== undefined) return `property '${callback.get.property}' (get)`;
  return `property '${callback.set?.property ?? '?'}' (set)`;
}
