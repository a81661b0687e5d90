/**
 * Builds the fixture jsii libraries under `test/fixtures/` with the real jsii compiler and
 * packs them into tarballs, once per change of their sources.
 *
 * Cache: a stamp file inside each fixture directory records a hash of the fixture's sources
 * plus the jsii compiler's version. A matching stamp and present outputs mean nothing to do.
 *
 * Concurrency: ava runs test files in several processes, each of which may call
 * `ensureFixtures()` at once. Building is serialized by a lock directory (`mkdir` is
 * atomic); a waiter re-reads the stamp after acquiring the lock, so only the first process
 * builds. The stamp is written last, by rename, so a reader that sees a matching stamp also
 * sees complete outputs. A lock older than `STALE_LOCK_MS` is taken to belong to a dead
 * process and is removed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import { repoRoot } from './repo-root.js';

/** One built fixture. */
export interface FixturePackage {
  /** npm package name (`@jsii-ring/calc`). */
  readonly name: string;
  /** Package version. */
  readonly version: string;
  /** Directory holding `package.json`, `.jsii` and the compiled `lib/`. */
  readonly packageDir: string;
  /** Absolute path of the packed npm tarball. */
  readonly tarball: string;
  /** Hash of the sources and compiler version the build came from. */
  readonly sourceHash: string;
}

/** Every fixture, by short name. */
export interface FixturePaths {
  readonly calc: FixturePackage;
}

/** What the last `ensureFixtures()` in this process did, for the build script to print. */
export interface FixtureBuildReport {
  readonly fixture: string;
  readonly action: 'cached' | 'built' | 'built-by-other-process';
  readonly hash: string;
  readonly millis: number;
}

/** Error raised when a fixture cannot be compiled or packed. */
export class FixtureBuildError extends Error {
  /** Stable code. */
  public readonly code = 'ERR_FIXTURE_BUILD';
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FixtureBuildError';
  }
}

const FIXTURES = ['calc'] as const;
const STAMP_FILE = '.fixture-stamp.json';
const LOCK_DIR = '.build-lock';
const TARBALL_DIR = '.tarball';
/** Longer than any plausible build on a loaded two-core machine. */
const STALE_LOCK_MS = 180_000;
const LOCK_POLL_MS = 50;
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));

interface Stamp {
  readonly hash: string;
  readonly tarball: string;
}

let memo: FixturePaths | undefined;
const reports: FixtureBuildReport[] = [];

/**
 * Compiles every fixture with the real jsii compiler (`node_modules/.bin/jsii`) if its
 * sources changed, packs a tarball (`npm pack --pack-destination`), and returns the paths.
 * Safe when several processes call it at once.
 */
export function ensureFixtures(): FixturePaths {
  if (memo !== undefined) return memo;
  const root = repoRoot();
  const built: Record<string, FixturePackage> = {};
  for (const fixture of FIXTURES) {
    built[fixture] = ensureFixtureAt(join(root, 'test', 'fixtures', fixture));
  }
  memo = built as unknown as FixturePaths;
  return memo;
}

/** What `ensureFixtures()` did in this process (empty before the first call). */
export function fixtureBuildReports(): readonly FixtureBuildReport[] {
  return reports;
}

/**
 * Builds (if needed) and packs the jsii library in `packageDir`, under the same cache and
 * lock rules as `ensureFixtures()`. Exposed so the locking can be tested on a copy.
 */
export function ensureFixtureAt(packageDir: string): FixturePackage {
  const started = Date.now();
  const root = repoRoot();
  const fixture = basename(packageDir);
  const jsiiVersion = readJson(join(root, 'node_modules', 'jsii', 'package.json')).version as string;
  const manifest = readJson(join(packageDir, 'package.json'));
  const name = manifest.name as string;
  const version = manifest.version as string;
  const hash = sourceHash(packageDir, jsiiVersion);
  const result = (tarball: string): FixturePackage => ({ name, version, packageDir, tarball, sourceHash: hash });

  const ready = readyTarball(packageDir, hash);
  if (ready !== undefined) {
    reports.push({ fixture, action: 'cached', hash, millis: Date.now() - started });
    return result(ready);
  }

  const lock = join(packageDir, LOCK_DIR);
  acquireLock(lock);
  try {
    // Another process may have finished the build while this one waited for the lock.
    const builtMeanwhile = readyTarball(packageDir, hash);
    if (builtMeanwhile !== undefined) {
      reports.push({ fixture, action: 'built-by-other-process', hash, millis: Date.now() - started });
      return result(builtMeanwhile);
    }
    rmSync(join(packageDir, STAMP_FILE), { force: true });
    compile(root, packageDir);
    const tarball = pack(packageDir);
    const stamp: Stamp = { hash, tarball: relative(packageDir, tarball) };
    const tmp = join(packageDir, `${STAMP_FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(stamp, null, 2));
    renameSync(tmp, join(packageDir, STAMP_FILE));
    reports.push({ fixture, action: 'built', hash, millis: Date.now() - started });
    return result(tarball);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The tarball's path if the stamp matches `hash` and every output exists. */
function readyTarball(packageDir: string, hash: string): string | undefined {
  const stampPath = join(packageDir, STAMP_FILE);
  if (!existsSync(stampPath)) return undefined;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  if (stamp.hash !== hash) return undefined;
  const tarball = join(packageDir, stamp.tarball);
  const outputs = [tarball, join(packageDir, '.jsii'), join(packageDir, 'lib', 'index.js')];
  return outputs.every((p) => existsSync(p)) ? tarball : undefined;
}

/** Hash of every source file (relative path + content) and the compiler version. */
function sourceHash(packageDir: string, jsiiVersion: string): string {
  const hash = createHash('sha256');
  hash.update(`jsii@${jsiiVersion}\n`);
  const files = ['package.json', ...listSources(join(packageDir, 'lib')).map((f) => relative(packageDir, f))];
  for (const file of files.sort()) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(join(packageDir, file)));
    hash.update('\n');
  }
  return hash.digest('hex');
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function compile(root: string, packageDir: string): void {
  const jsii = join(root, 'node_modules', 'jsii', 'bin', 'jsii');
  run(process.execPath, [jsii, '--silence-warnings=reserved-word'], packageDir, 'jsii');
}

/** Packs into a private temp directory, then renames into place (atomic for readers). */
function pack(packageDir: string): string {
  const tmpDir = join(packageDir, `${TARBALL_DIR}.${process.pid}.tmp`);
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmpDir], packageDir, 'npm pack');
  const parsed = JSON.parse(out) as Array<{ filename: string }>;
  const filename = parsed[0]?.filename;
  if (filename === undefined) {
    throw new FixtureBuildError(`npm pack printed no file name for ${packageDir}: ${out}`);
  }
  // npm writes scoped names as `jsii-ring-calc-1.0.0.tgz`; keep only the base name.
  const base = filename.replace(/^@/, '').replace(/\//g, '-');
  const finalDir = join(packageDir, TARBALL_DIR);
  mkdirSync(finalDir, { recursive: true });
  const finalPath = join(finalDir, base);
  renameSync(join(tmpDir, base), finalPath);
  rmSync(tmpDir, { recursive: true, force: true });
  return finalPath;
}

function run(command: string, args: string[], cwd: string, what: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new FixtureBuildError(
      `${what} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: error });
  }
}

function acquireLock(lock: string): void {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
    } catch {
      continue; // The holder released it between our mkdir and stat: try again at once.
    }
    Atomics.wait(SLEEP_CELL, 0, 0, LOCK_POLL_MS);
  }
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}
