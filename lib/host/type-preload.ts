/**
 * The classes a program named in its last run, kept per program so that the next run's
 * kernel worker can load their modules while it would otherwise wait (`preloadTypes`,
 * worker/type-preloader.ts).
 *
 * File: `<cache dir>/preload-v1/<sha256 of the program file's real path>.json`, holding
 * `{ "format": 1, "app": <real path>, "types": [fqn, ...] }` in the order of first use.
 * Written after a successful run, only when the list changed (to a temporary file, then
 * renamed, so a reader never sees half of one). Anything unreadable, for another file, or
 * malformed reads as no list: preloading only ever saves time, it is never needed.
 * `JSII_RING_PRELOAD=0` turns reading it off.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveCacheDir } from '../kernel/assemblies/cache-dir.js';

/** The environment variable that turns preloading off (`0`). */
export const PRELOAD_ENV = 'JSII_RING_PRELOAD';

/** Sub-directory of the cache directory holding the lists. */
export const PRELOAD_SUBDIR = 'preload-v1';

/** Most types one list keeps (the example app, 2,196 resources, names 33; the largest corpus app 33). */
export const MAX_PRELOAD_TYPES = 2000;

const FORMAT = 1;
/** A jsii fqn: `<assembly>.<name>` with no blanks, and not absurdly long. */
const FQN = /^[^\s]{1,512}$/;

/** Whether preloading is on (`JSII_RING_PRELOAD` is not `0`). */
export function preloadEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[PRELOAD_ENV] !== '0';
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Where the list of the program whose real path is `app` lives. */
function listFileOf(app: string, cacheDir: string | undefined): string {
  const hash = crypto.createHash('sha256').update(app).digest('hex');
  return path.join(resolveCacheDir(cacheDir !== undefined ? { cacheDir } : undefined), PRELOAD_SUBDIR, `${hash}.json`);
}

/** Where the list of program `appFile` lives. */
export function preloadListFile(appFile: string, cacheDir?: string): string {
  return listFileOf(realPath(appFile), cacheDir);
}

/** The list of program `appFile` from its last successful run; empty if there is none (or it is unusable). */
export function readPreloadList(appFile: string, cacheDir?: string): string[] {
  const app = realPath(appFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(listFileOf(app, cacheDir), 'utf8'));
  } catch {
    return [];
  }
  const list = parsed as { format?: unknown; app?: unknown; types?: unknown } | null;
  if (typeof list !== 'object' || list === null || list.format !== FORMAT || list.app !== app) return [];
  const types = list.types;
  if (!Array.isArray(types) || types.length > MAX_PRELOAD_TYPES || !types.every((t) => typeof t === 'string' && FQN.test(t))) return [];
  return types as string[];
}

/**
 * Saves `types` as the list of program `appFile` if it differs from `previous` (what the run
 * started with). Returns whether it wrote; a failure to write (a read-only cache directory)
 * is returned, not thrown: the run itself succeeded.
 */
export function savePreloadList(appFile: string, types: readonly string[], previous: readonly string[], cacheDir?: string): boolean | Error {
  const kept = types.filter((t) => FQN.test(t)).slice(0, MAX_PRELOAD_TYPES);
  if (kept.length === previous.length && kept.every((t, i) => t === previous[i])) return false;
  const app = realPath(appFile);
  const file = listFileOf(app, cacheDir);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, `${JSON.stringify({ format: FORMAT, app, types: kept })}\n`);
    fs.renameSync(temporary, file);
    return true;
  } catch (error) {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing was created there.
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}
