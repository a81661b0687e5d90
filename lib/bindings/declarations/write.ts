/**
 * Writing generated declarations to disk: `<outDir>/<package>/` for the package and for each
 * jsii assembly its declarations import, so that mapping each package name to its directory
 * (a `paths` entry, or `outDir` laid out like `node_modules`) gives a program full types.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, JsiiRingError } from '../../errors.js';
import { type DeclarationOptions, generate, readAssembly } from './generate.js';

/** Options of {@link writeDeclarations}. */
export interface WriteDeclarationsOptions {
  /** Directory from which packages are resolved (like `require.resolve`'s `paths`). @default process.cwd() */
  readonly from?: string;
  /**
   * Also write the declarations of every jsii assembly the package's declarations import
   * (transitively), in full. @default true
   */
  readonly dependencies?: boolean;
  /** Submodules of the named package only (see {@link DeclarationOptions.submodules}). @default all */
  readonly submodules?: readonly string[];
  /** @default true */
  readonly docs?: boolean;
}

/** One package whose declarations were written. */
export interface WrittenDeclarations {
  readonly packageName: string;
  readonly version: string;
  /** Directory the files went to: `<outDir>/<packageName>`. */
  readonly dir: string;
  /** Files written, relative to `dir`, sorted. */
  readonly files: string[];
  /** Total bytes written. */
  readonly bytes: number;
}

/**
 * Generates and writes the declarations of `packageName` (resolved from `options.from`) and,
 * unless `options.dependencies` is false, of the jsii assemblies they import. Each package's
 * directory is emptied first, so no file of an earlier generation survives.
 */
export function writeDeclarations(
  packageName: string,
  outDir: string,
  options: WriteDeclarationsOptions = {},
): WrittenDeclarations[] {
  const written: WrittenDeclarations[] = [];
  const done = new Set<string>();
  const pending: { name: string; from: string; selection: Omit<DeclarationOptions, 'assembly'> }[] = [
    {
      name: packageName,
      from: path.resolve(options.from ?? process.cwd()),
      selection: {
        ...(options.submodules !== undefined ? { submodules: options.submodules } : {}),
        ...(options.docs !== undefined ? { docs: options.docs } : {}),
      },
    },
  ];
  while (pending.length > 0) {
    const next = pending.shift();
    if (next === undefined || done.has(next.name)) continue;
    done.add(next.name);
    const packageDir = resolvePackageDir(next.name, next.from);
    const reader = readAssembly(packageDir);
    const { files, referencedAssemblies } = generate(reader, next.selection);
    const dir = path.join(outDir, ...next.name.split('/'));
    written.push(writeFiles(next.name, reader.version, dir, files));
    if (options.dependencies ?? true) {
      for (const dependency of referencedAssemblies) {
        // Resolved from the dependent package, as Node would resolve its `require`.
        pending.push({ name: dependency, from: packageDir, selection: options.docs !== undefined ? { docs: options.docs } : {} });
      }
    }
  }
  return written;
}

/**
 * The installed directory of `packageName` as Node resolves it from `fromDir`: the first
 * `node_modules/<packageName>/package.json` walking up from `fromDir`. Reads no `exports`
 * map, so it works for packages that do not export their `package.json`.
 */
export function resolvePackageDir(packageName: string, fromDir: string): string {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ...packageName.split('/'));
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new JsiiRingError(ErrorCode.LOAD, `cannot find the package ${packageName} from ${fromDir}`);
}

function writeFiles(packageName: string, version: string, dir: string, files: ReadonlyMap<string, string>): WrittenDeclarations {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (const [file, content] of files) {
    const target = path.join(dir, file);
    // File names come from submodule names in the assembly: keep them inside `dir`.
    if (path.relative(dir, target).startsWith('..') || path.isAbsolute(path.relative(dir, target))) {
      throw new JsiiRingError(ErrorCode.LOAD, `refusing to write ${file} outside ${dir}`);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    bytes += Buffer.byteLength(content);
  }
  return { packageName, version, dir, files: [...files.keys()].sort(), bytes };
}
