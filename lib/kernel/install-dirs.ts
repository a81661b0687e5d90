/**
 * The kernels' temporary install directories (`<tmp>/jsii-ring-kernel-<pid>-<random>`).
 *
 * Each is removed when its process exits. A process killed outright (SIGKILL, out of
 * memory) cannot remove its own, so the first kernel of every later process removes those
 * whose process is gone: the pid in the name says whose it is, and a directory is only
 * removed when no process with that pid exists. (A reused pid keeps a stale directory a
 * while longer; it never removes a live one.) Directories named before the pid was part of
 * the name (`jsii-ring-kernel-<random>`) are removed once they are a day old.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Name prefix of every kernel install directory. */
export const INSTALL_DIR_PREFIX = 'jsii-ring-kernel-';

const WITH_PID = /^jsii-ring-kernel-(\d+)-[A-Za-z0-9]{6}$/;
const WITHOUT_PID = /^jsii-ring-kernel-[A-Za-z0-9]{6}$/;
const UNOWNED_MAX_AGE_MS = 24 * 60 * 60 * 1000;

// Directories made by kernels of this process, removed when it exits.
const made = new Set<string>();
let swept = false;

/** Makes a fresh install directory for one kernel; it is removed when the process exits. */
export function makeInstallDir(tmp: string = os.tmpdir()): string {
  if (!swept) {
    swept = true;
    removeStaleInstallDirs(tmp);
  }
  const dir = fs.mkdtempSync(path.join(tmp, `${INSTALL_DIR_PREFIX}${process.pid}-`));
  if (made.size === 0) {
    process.once('exit', () => {
      for (const d of made) {
        fs.rmSync(d, { recursive: true, force: true });
      }
    });
  }
  made.add(dir);
  return dir;
}

/**
 * Removes the install directories in `tmp` left by processes that no longer run; returns
 * the paths it removed. Failures (another user's directory, a race with another sweeper)
 * are ignored: sweeping is housekeeping.
 */
export function removeStaleInstallDirs(tmp: string = os.tmpdir(), now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(INSTALL_DIR_PREFIX)) {
      continue;
    }
    const dir = path.join(tmp, name);
    const owner = WITH_PID.exec(name);
    const stale = owner !== null ? !processExists(Number(owner[1])) : WITHOUT_PID.test(name) && olderThan(dir, now - UNOWNED_MAX_AGE_MS);
    if (!stale) {
      continue;
    }
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // not ours to remove, or being removed by someone else
    }
  }
  return removed;
}

/** True if a process with this pid exists (ours or another user's). */
function processExists(pid: number): boolean {
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function olderThan(dir: string, limit: number): boolean {
  try {
    return fs.lstatSync(dir).mtimeMs < limit;
  } catch {
    return false;
  }
}
