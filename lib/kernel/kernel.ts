/**
 * The jsii kernel: serves jsii protocol requests (the reference `@jsii/runtime` 1.140.0
 * semantics) against jsii libraries loaded into this thread. Pure logic: a transport (ring
 * to a worker, stdio) feeds it decoded requests and sends back what it answers or throws.
 *
 * ```ts
 * const kernel = new Kernel({ callbackHandler: (cb) => host.serve(cb) });
 * kernel.enableExtensions(['objid', 'load-path']);
 * kernel.dispatch({ api: 'load', name: 'constructs', version: '10.8.1', path: dir });
 * const app = kernel.dispatch({ api: 'create', fqn: 'aws-cdk-lib.App', objid: 'h1' });
 * ```
 *
 * Errors: `dispatch` throws `JsiiFault` (`@jsii/kernel.Fault`: the request was wrong) or
 * `JsiiRuntimeError` (library code failed; its `name` is what the reference puts on the wire,
 * usually `@jsii/kernel.RuntimeError`). The kernel keeps serving after any error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsiiFault } from '../errors.js';
import {
  EXT_ALIAS_NOTICES, EXT_BEFORE_EXIT, EXT_JS_VALUES, EXT_LOAD_PATH, EXT_OBJID, EXT_PIPELINE, PROTOCOL_VERSION,
  type Callback, type HelloResponse, type KernelApi, type KernelRequest,
} from '../protocol/api.js';
import { begin, callbacks, complete, end } from './async-requests.js';
import { enterHostTrace, publishKernelDirectory, restoreHostTrace } from './host-context.js';
import { type AliasNotice, KernelCore } from './kernel-core.js';
import { runtimeErrorOf } from './kernel-errors.js';
import { load } from './load-request.js';
import { create, del, get, invoke, naming, set, sget, sinvoke, sset, stats } from './object-requests.js';
import { Unconvertible, withContext } from './serialization-error.js';

export type { AliasNotice } from './kernel-core.js';

/** Options of {@link Kernel}. */
export interface KernelOptions {
  /**
   * Serves sync callbacks into host overrides: gets the Callback, returns the wire-encoded
   * result or throws (an Error named `@jsii/kernel.Fault` / `@jsii/kernel.RuntimeError`, or
   * anything else, which the library sees as a RuntimeError).
   * @default none: a callback is a Fault
   */
  readonly callbackHandler?: (callback: Callback) => unknown;
  /** Passed to assembly loading (package cache). @default the assembly store's default */
  readonly cacheDir?: string;
  /**
   * Where loaded packages are installed (`<installDir>/node_modules/<name>`).
   * @default a temporary directory per kernel, removed when the process exits
   */
  readonly installDir?: string;
  /**
   * Emits `beforeExit` on the process object of the thread the kernel runs in (extension
   * `before-exit`). Only a kernel with a thread of its own sets it: in the host's thread
   * the real `beforeExit` comes by itself. @default none: `beforeExit` runs nothing
   */
  readonly emitBeforeExit?: () => void;
}

/** Extensions this kernel implements (DESIGN.md); `pipeline` itself is the transport's. */
const EXTENSIONS: readonly string[] = [EXT_OBJID, EXT_PIPELINE, EXT_LOAD_PATH, EXT_ALIAS_NOTICES, EXT_JS_VALUES, EXT_BEFORE_EXIT];

type Handler = (core: KernelCore, request: never) => unknown;

/** The dispatch table: api name → handler. A Map, so no api name can reach anything else. */
const HANDLERS: ReadonlyMap<string, Handler> = new Map<KernelApi, Handler>([
  ['load', load],
  ['create', create],
  ['del', del],
  ['get', get],
  ['sget', sget],
  ['set', set],
  ['sset', sset],
  ['invoke', invoke],
  ['sinvoke', sinvoke],
  ['begin', begin],
  ['end', end],
  ['callbacks', callbacks],
  ['complete', complete],
  ['naming', naming],
  ['stats', stats],
  ['beforeExit', (core: KernelCore) => core.beforeExit()],
]);

/** The jsii kernel. */
export class Kernel {
  /** Serves sync callbacks into host overrides; settable at any time. */
  public callbackHandler: ((callback: Callback) => unknown) | undefined;
  readonly #core: KernelCore;

  public constructor(options: KernelOptions = {}) {
    this.callbackHandler = options.callbackHandler;
    this.#core = new KernelCore(this, options.cacheDir, options.installDir);
    this.#core.emitBeforeExit = options.emitBeforeExit;
    publishKernelDirectory();
  }

  /**
   * The hello message: `{ hello: 'jsii-ring@<version>', capabilities: { protocol, codecs,
   * extensions } }` (the reference sends only `hello`).
   */
  public hello(): HelloResponse {
    return {
      hello: `jsii-ring@${packageVersion()}`,
      capabilities: { protocol: PROTOCOL_VERSION, codecs: ['json', 'msgpack'], extensions: [...EXTENSIONS] },
    };
  }

  /**
   * Turns on extensions the host asked for (`objid`, `load-path`, `alias-notices`,
   * `pipeline`). An unknown name is a Fault. All are off by default: plain jsii behaviour.
   */
  public enableExtensions(names: readonly string[]): void {
    for (const name of names) {
      if (!EXTENSIONS.includes(name)) {
        throw new JsiiFault(`Unknown extension '${String(name)}' (this kernel offers: ${EXTENSIONS.join(', ')})`);
      }
    }
    const core = this.#core;
    for (const name of names) {
      if (name === EXT_OBJID) core.objid = true;
      if (name === EXT_LOAD_PATH) core.loadPath = true;
      if (name === EXT_ALIAS_NOTICES) core.aliasNoticesOn = true;
      if (name === EXT_JS_VALUES) core.jsValues = true;
    }
  }

  /**
   * Serves one request and returns its answer (the `ok` payload), or throws `JsiiFault` /
   * `JsiiRuntimeError`. Only `end` answers with a Promise. Malformed requests and unknown
   * apis are Faults; the kernel keeps serving after any error.
   */
  public dispatch(request: KernelRequest): unknown {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      throw new JsiiFault(`Malformed request: expected an object, got ${request === null ? 'null' : typeof request}`);
    }
    const api: unknown = (request as { api?: unknown }).api;
    if (typeof api !== 'string') {
      throw new JsiiFault('Malformed request, "api" field is required');
    }
    const handler = HANDLERS.get(api);
    if (handler === undefined) {
      throw new JsiiFault(`Invalid kernel api call: ${api}`);
    }
    const previousTrace = enterHostTrace(request);
    try {
      return (handler as (core: KernelCore, request: KernelRequest) => unknown)(this.#core, request);
    } catch (e) {
      throw finalError(e, this.#core);
    } finally {
      restoreHostTrace(previousTrace);
    }
  }

  /**
   * Loads the module behind class or enum `fqn` now, as its first use would, and nothing
   * else: no object is created and no member runs (the kernel worker does this while it waits
   * for requests; see worker/type-preloader.ts). `waiting`: its assembly is not loaded yet;
   * `loaded`: resolved now; `used`: resolved before (a request needed it first); `skipped`:
   * no such class or enum, or loading it threw (nothing is reported: the first real use
   * fails as it would have).
   */
  public preloadType(fqn: string): 'loaded' | 'used' | 'waiting' | 'skipped' {
    const types = this.#core.types;
    const type = types.tryType(fqn);
    if (type === undefined) {
      return types.hasAssemblyFor(fqn) ? 'skipped' : 'waiting';
    }
    if (type.kind !== 'class' && type.kind !== 'enum') {
      return 'skipped';
    }
    if (type.symbolResolved) {
      return 'used';
    }
    try {
      type.symbol();
      return 'loaded';
    } catch {
      return 'skipped';
    }
  }

  /** How many assemblies are loaded (changes when a `load` request adds one). */
  public get assemblyCount(): number {
    return this.#core.types.assemblyCount;
  }

  /**
   * True while asynchronous work is outstanding (a `begin` not yet ended, an async
   * callback not yet completed): a transport must then keep the event loop turning.
   */
  public get hasPendingAsync(): boolean {
    const core = this.#core;
    return core.promises.size > 0 || core.queuedCallbacks.size > 0 || core.waitingCallbacks.size > 0;
  }

  /** Alias notices recorded since the last call (extension `alias-notices`). */
  public takeAliasNotices(): AliasNotice[] {
    const notices = this.#core.aliasNotices;
    if (notices.length === 0) {
      return [];
    }
    this.#core.aliasNotices = [];
    return notices;
  }
}

/** Whatever escaped a handler, as one of our errors (a safety net: handlers map their own). */
function finalError(e: unknown, core: KernelCore): unknown {
  if (e instanceof Unconvertible) {
    return withContext(e, core.types, 'value');
  }
  return e instanceof Error ? e : runtimeErrorOf(e);
}

let version: string | undefined;

/** This package's version, from the nearest `package.json` named `jsii-ring` above this file. */
function packageVersion(): string {
  if (version === undefined) {
    version = '0.0.0';
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
      try {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
        if (manifest.name === 'jsii-ring' && typeof manifest.version === 'string') {
          version = manifest.version;
          break;
        }
      } catch {
        // no package.json here: keep walking up
      }
      if (path.dirname(dir) === dir) {
        break;
      }
    }
  }
  return version;
}
