/**
 * The jsii packages a jsii package needs loaded before it, found the way Node finds them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsiiFault } from '../../errors.js';
import { SPEC_FILE_NAME } from './assembly-file.js';

/** One package of a dependency closure. */
export interface ClosureEntry {
  readonly name: string;
  readonly version: string;
  /** Real path of the directory holding its `package.json` and `.jsii`. */
  readonly packageDir: string;
}

interface Manifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly dependencies?: Record<string, unknown>;
  readonly peerDependencies?: Record<string, unknown>;
  readonly bundleDependencies?: unknown;
  readonly bundledDependencies?: unknown;
}

/**
 * The jsii packages `packageDir` depends on, transitively, followed by the package itself:
 * every dependency comes before its dependents, so loading them in this order satisfies
 * each `load`. Dependencies are the `dependencies` and `peerDependencies` of each
 * `package.json` (bundled ones excluded), resolved by Node's rules (nearest
 * `node_modules`, walking up from the dependent's real path); those without a `.jsii` are
 * not jsii packages and are skipped with their own dependencies, as are dependencies that
 * are not installed (optional peers). Throws `JsiiFault` if `packageDir` is not a jsii
 * package, or if two versions of one package are needed.
 */
export function dependencyClosure(packageDir: string): ClosureEntry[] {
  const root = realDir(packageDir);
  if (root === undefined || !fs.existsSync(path.join(root, SPEC_FILE_NAME))) {
    throw new JsiiFault(`${packageDir} is not a jsii package (no ${SPEC_FILE_NAME} file)`);
  }
  const ordered: ClosureEntry[] = [];
  const byName = new Map<string, ClosureEntry>();
  const visiting = new Set<string>();

  const visit = (dir: string, requiredBy: string | undefined): void => {
    const manifest = readManifest(dir);
    const name = typeof manifest.name === 'string' ? manifest.name : path.basename(dir);
    const version = typeof manifest.version === 'string' ? manifest.version : '';
    const seen = byName.get(name);
    if (seen !== undefined) {
      if (seen.version !== version) {
        throw new JsiiFault(
          `${name} is needed at two versions: ${seen.version} (${seen.packageDir}) and ${version} (${dir}, required by ${requiredBy})`,
        );
      }
      return;
    }
    if (visiting.has(name)) {
      return; // a cycle: npm allows it, jsii does not produce it; the first visit places it
    }
    visiting.add(name);
    const bundled = new Set(asStrings(manifest.bundleDependencies ?? manifest.bundledDependencies));
    const deps = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    for (const dep of deps) {
      if (bundled.has(dep)) {
        continue;
      }
      const depDir = resolvePackageDir(dep, dir);
      if (depDir !== undefined && fs.existsSync(path.join(depDir, SPEC_FILE_NAME))) {
        visit(depDir, name);
      }
    }
    visiting.delete(name);
    const entry = { name, version, packageDir: dir };
    byName.set(name, entry);
    ordered.push(entry);
  };

  visit(root, undefined);
  return ordered;
}

/**
 * Node's lookup of a package directory: `<ancestor>/node_modules/<name>`, nearest first,
 * as a real path; undefined when there is none.
 */
export function resolvePackageDir(name: string, from: string): string | undefined {
  let current = from;
  for (;;) {
    if (path.basename(current) !== 'node_modules') {
      const candidate = path.join(current, 'node_modules', ...name.split('/'));
      if (fs.existsSync(path.join(candidate, 'package.json'))) {
        return realDir(candidate);
      }
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return undefined;
    }
    current = parent;
  }
}

function readManifest(dir: string): Manifest {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch (e) {
    throw new JsiiFault(`Cannot read ${path.join(dir, 'package.json')}: ${(e as Error).message}`, { cause: e });
  }
}

function realDir(dir: string): string | undefined {
  try {
    return fs.realpathSync(dir);
  } catch {
    return undefined;
  }
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
