/**
 * Type-checks TypeScript files against generated declarations with the TypeScript compiler
 * API (what `tsc --noEmit` does), mapping package names to declaration directories the way a
 * `paths` entry in a tsconfig would.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ts from 'typescript';

/** Options of {@link typeCheck}. */
export interface TypeCheckOptions {
  /** Package name → `index.d.ts` to resolve it to. */
  readonly packages: Readonly<Record<string, string>>;
  /** Check the declaration files too (not only the program's own files). @default false */
  readonly checkDeclarations?: boolean;
}

/** One diagnostic, flattened. */
export interface Problem {
  /** `TS2322` etc. */
  readonly code: string;
  /** `file(line,col)`: the file's base name and position. */
  readonly where: string;
  /** Full path of the file (`''` for global problems). */
  readonly file: string;
  readonly message: string;
}

/** Result of {@link typeCheck}. */
export interface TypeCheckResult {
  readonly problems: Problem[];
  /** Files in the program (own files, declarations, default libraries). */
  readonly files: number;
  /** Their paths. */
  readonly fileNames: string[];
  readonly millis: number;
}

/** Type-checks `files` in strict mode, as the repository's own tsconfig would. */
export function typeCheck(files: readonly string[], options: TypeCheckOptions): TypeCheckResult {
  const started = performance.now();
  const paths: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(options.packages)) paths[name] = [file];
  const compilerOptions: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    types: [],
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    skipLibCheck: !(options.checkDeclarations ?? false),
    paths,
  };
  const program = ts.createProgram({ rootNames: [...files], options: compilerOptions });
  const problems = ts.getPreEmitDiagnostics(program).map((d): Problem => {
    let where = '(global)';
    if (d.file !== undefined && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      where = `${path.basename(d.file.fileName)}(${line + 1},${character + 1})`;
    }
    return {
      code: `TS${d.code}`,
      where,
      file: d.file?.fileName ?? '',
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    };
  });
  const fileNames = program.getSourceFiles().map((f) => f.fileName);
  return { problems, files: fileNames.length, fileNames, millis: performance.now() - started };
}

/** Writes `files` (relative name → content) into a fresh temp directory; removed at teardown. */
export function writeTempFiles(
  t: { teardown(fn: () => void): void },
  files: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-decl-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  for (const [name, content] of entries) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** One line per problem, for assertion messages. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.where}: ${p.code} ${p.message}`).join('\n');
}
