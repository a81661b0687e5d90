/**
 * Runs TypeScript apps without a build step: `.ts`, `.mts` and `.cts` files are transpiled
 * on require (no type check) with esbuild, to CommonJS, with an inline source map, and
 * Node's source map support is turned on, so stack traces and the CDK's construct traces
 * name `.ts` lines. The app's nearest `tsconfig.json` is honoured as far as transpiling
 * goes (class field semantics, decorators, JSX), as `ts-node` would.
 *
 * A relative `./x.js` that does not exist resolves to `./x.ts`, as TypeScript reads it.
 * Also makes `require('jsii-ring')` resolve to this very package from any directory, so an
 * app in a folder without its own `node_modules/jsii-ring` still finds the bindings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import type * as esbuild from 'esbuild';

let installed = false;

type Compile = (module: { _compile(code: string, filename: string): void }, filename: string) => void;

/** Installs the hooks once per process. */
export function installTypeScriptLoader(): void {
  if (installed) {
    return;
  }
  installed = true;
  process.setSourceMapsEnabled(true);
  const self = path.resolve(__dirname, '..', 'index.js');
  const moduleInternals = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
    _extensions: Record<string, Compile>;
  };
  const resolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string {
    if (request === 'jsii-ring') {
      return self;
    }
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error) {
      // TypeScript sources import siblings as './x.js' meaning './x.ts'.
      if (request.startsWith('.') && /\.[mc]?js$/.test(request)) {
        return resolve.call(this, request.replace(/\.([mc]?)js$/, '.$1ts'), parent, ...rest);
      }
      throw error;
    }
  };
  const compile: Compile = (module, filename) => {
    module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  for (const ext of ['.ts', '.cts', '.mts']) {
    moduleInternals._extensions[ext] = compile;
  }
}

/** The nearest tsconfig.json's text for `file` (cached per directory), or undefined. */
const TSCONFIGS = new Map<string, string | undefined>();
function tsconfigFor(file: string): string | undefined {
  const dir = path.dirname(file);
  if (TSCONFIGS.has(dir)) return TSCONFIGS.get(dir);
  const candidate = path.join(dir, 'tsconfig.json');
  const parent = path.dirname(dir);
  const text = fs.existsSync(candidate) ? fs.readFileSync(candidate, 'utf8') : parent !== dir ? tsconfigFor(dir) : undefined;
  TSCONFIGS.set(dir, text);
  return text;
}

/**
 * One TypeScript file as CommonJS with an inline source map. A syntax error names the
 * file, line and column, as tsc would.
 */
export function transpile(source: string, filename: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { transformSync } = require('esbuild') as typeof esbuild;
  const tsconfig = tsconfigFor(filename);
  try {
    return transformSync(source, {
      loader: filename.endsWith('x') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'es2022',
      platform: 'node',
      sourcemap: 'inline',
      sourcefile: filename,
      ...(tsconfig !== undefined ? { tsconfigRaw: tsconfig } : {}),
    }).code;
  } catch (e) {
    const failure = e as { errors?: esbuild.Message[] };
    if (Array.isArray(failure.errors) && failure.errors.length > 0) {
      throw new SyntaxError(failure.errors.map((m) => {
        const where = m.location;
        const place = where !== null ? `${path.relative(process.cwd(), filename) || filename}:${where.line}:${where.column + 1}` : filename;
        return `${place} - ${m.text}`;
      }).join('\n'));
    }
    throw e;
  }
}
