/**
 * `jsii-ring bench sweep|overlap|cdk --app FILE` and `--script FILE` on small programs
 * written into a fresh folder, as a maintainer runs them: the suites run, every run is
 * compared with a native run, the results files hold what was asked for, and bad input
 * gets a one-line error.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seriesOf } from '../benchmarks/xml.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');

/** A fresh folder whose node_modules holds the repository's aws-cdk-lib and constructs. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-bench-app-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const name of ['aws-cdk-lib', 'constructs']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  }
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

interface Run { status: number | null; stdout: string; stderr: string }

function bench(dir: string, args: string[]): Run {
  const child = spawnSync(process.execPath, [CLI, 'bench', ...args], { cwd: dir, encoding: 'utf8', timeout: 280_000, env: { ...process.env, CDK_CONTEXT_JSON: '{}' } });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A small ordinary CDK app: one stack, a bucket, a queue, an output; it calls app.synth() itself. */
const APP_TS = `
import * as cdk from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

class Small extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const bucket = new s3.Bucket(this, 'Data', { versioned: true });
    const queue = new sqs.Queue(this, 'Jobs', { visibilityTimeout: cdk.Duration.seconds(30) });
    new cdk.CfnOutput(this, 'Names', { value: \`\${bucket.bucketName}/\${queue.queueName}\` });
  }
}
const app = new cdk.App();
new Small(app, 'Small');
app.synth();
`;

/** The same kind of app in JavaScript, without an app.synth() of its own (the CDK synthesizes it at exit). */
const APP_JS = `
const cdk = require('aws-cdk-lib');
const sns = require('aws-cdk-lib/aws-sns');
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Topics');
for (let i = 0; i < 3; i++) new sns.Topic(stack, 'Topic' + i, { displayName: 'topic ' + i });
`;

/** A program on a jsii library that is not a CDK app: the library-level recipe. */
const SCRIPT_JS = `
const { RootConstruct, Construct } = require('constructs');
const root = new RootConstruct('root');
for (let i = 0; i < 20; i++) {
  const child = new Construct(root, 'c' + i);
  new Construct(child, 'leaf');
}
console.log(root.node.findAll().map((c) => c.node.path || '<root>').join('\\n'));
`;

test.serial('sweep --app: every cap asked for is measured, each run identical to native, chart drawn', (t) => {
  const dir = project({ 'app.ts': APP_TS });
  const run = bench(dir, ['sweep', '--app', 'app.ts', '--caps', 'unlimited,0,2', '--sweep-host-work', '0,30', '--repeats', '1']);
  t.is(run.status, 0, run.stderr);
  const result = JSON.parse(fs.readFileSync(path.join(dir, 'jsii-ring-bench', 'sweep.json'), 'utf8')) as {
    caps: string[]; identicalToNative: boolean; produced: string; kind: string; supportedCap: string;
    points: Record<string, Record<string, { n: number; median: number; min: number; max: number; syncRequests: number; pipelinedRequests: number }>>;
  };
  t.deepEqual(result.caps, ['0', '2', 'unlimited']);
  t.deepEqual(Object.keys(result.points), ['0', '30']);
  for (const hw of ['0', '30']) {
    t.deepEqual(Object.keys(result.points[hw] ?? {}), ['0', '2', 'unlimited']);
    for (const point of Object.values(result.points[hw] ?? {})) {
      t.is(point.n, 1);
      t.true(point.median > 0 && point.min <= point.median && point.median <= point.max);
    }
    // Cap 0 is sync: nothing pipelined; a cap of 2 pipelines the app's creates.
    t.is(result.points[hw]?.['0']?.pipelinedRequests, 0);
    t.true((result.points[hw]?.['2']?.pipelinedRequests ?? 0) > 0);
  }
  t.true(result.identicalToNative);
  t.is(result.kind, 'cdk');
  t.is(result.produced, '1 stack, 2 resources');
  t.true(['2', 'unlimited'].includes(result.supportedCap));
  // The chart: one line per host-work setting over the caps asked for.
  const series = seriesOf(fs.readFileSync(path.join(dir, 'jsii-ring-bench', 'charts', 'sweep.svg'), 'utf8'));
  t.deepEqual([...series.keys()], ['host work 0 µs/call', 'host work 30 µs/call']);
  t.deepEqual(series.get('host work 0 µs/call')?.map((p) => p.x), ['0', '2', '∞']);
  t.deepEqual(series.get('host work 0 µs/call')?.map((p) => p.value), ['0', '2', 'unlimited'].map((c) => result.points['0']?.[c]?.median));
  // The Markdown report on stdout, progress on stderr.
  t.regex(run.stdout, /### Pending-cap sweep/);
  t.regex(run.stdout, /\| unlimited \| [\d,]+ \(/);
  t.regex(run.stdout, /byte-identical to the native run .*\*\*yes\*\*/);
  t.regex(run.stdout, /^Command: `jsii-ring bench sweep --app app\.ts [^`]*` · Node/m);
  t.regex(run.stderr, /^\[sweep\] 1\/6 0:0 \(round 1\/1\)/m);
  t.notRegex(run.stdout, /^\[sweep\]/m);
  // The chart is reproducible from the results file alone.
  const chart = path.join(dir, 'jsii-ring-bench', 'charts', 'sweep.svg');
  const drawn = fs.readFileSync(chart, 'utf8');
  fs.rmSync(chart);
  const redraw = bench(dir, ['charts', '--out', 'jsii-ring-bench']);
  t.is(redraw.status, 0, redraw.stderr);
  t.is(fs.readFileSync(chart, 'utf8'), drawn);
  t.regex(redraw.stderr, /^Redrew jsii-ring-bench\/charts\/sweep\.svg\.$/m);
});

test('bench charts with no results files to draw from is a usage error', (t) => {
  const dir = project({});
  const run = bench(dir, ['charts', '--out', 'nothing-here']);
  t.is(run.status, 2);
  t.regex(run.stderr, /^jsii-ring: no results files to draw charts from in .*nothing-here$/m);
});

test.serial('cdk --app: the modes asked for and native, each identical to native, with the split of the ring modes', (t) => {
  const dir = project({ 'app.js': APP_JS });
  const out = path.join(dir, 'figures');
  const run = bench(dir, ['cdk', '--app', 'app.js', '--modes', 'inThread,ringSync,ringPipelined', '--validation', 'off', '--repeats', '1', '--warmups', '0', '--out', out]);
  t.is(run.status, 0, run.stderr);
  const result = JSON.parse(fs.readFileSync(path.join(out, 'cdk.json'), 'utf8')) as {
    identicalToNative: boolean; produced: string; modeList: string[];
    modes: Record<string, { buildMs: { median: number }; totalMs: { median: number }; build: { pipelinedRequests: number; syncRequests: number; kernelBusyMs: number | null }; kernelShare: { build: number | null }; split?: Record<string, number> }>;
  };
  t.deepEqual(result.modeList, ['native', 'inThread', 'ringSync', 'ringPipelined']);
  t.deepEqual(Object.keys(result.modes).sort(), ['inThread:off', 'native:off', 'ringPipelined:off', 'ringSync:off']);
  t.true(result.identicalToNative);
  t.is(result.produced, '1 stack, 3 resources');
  t.is(result.modes['ringSync:off']?.build.pipelinedRequests, 0);
  t.true((result.modes['ringPipelined:off']?.build.pipelinedRequests ?? 0) > 0);
  for (const mode of ['ringSync', 'ringPipelined']) {
    const split = result.modes[`${mode}:off`]?.split;
    t.truthy(split, mode);
    const sum = Object.values(split ?? {}).reduce((a, b) => a + b, 0);
    t.true(Math.abs(sum - 1) < 0.01, `${mode}: shares sum to ${sum}`);
  }
  const svg = fs.readFileSync(path.join(out, 'charts', 'time-by-mode.svg'), 'utf8');
  const categories = new Set([...seriesOf(svg).values()].flat().map((p) => p.x));
  t.deepEqual([...categories].sort(), ['inThread', 'native', 'ringPipelined', 'ringSync']);
  t.regex(run.stdout, /## app\.js: modes compared/);
  t.regex(run.stdout, /our kernel over the ring, pipelined \| [\d,]+ \(/);
  // In the host thread the kernel's own time is measured too: the share of the build a worker cannot overlap.
  const inThread = result.modes['inThread:off'];
  const share = inThread?.kernelShare.build ?? -1;
  t.true(share > 0 && share <= 1, `in-thread kernel share ${share}`);
  t.true((inThread?.build.kernelBusyMs ?? 0) > 0);
  t.true((inThread?.build.syncRequests ?? 0) > 0, 'in the host thread every request is sync');
  t.is(result.modes['native:off']?.kernelShare.build, null);
  t.regex(run.stdout, /The least a worker could take \(validation off\): in the host thread the kernel was busy [\d.]+ % of the build phase/);
});

test.serial('overlap --app: sync and pipelined at each host-work setting and at equal work', (t) => {
  const dir = project({ 'app.ts': APP_TS });
  const run = bench(dir, ['overlap', '--app', 'app.ts', '--host-work', '40', '--repeats', '1']);
  t.is(run.status, 0, run.stderr);
  const result = JSON.parse(fs.readFileSync(path.join(dir, 'jsii-ring-bench', 'overlap.json'), 'utf8')) as {
    settings: Record<string, { syncMs: number; pipelinedMs: number; speedup: number; requests: number }>; equalWork: { hostWorkUs: number; speedup: number }; kernelUsPerCall: number;
  };
  t.deepEqual(Object.keys(result.settings), ['0', '40']);
  for (const s of Object.values(result.settings)) {
    t.true(s.syncMs > 0 && s.pipelinedMs > 0 && s.requests > 0);
    // The speed-up is taken from the unrounded medians, the ms figures are rounded to 0.1:
    // it lies within what the rounded figures allow (and is itself rounded to 0.01).
    const low = (s.syncMs - 0.05) / (s.pipelinedMs + 0.05);
    const high = (s.syncMs + 0.05) / Math.max(1e-9, s.pipelinedMs - 0.05);
    t.true(s.speedup >= low - 0.005 && s.speedup <= high + 0.005, JSON.stringify(s));
  }
  t.true(result.kernelUsPerCall > 0);
  // Equal work: the kernel's mean time per call, rounded to a whole µs (from the unrounded
  // mean; the file keeps it to 0.1 µs).
  t.true(Number.isInteger(result.equalWork.hostWorkUs) && result.equalWork.hostWorkUs >= 1);
  t.true(Math.abs(result.equalWork.hostWorkUs - Math.max(1, result.kernelUsPerCall)) <= 0.55, JSON.stringify(result.equalWork));
  t.regex(run.stderr, /\[overlap\] mean kernel time per call/);
});

test.serial('sweep --script: the library-level recipe on a program that is not a CDK app, its output compared with native', (t) => {
  const dir = project({ 'tree.js': SCRIPT_JS });
  const run = bench(dir, ['sweep', '--script', 'tree.js', '--caps', '0,64', '--sweep-host-work', '0', '--repeats', '1']);
  t.is(run.status, 0, run.stderr);
  const result = JSON.parse(fs.readFileSync(path.join(dir, 'jsii-ring-bench', 'sweep.json'), 'utf8')) as { kind: string; produced: string; identicalToNative: boolean; points: Record<string, Record<string, { pipelinedRequests: number }>> };
  t.is(result.kind, 'script');
  t.is(result.produced, '41 lines of output');
  t.true(result.identicalToNative);
  t.true((result.points['0']?.['64']?.pipelinedRequests ?? 0) >= 40);
  // The program's own output is shown on stderr, not mixed into the report.
  t.regex(run.stderr, /^root\/c19\/leaf$/m);
  t.notRegex(run.stdout, /c19\/leaf/);
});

test.serial('a program whose output differs from the native run fails the bench, after writing its results', (t) => {
  const dir = project({ 'random.js': `${SCRIPT_JS}\nconsole.log(Math.random());\n` });
  const run = bench(dir, ['sweep', '--script', 'random.js', '--caps', '8', '--sweep-host-work', '0', '--repeats', '1']);
  t.is(run.status, 1);
  t.regex(run.stderr, /^jsii-ring: 1 of 1 runs produced output that differs from the native run: pending cap 8, host work 0 µs: the program printed something else than natively \(line 42/m);
  const result = JSON.parse(fs.readFileSync(path.join(dir, 'jsii-ring-bench', 'sweep.json'), 'utf8')) as { identicalToNative: boolean };
  t.false(result.identicalToNative);
});

test.serial('an app that writes no cloud assembly is not a CDK app: one line, exit 1', (t) => {
  const dir = project({ 'plain.js': SCRIPT_JS });
  const run = bench(dir, ['sweep', '--app', 'plain.js', '--caps', '0', '--repeats', '1']);
  t.is(run.status, 1);
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('jsii-ring:'));
  t.is(lines.length, 1, run.stderr);
  t.regex(lines[0] ?? '', /^jsii-ring: the native run of plain\.js failed: .*plain\.js is not a CDK app: it finished without writing a cloud assembly .*use --script\)$/);
  t.notRegex(run.stderr, /^\s+at /m);
});

test.serial('an app that leaves synth to the CDK at exit cannot run over stdio: named modes fail, saying how to fix it', (t) => {
  const dir = project({ 'app.js': APP_JS });
  const run = bench(dir, ['cdk', '--app', 'app.js', '--modes', 'reference,ringPipelined', '--validation', 'off', '--repeats', '1']);
  t.is(run.status, 1);
  t.regex(run.stderr, /^jsii-ring: app\.js leaves synth to the CDK at exit \(no app\.synth\(\) call\), which a kernel over stdio cannot run: add app\.synth\(\) to the app, or leave reference out of --modes$/m);
});

test.serial('a program that reaches no jsii package fails in a kernel mode, naming why', (t) => {
  const dir = project({ 'nothing.js': 'console.log("no jsii here");\n' });
  const run = bench(dir, ['sweep', '--script', 'nothing.js', '--caps', '4', '--sweep-host-work', '0', '--repeats', '1']);
  t.is(run.status, 1);
  t.regex(run.stderr, /^jsii-ring: the ringPipelined, pending cap 4 run of nothing\.js failed: the app made no calls into the kernel.* \[ERR_NO_KERNEL_CALLS\]$/m);
});

for (const [name, args, message] of [
  ['a missing app file', ['sweep', '--app', 'nope.ts'], /^jsii-ring: --app nope\.ts: no such file$/],
  ['a folder as the app', ['sweep', '--app', '.'], /^jsii-ring: --app \.: not a file$/],
  ['an ES module app', ['sweep', '--app', 'app.mjs'], /^jsii-ring: --app app\.mjs: not a program the bench can run/],
  ['--pending-cap -1', ['cdk', '--app', 'app.ts', '--pending-cap', '-1'], /^jsii-ring: --pending-cap needs a value; for one that starts with '-', write --pending-cap=<value>$/],
  ['--pending-cap=-1', ['cdk', '--app', 'app.ts', '--pending-cap=-1'], /^jsii-ring: --pending-cap must be a non-negative integer or 'unlimited' \(got "-1"\)$/],
  ['a bad cap list', ['sweep', '--app', 'app.ts', '--caps', '0,x'], /^jsii-ring: --caps must be a comma-separated list of non-negative integers or 'unlimited' \(got "0,x"\)$/],
  ['a cap named twice', ['sweep', '--app', 'app.ts', '--caps', '4,4'], /^jsii-ring: --caps names a cap twice/],
  ['an unknown mode', ['cdk', '--app', 'app.ts', '--modes', 'ringPipelined,warp'], /^jsii-ring: --modes takes a comma-separated list of native, reference/],
  ['a bad validation setting', ['cdk', '--app', 'app.ts', '--validation', 'sometimes'], /^jsii-ring: --validation must be off, on or both \(got "sometimes"\)$/],
  ['a suite that needs the example app', ['micro', '--app', 'app.ts'], /^jsii-ring: suite 'micro' does not run with --app \(it runs with: sweep, overlap, cdk\)$/],
  ['--app and --script together', ['sweep', '--app', 'app.ts', '--script', 'app.ts'], /^jsii-ring: give --app or --script, not both$/],
  ['--modes without an app', ['cdk', '--modes', 'native'], /^jsii-ring: --modes applies to --app or --script runs$/],
] as const) {
  test(`usage error, one line and a pointer to --help: ${name}`, (t) => {
    const dir = project({ 'app.ts': APP_TS, 'app.mjs': 'export {};\n' });
    const run = bench(dir, [...args]);
    t.is(run.status, 2, run.stderr);
    const lines = run.stderr.trim().split('\n');
    t.is(lines.length, 2, run.stderr);
    t.regex(lines[0] ?? '', message);
    t.is(lines[1], "Run 'jsii-ring bench --help' for the options.");
    t.is(run.stdout, '');
    // Nothing ran: no results folder.
    t.false(fs.existsSync(path.join(dir, 'jsii-ring-bench')));
  });
}

test('bench --help documents the --app suites and their options', (t) => {
  const run = spawnSync(process.execPath, [CLI, 'bench', '--help'], { encoding: 'utf8' });
  t.is(run.status, 0);
  for (const option of ['--app FILE', '--script FILE', '--caps LIST', '--pending-cap N', '--modes LIST', '--validation V', '--warmups N', 'jsii-ring bench charts']) {
    t.true(run.stdout.includes(option), option);
  }
  // Every line fits a terminal.
  t.deepEqual(run.stdout.split('\n').filter((line) => line.length > 92), []);
});
