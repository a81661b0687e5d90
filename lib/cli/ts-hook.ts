/**
 * Lets `jsii-ring synth app.ts` run a TypeScript app without a build step: `.ts` files are
 * transpiled on require (no type check) with the `typescript` package, to CommonJS.
 * A relative `./x.js` that does not exist resolves to `./x.ts`, as TypeScript reads it.
 * Also makes `require('jsii-ring')` resolve to this very package from any directory, so an
 * app in a folder without its own `node_modules/jsii-ring` still finds the bindings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';

let installed = false;

/** Installs the hooks once per process. */
export function installAppHooks(): void {
  if (installed) {
    return;
  }
  installed = true;
  const self = path.resolve(__dirname, '..', 'index.js');
  const moduleInternals = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
    _extensions: Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>;
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
      if (request.startsWith('.') && request.endsWith('.js')) {
        return resolve.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
      }
      throw error;
    }
  };
  moduleInternals._extensions['.ts'] = (module, filename) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof import('typescript');
    const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      fileName: filename,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false, inlineSourceMap: true },
    });
    // Syntax errors only (no type check): name the file, line and column, as tsc would.
    const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      throw new SyntaxError(errors.map((d) => {
        const where = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const place = where !== undefined ? `${path.relative(process.cwd(), filename) || filename}:${where.line + 1}:${where.character + 1}` : filename;
        return `${place} - ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }).join('\n'));
    }
    module._compile(output.outputText, filename);
  };
}
