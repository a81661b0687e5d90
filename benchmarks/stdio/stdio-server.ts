/**
 * The stdio server against the reference runtime's program, side by side (rounds
 * interleaved, order alternating; medians):
 *
 * - load phase: from spawning the program to the answer of the last `load` of aws-cdk-lib
 *   and its four jsii dependencies, from tarballs as a Python host sends them;
 * - one long request line (a padding field of N MB): from writing it to reading its answer.
 *
 * `node dist/benchmarks/stdio/stdio-server.js [rounds]` after `npm run build` and the test
 * fixture build. Tarballs are packed once into `.cache/stdio-bench/`.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFixtures } from '../../test/helpers/fixture.js';
import { repoRoot } from '../../test/helpers/repo-root.js';
import { runtimeScript, type Runtime } from '../../test/transports/stdio-process.js';

const PACKAGES = ['constructs', '@aws-cdk/asset-awscli-v1', '@aws-cdk/asset-node-proxy-agent-v6', '@aws-cdk/cloud-assembly-schema', 'aws-cdk-lib'];
const RUNTIMES: readonly Runtime[] = ['ours', 'reference'];

interface Load { readonly name: string; readonly version: string; readonly tarball: string }

function tarballs(): Load[] {
  const dir = path.join(repoRoot(), '.cache', 'stdio-bench');
  fs.mkdirSync(dir, { recursive: true });
  return PACKAGES.map((name) => {
    const source = path.join(repoRoot(), 'node_modules', name);
    const { version } = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string };
    const file = path.join(dir, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
    if (!fs.existsSync(file)) {
      const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, source], { encoding: 'utf8' }).trim().split('\n').pop()!;
      fs.renameSync(path.join(dir, packed), file);
    }
    return { name, version, tarball: file };
  });
}

/** Spawns `runtime`, writes `lines` one after each answer, resolves with ms from `startAt` to the last answer. */
function session(runtime: Runtime, lines: readonly string[], startAt: 'spawn' | 'last'): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let start = t0;
    const child = spawn(process.execPath, ['--max-old-space-size=4069', runtimeScript(runtime)], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
    });
    let next = 0;
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      if (line.startsWith('{"error"')) reject(new Error(`${runtime}: ${line.slice(0, 300)}`));
      if (next === lines.length) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        child.stdin.end();
        resolve(ms);
        return;
      }
      if (startAt === 'last' && next === lines.length - 1) start = process.hrtime.bigint();
      child.stdin.write(`${lines[next++]}\n`);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function compare(label: string, rounds: number, run: (runtime: Runtime) => Promise<number>): Promise<void> {
  const times: Record<Runtime, number[]> = { ours: [], reference: [] };
  for (let i = 0; i < rounds; i++) {
    for (const runtime of i % 2 === 0 ? RUNTIMES : [...RUNTIMES].reverse()) times[runtime].push(await run(runtime));
  }
  const [ours, reference] = [median(times.ours), median(times.reference)];
  const range = (r: Runtime): string => `${Math.min(...times[r]).toFixed(0)}–${Math.max(...times[r]).toFixed(0)}`;
  process.stdout.write(`| ${label} | ${ours.toFixed(0)} (${range('ours')}) | ${reference.toFixed(0)} (${range('reference')}) | ${(reference / ours).toFixed(2)}× |\n`);
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const loads = tarballs().map((l) => JSON.stringify({ api: 'load', ...l }));
  const calc = ensureFixtures().calc;
  const loadCalc = JSON.stringify({ api: 'load', name: calc.name, version: calc.version, tarball: calc.tarball });
  process.stdout.write(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${rounds} rounds\n\n`);
  process.stdout.write('| ms (median, min–max) | ours | reference | reference / ours |\n|---|---:|---:|---:|\n');
  await compare('load phase: aws-cdk-lib + 4 jsii deps, from spawn', rounds, (r) => session(r, loads, 'spawn'));
  for (const mb of [20, 50]) {
    const line = JSON.stringify({ api: 'stats', pad: 'x'.repeat(mb * 1024 * 1024) });
    await compare(`one ${mb} MB request line`, mb === 50 ? 1 : rounds, (r) => session(r, [loadCalc, line], 'last'));
  }
}

void main();
