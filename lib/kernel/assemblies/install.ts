/**
 * Installing the package of a `load` request, the way the reference kernel does: every
 * package lands at `<installDir>/node_modules/<name>`, so that a package's
 * `require('<dependency>')` finds the dependency loaded before it (Node's resolution walks
 * up to `<installDir>/node_modules`). Loading `aws-cdk-lib` after `constructs` therefore
 * makes `aws-cdk-lib` see the very `constructs` the kernel loaded.
 *
 * - From a tarball: the tarball is extracted once into the package cache
 *   (`<cacheDir>/packages/<sha256 of the tarball>`, extracted aside then renamed, so a
 *   cache entry is always whole), then hard-linked (or copied) into the install directory.
 * - From a path (extension `load-path`): `<installDir>/node_modules/<name>` becomes a
 *   symlink to the package's real directory. Node resolves modules by real path, so the
 *   package keeps resolving its own dependencies where it is installed, and packages
 *   installed from tarballs later still find it by name.
 *
 * The same name at the same version is a no-op; at another version, a fault.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsiiFault } from '../../errors.js';
import { keepsSymlinks } from '../../preserve-symlinks.js';
import { PassThroughError, passThroughError } from '../kernel-errors.js';
import { HASHES_SUBDIR, PACKAGES_SUBDIR, resolveCacheDir } from './cache-dir.js';
import { linkTree, publishDirectory, sha256FileRemembered, tempSibling } from './fs-util.js';
import { extractTarball, MalformedTarballError, UnsafeTarballError } from './tar-extract.js';
import type { AssemblyStoreOptions, InstalledPackage, InstallRequest } from './types.js';

// npm's own rule for package names (scoped or not); it also keeps the name a safe path.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9_~][a-z0-9._~-]*$/i;

/** Per-process default install directory, created on first use and removed at exit. */
let defaultInstallDir: string | undefined;

/**
 * Installs a `load` request's package: from `path` (extension: already installed, no
 * extraction) or from an npm `tarball` (extracted safely into the install dir, via an
 * on-disk cache keyed by the tarball's hash). Throws `JsiiFault` for a bad request, an
 * unsafe tarball, or a version conflict; a file that is not a (gzipped) tar archive throws
 * a runtime error named as the reference's (`Error`, `ZlibError` for a broken gzip stream);
 * a tarball that cannot be read throws the file system's error (named `Error`, as the
 * reference lets it through).
 */
export function installPackage(request: InstallRequest, options?: AssemblyStoreOptions): InstalledPackage {
  const { name, version } = request;
  const fault = (message: string, cause?: unknown): JsiiFault =>
    new JsiiFault(`Cannot load ${name}@${version}: ${message}`, cause === undefined ? undefined : { cause });
  // An unsafe archive is a Fault; one that is no archive at all carries the reference's error
  // name (`Error`, `ZlibError`), so hosts raise the same exception class as on the reference.
  const refused = (e: UnsafeTarballError): Error =>
    e instanceof MalformedTarballError
      ? new PassThroughError(e.wireName, `Cannot load ${name}@${version}: ${e.message}`, { cause: e })
      : fault(e.message, e);
  if (typeof name !== 'string' || !PACKAGE_NAME.test(name)) {
    throw new JsiiFault(`Cannot load package: invalid package name ${JSON.stringify(name)}`);
  }
  if (typeof version !== 'string' || version === '') {
    throw fault('the version must be a non-empty string');
  }
  const hasTarball = request.tarball !== undefined;
  const hasPath = request.path !== undefined;
  if (hasTarball === hasPath) {
    throw fault(hasTarball ? 'give either a tarball or a path, not both' : 'the request names neither a tarball nor a path');
  }

  const installDir = resolveInstallDir(options);
  const packageDir = path.join(installDir, 'node_modules', ...name.split('/'));
  const existing = installedVersion(packageDir);
  if (existing !== undefined) {
    if (existing !== version) {
      throw fault(
        `version ${existing} of '${name}' is already loaded; multiple versions of a package cannot be loaded together`,
      );
    }
    return { packageDir, name, version, alreadyInstalled: true, fromCache: false };
  }

  fs.mkdirSync(path.dirname(packageDir), { recursive: true });
  if (hasPath) {
    const source = verifiedPackagePath(request.path as string, name, version, fault);
    try {
      fs.symlinkSync(source, packageDir, 'junction');
    } catch (e) {
      throw fault(`cannot link ${packageDir} to ${source}: ${(e as Error).message}`, e);
    }
    return { packageDir, name, version, alreadyInstalled: false, fromCache: false };
  }

  const tarball = request.tarball;
  if (typeof tarball !== 'string' || tarball === '') {
    throw fault('tarball must be a non-empty string');
  }
  let stat: fs.Stats;
  let bytes: Buffer | undefined;
  const readBytes = (): Buffer => {
    try {
      bytes ??= fs.readFileSync(tarball);
    } catch (e) {
      // The reference lets the file system's error through: name `Error`, its own message.
      throw passThroughError(e);
    }
    return bytes;
  };
  try {
    stat = fs.statSync(tarball);
  } catch {
    readBytes(); // throws the reference's error (`ENOENT: …, open '…'`)
    stat = fs.statSync(tarball);
  }
  if (stat.isDirectory()) {
    readBytes(); // EISDIR, as the reference reports it
  }
  if (stat.size === 0) {
    // Checked before the cache, which could hold an (empty) entry for the empty file.
    throw refused(new MalformedTarballError('malformed tar archive: the file is empty', 'Error'));
  }
  let cached: { dir: string; fromCache: boolean } | undefined;
  try {
    cached = cachedExtraction(tarball, readBytes, options);
  } catch (e) {
    if (e instanceof UnsafeTarballError) {
      throw refused(e);
    }
    if (bytes === undefined && !(e instanceof CacheUnusableError)) {
      throw e; // the tarball could not be read
    }
    // The cache is an optimisation: unwritable or full, extract straight into the install dir.
    cached = undefined;
  }
  if (cached !== undefined && linkModeOf(options) === 'symlink') {
    // Node keeps the install path of every module under --preserve-symlinks: one link to the
    // cache entry gives the package the same paths and dependency resolution as a copy.
    try {
      fs.symlinkSync(cached.dir, packageDir, 'junction');
    } catch (e) {
      throw fault(`cannot link ${packageDir} to ${cached.dir}: ${(e as Error).message}`, e);
    }
    return { packageDir, name, version, alreadyInstalled: false, fromCache: cached.fromCache };
  }
  // Install aside then rename, so a crash never leaves a half-installed package behind that
  // a later load would take for complete.
  const temp = tempSibling(packageDir);
  try {
    if (cached !== undefined) {
      linkTree(cached.dir, temp);
    } else {
      fs.mkdirSync(temp);
      extractTarball(readBytes(), temp);
    }
    fs.renameSync(temp, packageDir);
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw e instanceof UnsafeTarballError ? refused(e) : fault(`cannot install into ${packageDir}: ${(e as Error).message}`, e);
  }
  return { packageDir, name, version, alreadyInstalled: false, fromCache: cached?.fromCache ?? false };
}

/** The install directory: `options.installDir`, else a per-process temporary directory. */
export function resolveInstallDir(options?: AssemblyStoreOptions): string {
  if (options?.installDir !== undefined) {
    if (typeof options.installDir !== 'string' || options.installDir === '') {
      throw new TypeError('options.installDir must be a non-empty string');
    }
    return path.resolve(options.installDir);
  }
  if (defaultInstallDir === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-'));
    defaultInstallDir = dir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return defaultInstallDir;
}

function installedVersion(packageDir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
  const version: unknown = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : '<no version>';
}

function verifiedPackagePath(
  requested: string,
  name: string,
  version: string,
  fault: (message: string, cause?: unknown) => JsiiFault,
): string {
  if (typeof requested !== 'string' || requested === '') {
    throw fault('path must be a non-empty string');
  }
  let real: string;
  let manifest: { name?: unknown; version?: unknown };
  try {
    real = fs.realpathSync(requested);
    manifest = JSON.parse(fs.readFileSync(path.join(real, 'package.json'), 'utf8')) as typeof manifest;
  } catch (e) {
    throw fault(`no readable package.json in ${requested}: ${(e as Error).message}`, e);
  }
  if (manifest.name !== name || manifest.version !== version) {
    throw fault(`${requested} holds ${String(manifest.name)}@${String(manifest.version)}`);
  }
  return real;
}

/** The package cache could not be used (not the tarball's fault): install without it. */
class CacheUnusableError extends Error {}

/** How to put a cached package in place: see `AssemblyStoreOptions.linkMode`. */
function linkModeOf(options: AssemblyStoreOptions | undefined): 'symlink' | 'hardlink' {
  if (options?.linkMode !== undefined) {
    return options.linkMode;
  }
  return keepsSymlinks() ? 'symlink' : 'hardlink';
}

/**
 * Returns the cache entry holding the tarball's extracted contents, extracting it first
 * when absent. Content-addressed by the tarball's sha256: two processes extracting the
 * same tarball at once both succeed and one rename wins. Throws `UnsafeTarballError` for
 * a bad archive, `CacheUnusableError` when the cache cannot be written, and the error of
 * reading the tarball.
 */
function cachedExtraction(
  tarball: string,
  readBytes: () => Buffer,
  options: AssemblyStoreOptions | undefined,
): { dir: string; fromCache: boolean } {
  const cacheDir = resolveCacheDir(options);
  // Remembered by the tarball's stat identity: a tarball loaded again, unchanged, is not
  // read or hashed again (a 40 MB tarball costs a few hundred milliseconds).
  let remembered: string;
  try {
    remembered = sha256FileRemembered(tarball, path.join(cacheDir, HASHES_SUBDIR));
  } catch (e) {
    throw passThroughError(e); // the file system's error, as the reference reports it
  }
  if (fs.existsSync(path.join(cacheDir, PACKAGES_SUBDIR, remembered))) {
    return { dir: path.join(cacheDir, PACKAGES_SUBDIR, remembered), fromCache: true };
  }
  const bytes = readBytes();
  // The entry is named by the bytes extracted (the file may have changed since it was hashed).
  const dir = path.join(cacheDir, PACKAGES_SUBDIR, crypto.createHash('sha256').update(bytes).digest('hex'));
  let temp: string;
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    temp = tempSibling(dir);
    fs.mkdirSync(temp);
  } catch (e) {
    throw new CacheUnusableError(`the package cache cannot be written: ${(e as Error).message}`, { cause: e });
  }
  try {
    extractTarball(bytes, temp);
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw e instanceof UnsafeTarballError ? e : new CacheUnusableError(`cannot extract into the package cache: ${(e as Error).message}`, { cause: e });
  }
  try {
    publishDirectory(temp, dir);
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw new CacheUnusableError(`cannot publish the package cache entry: ${(e as Error).message}`, { cause: e });
  }
  return { dir, fromCache: false };
}
