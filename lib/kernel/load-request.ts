/**
 * `load`: installs a package (from an npm tarball, or with the `load-path` extension from
 * a directory that already holds it), opens its assembly, and requires its entry point.
 * Finding, installing and parsing are the assembly store's job (`./assemblies`); the
 * kernel keeps the module exports and the assembly source.
 *
 * The same name at the same version again is a no-op with the same answer; another
 * version is a Fault, in the reference's words.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { JsiiFault } from '../errors.js';
import type { LoadRequest, LoadResponse } from '../protocol/api.js';
import { installPackage, openAssembly } from './assemblies/index.js';
import type { KernelCore } from './kernel-core.js';
import { passThroughError } from './kernel-errors.js';
import { stringField } from './requests.js';
import type { LoadedAssembly } from './type-registry.js';

/** `load`. */
export function load(core: KernelCore, req: LoadRequest): LoadResponse {
  if ('assembly' in req) {
    throw new JsiiFault('`assembly` field is deprecated for "load", use `name`, `version` and `tarball` instead');
  }
  const name = stringField(req, 'name');
  const version = stringField(req, 'version');
  const existing = core.loadedPackages.get(name);
  if (existing !== undefined) {
    if (existing.version !== version) {
      throw new JsiiFault(
        `Multiple versions ${version} and ${existing.version} of the package '${name}' cannot be loaded together ` +
        'since this is unsupported by some runtime environments',
      );
    }
    return existing.response;
  }
  const from = core.loadPath && req.path !== undefined ? { path: req.path } : { tarball: req.tarball };
  const options = { installDir: core.installDir(), ...(core.cacheDir !== undefined ? { cacheDir: core.cacheDir } : {}) };
  const installed = installPackage({ name, version, ...from }, options);
  const source = openAssembly(installed.packageDir, options);
  const exports = requirePackage(options.installDir, name, installed.packageDir);
  const response: LoadResponse = { assembly: source.name, types: source.typeCount };
  const assembly: LoadedAssembly = { name: source.name, version, source, exports, response };
  core.loadedPackages.set(name, assembly);
  core.types.add(assembly);
  tagLegacyConstructors(core, assembly);
  return response;
}

/**
 * Requires the package by name from the install directory, so `package.json` `exports`
 * are honoured (requiring the directory would ignore them). A failing module initializer
 * keeps its own error, as in the reference.
 */
function requirePackage(installDir: string, name: string, packageDir: string): unknown {
  const requireFromInstall = createRequire(path.join(installDir, 'noop.js'));
  let entry: string;
  try {
    entry = requireFromInstall.resolve(name);
  } catch {
    entry = requireFromInstall.resolve(packageDir);
  }
  try {
    return requireFromInstall(entry) as unknown;
  } catch (e) {
    throw passThroughError(e);
  }
}

/**
 * Assemblies compiled before jsii 1.19 carry no runtime type information on their
 * classes: tag the constructors with their fqns, as the reference does.
 */
function tagLegacyConstructors(core: KernelCore, assembly: LoadedAssembly): void {
  const jsiiVersion = String(assembly.source.metadata.jsiiVersion ?? '').split(' ', 1)[0] ?? '';
  const [major = 0, minor = 0] = jsiiVersion.split('.').map((n) => parseInt(n, 10));
  if (jsiiVersion === '0.0.0' || major > 1 || (major === 1 && minor >= 19)) {
    return;
  }
  for (const fqn of assembly.source.typeNames()) {
    const type = core.types.tryType(fqn);
    if (type !== undefined && (type.kind === 'class' || type.kind === 'enum')) {
      const ctor = type.symbol();
      if (typeof ctor === 'function' || (typeof ctor === 'object' && ctor !== null)) {
        core.types.tagConstructor(ctor, fqn);
      }
    }
  }
}
