/**
 * Node's on-disk compile cache (V8 code cache, Node ≥ 22.1) for the modules a thread loads.
 *
 * The kernel worker loads the library (`aws-cdk-lib`: hundreds of modules) into a fresh
 * isolate on every run; with the cache, the second and later runs read the compiled bytecode
 * instead of compiling it again. `jsii-ring synth` turns it on in both threads and in every
 * mode, native included, so that comparisons with a native run stay fair (a plain `node`
 * run gets the same with `NODE_COMPILE_CACHE=<dir>`). Node's own `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off. On Node 20 there is no such cache: nothing happens.
 *
 * The kernel worker follows the thread that starts it: when that thread has the cache on,
 * the worker turns it on with the same directory (`activeCompileCacheDir`), so a program
 * that runs with `NODE_COMPILE_CACHE` or calls `enableCompileCache()` gets it in the kernel
 * too, and one that does not, does not.
 */
import * as path from 'node:path';
import * as nodeModule from 'node:module';
import { resolveCacheDir } from '../kernel/assemblies/cache-dir.js';

/** The cache directory under jsii-ring's cache (shared by every thread and run). */
export function compileCacheDir(cacheDir?: string): string {
  return path.join(resolveCacheDir(cacheDir === undefined ? undefined : { cacheDir }), 'compile-cache');
}

/** What `enableCompileCache` did. */
export type CompileCacheState =
  | { readonly enabled: true; readonly directory: string }
  | { readonly enabled: false; readonly reason: string };

/**
 * Turns on the compile cache for modules this thread compiles from now on. Never throws: a
 * cache that cannot be used only costs the compile time it would have saved.
 */
export function enableCompileCache(cacheDir?: string): CompileCacheState {
  return enableCompileCacheIn(compileCacheDir(cacheDir));
}

/**
 * The compile cache directory in force in this thread, if any: the directory given to Node
 * (Node keeps its entries in a subdirectory per Node version and build, which it reports).
 */
export function activeCompileCacheDir(): string | undefined {
  const get = (nodeModule as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir;
  if (typeof get !== 'function') return undefined;
  const dir = get();
  return dir === undefined || dir === '' ? undefined : path.dirname(dir);
}

/** Turns the cache on with `directory` (the kernel worker passes its host's). Never throws. */
export function enableCompileCacheIn(directory: string): CompileCacheState {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => { status: number; message?: string; directory?: string } }).enableCompileCache;
  if (typeof enable !== 'function') return { enabled: false, reason: `Node ${process.version} has no compile cache (22.1 and later do)` };
  try {
    const result = enable(directory);
    const constants = (nodeModule as unknown as { constants?: { compileCacheStatus?: Record<string, number> } }).constants?.compileCacheStatus ?? {};
    if ((result.status === constants.ENABLED || result.status === constants.ALREADY_ENABLED) && result.directory !== undefined) {
      return { enabled: true, directory: result.directory };
    }
    return { enabled: false, reason: result.message ?? `status ${result.status}` };
  } catch (e) {
    return { enabled: false, reason: (e as Error).message };
  }
}
