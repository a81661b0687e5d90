/**
 * Finding, installing and reading jsii assemblies for the kernel.
 */
export * from './types.js';
export { resolveCacheDir, CACHE_DIR_ENV } from './cache-dir.js';
export { installPackage, resolveInstallDir } from './install.js';
export { openAssembly } from './open.js';
export { SUPPORTED_FEATURES } from './features.js';
export { dependencyClosure, resolvePackageDir, type ClosureEntry } from './dependency-closure.js';
export { IndexedAssemblySource, type IndexOrigin } from './indexed-source.js';
export { ParsedAssemblySource } from './parsed-source.js';
