/**
 * Small file-system helpers shared by the installer and the index: atomic publication of a
 * file or directory (write aside, then rename) and hashing without loading whole files.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Chunk size for streaming reads (hashing): big enough to amortise syscalls. */
const HASH_CHUNK = 1 << 20;

/** A unique sibling name for temporary output next to `target` (same file system, so rename is atomic). */
export function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.tmp-${path.basename(target)}-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
}

/** sha256 (hex) of a file's bytes, read in chunks so large files never sit in memory. */
export function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(HASH_CHUNK);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, HASH_CHUNK, null);
      if (n === 0) {
        break;
      }
      hash.update(chunk.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Writes `data` to `file` atomically: readers see either the old file, no file, or the
 * whole new one, never a prefix. Two writers racing both succeed; the last rename wins and
 * both wrote identical bytes when the name is content-addressed.
 */
export function writeFileAtomic(file: string, data: Uint8Array | readonly Uint8Array[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempSibling(file);
  try {
    const fd = fs.openSync(temp, 'wx', 0o644);
    try {
      for (const part of Array.isArray(data) ? data : [data]) {
        let written = 0;
        while (written < part.length) {
          written += fs.writeSync(fd, part, written, part.length - written);
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Renames a fully-prepared directory `temp` to `target`. Returns false (and removes `temp`)
 * if another process published `target` first: content-addressed targets are equivalent.
 */
export function publishDirectory(temp: string, target: string): boolean {
  try {
    fs.renameSync(temp, target);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM') && fs.existsSync(target)) {
      fs.rmSync(temp, { recursive: true, force: true });
      return false;
    }
    throw e;
  }
}

/**
 * Recreates the tree `source` at `target` (which must not exist) with hard links to its
 * files, copying when hard links are impossible (another device, unsupported FS): after
 * the first refusal every remaining file is copied, rather than failing a link per file.
 * Symlinks are recreated with the same (already validated) target text.
 */
export function linkTree(source: string, target: string, state = { canLink: true }): void {
  fs.mkdirSync(target, { recursive: true, mode: 0o755 });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) {
      linkTree(from, to, state);
    } else if (entry.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(from), to);
    } else if (entry.isFile()) {
      if (state.canLink) {
        try {
          fs.linkSync(from, to);
          continue;
        } catch {
          state.canLink = false;
        }
      }
      fs.copyFileSync(from, to);
    }
  }
}
