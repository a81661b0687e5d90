/**
 * Question: how long does opening `aws-cdk-lib` and its jsii dependencies take, and how
 * much heap does it hold, through our on-disk index (cold: index built now; warm: index
 * already in the cache) versus a full `@jsii/spec` parse (the rival)?
 *
 * Each sample is a fresh `node --expose-gc` process (see `child.ts`); modes are
 * interleaved round by round so drifting machine load hits them alike; figures are medians.
 *
 *   node dist/benchmarks/load/assembly-load.js [--rounds N]
 *
 * Writes benchmarks/results/load.json and the "## Assembly loading" section of
 * benchmarks/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoadSample } from './child.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RESULTS_DIR = path.join(ROOT, 'benchmarks', 'results');
const RESULTS_MD = path.join(ROOT, 'benchmarks', 'RESULTS.md');
const SECTION = '## Assembly loading';
const CHILD = path.join(__dirname, 'child.js');
const MODES = ['cold', 'warm', 'full'] as const;
type Mode = (typeof MODES)[number];
const MB = 1024 * 1024;

function runChild(args: string[]): LoadSample {
  const out = execFileSync(process.execPath, ['--expose-gc', CHILD, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as LoadSample;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function main(): void {
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg === -1 ? 5 : Number(process.argv[roundsArg + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError('--rounds must be a positive integer');
  }
  const loadBefore = os.loadavg()[0] ?? 0;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-load-bench-'));
  try {
    const warmCache = path.join(scratch, 'warm');
    runChild(['index', warmCache]); // prepares the warm cache; not measured
    const samples: Record<Mode, LoadSample[]> = { cold: [], warm: [], full: [] };
    for (let round = 0; round < rounds; round++) {
      for (const mode of MODES) {
        const args = mode === 'full' ? ['full'] : ['index', mode === 'warm' ? warmCache : path.join(scratch, `cold-${round}`)];
        const sample = runChild(args);
        const expected = mode === 'cold' ? 'built' : 'hit';
        if (mode !== 'full' && sample.assemblies.some((a) => a.origin !== expected)) {
          throw new Error(`${mode} run opened indexes as ${JSON.stringify(sample.assemblies)}`);
        }
        samples[mode].push(sample);
        process.stderr.write(`round ${round + 1}/${rounds} ${mode}: open ${sample.openMs.toFixed(1)} ms\n`);
      }
    }
    report(samples, rounds, [loadBefore, os.loadavg()[0] ?? 0]);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function report(samples: Record<Mode, LoadSample[]>, rounds: number, loadAverage: [number, number]): void {
  const summary = Object.fromEntries(
    MODES.map((mode) => {
      const list = samples[mode];
      return [
        mode,
        {
          openMs: median(list.map((s) => s.openMs)),
          requireMs: median(list.map((s) => s.requireMs)),
          openHeapMB: median(list.map((s) => s.openHeapBytes)) / MB,
          useMs: median(list.map((s) => s.useMs)),
          usedHeapMB: median(list.map((s) => s.usedHeapBytes)) / MB,
          samplesOpenMs: list.map((s) => Number(s.openMs.toFixed(1))),
        },
      ];
    }),
  ) as unknown as Record<Mode, { openMs: number; requireMs: number; openHeapMB: number; useMs: number; usedHeapMB: number }>;
  const assemblies = samples.warm[0]?.assemblies.map((a) => ({ name: a.name, types: a.types })) ?? [];
  const machine = { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, platform: `${os.platform()} ${os.arch()}`, loadAverage };
  const command = `node dist/benchmarks/load/assembly-load.js --rounds ${rounds}`;

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'load.json'),
    `${JSON.stringify({ question: 'open aws-cdk-lib + jsii deps: index (cold/warm) vs full @jsii/spec parse', command, date: new Date().toISOString(), machine, rounds, assemblies, summary }, null, 2)}\n`,
  );

  const f = (n: number): string => n.toFixed(1);
  const row = (label: string, s: (typeof summary)[Mode]): string =>
    `| ${label} | ${f(s.openMs)} | ${f(s.openHeapMB)} | ${f(s.useMs)} | ${f(s.usedHeapMB)} | ${f(s.requireMs)} |`;
  const totalTypes = assemblies.reduce((n, a) => n + a.types, 0);
  const section = [
    SECTION,
    '',
    `Opening \`aws-cdk-lib\` and its jsii dependencies (${assemblies.map((a) => a.name).join(', ')}; ${totalTypes} types), each run in a fresh \`node --expose-gc\` process, ${rounds} rounds interleaved, medians.`,
    '"Open" finds the dependency closure and opens every assembly; "use" then reads `aws-cdk-lib`\'s submodules and 1,000 seeded random types. Heap is `heapUsed` after `gc()`, from a baseline taken after the loading code was required.',
    '',
    '| mode | open (ms) | heap after open (MB) | use (ms) | heap after use (MB) | require code (ms) |',
    '|---|---|---|---|---|---|',
    row('index, warm (cache holds the index)', summary.warm),
    row('index, cold (empty cache: gunzip, scan, write)', summary.cold),
    row('full parse (`@jsii/spec` `loadAssemblyFromPath`, no validation)', summary.full),
    '',
    `Warm open is ${f(summary.full.openMs / summary.warm.openMs)}× faster than a full parse and holds ${f(summary.full.openHeapMB / Math.max(summary.warm.openHeapMB, 0.1))}× less heap. Targets: warm ≤ 150 ms and ≤ 80 MB, cold ≤ 3 s.`,
    '',
    `Command: \`${command}\` (after \`npx tsc -p tsconfig.json\`). Node ${machine.node}, ${machine.cpu} (${machine.cpus} CPUs), ${machine.platform}, 1-min load average ${f(loadAverage[0])} before / ${f(loadAverage[1])} after (other work shared the machine), ${new Date().toISOString().slice(0, 10)}. Raw figures: \`benchmarks/results/load.json\`.`,
    '',
  ].join('\n');
  writeSection(section);
  process.stdout.write(`${section}\n`);
}

/** Replaces our section of RESULTS.md (up to the next `## ` heading), leaving the others alone. */
function writeSection(section: string): void {
  let text = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '# jsii-ring benchmark results\n\n';
  const start = text.indexOf(`${SECTION}\n`);
  if (start === -1) {
    text = `${text.replace(/\n*$/, '\n\n')}${section}`;
  } else {
    const next = text.indexOf('\n## ', start + SECTION.length);
    text = `${text.slice(0, start)}${section}${next === -1 ? '' : `\n${text.slice(next + 1)}`}`;
  }
  fs.writeFileSync(RESULTS_MD, text.replace(/\n*$/, '\n'));
}

main();
