/**
 * The corpus study: every app of examples/corpus, unchanged, run the plain way (ts-node)
 * and by `jsii-ring synth` natively, with the kernel in the host thread, and through the
 * worker (pipelined and sync); every cloud assembly compared file by file with the plain
 * run; times as medians over interleaved rounds (each run a fresh process).
 *
 *   node dist/benchmarks/corpus/run.js [--rounds N] [--apps a,b] [--prelaunch-study] [--preload-study] [--out results/corpus.json]
 *
 * --prelaunch-study adds a timed variant: the worker pipelined with the early start of the
 * kernel worker turned off (JSII_RING_PRELAUNCH=0), reported with process wall times.
 * --preload-study adds one with type preloading turned off (JSII_RING_PRELOAD=0). Each app's
 * untimed sync run comes first, so every timed run through the worker finds the list of
 * classes an earlier run of the app left (what a second `cdk synth` finds).
 *
 * Writes benchmarks/results/corpus.json and prints the markdown section for RESULTS.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { compareCloudAssemblies } from '../../lib/cloud-assembly.js';
import { loadCorpus, REPO_ROOT, runOurs, runPlain } from './corpus.js';
import type { AppRun, CorpusApp } from './corpus.js';

type Variant = 'plain' | 'native' | 'inThread' | 'pipelined' | 'sync' | 'late' | 'noPreload';
const TIMED: readonly Variant[] = ['native', 'inThread', 'pipelined'];

interface AppFigures {
  readonly name: string;
  readonly resources: number;
  readonly kernelCalls: number;
  readonly callbacks: number;
  readonly identical: Record<string, boolean>;
  readonly differences: string[];
  /** Medians per timed variant, ms. */
  readonly totalMs: Record<string, number>;
  readonly buildMs: Record<string, number>;
  /** Medians of the process wall time (spawn to exit), ms. */
  readonly processMs: Record<string, number>;
  readonly plainWallMs: number;
  /**
   * Median share of the in-thread run's total that the kernel was busy (start, build and
   * synth; callbacks included): a worker's total cannot fall below that much of it.
   */
  readonly inThreadKernelShare: number;
  /** Medians of the pipelined runs' type preloading: classes listed, loaded ahead, ms. */
  readonly preload: { readonly listed: number; readonly preloaded: number; readonly ms: number };
}

/** The small-app target of the corpus: variant `v`'s total within native + 100 ms, or 1.15× native. */
function withinTarget(a: AppFigures, v: string): boolean {
  const native = a.totalMs['native']!;
  return a.totalMs[v]! <= Math.max(native + 100, 1.15 * native);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function runVariant(app: CorpusApp, variant: Variant, outdir: string): AppRun {
  const env = { CDK_VALIDATION: 'false' };
  switch (variant) {
    case 'plain': return runPlain(app, outdir, env);
    case 'native': return runOurs(app, 'native', outdir, env);
    case 'pipelined': return runOurs(app, 'pipelined', outdir, env);
    case 'sync': return runOurs(app, 'sync', outdir, env);
    case 'inThread': return runOursInThread(app, outdir, env);
    case 'late': return runOurs(app, 'pipelined', outdir, { ...env, JSII_RING_PRELAUNCH: '0' });
    case 'noPreload': return runOurs(app, 'pipelined', outdir, { ...env, JSII_RING_PRELOAD: '0' });
  }
}

function runOursInThread(app: CorpusApp, outdir: string, env: Record<string, string>): AppRun {
  return runOurs(app, 'sync', outdir, env, ['--transport', 'in-thread']);
}

const USAGE = 'usage: node dist/benchmarks/corpus/run.js [--rounds N] [--apps a,b] [--prelaunch-study] [--preload-study] [--out FILE]';

/** A bad command line: what is wrong and the usage on stderr, exit code 2. */
function usageError(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let values: { rounds?: string; apps?: string; out?: string; help?: boolean; 'prelaunch-study'?: boolean; 'preload-study'?: boolean };
  try {
    ({ values } = parseArgs({ options: { rounds: { type: 'string' }, apps: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, 'prelaunch-study': { type: 'boolean' }, 'preload-study': { type: 'boolean' } } }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const timed: readonly Variant[] = [...TIMED, ...(values['prelaunch-study'] === true ? ['late' as const] : []), ...(values['preload-study'] === true ? ['noPreload' as const] : [])];
  const rounds = values.rounds !== undefined ? Number(values.rounds) : 3;
  if (!Number.isSafeInteger(rounds) || rounds < 1) usageError(`--rounds must be a positive integer, not '${values.rounds}'`);
  const only = values.apps?.split(',');
  const corpus = loadCorpus();
  const unknown = only?.filter((name) => !corpus.some((a) => a.name === name)) ?? [];
  if (unknown.length > 0) usageError(`no such app in examples/corpus: ${unknown.join(', ')}`);
  const apps = corpus.filter((a) => only === undefined || only.includes(a.name));
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-corpus-bench-'));
  const loadBefore = os.loadavg()[0]!;
  const started = Date.now();
  const figures: AppFigures[] = [];
  try {
    for (const [i, app] of apps.entries()) {
      process.stderr.write(`corpus: ${i + 1}/${apps.length} ${app.name}\n`);
      const plainOut = path.join(base, `${app.name}-plain`);
      const plain = runVariant(app, 'plain', plainOut);
      if (!plain.ok) throw new Error(`${app.name}: the plain run failed:\n${plain.stderr}`);
      const identical: Record<string, boolean> = {};
      const differences: string[] = [];
      const check = (variant: Variant, run: AppRun, out: string): void => {
        if (!run.ok) throw new Error(`${app.name} ${variant} failed:\n${run.stderr}`);
        const c = compareCloudAssemblies(plainOut, out);
        identical[variant] = (identical[variant] ?? true) && c.identical;
        differences.push(...c.differences.map((d) => `${variant}: ${d}`));
      };
      const sync = runVariant(app, 'sync', path.join(base, `${app.name}-sync`));
      check('sync', sync, path.join(base, `${app.name}-sync`));
      const samples = new Map<Variant, AppRun[]>(timed.map((v) => [v, []]));
      for (let r = 0; r < rounds; r++) {
        // Alternate the order round by round so no variant always runs first.
        const order = r % 2 === 0 ? timed : [...timed].reverse();
        for (const variant of order) {
          const out = path.join(base, `${app.name}-${variant}`);
          const run = runVariant(app, variant, out);
          check(variant, run, out);
          samples.get(variant)!.push(run);
        }
      }
      const pipelined = samples.get('pipelined')![0]!.report!;
      const med = (v: Variant, f: (run: AppRun) => number): number => median(samples.get(v)!.map(f));
      figures.push({
        name: app.name,
        resources: pipelined.resources,
        kernelCalls: (pipelined.calls?.syncPoints ?? 0) + (pipelined.calls?.pipelinedTotal ?? 0),
        callbacks: pipelined.calls?.callbacks ?? 0,
        identical,
        differences: differences.slice(0, 5),
        totalMs: Object.fromEntries(timed.map((v) => [v, med(v, (run) => run.report!.timings.totalMs)])),
        buildMs: Object.fromEntries(timed.map((v) => [v, med(v, (run) => run.report!.timings.buildMs)])),
        processMs: Object.fromEntries(timed.map((v) => [v, med(v, (run) => run.wallMs)])),
        plainWallMs: plain.wallMs,
        inThreadKernelShare: med('inThread', (run) => (run.report!.kernel?.ms ?? NaN) / run.report!.timings.totalMs),
        preload: {
          listed: med('pipelined', (run) => run.report!.preload?.listed ?? 0),
          preloaded: med('pipelined', (run) => run.report!.preload?.preloaded ?? 0),
          ms: med('pipelined', (run) => run.report!.preload?.ms ?? 0),
        },
      });
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const result = {
    command: `node dist/benchmarks/corpus/run.js --rounds ${rounds}${values.apps !== undefined ? ` --apps ${values.apps}` : ''}${values['prelaunch-study'] === true ? ' --prelaunch-study' : ''}${values['preload-study'] === true ? ' --preload-study' : ''}`,
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} vCPUs`,
    loadAverage: [loadBefore, os.loadavg()[0] ?? NaN],
    minutes: (Date.now() - started) / 60_000,
    rounds,
    apps: figures,
  };
  const out = values.out ?? path.join(REPO_ROOT, 'benchmarks', 'results', 'corpus.json');
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(markdown(result));
}

function markdown(result: { command: string; node: string; cpu: string; loadAverage: number[]; rounds: number; apps: AppFigures[] }): string {
  const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const ms = (n: number): string => Math.round(n).toLocaleString('en-US');
  const rows = result.apps.map((a) => {
    const same = ['pipelined', 'sync', 'native', 'inThread'].every((v) => a.identical[v] === true) ? 'yes' : `NO (${Object.entries(a.identical).filter(([, ok]) => !ok).map(([v]) => v).join(', ')})`;
    return `| ${a.name} | ${a.resources} | ${a.kernelCalls.toLocaleString('en-US')} | ${same} | ${ms(a.totalMs['native']!)} | ${ms(a.totalMs['inThread']!)} | ${ms(a.totalMs['pipelined']!)} | ${f(a.buildMs['pipelined']! / a.buildMs['native']!)}× | ${f(a.totalMs['pipelined']! / a.totalMs['native']!)}× | ${f(a.totalMs['pipelined']! / a.totalMs['inThread']!)}× | ${f(a.inThreadKernelShare)}× | ${withinTarget(a, 'pipelined') ? 'yes' : 'no'} |`;
  });
  const allSame = result.apps.every((a) => Object.values(a.identical).every(Boolean));
  const medRatio = (g: (a: AppFigures) => number): string => f(median(result.apps.map(g)));
  return [
    '## Real apps, unchanged (the corpus)',
    '',
    `Command: \`${result.command}\` · Node ${result.node} · ${result.cpu} · load average ${result.loadAverage.map((l) => l.toFixed(2)).join(' → ')}. ` +
      `Every app of examples/corpus run unchanged: plain \`ts-node --transpile-only\` (the reference output), then \`jsii-ring synth\` natively, with the kernel in the host thread (\`--transport in-thread\`), through the worker pipelined and sync; each a fresh process, CDK_VALIDATION=false, the app's cdk.json context as CDK_CONTEXT_JSON. ` +
      `Times are medians of ${result.rounds} interleaved rounds of \`jsii-ring synth\`'s own clock (start + build + synth, the process's start-up excluded), ms.`,
    '',
    '| app | resources | kernel calls | identical to the plain run | native | in-thread kernel | worker, pipelined | build / native | total / native | total / in-thread | least a worker could take / in-thread | total ≤ native + 100 ms or 1.15× |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
    `Every file of every cloud assembly byte-identical to the plain run, in every mode: **${allSame ? 'yes' : 'no'}** (stack traces aside: they name the frames of whatever ran the app). ` +
      `Medians over the apps: total / native ${medRatio((a) => a.totalMs['pipelined']! / a.totalMs['native']!)}×, total / in-thread ${medRatio((a) => a.totalMs['pipelined']! / a.totalMs['inThread']!)}×, build / native ${medRatio((a) => a.buildMs['pipelined']! / a.buildMs['native']!)}×. ` +
      `"Least a worker could take" is the in-thread run's kernel busy time (every phase, callbacks included) over its total: the part no worker can run beside the host's own work, so the least a worker's total could be, as a share of the in-thread one, with every crossing and start-up cost free (median ${medRatio((a) => a.inThreadKernelShare)}×). Raw figures: [\`results/corpus.json\`](results/corpus.json).`,
    `Process wall time (spawn to exit, what a \`cdk synth\` waits for), medians over the apps: native ${ms(median(result.apps.map((a) => a.processMs['native']!)))} ms, in-thread kernel ${ms(median(result.apps.map((a) => a.processMs['inThread']!)))} ms, worker pipelined ${ms(median(result.apps.map((a) => a.processMs['pipelined']!)))} ms.`,
    '',
    ...prelaunchSection(result.apps, f, ms),
    ...preloadSection(result.apps, f, ms),
  ].join('\n');
}

/** With --prelaunch-study: the worker started before the CLI loads vs when the synth command starts it. */
function prelaunchSection(apps: readonly AppFigures[], f: (n: number, digits?: number) => string, ms: (n: number) => string): string[] {
  if (!apps.every((a) => a.processMs['late'] !== undefined)) return [];
  const rows = apps.map((a) => `| ${a.name} | ${ms(a.processMs['native']!)} | ${ms(a.processMs['late']!)} | ${ms(a.processMs['pipelined']!)} | ${f(a.processMs['pipelined']! / a.processMs['late']!)}× | ${ms(a.totalMs['late']!)} | ${ms(a.totalMs['pipelined']!)} |`);
  const med = (g: (a: AppFigures) => number): number => median(apps.map(g));
  return [
    '### Starting the kernel worker before the CLI loads',
    '',
    '`jsii-ring synth` starts the kernel worker before loading its own modules (lib/cli/prelaunch.ts); `JSII_RING_PRELAUNCH=0` starts it where the synth command used to, after them. Same apps, same rounds, interleaved with the runs above; process wall time (spawn to exit) and the synth command\'s own total, medians, ms:',
    '',
    '| app | native, process | worker started by the synth command, process | worker started first (default), process | first / by the command | synth total, started by the command | synth total, started first |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Medians over the apps: process ${ms(med((a) => a.processMs['late']!))} → ${ms(med((a) => a.processMs['pipelined']!))} ms (${f(med((a) => a.processMs['pipelined']! / a.processMs['late']!))}×; native ${ms(med((a) => a.processMs['native']!))} ms); the synth command's total ${ms(med((a) => a.totalMs['late']!))} → ${ms(med((a) => a.totalMs['pipelined']!))} ms.`,
    '',
  ];
}

/** With --preload-study: the classes of the app's last run loaded ahead while the kernel is idle, vs not. */
function preloadSection(apps: readonly AppFigures[], f: (n: number, digits?: number) => string, ms: (n: number) => string): string[] {
  if (!apps.every((a) => a.processMs['noPreload'] !== undefined)) return [];
  const rows = apps.map((a) => `| ${a.name} | ${ms(a.processMs['native']!)} | ${ms(a.processMs['noPreload']!)} | ${ms(a.processMs['pipelined']!)} | ${f(a.processMs['pipelined']! / a.processMs['noPreload']!)}× | ${ms(a.totalMs['noPreload']!)} | ${ms(a.totalMs['pipelined']!)} | ${f(a.totalMs['pipelined']! / a.totalMs['noPreload']!)}× | ${a.preload.preloaded} of ${a.preload.listed} (${ms(a.preload.ms)} ms) | ${withinTarget(a, 'noPreload') ? 'yes' : 'no'} → ${withinTarget(a, 'pipelined') ? 'yes' : 'no'} |`);
  const med = (g: (a: AppFigures) => number): number => median(apps.map(g));
  const within = (v: string): number => apps.filter((a) => withinTarget(a, v)).length;
  return [
    '### Loading the app\'s classes while the kernel is idle (type preloading)',
    '',
    '`jsii-ring synth` keeps, per app, the classes its last run used (lib/host/type-preload.ts), and the kernel worker loads their modules while it has no request to serve (lib/worker/type-preloader.ts); `JSII_RING_PRELOAD=0` turns that off. Same apps, same rounds, interleaved with the runs above, the worker pipelined either way; process wall time (spawn to exit), the synth command\'s own total, and the classes loaded ahead (medians), ms:',
    '',
    '| app | native, process | no preloading, process | preloading (default), process | preloading / none, process | synth total, no preloading | synth total, preloading | preloading / none, synth total | classes loaded ahead of the listed | total ≤ native + 100 ms or 1.15×: none → preloading |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
    `Medians over the apps: process ${ms(med((a) => a.processMs['noPreload']!))} → ${ms(med((a) => a.processMs['pipelined']!))} ms (${f(med((a) => a.processMs['pipelined']! / a.processMs['noPreload']!))}×; native ${ms(med((a) => a.processMs['native']!))} ms); the synth command's total ${ms(med((a) => a.totalMs['noPreload']!))} → ${ms(med((a) => a.totalMs['pipelined']!))} ms (${f(med((a) => a.totalMs['pipelined']! / a.totalMs['noPreload']!))}×); total / native ${f(med((a) => a.totalMs['noPreload']! / a.totalMs['native']!))}× → ${f(med((a) => a.totalMs['pipelined']! / a.totalMs['native']!))}×; apps within native + 100 ms or 1.15×: ${within('noPreload')} → ${within('pipelined')} of ${apps.length}.`,
    '',
  ];
}

main();
