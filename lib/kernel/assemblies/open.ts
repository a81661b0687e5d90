/**
 * Opening the assembly of an installed package, through the on-disk index.
 *
 * Warm path (index present and valid): the assembly file's hash, remembered by its stat
 * identity (else streamed: ~18 ms for `aws-cdk-lib`'s 8.7 MB `.jsii.gz`), open the index, read its header and name table,
 * decode the small metadata members. No type is decoded until asked for.
 * Cold path: additionally gunzip, scan and write the index (see `index-store.ts`).
 */
import type * as spec from '@jsii/spec';
import * as path from 'node:path';
import { JsiiFault } from '../../errors.js';
import { AssemblyFileError, type AssemblyFile, locateAssembly, readAssemblyBytes } from './assembly-file.js';
import { HASHES_SUBDIR, resolveCacheDir } from './cache-dir.js';
import { unsupportedFeatures } from './features.js';
import { sha256FileRemembered } from './fs-util.js';
import { IndexCorruptError, IndexUnsupportedError } from './index-format.js';
import { buildIndex, openIndex, type OpenedIndex } from './index-store.js';
import { IndexedAssemblySource } from './indexed-source.js';
import { JsonScanError } from './json-scan.js';
import { ParsedAssemblySource } from './parsed-source.js';
import type { AssemblySource, AssemblyStoreOptions } from './types.js';

/**
 * Opens the assembly of the package installed in `packageDir`, lazily: only the types
 * asked for are read and decoded. Follows `.jsii` redirects (`.jsii` → `.jsii.gz`), builds
 * the assembly's index in the cache directory on first use (and rebuilds it if stale or
 * corrupt), and checks the assembly's `usedFeatures`. Throws `JsiiFault` if the assembly
 * is missing, malformed, or uses a feature this kernel does not support.
 *
 * The result is an `IndexedAssemblySource` (or, for the rare assembly the index format
 * cannot hold, a fully parsed `ParsedAssemblySource`).
 */
export function openAssembly(packageDir: string, options?: AssemblyStoreOptions): AssemblySource {
  const fault = (message: string, cause?: unknown): JsiiFault =>
    new JsiiFault(`Cannot open the assembly in ${packageDir}: ${message}`, cause === undefined ? undefined : { cause });
  const cacheDir = resolveCacheDir(options);
  let located: AssemblyFile;
  let hash: string;
  let opened: OpenedIndex;
  try {
    located = locateAssembly(packageDir);
    hash = sha256FileRemembered(located.file, path.join(cacheDir, HASHES_SUBDIR));
    opened = openIndex(cacheDir, located, hash);
  } catch (e) {
    if (e instanceof IndexUnsupportedError) {
      return checked(fullyParsed(packageDir, fault), packageDir);
    }
    throw asFault(e, fault);
  }
  const rebuild = () => {
    try {
      return buildIndex(cacheDir, located, hash, true).reader;
    } catch (e) {
      throw asFault(e, fault);
    }
  };
  return checked(new IndexedAssemblySource(opened.reader, opened.origin, rebuild, packageDir), packageDir);
}

function checked<T extends AssemblySource>(source: T, packageDir: string): T {
  const problem = unsupportedFeatures(source.metadata.usedFeatures);
  if (problem !== undefined) {
    if (source instanceof IndexedAssemblySource) {
      source.close();
    }
    throw new JsiiFault(`Cannot open the assembly ${source.name}@${source.version} in ${packageDir}: ${problem}`);
  }
  return source;
}

function fullyParsed(packageDir: string, fault: (message: string, cause?: unknown) => JsiiFault): ParsedAssemblySource {
  try {
    const text = readAssemblyBytes(locateAssembly(packageDir)).toString('utf8');
    return new ParsedAssemblySource(JSON.parse(text) as spec.Assembly);
  } catch (e) {
    throw asFault(e, fault);
  }
}

/** Problems with the assembly itself become faults; anything else (EIO, bugs) propagates. */
function asFault(e: unknown, fault: (message: string, cause?: unknown) => JsiiFault): unknown {
  if (
    e instanceof AssemblyFileError ||
    e instanceof JsonScanError ||
    e instanceof IndexCorruptError ||
    e instanceof SyntaxError
  ) {
    return fault(e.message, e);
  }
  return e;
}
