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
 * sha256 (hex) of a file, remembered in `memoDir` under the file's path along with its stat
 * identity (device, inode, size, modification and change times in nanoseconds): a later
 * call for the unchanged file reads the memo instead of the bytes (aws-cdk-lib's assembly is
 * 8.7 MB, hashed on every start otherwise). Any write to the file changes its change time,
 * so a changed file is hashed again. Memo problems (unreadable, unwritable) only cost the hash.
 */
export function sha256FileRemembered(file: string, memoDir: string): string {
  let identity: string;
  try {
    const st = fs.statSync(file, { bigint: true });
    identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return sha256File(file);
  }
  const memo = path.join(memoDir, `${crypto.createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 40)}.hash`);
  try {
    const [known, hash] = fs.readFileSync(memo, 'utf8').split('\n');
    if (known === identity && hash !== undefined && /^[0-9a-f]{64}$/.test(hash)) {
      return hash;
    }
  } catch {
    // No memo yet.
  }
  const hash = sha256File(file);
  try {
    writeFileAtomic(memo, Buffer.from(`${identity}\n${hash}\n`, 'utf8'));
  } catch {
    // A read-only cache: hash again next time.
  }
  return hash;
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
