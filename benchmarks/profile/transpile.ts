/**
 * The TypeScript transpiler choice, measured: every `.ts` file of the corpus apps (the
 * shape of real CDK apps) transpiled in a fresh process by esbuild (`transformSync`, what
 * `jsii-ring synth` uses) and by TypeScript's `transpileModule` (what `ts-node
 * --transpile-only` runs), each including loading the transpiler, and, on Node 22.13 and
 * later, by Node's own type stripping (`module.stripTypeScriptTypes`, mode `transform`, which
 * also takes enums and parameter properties; it keeps `import`/`export` as they are, so it
 * does less than the other two, which also turn them into CommonJS). Wall time, median of N
 * fresh processes per tool, alternating; files a tool refuses are counted.
 *
 *   node dist/benchmarks/profile/transpile.js [--runs N]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../results.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'cdk.out') continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(file));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(file);
  }
  return out;
}

const CHILDREN: Record<string, string> = {
  esbuild: `const esbuild = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'esbuild'))});
    for (const f of FILES) esbuild.transformSync(require('fs').readFileSync(f, 'utf8'), { loader: 'ts', format: 'cjs', target: 'es2022', sourcemap: 'inline', sourcefile: f });`,
  typescript: `const ts = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'typescript'))});
    for (const f of FILES) ts.transpileModule(require('fs').readFileSync(f, 'utf8'), { fileName: f, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, inlineSourceMap: true } });`,
  'node strip': `const { stripTypeScriptTypes } = require('node:module'); let refused = 0;
    for (const f of FILES) { try { stripTypeScriptTypes(require('fs').readFileSync(f, 'utf8'), { mode: 'transform', sourceMap: true, sourceUrl: f }); } catch { refused++; } }
    if (refused > 0) process.stderr.write('refused ' + refused + '\\n');`,
};

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const files = tsFiles(path.join(ROOT, 'examples', 'corpus'));
  const tools = typeof (require('node:module') as { stripTypeScriptTypes?: unknown }).stripTypeScriptTypes === 'function' ? ['esbuild', 'typescript', 'node strip'] : ['esbuild', 'typescript'];
  const times: Record<string, number[]> = Object.fromEntries(tools.map((tool) => [tool, []]));
  const refused: Record<string, string> = {};
  for (let run = 0; run < Number(values.runs); run++) {
    for (const tool of run % 2 === 0 ? tools : [...tools].reverse()) {
      const script = `const FILES = ${JSON.stringify(files)}; const t = process.hrtime.bigint(); ${CHILDREN[tool]} console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      times[tool]!.push(Number(child.stdout.trim()));
      if (child.stderr.includes('refused')) refused[tool] = child.stderr.trim();
    }
  }
  process.stdout.write(`${files.length} files; Node ${process.version}; load ${os.loadavg()[0]!.toFixed(2)}\n`);
  for (const [tool, xs] of Object.entries(times)) {
    process.stdout.write(`${tool.padEnd(10)} ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}), ${(median(xs) / files.length).toFixed(2)} ms per file${refused[tool] !== undefined ? ` (${refused[tool]} files)` : ''}\n`);
  }
}

if (require.main === module) main();
