/**
 * Options of `KernelClient`: one interface, one defaults constant, one place that
 * validates and merges (`resolveClientOptions`).
 */
import { CODEC_NAMES } from '../protocol/codec.js';
import { DEFAULT_WORKER_LAUNCH } from './launch.js';
import type { CodecName } from '../protocol/codec.js';
import { EXT_ALIAS_NOTICES, EXT_BEFORE_EXIT, EXT_JS_VALUES, EXT_LOAD_PATH, EXT_OBJID, EXT_PIPELINE } from '../protocol/api.js';

/** Options of a kernel client. Every field is optional. */
export interface KernelClientOptions {
  /**
   * Codec for frames after the handshake.
   * @default 'msgpack'
   */
  readonly codec?: CodecName;
  /**
   * The most pipelined requests in flight before the host waits for the kernel to catch
   * up (then until half of them are served). `0` makes every call synchronous; `Infinity`
   * never waits (the rings' own backpressure still applies).
   * @default DEFAULT_PENDING_CAP
   */
  readonly pendingCap?: number;
  /**
   * Capture the host call site of every pipelined request, so a deferred failure can say
   * where the request was issued. Off by default: `Error.captureStackTrace` costs ~2 µs
   * per request, more than the rest of a pipelined request's host-side cost put together
   * (benchmarks/RESULTS.md). A deferred failure always names the request (api, type,
   * member, sequence number) and carries the kernel stack and the stack of the sync point
   * that reported it; turn this on to see the issuing line as well.
   * @default true when the environment sets JSII_RING_CALL_SITES=1, else false
   */
  readonly captureCallSites?: boolean;
  /**
   * Protocol extensions to ask for. `[]` gives plain jsii behaviour (no client ids, no
   * pipelining).
   * @default every extension the kernel offers
   */
  readonly extensions?: readonly string[];
  /** Bytes in the request ring (power of two). @default 1 MiB */
  readonly requestRingBytes?: number;
  /** Bytes in the callback ring (power of two). @default 256 KiB */
  readonly callbackRingBytes?: number;
  /** Bytes in the response ring (power of two). @default 1 MiB */
  readonly responseRingBytes?: number;
  /** How long to wait for the worker to start and greet, ms. @default 30000 */
  readonly startTimeoutMs?: number;
  /** How long one blocking wait for the kernel may last, ms. @default Infinity */
  readonly requestTimeoutMs?: number;
  /**
   * The longest one kernel call may run library code without returning (time the host
   * spends in callbacks it made does not count), ms. Past it the kernel worker is ended and
   * the host gets `ERR_RING_TIMEOUT` naming the call: a library that loops forever cannot
   * hang the host, nor `close()`. Checked by a watchdog thread, so it holds while the host
   * blocks; the check runs every quarter of the deadline (at most every second) and acts on
   * two checks in a row, so a call is ended within 1.5× the deadline. `Infinity` turns it
   * off. Ring transport only.
   * @default DEFAULT_CALL_TIMEOUT_MS (10 minutes)
   */
  readonly callTimeoutMs?: number;
  /** Package cache directory passed to the kernel. @default the kernel's own default */
  readonly cacheDir?: string;
  /**
   * How requests reach the kernel: `ring` (a kernel in a worker thread) or `stdio` (a
   * child process speaking the jsii stdio protocol, relayed by a worker thread).
   * @default 'ring'
   */
  readonly transport?: TransportName;
  /**
   * With `transport: 'stdio'`: which program serves the protocol. `ours` runs
   * `jsii-ring serve --stdio`; `reference` runs the reference `@jsii/runtime`; an array is
   * a command line. @default 'ours'
   */
  readonly stdioKernel?: 'ours' | 'reference' | readonly string[];
  /** Called for every request the client issues (for `--trace`; costs ~1 µs a request). @default none */
  readonly onRequest?: (event: RequestEvent) => void;
  /**
   * Called with the number of requests issued so far after every 1,024th (progress output:
   * nearly free, unlike `onRequest`). @default none
   */
  readonly onProgress?: (issued: number) => void;
  /**
   * Spin-loop iterations (about 11 ns each) a blocked side runs before it sleeps: the host
   * waiting for an answer, the kernel waiting for a request. Adaptive: a side whose spins
   * keep running out sleeps at once for a while. `0` always sleeps (least CPU, slowest).
   * @default DEFAULT_SPIN
   */
  readonly spin?: number;
  /**
   * Record a per-request timeline of both threads (`KernelClient.timeline`, complete after
   * `close()`; see transports/timeline.ts). Ring transport only. A diagnostic: it costs a
   * clock read or two per request on the host and four in the kernel, and holds every
   * record in memory until the client is dropped.
   * @default false
   */
  readonly timeline?: boolean;
  /**
   * Classes (jsii fqns) the program is expected to use, in the order of first use: the
   * kernel loads their modules while it has no request to serve, so the program's first
   * use finds them loaded (see worker/type-preloader.ts; `jsii-ring synth` passes the classes
   * the app named in its last run, `KernelClient.typesNamed`). Only module loading happens
   * ahead: no object is created and no member runs. Unknown names are ignored. Ring
   * transport only.
   * @default none
   */
  readonly preloadTypes?: readonly string[];
}

/** Transports a client can use. */
export type TransportName = 'ring' | 'stdio';
export const TRANSPORT_NAMES: readonly TransportName[] = ['ring', 'stdio'];

/** What `onRequest` is told. */
export interface RequestEvent {
  readonly seq: number;
  readonly api: string;
  /** Class or object fqn (or objref) the request is about. */
  readonly target: string;
  /** Method or property, if any. */
  readonly member?: string;
  readonly pipelined: boolean;
  /** Milliseconds the host spent in the call (pipelined: just the send). */
  readonly ms: number;
}

/**
 * Default pending cap, from the sweep in benchmarks/RESULTS.md ("Pending-cap sweep"): on
 * the example app a third of the requests are sync reads, so from 64 up no run waited for
 * the cap, and the caps from 8 up were within a few percent of each other (the machine's
 * noise; the sweep's own rule picked 64, 32 or 4 in different runs). A cap that never binds
 * costs nothing; one that binds paces the host to the kernel in apps with longer pipelined
 * runs than this one, so the default is the smallest cap that never bound.
 */
export const DEFAULT_PENDING_CAP = 64;

export { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_SPIN } from './launch.js';

/** Every extension a client asks for by default. */
export const ALL_EXTENSIONS: readonly string[] = [EXT_OBJID, EXT_PIPELINE, EXT_LOAD_PATH, EXT_ALIAS_NOTICES, EXT_JS_VALUES, EXT_BEFORE_EXIT];

/** Resolved options: every field present. */
export type ResolvedClientOptions = Required<Omit<KernelClientOptions, 'cacheDir' | 'onRequest' | 'onProgress'>> & Pick<KernelClientOptions, 'cacheDir' | 'onRequest' | 'onProgress'>;

const DEFAULTS: Omit<ResolvedClientOptions, 'cacheDir' | 'onRequest' | 'onProgress'> = {
  codec: 'msgpack',
  pendingCap: DEFAULT_PENDING_CAP,
  captureCallSites: false,
  extensions: ALL_EXTENSIONS,
  requestRingBytes: DEFAULT_WORKER_LAUNCH.requestRingBytes,
  callbackRingBytes: DEFAULT_WORKER_LAUNCH.callbackRingBytes,
  responseRingBytes: DEFAULT_WORKER_LAUNCH.responseRingBytes,
  startTimeoutMs: 30_000,
  requestTimeoutMs: Infinity,
  callTimeoutMs: DEFAULT_WORKER_LAUNCH.callTimeoutMs,
  transport: 'ring',
  stdioKernel: 'ours',
  spin: DEFAULT_WORKER_LAUNCH.spin,
  timeline: false,
  preloadTypes: [],
};

/** Validates and merges options with the defaults. Bad values throw TypeError/RangeError naming the option. */
export function resolveClientOptions(options: KernelClientOptions = {}): ResolvedClientOptions {
  const resolved = { ...DEFAULTS, captureCallSites: callSitesFromEnv(), ...stripUndefined(options) } as ResolvedClientOptions;
  if (!CODEC_NAMES.includes(resolved.codec)) {
    throw new TypeError(`options.codec must be one of ${CODEC_NAMES.join(', ')} (got ${JSON.stringify(resolved.codec)})`);
  }
  if (typeof resolved.pendingCap !== 'number' || Number.isNaN(resolved.pendingCap) || resolved.pendingCap < 0 || (!Number.isInteger(resolved.pendingCap) && resolved.pendingCap !== Infinity)) {
    throw new RangeError(`options.pendingCap must be a non-negative integer or Infinity (got ${String(resolved.pendingCap)})`);
  }
  for (const key of ['requestRingBytes', 'callbackRingBytes', 'responseRingBytes'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 4096 || (value & (value - 1)) !== 0) {
      throw new RangeError(`options.${key} must be a power of two of at least 4096 (got ${String(value)})`);
    }
  }
  for (const key of ['startTimeoutMs', 'requestTimeoutMs', 'callTimeoutMs'] as const) {
    const value = resolved[key];
    if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
      throw new RangeError(`options.${key} must be a positive number of milliseconds or Infinity (got ${String(value)})`);
    }
  }
  if (!TRANSPORT_NAMES.includes(resolved.transport)) {
    throw new TypeError(`options.transport must be one of ${TRANSPORT_NAMES.join(', ')} (got ${JSON.stringify(resolved.transport)})`);
  }
  const kernel = resolved.stdioKernel;
  if (kernel !== 'ours' && kernel !== 'reference' && !(Array.isArray(kernel) && kernel.length > 0 && kernel.every((a) => typeof a === 'string'))) {
    throw new TypeError(`options.stdioKernel must be 'ours', 'reference' or a non-empty command array (got ${JSON.stringify(kernel)})`);
  }
  if (!Number.isInteger(resolved.spin) || resolved.spin < 0) {
    throw new RangeError(`options.spin must be a non-negative integer (got ${String(resolved.spin)})`);
  }
  if (typeof resolved.timeline !== 'boolean') {
    throw new TypeError(`options.timeline must be a boolean (got ${typeof resolved.timeline})`);
  }
  if (resolved.timeline && resolved.transport !== 'ring') {
    throw new TypeError(`options.timeline needs transport 'ring' (got ${JSON.stringify(resolved.transport)})`);
  }
  if (!Array.isArray(resolved.preloadTypes) || resolved.preloadTypes.some((t) => typeof t !== 'string')) {
    throw new TypeError('options.preloadTypes must be an array of type names');
  }
  if (resolved.preloadTypes.length > 0 && resolved.transport !== 'ring') {
    throw new TypeError(`options.preloadTypes needs transport 'ring' (got ${JSON.stringify(resolved.transport)})`);
  }
  if (typeof resolved.captureCallSites !== 'boolean') {
    throw new TypeError(`options.captureCallSites must be a boolean (got ${typeof resolved.captureCallSites})`);
  }
  if (!Array.isArray(resolved.extensions) || resolved.extensions.some((e) => typeof e !== 'string')) {
    throw new TypeError('options.extensions must be an array of extension names');
  }
  if (resolved.onRequest !== undefined && typeof resolved.onRequest !== 'function') {
    throw new TypeError('options.onRequest must be a function');
  }
  if (resolved.onProgress !== undefined && typeof resolved.onProgress !== 'function') {
    throw new TypeError('options.onProgress must be a function');
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) {
      (out as Record<string, unknown>)[key] = field;
    }
  }
  return out;
}

/** `JSII_RING_CALL_SITES=1` (or `true`) turns call-site capture on for clients that do not choose. */
function callSitesFromEnv(): boolean {
  const value = process.env.JSII_RING_CALL_SITES;
  return value === '1' || value === 'true';
}

/**
 * Client options for `jsii-ring/register` from the environment: `JSII_RING_PENDING_CAP`
 * (a non-negative integer, or `unlimited`; unset: the default cap). A bad value is a
 * `RangeError` naming the variable, not a silent default.
 */
export function registerOptionsFromEnv(): KernelClientOptions {
  const raw = process.env.JSII_RING_PENDING_CAP;
  if (raw === undefined || raw === '') return {};
  if (raw === 'unlimited') return { pendingCap: Infinity };
  const cap = Number(raw);
  if (!Number.isSafeInteger(cap) || cap < 0) {
    throw new RangeError(`JSII_RING_PENDING_CAP must be a non-negative integer or 'unlimited' (got ${JSON.stringify(raw)})`);
  }
  return { pendingCap: cap };
}

/** `JSII_HOST_STACK_TRACES=1` (or `true`): hosts send their stack with requests, as the reference runtime's hosts do. */
export function hostStackTracesFromEnv(): boolean {
  const value = process.env.JSII_HOST_STACK_TRACES;
  return value === '1' || value === 'true';
}
