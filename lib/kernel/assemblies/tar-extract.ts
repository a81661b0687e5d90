/**
 * Safe extraction of an npm package tarball into an empty directory.
 *
 * Invariants (each is checked for every entry before anything is written for it):
 * 1. No entry path is absolute, has a drive letter, a NUL, or a `..` component.
 * 2. The first path component (`package/` for `npm pack`) is stripped, like `tar --strip 1`.
 * 3. A symlink's target is relative and, resolved from the link's directory, stays inside
 *    the destination: first by its text (at once), then, once every entry is written, by
 *    following it on disk through every other link on its way, from the real path of the
 *    destination. Links are checked after the last entry because a later entry can change
 *    where an earlier link leads (`l -> ../..` at depth 2 is the destination itself, so
 *    `x -> a/l/../../etc` is fine by its text and leaves by its route).
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

/**
 * An archive that is not a (gzipped) tar archive at all: refused like an unsafe one, but
 * the installer answers it under the name the reference's error has (`Error`, or
 * `ZlibError` for a broken gzip stream), not as a Fault, so hosts raise the same exception.
 */
export class MalformedTarballError extends UnsafeTarballError {
  /** The error name the reference answers for this archive. */
  public readonly wireName: 'Error' | 'ZlibError';

  public constructor(message: string, wireName: 'Error' | 'ZlibError') {
    super(message);
    this.name = 'MalformedTarballError';
    this.wireName = wireName;
  }
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Extracts `archive` (gzipped or plain tar bytes) into `destDir`, which must exist and be
 * empty. Throws `UnsafeTarballError` for an unsafe or malformed archive.
 */
export function extractTarball(archive: Buffer, destDir: string): void {
  if (archive.length === 0) {
    throw new MalformedTarballError('malformed tar archive: the file is empty', 'Error');
  }
  let tar: Buffer;
  try {
    tar = archive[0] === GZIP_MAGIC_0 && archive[1] === GZIP_MAGIC_1 ? zlib.gunzipSync(archive) : archive;
  } catch (e) {
    throw new MalformedTarballError(`not a valid gzip stream (${(e as Error).message})`, 'ZlibError');
  }
  let entries;
  try {
    entries = readTarEntries(tar);
  } catch (e) {
    if (e instanceof TarFormatError) {
      throw new MalformedTarballError(`malformed tar archive: ${e.message}`, 'Error');
    }
    throw e;
  }

  // Relative (stripped) path -> what we put there; drives invariants 3, 4 and 5.
  const written = new Map<string, 'file' | 'directory' | 'symlink'>();
  // Relative path of each symlink -> its path in the archive (for the message).
  const links = new Map<string, string>();
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
        links.set(rel, entry.path);
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
  assertLinksStayInside(destDir, links, written);
}

/** Most links one path may pass through (Linux's own limit for a lookup). */
const MAX_LINK_HOPS = 40;

/** Invariant 3 by route: every symlink still written, followed on disk, stays inside. */
function assertLinksStayInside(destDir: string, links: ReadonlyMap<string, string>, written: ReadonlyMap<string, string>): void {
  if (links.size === 0) {
    return;
  }
  const root = fs.realpathSync(destDir);
  for (const [rel, raw] of links) {
    if (written.get(rel) === 'symlink' && !staysInside(root, rel)) {
      throw new UnsafeTarballError(`tarball symlink '${raw}' -> '${fs.readlinkSync(path.join(root, ...rel.split('/')))}' escapes the install directory through other links`);
    }
  }
}

/**
 * Follows `rel` from `root` the way the OS would, one component at a time, substituting
 * every symlink met with its target. False if the route ever climbs above `root`, meets
 * an absolute target, or passes more than MAX_LINK_HOPS links. A component that does not
 * exist ends the links on the route: the rest is followed by its text.
 */
function staysInside(root: string, rel: string): boolean {
  const done: string[] = [];
  let todo = rel.split('/');
  let hops = 0;
  for (let i = 0; i < todo.length; i++) {
    const part = todo[i] as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (done.length === 0) return false;
      done.pop();
      continue;
    }
    done.push(part);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(path.join(root, ...done));
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) {
      const target = fs.readlinkSync(path.join(root, ...done));
      if (++hops > MAX_LINK_HOPS || path.posix.isAbsolute(target) || path.isAbsolute(target)) return false;
      done.pop();
      todo = [...target.split('/'), ...todo.slice(i + 1)];
      i = -1;
    }
  }
  return true;
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
