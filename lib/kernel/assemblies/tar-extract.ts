/**
 * Safe extraction of an npm package tarball into an empty directory.
 *
 * Invariants (each is checked for every entry before anything is written for it):
 * 1. No entry path is absolute, has a drive letter, a NUL, or a `..` component.
 * 2. The first path component (`package/` for `npm pack`) is stripped, like `tar --strip 1`.
 * 3. A symlink's target is relative and, resolved from the link's directory, stays inside
 *    the destination.
 * 4. A hardlink's target is a regular file already extracted from this archive.
 * 5. No entry is written *through* a symlink extracted earlier: an entry whose parent path
 *    crosses one is refused. Together with 3 this closes the "link to `.` then write via
 *    the link" chains, because extraction starts from an empty directory and the only
 *    links in it are ours.
 * 6. Devices, FIFOs and other entry types are refused.
 *
 * Callers make extraction atomic by extracting into a fresh temporary directory and
 * renaming it into place; on error they remove the temporary directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { readTarEntries, TarFormatError } from './tar-reader.js';

/** Why an archive was refused; the installer wraps it into a `JsiiFault` naming the package. */
export class UnsafeTarballError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UnsafeTarballError';
  }
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Extracts `archive` (gzipped or plain tar bytes) into `destDir`, which must exist and be
 * empty. Throws `UnsafeTarballError` for an unsafe or malformed archive.
 */
export function extractTarball(archive: Buffer, destDir: string): void {
  let tar: Buffer;
  try {
    tar = archive[0] === GZIP_MAGIC_0 && archive[1] === GZIP_MAGIC_1 ? zlib.gunzipSync(archive) : archive;
  } catch (e) {
    throw new UnsafeTarballError(`not a valid gzip stream (${(e as Error).message})`);
  }
  let entries;
  try {
    entries = readTarEntries(tar);
  } catch (e) {
    if (e instanceof TarFormatError) {
      throw new UnsafeTarballError(`malformed tar archive: ${e.message}`);
    }
    throw e;
  }

  // Relative (stripped) path -> what we put there; drives invariants 4 and 5.
  const written = new Map<string, 'file' | 'directory' | 'symlink'>();
  for (const entry of entries) {
    const rel = strippedPath(entry.path, 'entry');
    if (rel === undefined) {
      continue; // the top directory itself, or a top-level file outside `package/`
    }
    assertNoSymlinkAncestor(rel, entry.path, written);
    const target = path.join(destDir, ...rel.split('/'));

    switch (entry.kind) {
      case 'directory':
        if (written.get(rel) !== 'directory') {
          removeExisting(target, written, rel);
          fs.mkdirSync(target, { recursive: true, mode: 0o755 });
          written.set(rel, 'directory');
        }
        break;
      case 'file':
        removeExisting(target, written, rel);
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
        // Executable bits survive; everything else is normalised (no setuid, no world-write).
        fs.writeFileSync(target, entry.data, { mode: entry.mode & 0o111 ? 0o755 : 0o644, flag: 'wx' });
        written.set(rel, 'file');
        break;
      case 'symlink': {
        const linkTarget = entry.linkTarget;
        if (linkTarget === '' || linkTarget.includes('\0') || path.posix.isAbsolute(linkTarget) || /^[a-zA-Z]:/.test(linkTarget)) {
          throw new UnsafeTarballError(`tarball symlink '${entry.path}' -> '${linkTarget}' escapes the install directory`);
        }
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(rel), linkTarget));
        if (resolved === '..' || resolved.startsWith('../')) {
          throw new UnsafeTarballError(`tarball symlink '${entry.path}' -> '${linkTarget}' escapes the install directory`);
        }
        removeExisting(target, written, rel);
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
        fs.symlinkSync(linkTarget, target);
        written.set(rel, 'symlink');
        break;
      }
      case 'hardlink': {
        const source = strippedPath(entry.linkTarget, 'hardlink target');
        if (source === undefined || written.get(source) !== 'file') {
          throw new UnsafeTarballError(
            `tarball hardlink '${entry.path}' -> '${entry.linkTarget}' does not point to a file extracted from the same archive`,
          );
        }
        removeExisting(target, written, rel);
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
        fs.linkSync(path.join(destDir, ...source.split('/')), target);
        written.set(rel, 'file');
        break;
      }
      case 'other':
        throw new UnsafeTarballError(`tarball entry '${entry.path}' has unsupported type '${printableTypeflag(entry.typeflag)}'`);
    }
  }
}

/**
 * Validates an archive path (invariant 1) and strips its first component (invariant 2).
 * Returns `undefined` when nothing is left.
 */
function strippedPath(raw: string, what: string): string | undefined {
  if (raw.includes('\0') || raw.startsWith('/') || raw.startsWith('\\') || /^[a-zA-Z]:/.test(raw)) {
    throw new UnsafeTarballError(`tarball ${what} '${raw}' escapes the install directory`);
  }
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..') || (process.platform === 'win32' && parts.some((p) => p.includes('\\')))) {
    throw new UnsafeTarballError(`tarball ${what} '${raw}' escapes the install directory`);
  }
  return parts.length <= 1 ? undefined : parts.slice(1).join('/');
}

function assertNoSymlinkAncestor(rel: string, raw: string, written: ReadonlyMap<string, string>): void {
  let slash = rel.indexOf('/');
  while (slash !== -1) {
    if (written.get(rel.slice(0, slash)) === 'symlink') {
      throw new UnsafeTarballError(`tarball entry '${raw}' would be written through the symlink '${rel.slice(0, slash)}'`);
    }
    slash = rel.indexOf('/', slash + 1);
  }
}

/** Later entries replace earlier ones (tar semantics); never write through what was there. */
function removeExisting(target: string, written: Map<string, string>, rel: string): void {
  const previous = written.get(rel);
  if (previous === undefined) {
    return;
  }
  if (previous === 'directory') {
    throw new UnsafeTarballError(`tarball entry '${rel}' replaces a directory`);
  }
  fs.rmSync(target, { force: true });
  written.delete(rel);
}

function printableTypeflag(typeflag: string): string {
  return /^[\x20-\x7e]$/.test(typeflag) ? typeflag : `\\x${typeflag.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
