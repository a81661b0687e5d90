/**
 * Where jsii-ring keeps its on-disk caches (extracted tarballs, assembly indexes).
 *
 * This is the only module that reads the environment for the cache location, so a test
 * or an embedding host can reason about one place.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { AssemblyStoreOptions } from './types.js';

/** Environment variable that overrides the cache directory. */
export const CACHE_DIR_ENV = 'JSII_RING_CACHE_DIR';

/**
 * Sub-directory of the cache root holding extracted package tarballs, keyed by sha256.
 * Version 2: entries extracted before symlinks were followed by their route (see
 * tar-extract.ts, invariant 3) may hold a link leading outside, and are not reused.
 */
export const PACKAGES_SUBDIR = 'packages-v2';

/** Sub-directory of the cache root holding assembly indexes, keyed by sha256 + format. */
export const INDEXES_SUBDIR = 'assemblies';

/**
 * Sub-directory of remembered file hashes (see `sha256FileRemembered`): assembly files and
 * package tarballs, so an unchanged file is not read again to find its index or cache entry.
 */
export const HASHES_SUBDIR = 'file-hashes';

/**
 * Resolves the cache directory: `options.cacheDir`, else `$JSII_RING_CACHE_DIR`, else the
 * platform's user cache directory + `jsii-ring` (`$XDG_CACHE_HOME/jsii-ring` or
 * `~/.cache/jsii-ring` on Linux, `~/Library/Caches/jsii-ring` on macOS,
 * `%LOCALAPPDATA%\jsii-ring` on Windows). Always absolute; the directory may not exist yet.
 */
export function resolveCacheDir(options?: AssemblyStoreOptions): string {
  if (options?.cacheDir !== undefined) {
    if (typeof options.cacheDir !== 'string' || options.cacheDir === '') {
      throw new TypeError('options.cacheDir must be a non-empty string');
    }
    return path.resolve(options.cacheDir);
  }
  const fromEnv = process.env[CACHE_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    return path.resolve(fromEnv);
  }
  return path.join(userCacheRoot(), 'jsii-ring');
}

function userCacheRoot(): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Caches');
    case 'win32':
      return process.env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local');
    default: {
      // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
      const xdg = process.env['XDG_CACHE_HOME'];
      return xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache');
    }
  }
}
