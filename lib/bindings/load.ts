/**
 * `load('aws-cdk-lib')`: loads an installed jsii package and its jsii dependencies into
 * the kernel (dependencies first), and returns the namespace object that mirrors its
 * assembly. `load(name, { native: true })` returns `require(name)` instead, so one program
 * can run both ways for comparison.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ErrorCode, JsiiRingError } from '../errors.js';
import type { KernelConnection } from '../host/connection.js';
import type { LoadRequest } from '../protocol/api.js';
import { send, syncRequest } from './calls.js';
import { dependencyOrder, resolvePackageDir, tarballFor, tarballForAsync } from './package-loader.js';
import type { JsiiPackage } from './package-loader.js';
import { BindingRuntime } from './runtime.js';
import { getDefaultConnection, isDefaultNative } from './session.js';

/** Options of `load` and `loadAsync`. */
export interface LoadOptions {
  /** The kernel to load into. @default the process-wide default connection (`getDefaultConnection()`) */
  readonly connection?: KernelConnection;
  /** Return `require(packageName)` itself: the library run natively, no kernel. @default false */
  readonly native?: boolean;
  /**
   * Directory the package is resolved from, as `require` would from there.
   * @default process.cwd(), then (if not found there) the directory of jsii-ring itself
   */
  readonly resolveFrom?: string;
  /**
   * Cache root for tarballs packed from installed packages (only used when the kernel
   * cannot load from a directory). @default `$JSII_RING_CACHE_DIR`, else `<os cache dir>/jsii-ring`
   */
  readonly cacheDir?: string;
  /**
   * Callbacks in program order. Pipelined calls may make the library call back into host
   * code (overrides, host-implemented interfaces); by default such a callback runs when the
   * host next reaches a sync point, so host state it changes is seen from then on (call
   * `flush()` to see it at once). With `true`, every pipelined request is followed by a
   * flush as soon as the kernel holds a host object it may call back into: host state is
   * then always as if every call were synchronous, at the cost of most pipelining.
   * Applies to the connection (every package loaded on it); when omitted, the
   * connection's setting is left as it is.
   * @default false
   */
  readonly orderedCallbacks?: boolean;
}

interface ResolvedOptions {
  readonly connection: KernelConnection | undefined;
  readonly native: boolean;
  /** Directories to resolve from, in order. */
  readonly resolveFrom: readonly string[];
  readonly cacheDir: string | undefined;
  readonly orderedCallbacks: boolean | undefined;
}

/** Validates and fills in options (the one place that does). */
function resolveOptions(packageName: unknown, options: LoadOptions | undefined): ResolvedOptions {
  if (typeof packageName !== 'string' || packageName === '') {
    throw new TypeError('packageName must be a non-empty string');
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('options must be an object');
  }
  const o = options ?? {};
  if (o.connection !== undefined && (typeof o.connection !== 'object' || typeof o.connection.request !== 'function')) {
    throw new TypeError('options.connection must be a KernelConnection');
  }
  if (o.native !== undefined && typeof o.native !== 'boolean') {
    throw new TypeError('options.native must be a boolean');
  }
  if (o.resolveFrom !== undefined && (typeof o.resolveFrom !== 'string' || o.resolveFrom === '')) {
    throw new TypeError('options.resolveFrom must be a non-empty string');
  }
  if (o.cacheDir !== undefined && (typeof o.cacheDir !== 'string' || o.cacheDir === '')) {
    throw new TypeError('options.cacheDir must be a non-empty string');
  }
  if (o.orderedCallbacks !== undefined && typeof o.orderedCallbacks !== 'boolean') {
    throw new TypeError('options.orderedCallbacks must be a boolean');
  }
  return {
    orderedCallbacks: o.orderedCallbacks,
    connection: o.connection,
    native: o.native ?? isDefaultNative(),
    resolveFrom: o.resolveFrom !== undefined ? [path.resolve(o.resolveFrom)] : [process.cwd(), __dirname],
    cacheDir: o.cacheDir,
  };
}

/** Packages already loaded, per runtime: name → version. */
const LOADED = new WeakMap<BindingRuntime, Map<string, string>>();

function loadedOf(runtime: BindingRuntime): Map<string, string> {
  let loaded = LOADED.get(runtime);
  if (loaded === undefined) {
    loaded = new Map();
    LOADED.set(runtime, loaded);
  }
  return loaded;
}

function requireNative(packageName: string, from: readonly string[]): unknown {
  return createRequire(path.join(firstFinding(packageName, from), 'noop.js'))(packageName);
}

/** Where `packageName` is installed, from the first directory that finds it. */
function packageDirFrom(packageName: string, from: readonly string[]): string {
  return resolvePackageDir(packageName, firstFinding(packageName, from));
}

/** The first of `from` that finds the package; none finding it is an error naming them all. */
function firstFinding(packageName: string, from: readonly string[]): string {
  if (from.length === 1) return from[0]!;
  for (const dir of from) {
    try {
      resolvePackageDir(packageName, dir);
      return dir;
    } catch {
      // Not there: try the next directory.
    }
  }
  throw new JsiiRingError(
    ErrorCode.LOAD,
    `Cannot find package ${packageName} (no node_modules/${packageName} at or above ${from.join(' or ')}; install it, or pass options.resolveFrom)`,
  );
}

/** The request that loads one package: by path if the kernel can, else by tarball. */
function loadRequest(pkg: JsiiPackage, tarball: string | undefined): LoadRequest {
  return tarball === undefined
    ? { api: 'load', name: pkg.name, version: pkg.version, path: pkg.dir }
    : { api: 'load', name: pkg.name, version: pkg.version, tarball };
}

/** What `load` and `loadAsync` share: the native module, or what to load in which order. */
type LoadPlan =
  | { readonly native: true; readonly module: unknown }
  | {
    readonly native: false;
    readonly o: ResolvedOptions;
    readonly runtime: BindingRuntime;
    readonly connection: KernelConnection;
    readonly order: ReturnType<typeof dependencyOrder>;
    readonly loaded: Map<string, string>;
  };

function planLoad(packageName: string, options: LoadOptions | undefined): LoadPlan {
  const o = resolveOptions(packageName, options);
  if (o.native) return { native: true, module: requireNative(packageName, o.resolveFrom) };
  const runtime = runtimeFor(o);
  return {
    native: false,
    o,
    runtime,
    connection: runtime.connection,
    order: dependencyOrder(packageDirFrom(packageName, o.resolveFrom)),
    loaded: loadedOf(runtime),
  };
}

/**
 * Loads an installed jsii package (and, first, every jsii package it depends on) into the
 * kernel, and returns its namespace object: types and submodules as properties, built
 * on first access. Loading the same package again returns the same object. Through a
 * pipelining connection that loads from directories (the worker's ring, by default) the
 * `load` requests are pipelined: the program goes on while the kernel loads, and a failed
 * load is thrown at the next sync point (`ERR_DEFERRED_FAILURE`, naming the package).
 * Otherwise it blocks while the kernel loads.
 *
 * The namespace mirrors the package's exports, so the package's own declarations type it:
 * `load<typeof import('aws-cdk-lib')>('aws-cdk-lib')` (the type argument is only a
 * declaration: nothing is imported). Without one the result is `any`.
 */
export function load<T = any>(packageName: string, options?: LoadOptions): T {
  const plan = planLoad(packageName, options);
  if (plan.native) return plan.module as T;
  const { o, runtime, connection, order, loaded } = plan;
  // A pipelining kernel that loads from directories loads while the program goes on (its
  // next modules, the host side of these assemblies): nothing here needs the answer, and a
  // failure is reported at the next sync point, like any pipelined request's.
  const pipelined = connection.capabilities.pipeline && connection.capabilities.loadPath;
  for (const pkg of order) {
    if (alreadyLoaded(loaded, pkg)) continue;
    const tarball = connection.capabilities.loadPath ? undefined : tarballFor(pkg, o.cacheDir);
    if (pipelined) send(runtime, loadRequest(pkg, tarball));
    else syncRequest(() => connection.request(loadRequest(pkg, tarball)));
    runtime.types.addAssembly(pkg.assembly);
    loaded.set(pkg.name, pkg.version);
  }
  return runtime.namespaceOf(order[order.length - 1]!.name) as T;
}

/**
 * `load`, letting the event loop run while tarballs are packed and the kernel loads;
 * typed the same way (`loadAsync<typeof import('aws-cdk-lib')>('aws-cdk-lib')`).
 */
export async function loadAsync<T = any>(packageName: string, options?: LoadOptions): Promise<T> {
  const plan = planLoad(packageName, options);
  if (plan.native) return plan.module as T;
  const { o, runtime, connection, order, loaded } = plan;
  for (const pkg of order) {
    if (alreadyLoaded(loaded, pkg)) continue;
    const tarball = connection.capabilities.loadPath ? undefined : await tarballForAsync(pkg, o.cacheDir);
    await connection.requestAsync(loadRequest(pkg, tarball));
    // Another loadAsync may have finished the same package while this one waited.
    runtime.types.addAssembly(pkg.assembly);
    loaded.set(pkg.name, pkg.version);
  }
  return runtime.namespaceOf(order[order.length - 1]!.name) as T;
}

function runtimeFor(o: ResolvedOptions): BindingRuntime {
  const runtime = BindingRuntime.of(o.connection ?? getDefaultConnection());
  if (o.orderedCallbacks !== undefined) runtime.orderedCallbacks = o.orderedCallbacks;
  return runtime;
}

/**
 * An explicit sync point: waits until the kernel has served every pipelined request (and
 * the callbacks they made), and reports a pipelined failure. Pass the connection, or the
 * default connection is used.
 */
export function flush(connection?: KernelConnection): void {
  const runtime = BindingRuntime.of(connection ?? getDefaultConnection());
  syncRequest(() => runtime.connection.flush());
  runtime.table.syncPoint();
}

/** True if this package is loaded already; a different version of it is an error. */
function alreadyLoaded(loaded: ReadonlyMap<string, string>, pkg: JsiiPackage): boolean {
  const version = loaded.get(pkg.name);
  if (version === undefined) return false;
  if (version !== pkg.version) {
    throw new JsiiRingError(
      ErrorCode.LOAD,
      `${pkg.name}@${version} is already loaded on this connection; cannot also load ${pkg.version} (from ${pkg.dir})`,
    );
  }
  return true;
}
