/**
 * The contract between the kernel and the code that finds, installs and reads jsii
 * assemblies. The kernel never parses a `.jsii` file itself: it asks an
 * `AssemblySource` for the few types a program uses.
 */
import type * as spec from '@jsii/spec';

/** One loaded assembly, read lazily: only the types asked for are decoded. */
export interface AssemblySource {
  readonly name: string;
  readonly version: string;
  /** Everything in the assembly except `types` (targets, dependencies, submodules, usedFeatures, ...). */
  readonly metadata: Omit<spec.Assembly, 'types'>;
  /** Number of types in the assembly (what `load` reports). */
  readonly typeCount: number;
  /** True if the assembly declares this fully-qualified type name. */
  hasType(fqn: string): boolean;
  /** The type's spec, decoded on first use and cached; `undefined` if not declared here. */
  getType(fqn: string): spec.Type | undefined;
  /** Every type name the assembly declares. */
  typeNames(): Iterable<string>;
  /** True when `typeNames()` is an array in strictly ascending code-unit order (binary-searchable). */
  readonly typeNamesSorted?: boolean;
}

/** Options shared by installing and opening assemblies. */
export interface AssemblyStoreOptions {
  /**
   * Directory for the package cache (extracted tarballs keyed by hash) and the assembly
   * index. @default `$JSII_RING_CACHE_DIR`, else `<os cache dir>/jsii-ring`
   */
  readonly cacheDir?: string;
  /**
   * Directory packages are installed into, as `<installDir>/node_modules/<name>`, so that
   * packages loaded from tarballs resolve each other by name. A kernel passes its own.
   * @default a temporary directory per process, created on first use and removed at exit
   */
  readonly installDir?: string;
  /**
   * How a tarball's cached contents are put into the install directory: `'symlink'` (one
   * link to the cache entry; right only when Node keeps symlinked paths, `--preserve-symlinks`,
   * so the package resolves its dependencies from the install directory) or `'hardlink'`
   * (the tree recreated with hard links). @default `'symlink'` under `--preserve-symlinks`
   * (or `NODE_PRESERVE_SYMLINKS=1`), else `'hardlink'`
   */
  readonly linkMode?: 'symlink' | 'hardlink';
}

/** The package-locating part of a `load` request: exactly one of `tarball` and `path`. */
export interface InstallRequest {
  readonly name: string;
  readonly version: string;
  /** An npm tarball (`npm pack` output, gzipped tar with entries under `package/`). */
  readonly tarball?: string;
  /** A directory already holding the installed package (extension `load-path`). */
  readonly path?: string;
}

/** Where a `load` request's package ended up on disk. */
export interface InstalledPackage {
  /** Directory holding the package's `package.json` and `.jsii`. */
  readonly packageDir: string;
  /** The package name, as requested. */
  readonly name?: string;
  /** The package version, as requested. */
  readonly version?: string;
  /** True if this name at this version was already installed: the load is a no-op. */
  readonly alreadyInstalled?: boolean;
  /** True if a tarball's contents came from the package cache (no extraction). */
  readonly fromCache?: boolean;
}
