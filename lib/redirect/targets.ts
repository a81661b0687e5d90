/**
 * Which module requests the redirection takes, and what each stands for: a bare specifier
 * (`aws-cdk-lib`, `aws-cdk-lib/aws-s3`, `@scope/lib/sub`) whose package, found the way Node
 * finds it from the requesting file, is a jsii package (a `jsii` field in its package.json
 * and a `.jsii` assembly), mapped to the namespace path in that assembly (`['aws_s3']`).
 *
 * Pure lookups with caches; no kernel, no hooks. Shared by the CommonJS hook (host thread)
 * and the ES module hooks (Node's loader thread).
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { ErrorCode, JsiiRingError } from '../errors.js';
import { resolvePackageDir } from '../kernel/assemblies/index.js';

/** A request the redirection answers with bindings. */
export interface JsiiTarget {
  /** The package name (`aws-cdk-lib`). */
  readonly packageName: string;
  /** Real path of the package directory the requester would get natively. */
  readonly packageDir: string;
  /** The subpath after the package name (`aws-s3`), `''` for the package itself. */
  readonly subpath: string;
}

const BUILTINS = new Set(builtinModules);

/** Real package directory → whether it is a jsii package. */
const IS_JSII = new Map<string, boolean>();
/** `<dir>\0<name>` → the real package directory Node would find from `dir`, or null. */
const FOUND = new Map<string, string | null>();

/** `aws-cdk-lib/aws-s3` → ['aws-cdk-lib', 'aws-s3']; `@a/b/c` → ['@a/b', 'c']; non-bare → undefined. */
export function splitBareSpecifier(request: string): [name: string, subpath: string] | undefined {
  if (request === '' || request.startsWith('.') || request.startsWith('/') || request.startsWith('#') || request.includes(':') || request.includes('\\')) {
    return undefined;
  }
  if (BUILTINS.has(request) || BUILTINS.has(request.split('/')[0]!)) return undefined;
  const parts = request.split('/');
  const scoped = request.startsWith('@');
  if (scoped && parts.length < 2) return undefined;
  const name = scoped ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return [name, parts.slice(scoped ? 2 : 1).join('/')];
}

/** The real directory of package `name` as Node finds it from directory `from`, or undefined (cached). */
export function findPackageDir(name: string, from: string): string | undefined {
  const key = `${from}\0${name}`;
  let found = FOUND.get(key);
  if (found === undefined) {
    found = resolvePackageDir(name, from) ?? null;
    FOUND.set(key, found);
  }
  return found ?? undefined;
}

/** True if the package in `dir` is a jsii package (package.json `jsii` field and a `.jsii`). */
export function isJsiiPackage(dir: string): boolean {
  let known = IS_JSII.get(dir);
  if (known === undefined) {
    known = false;
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { jsii?: unknown };
      known = typeof manifest.jsii === 'object' && manifest.jsii !== null && fs.existsSync(path.join(dir, '.jsii'));
    } catch {
      known = false;
    }
    IS_JSII.set(dir, known);
  }
  return known;
}

/**
 * The jsii package directory that holds `file`, if any: the package of the innermost
 * `node_modules` segment of its path, or a jsii package seen so far that contains it.
 */
export function jsiiPackageHolding(file: string): string | undefined {
  // A library file requires many modules (in-thread, the kernel's library loads through the hook).
  const held = HELD.get(file);
  if (held !== undefined) return held;
  const found = findJsiiPackageHolding(file);
  // Only positive answers are kept: a package seen later may still claim a file outside node_modules.
  if (found !== undefined) HELD.set(file, found);
  return found;
}

/** File → the jsii package directory holding it (positive answers only). */
const HELD = new Map<string, string>();

function findJsiiPackageHolding(file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at !== -1) {
    const rest = file.slice(at + marker.length).split(path.sep);
    const name = rest[0]?.startsWith('@') === true ? `${rest[0]}${path.sep}${rest[1] ?? ''}` : rest[0] ?? '';
    const dir = file.slice(0, at + marker.length) + name;
    if (isJsiiPackage(dir)) return dir;
  }
  for (const [dir, jsii] of IS_JSII) {
    if (jsii && (file === dir || file.startsWith(`${dir}${path.sep}`))) return dir;
  }
  return undefined;
}

/**
 * The jsii target of `request` made from `parentFile` (a file path; undefined: the current
 * directory), or undefined when the request stays native (not bare, not found, not jsii).
 */
export function jsiiTargetOf(request: string, parentFile: string | undefined): JsiiTarget | undefined {
  const split = splitBareSpecifier(request);
  if (split === undefined) return undefined;
  const [packageName, subpath] = split;
  const from = parentFile !== undefined ? path.dirname(parentFile) : process.cwd();
  const packageDir = findPackageDir(packageName, from);
  if (packageDir === undefined || !isJsiiPackage(packageDir)) return undefined;
  return { packageName, packageDir, subpath };
}

/** jsii-ring's own code (dist/lib): its requests are never redirected. */
const OWN_CODE = path.resolve(__dirname, '..');

/**
 * True for requests the redirection leaves alone because of who makes them: jsii-ring's own
 * code (the kernel, when it runs in this thread) and the files of a jsii package (a library
 * loading its own dependencies).
 */
export function isExemptRequester(parentFile: string | undefined): boolean {
  if (parentFile === undefined) return false;
  if (parentFile.startsWith(`${OWN_CODE}${path.sep}`)) return true;
  return jsiiPackageHolding(parentFile) !== undefined;
}

/** A subpath that is data, not code (`package.json`, `.jsii`): always read natively. */
export function isDataSubpath(subpath: string): boolean {
  return subpath.endsWith('.json') || subpath === '.jsii' || subpath.startsWith('.jsii.');
}

/** What the assembly knows of its namespaces, enough to map a subpath. */
export interface SubmoduleCatalog {
  readonly name: string;
  /** Submodule fqns of the assembly (`aws-cdk-lib.aws_s3`). */
  readonly submodules: readonly string[];
}

/**
 * The namespace path (segments under the root) that `<package>/<subpath>` stands for.
 * A jsii submodule is exported under its name with dashes as underscores (`aws-s3` →
 * `aws_s3`); a subpath the package's root re-exports wholesale (`aws-cdk-lib/core`) is the
 * root itself. Anything else is a module inside the library, which the kernel does not
 * serve: an error that says what to import instead.
 */
export function namespacePathOf(target: JsiiTarget, catalog: SubmoduleCatalog): readonly string[] {
  const { subpath } = target;
  if (subpath === '') return [];
  const known = new Set(catalog.submodules);
  for (const candidate of [subpath.replace(/-/g, '_').replace(/\//g, '.'), subpath.replace(/[-/]/g, '_'), subpath.replace(/\//g, '.')]) {
    if (known.has(`${catalog.name}.${candidate}`)) return candidate.split('.');
  }
  if (reexportedFromRoot(target.packageDir, subpath)) return [];
  throw new JsiiRingError(
    ErrorCode.NATIVE_OBJECT,
    `'${target.packageName}/${subpath}' is not a submodule of the jsii assembly ${catalog.name}: the kernel serves the package `
    + `and its submodules only (${catalog.submodules.length} of them, e.g. '${catalog.name}/${(catalog.submodules[0] ?? `${catalog.name}.x`).slice(catalog.name.length + 1).replace(/_/g, '-')}'). `
    + `Import the type from '${target.packageName}' or one of its submodules instead of a file inside the library`,
  );
}

/** True if the package's main file re-exports the members of `./<subpath>` (`export * from './core'`). */
function reexportedFromRoot(packageDir: string, subpath: string): boolean {
  let main: string;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { main?: string };
    main = fs.readFileSync(path.join(packageDir, manifest.main ?? 'index.js'), 'utf8');
  } catch {
    return false;
  }
  const escaped = subpath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `export * from './core'` compiles to `__exportStar(require("./core"), exports)`, or, in
  // bundles with lazy exports, to one getter per name: `require("./core").App`.
  const required = `require\\(["']\\./${escaped}(?:/index(?:\\.js)?)?["']\\)`;
  return new RegExp(`__exportStar\\(${required}|${required}\\.[A-Za-z_$]`).test(main);
}
