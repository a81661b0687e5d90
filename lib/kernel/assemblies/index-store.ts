/**
 * Finding, validating and (re)building assembly indexes in the cache directory.
 *
 * Files: `<cacheDir>/assemblies/<sha256 of the assembly file>.v<FORMAT_VERSION>.jridx`.
 * The name is content-addressed, so two processes building the same index write identical
 * bytes; each writes a temporary file and renames it into place, so a reader never sees a
 * partial index, and an open descriptor keeps reading the file it opened even if another
 * process replaces it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INDEXES_SUBDIR } from './cache-dir.js';
import { type AssemblyFile, readAssemblyBytes } from './assembly-file.js';
import { indexContents } from './index-builder.js';
import { encodeIndex, FORMAT_VERSION, IndexCorruptError, IndexReader } from './index-format.js';
import type { IndexOrigin } from './indexed-source.js';
import { writeFileAtomic } from './fs-util.js';

const INDEX_SUFFIX = '.jridx';

/** A validated index and how it was obtained. */
export interface OpenedIndex {
  readonly reader: IndexReader;
  readonly origin: IndexOrigin;
}

/** Path of the index of the assembly whose file bytes hash to `hash`. */
export function indexPath(cacheDir: string, hash: string): string {
  return path.join(cacheDir, INDEXES_SUBDIR, `${hash}.v${FORMAT_VERSION}${INDEX_SUFFIX}`);
}

/**
 * Opens the index for `located` (whose file bytes hash to `hash`), building it if it is
 * missing, stale or corrupt. Errors in the assembly itself (bad gzip, bad JSON structure)
 * propagate; problems writing the cache do not: the index is then kept in memory.
 */
export function openIndex(cacheDir: string, located: AssemblyFile, hash: string): OpenedIndex {
  const file = indexPath(cacheDir, hash);
  const existing = tryOpen(file, hash);
  if (existing instanceof IndexReader) {
    return { reader: existing, origin: 'hit' };
  }
  return buildIndex(cacheDir, located, hash, existing === 'corrupt');
}

/**
 * Builds the index from the assembly file and publishes it. `rebuild` says a previous copy
 * failed validation (reported as origin `rebuilt`).
 */
export function buildIndex(cacheDir: string, located: AssemblyFile, hash: string, rebuild: boolean): OpenedIndex {
  const raw = fs.readFileSync(located.file);
  // The file may have changed since it was hashed; the index must describe these bytes.
  const actual = crypto.createHash('sha256').update(raw).digest('hex');
  if (actual !== hash) {
    throw new IndexCorruptError(`${located.file} changed while it was being loaded`);
  }
  const text = readAssemblyBytes(located, raw);
  const parts = encodeIndex(indexContents(text), hash);
  const file = indexPath(cacheDir, hash);
  try {
    writeFileAtomic(file, parts);
    removeOtherVersions(file, hash);
  } catch {
    // A read-only or full cache must not stop the program: serve this index from memory.
    return { reader: new IndexReader({ buffer: Buffer.concat(parts) }, hash), origin: 'memory' };
  }
  const fd = fs.openSync(file, 'r');
  try {
    return { reader: new IndexReader({ fd }, hash), origin: rebuild ? 'rebuilt' : 'built' };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/** Opens and validates an existing index, or says why there is none to use. */
function tryOpen(file: string, hash: string): IndexReader | 'missing' | 'corrupt' {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return 'missing';
  }
  try {
    return new IndexReader({ fd }, hash);
  } catch (e) {
    fs.closeSync(fd);
    if (e instanceof IndexCorruptError) {
      return 'corrupt'; // the caller rebuilds it and atomically replaces the file
    }
    throw e;
  }
}

/**
 * Indexes of older formats for the same assembly are dead weight once a new one exists.
 * Newer formats are left alone: they belong to a newer jsii-ring sharing the cache, and
 * removing them would make two versions rebuild each other's index on every run.
 */
function removeOtherVersions(current: string, hash: string): void {
  const dir = path.dirname(current);
  const prefix = `${hash}.v`;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith(INDEX_SUFFIX)) continue;
    const version = Number(name.slice(prefix.length, name.length - INDEX_SUFFIX.length));
    if (Number.isInteger(version) && version < FORMAT_VERSION) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
