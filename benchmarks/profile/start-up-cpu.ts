/**
 * CPU time (not wall time: steadier on a shared machine) of the start-up steps that scale
 * with the size of an assembly, in a fresh process each: opening aws-cdk-lib's assembly
 * (warm index), decoding its submodule table, and the bindings' namespace index answering
 * the root and one submodule.
 *
 *   node dist/benchmarks/profile/start-up-cpu.js [--runs N]
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../results.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const CHILD = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const { openAssembly } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'kernel', 'assemblies', 'open.js'))});
const { NamespaceIndex } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'bindings', 'namespace.js'))});
let c = cpu(); const source = openAssembly(${JSON.stringify(path.join(ROOT, 'node_modules', 'aws-cdk-lib'))}); const open = cpu() - c;
c = cpu(); void source.metadata.submodules; const submodules = cpu() - c;
c = cpu(); const index = new NamespaceIndex(source); index.children('aws-cdk-lib'); index.children('aws-cdk-lib.aws_s3'); const namespaces = cpu() - c;
console.log(JSON.stringify({ open, submodules, namespaces }));
`;


function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < Number(values.runs) + 1; i++) {
    const child = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    if (i > 0) runs.push(JSON.parse(child.stdout) as Record<string, number>); // the first may build the index
  }
  for (const key of ['open', 'submodules', 'namespaces']) {
    const xs = runs.map((r) => r[key]!);
    process.stdout.write(`${key.padEnd(11)} ${median(xs).toFixed(1)} ms CPU (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})\n`);
  }
}

if (require.main === module) main();
