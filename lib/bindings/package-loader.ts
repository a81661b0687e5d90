/**
 * Finding installed jsii packages from the host's side: resolving a package directory
 * the way Node does (`node_modules` up the tree), walking its jsii dependencies (from the
 * assembly's `dependencies`) so they load first, and packing a tarball with `npm pack`
 * for kernels that only load tarballs (the reference runtime).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode, JsiiRingError } from '../errors.js';
import { dependencyClosure, openAssembly, resolveCacheDir } from '../kernel/assemblies/index.js';
import type { AssemblySource } from '../kernel/assemblies/types.js';

/** One installed jsii package. */
export interface JsiiPackage {
  readonly name: string;
  readonly version: string;
  /** Real path of the package directory. */
  readonly dir: string;
  readonly assembly: AssemblySource;
}

/** Assemblies opened by this process, by real package directory (shared by connections). */
const ASSEMBLIES = new Map<string, AssemblySource>();

/** Sub-directory of the cache root holding tarballs packed from installed packages. */
export const TARBALLS_SUBDIR = 'host-tarballs';

/**
 * The real directory of package `name` as `require` would find it from `from`: the first
 * `node_modules/<name>` up the tree that holds a `package.json`.
 */
export function resolvePackageDir(name: string, from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) break;
  }
  throw new JsiiRingError(ErrorCode.LOAD, `Cannot find package ${name} (no node_modules/${name} at or above ${from})`);
}

/** The package's assembly, opened once per process. */
export function packageAt(dir: string): JsiiPackage {
  let assembly = ASSEMBLIES.get(dir);
  if (assembly === undefined) {
    try {
      assembly = openAssembly(dir);
    } catch (e) {
      throw new JsiiRingError(ErrorCode.LOAD, `Cannot read the jsii assembly of the package in ${dir}: ${(e as Error).message}`, { cause: e });
    }
    ASSEMBLIES.set(dir, assembly);
  }
  return { name: assembly.name, version: assembly.version, dir, assembly };
}

/**
 * The package in `rootDir` and every jsii package it depends on, dependencies first
 * (the order the kernel must load them in), as `dependencyClosure` resolves them.
 */
export function dependencyOrder(rootDir: string): JsiiPackage[] {
  let closure: ReturnType<typeof dependencyClosure>;
  try {
    closure = dependencyClosure(rootDir);
  } catch (e) {
    throw new JsiiRingError(ErrorCode.LOAD, (e as Error).message, { cause: e });
  }
  return closure.map((entry) => packageAt(entry.packageDir));
}

/** Where the tarball of an installed package is cached (keyed by its directory and mtime). */
function tarballPath(pkg: JsiiPackage, cacheDir: string | undefined): string {
  const stat = fs.statSync(path.join(pkg.dir, 'package.json'));
  const key = createHash('sha256').update(`${pkg.dir}\n${stat.mtimeMs}\n${stat.size}`).digest('hex').slice(0, 16);
  const base = `${pkg.name.replace(/^@/, '').replace(/\//g, '-')}-${pkg.version}-${key}.tgz`;
  return path.join(resolveCacheDir(cacheDir === undefined ? undefined : { cacheDir }), TARBALLS_SUBDIR, base);
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPM_ARGS = (dir: string, dest: string): string[] => ['pack', dir, '--json', '--ignore-scripts', '--pack-destination', dest];

/** Moves the single tarball npm wrote into `dest` to its cache path. */
function publishTarball(output: string, dest: string, final: string, pkg: JsiiPackage): string {
  let filename: string | undefined;
  try {
    filename = (JSON.parse(output) as Array<{ filename?: string }>)[0]?.filename;
  } catch {
    filename = undefined;
  }
  if (filename === undefined) {
    throw new JsiiRingError(ErrorCode.LOAD, `npm pack printed no tarball name for ${pkg.name} in ${pkg.dir}`);
  }
  const written = path.join(dest, filename.replace(/^@/, '').replace(/\//g, '-'));
  // Rename is atomic: a concurrent loader sees either no tarball or a whole one.
  fs.renameSync(written, final);
  fs.rmSync(dest, { recursive: true, force: true });
  return final;
}

/** A tarball of the installed package (made with `npm pack` once, then cached). */
export function tarballFor(pkg: JsiiPackage, cacheDir?: string): string {
  const final = tarballPath(pkg, cacheDir);
  if (fs.existsSync(final)) return final;
  const dest = `${final}.${process.pid}.tmp`;
  fs.mkdirSync(dest, { recursive: true });
  let output: string;
  try {
    output = execFileSync(NPM, NPM_ARGS(pkg.dir, dest), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    fs.rmSync(dest, { recursive: true, force: true });
    throw new JsiiRingError(ErrorCode.LOAD, `npm pack failed for ${pkg.name} in ${pkg.dir}: ${(e as Error).message}`, { cause: e });
  }
  return publishTarball(output, dest, final, pkg);
}

const execFileAsync = promisify(execFile);

/** `tarballFor` without blocking the event loop. */
export async function tarballForAsync(pkg: JsiiPackage, cacheDir?: string): Promise<string> {
  const final = tarballPath(pkg, cacheDir);
  if (fs.existsSync(final)) return final;
  const dest = `${final}.${process.pid}.tmp`;
  await fs.promises.mkdir(dest, { recursive: true });
  let output: string;
  try {
    output = (await execFileAsync(NPM, NPM_ARGS(pkg.dir, dest), { encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
  } catch (e) {
    await fs.promises.rm(dest, { recursive: true, force: true });
    throw new JsiiRingError(ErrorCode.LOAD, `npm pack failed for ${pkg.name} in ${pkg.dir}: ${(e as Error).message}`, { cause: e });
  }
  return publishTarball(output, dest, final, pkg);
}
