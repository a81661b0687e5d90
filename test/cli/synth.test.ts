/**
 * The CLI as a user runs it: a fresh directory with a cdk.json and an app file,
 * `npx jsii-ring synth`, output files, exit codes, help, and failures.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');

/** A fresh project directory where `npx jsii-ring` finds this package. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cli-'));
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'jsii-ring'), 'dir');
  fs.chmodSync(CLI, 0o755);
  fs.symlinkSync(path.join('..', 'jsii-ring', 'dist', 'lib', 'cli', 'main.js'), path.join(dir, 'node_modules', '.bin', 'jsii-ring'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function npx(dir: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npx', ['--no-install', 'jsii-ring', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDK_VALIDATION: 'false', ...env },
    timeout: 240_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const APP_TS = `
import { load } from 'jsii-ring';
const cdk = load('aws-cdk-lib');
const app = new cdk.App({ analyticsReporting: false });
class Storage extends cdk.Stack {
  constructor(scope: unknown, id: string) {
    super(scope, id);
    const bucket = new cdk.aws_s3.Bucket(this, 'Data', { encryption: cdk.aws_s3.BucketEncryption.S3_MANAGED, versioned: true });
    new cdk.CfnOutput(this, 'BucketName', { value: bucket.bucketName });
  }
}
new Storage(app, 'StorageStack');
app.synth();
`;

test('synth in a fresh project: cdk.json app, output files, summary, identical to native', async (t) => {
  const dir = project({ 'app.ts': APP_TS, 'cdk.json': JSON.stringify({ app: 'npx jsii-ring synth app.ts' }) });
  const result = npx(dir, ['synth', 'app.ts', '--compare', 'native']);
  t.is(result.status, 0, result.stderr);
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'StorageStack.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
  t.true(Object.values(template.Resources).some((r) => r.Type === 'AWS::S3::Bucket'));
  t.regex(result.stderr, /1 stacks, \d+ resources/);
  t.regex(result.stderr, /pipelined/);
  t.regex(result.stderr, /byte-identical to the native run/);
  // Progress on stderr names each long step (plain lines: stderr is not a terminal here).
  t.regex(result.stderr, /^jsii-ring: running the app \([\d.]+ s\)$/m);
  t.regex(result.stderr, /^jsii-ring: [\d,]+ kernel calls; synthesizing \(the kernel writes the cloud assembly\)/m);
  t.regex(result.stderr, /^jsii-ring: running the app natively in a child process, for comparison/m);
});

test('synth honours CDK_OUTDIR and --json reports what it did', async (t) => {
  const dir = project({ 'app.ts': APP_TS });
  const out = path.join(dir, 'elsewhere');
  const result = npx(dir, ['synth', 'app.ts', '--json', '--mode', 'sync'], { CDK_OUTDIR: out });
  t.is(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { outdir: string; stacks: number; mode: string; pendingCap: number; jit: unknown; calls: { pipelinedTotal: number } };
  t.is(report.outdir, out);
  t.deepEqual(report.jit, { interruptBudget: KERNEL_INTERRUPT_BUDGET, source: 'applied' });
  t.is(report.stacks, 1);
  t.is(report.mode, 'sync');
  t.is(report.pendingCap, 0);
  t.is(report.calls.pipelinedTotal, 0);
  t.true(fs.existsSync(path.join(out, 'manifest.json')));
});

test('the classes a run used are preloaded by the next run of the same app; JSII_RING_PRELOAD=0 turns it off', async (t) => {
  const dir = project({ 'app.ts': APP_TS });
  const cacheDir = path.join(dir, 'cache');
  type Report = { preload?: { listed: number; preloaded: number; ms: number; saved: boolean | string }; threads: { prelaunched: boolean } };
  const first = npx(dir, ['synth', 'app.ts', '--json', '--outdir', 'a'], { JSII_RING_CACHE_DIR: cacheDir });
  t.is(first.status, 0, first.stderr);
  t.deepEqual((JSON.parse(first.stdout) as Report).preload, { listed: 0, preloaded: 0, ms: 0, saved: true });
  const second = npx(dir, ['synth', 'app.ts', '--outdir', 'b', '--json'], { JSII_RING_CACHE_DIR: cacheDir });
  t.is(second.status, 0, second.stderr);
  const report = JSON.parse(second.stdout) as Report;
  // App, Stack, aws_s3.Bucket, CfnOutput; how many the kernel loads before the app asks
  // depends on timing, the rest the app's own requests load.
  t.like(report.preload, { listed: 4, saved: false });
  t.true(report.preload!.preloaded >= 0 && report.preload!.preloaded <= 4);
  // The worker started before the CLI loaded had the same list: it was the one used.
  t.true(report.threads.prelaunched);
  t.is(fs.readFileSync(path.join(dir, 'b', 'StorageStack.template.json'), 'utf8'), fs.readFileSync(path.join(dir, 'a', 'StorageStack.template.json'), 'utf8'));
  const human = npx(dir, ['synth', 'app.ts', '--outdir', 'c'], { JSII_RING_CACHE_DIR: cacheDir });
  t.is(human.status, 0, human.stderr);
  t.regex(human.stderr, /^ {2}preload {3}4 classes the last run used: [0-4] loaded while the kernel was idle \([\d.,]+ ms\); list unchanged$/m);
  const off = npx(dir, ['synth', 'app.ts', '--json', '--outdir', 'd'], { JSII_RING_CACHE_DIR: cacheDir, JSII_RING_PRELOAD: '0' });
  t.is(off.status, 0, off.stderr);
  t.is((JSON.parse(off.stdout) as Report).preload, undefined);
});

test('--spin 0 makes the host sleep on every wait; the default budget is reported', async (t) => {
  const dir = project({ 'app.ts': APP_TS });
  type Report = { spin: number; threads: { hostSpinHits: number; hostSleeps: number; kernelWakes: number; prelaunched: boolean } };
  const sleeping = npx(dir, ['synth', 'app.ts', '--json', '--spin', '0', '--outdir', 'a']);
  t.is(sleeping.status, 0, sleeping.stderr);
  const slept = JSON.parse(sleeping.stdout) as Report;
  t.is(slept.spin, 0);
  t.is(slept.threads.hostSpinHits, 0);
  t.true(slept.threads.hostSleeps > 0);
  // The kernel does not spin either: requests find it asleep, and the host wakes it.
  t.true(slept.threads.kernelWakes > 0);
  // The worker started before the CLI loaded had the same spin budget: it was the one used.
  t.true(slept.threads.prelaunched);
  // Whether the default's waits end spinning depends on the machine's load (the policy is
  // adaptive: it sleeps at once while spins keep running out), so only its accounting is checked.
  const spinning = npx(dir, ['synth', 'app.ts', '--json', '--outdir', 'b']);
  t.is(spinning.status, 0, spinning.stderr);
  const spun = JSON.parse(spinning.stdout) as Report;
  t.is(spun.spin, 300_000);
  t.true(spun.threads.hostSpinHits + spun.threads.hostSleeps > 0);
  t.true(spun.threads.prelaunched);
  // Without the early start the same run starts its worker when the synth command does.
  const late = npx(dir, ['synth', 'app.ts', '--json', '--outdir', 'c'], { JSII_RING_PRELAUNCH: '0' });
  t.is(late.status, 0, late.stderr);
  t.false((JSON.parse(late.stdout) as Report).threads.prelaunched);
  t.is(fs.readFileSync(path.join(dir, 'c', 'StorageStack.template.json'), 'utf8'), fs.readFileSync(path.join(dir, 'b', 'StorageStack.template.json'), 'utf8'));
  const bad = npx(dir, ['synth', 'app.ts', '--spin', 'lots']);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /--spin must be a non-negative integer \(got "lots"\)/);
});

test("--interrupt-budget sets V8's budget for the run ('v8' = V8's own) and refuses bad values", async (t) => {
  const dir = project({ 'app.ts': APP_TS });
  const own = npx(dir, ['synth', 'app.ts', '--json', '--interrupt-budget', 'v8', '--mode', 'native']);
  t.is(own.status, 0, own.stderr);
  // V8's own budget: no flag is set at all (a flag costs Node's built-ins their code cache).
  t.deepEqual((JSON.parse(own.stdout) as { jit: unknown }).jit, { interruptBudget: V8_DEFAULT_INTERRUPT_BUDGET, source: 'v8' });
  const ownHuman = npx(dir, ['synth', 'app.ts', '--interrupt-budget', 'v8', '--mode', 'native']);
  t.regex(ownHuman.stderr, /V8 interrupt budget 67,584 \(V8's own, left as it is\)/);
  const human = npx(dir, ['synth', 'app.ts', '--interrupt-budget', '123456']);
  t.is(human.status, 0, human.stderr);
  // (Node 22.1 and later name the compile cache after it.)
  t.regex(human.stderr, /V8 interrupt budget 123,456(?:\n|, compile cache on\n)/);
  for (const bad of ['0', 'lots', '']) {
    const refused = npx(dir, ['synth', 'app.ts', '--interrupt-budget', bad]);
    t.is(refused.status, 2, `--interrupt-budget ${JSON.stringify(bad)}`);
    t.regex(refused.stderr, /--interrupt-budget must be a positive integer or 'v8'/);
  }
});

test('--timeline writes both threads\' records and summarizes where the time went', async (t) => {
  const dir = project({ 'app.ts': APP_TS });
  const result = npx(dir, ['synth', 'app.ts', '--timeline', 'timeline.json']);
  t.is(result.status, 0, result.stderr);
  t.regex(result.stderr, /timeline {2}build: kernel served [\d,]+ ms \+ decoded [\d,]+ ms, waited for the host [\d,]+ ms, hand-over [\d,]+ ms; host waited [\d,]+ ms on [\d,]+ sync requests/);
  t.regex(result.stderr, /written to timeline\.json/);
  const written = JSON.parse(fs.readFileSync(path.join(dir, 'timeline.json'), 'utf8')) as { synthSeq: number; host: number[]; kernel: number[]; hostRecord: string[]; kernelRecord: string[] };
  t.true(written.synthSeq > 1, 'the synth request was seen');
  t.is(written.host.length % written.hostRecord.length, 0);
  t.is(written.kernel.length % written.kernelRecord.length, 0);
  t.true(written.kernel.length / written.kernelRecord.length >= written.synthSeq, 'every request up to synth was served and recorded');
  const native = npx(dir, ['synth', 'app.ts', '--timeline', 'x.json', '--mode', 'native']);
  t.is(native.status, 2);
  t.regex(native.stderr, /--timeline needs the kernel over the ring/);
});

test('the report gives the kernel\'s busy time by phase and its callbacks, in this thread and through the worker', async (t) => {
  // An aspect the app implements: the kernel calls it back for every construct during synth.
  const app = `
import { load } from 'jsii-ring';
const cdk = load('aws-cdk-lib');
const app = new cdk.App({ analyticsReporting: false });
const stack = new cdk.Stack(app, 'Audited');
for (let i = 0; i < 5; i++) new cdk.aws_sqs.Queue(stack, 'Q' + i);
class Counter {
  public resources = 0;
  public visit(node: unknown): void {
    if (cdk.CfnResource.isCfnResource(node)) this.resources++;
  }
}
cdk.Aspects.of(app).add(new Counter());
app.synth();
`;
  const dir = project({ 'app.ts': app });
  type Report = { timings: { startMs: number; buildMs: number }; kernel?: { ms: number; startMs: number; buildMs: number; requests: number; callbackMs: number; callbacks: number } };
  for (const transport of ['in-thread', 'ring']) {
    const result = npx(dir, ['synth', 'app.ts', '--json', '--transport', transport, '--outdir', transport]);
    t.is(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    const kernel = report.kernel;
    if (kernel === undefined) {
      t.fail(`${transport}: no kernel figures`);
      continue;
    }
    // The stack, the five queues and the app's own constructs are visited: one callback each.
    t.true(kernel.callbacks >= 7, `${transport}: ${kernel.callbacks} callbacks`);
    t.true(kernel.callbackMs > 0 && kernel.callbackMs <= kernel.ms, `${transport}: callbacks ${kernel.callbackMs} of ${kernel.ms} ms`);
    t.true(kernel.buildMs > 0 && kernel.startMs + kernel.buildMs < kernel.ms, `${transport}: start ${kernel.startMs}, build ${kernel.buildMs} of ${kernel.ms} ms`);
    // The loads are the start phase's: in this thread they run before the app does.
    if (transport === 'in-thread') t.true(kernel.startMs > 0, `start ${kernel.startMs} ms`);
    // In this thread the build phase's busy time fits in it. Through the worker the phases
    // are cut in the kernel's own order (the synth request is where its synth begins), so
    // the build's requests the kernel serves after the host moved on still count as the build's.
    if (transport === 'in-thread') t.true(kernel.buildMs <= report.timings.buildMs, `build ${kernel.buildMs} ms`);
    t.true(kernel.requests > 10, `${transport}: ${kernel.requests} requests`);
  }
  const human = npx(dir, ['synth', 'app.ts', '--transport', 'in-thread', '--outdir', 'human']);
  t.is(human.status, 0, human.stderr);
  t.regex(human.stderr, /^ {2}kernel {4}busy [\d,]+ ms: start [\d,]+ ms, build [\d,]+ ms \(\d+% of the build phase\), synth [\d,]+ ms · of it waiting on [\d,]+ callbacks [\d,]+ ms; the build phase's rest is the host's own work/m);
  // Natively there is no kernel; over stdio its time is not visible.
  for (const args of [['--mode', 'native'], ['--transport', 'stdio']]) {
    const other = npx(dir, ['synth', 'app.ts', '--json', ...args, '--outdir', args[1] as string]);
    t.is(other.status, 0, other.stderr);
    t.is((JSON.parse(other.stdout) as Report).kernel, undefined, args.join(' '));
  }
});

test('synth honours CDK_CONTEXT_JSON (the kernel worker sees the environment)', async (t) => {
  const app = `
import { load } from 'jsii-ring';
const cdk = load('aws-cdk-lib');
const app = new cdk.App({ analyticsReporting: false });
const stack = new cdk.Stack(app, 'Ctx');
new cdk.CfnOutput(stack, 'Flavour', { value: String(app.node.tryGetContext('flavour')) });
app.synth();
`;
  const dir = project({ 'app.ts': app });
  const result = npx(dir, ['synth', 'app.ts', '--quiet'], { CDK_CONTEXT_JSON: JSON.stringify({ flavour: 'raspberry' }) });
  t.is(result.status, 0, result.stderr);
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'Ctx.template.json'), 'utf8')) as { Outputs: Record<string, { Value: string }> };
  t.is(template.Outputs.Flavour?.Value, 'raspberry');
});

test('--trace writes one JSON line per kernel call', async (t) => {
  const dir = project({ 'app.ts': APP_TS });
  const result = npx(dir, ['synth', 'app.ts', '--quiet', '--trace', 'trace.jsonl']);
  t.is(result.status, 0, result.stderr);
  const lines = fs.readFileSync(path.join(dir, 'trace.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { api: string; pipelined: boolean });
  t.true(lines.length > 10);
  t.true(lines.some((l) => l.api === 'create' && l.pipelined));
  t.true(lines.some((l) => !l.pipelined));
});

test('an app that throws: exit code 1, the message, no stack unless --verbose', async (t) => {
  const dir = project({ 'bad.js': "require('jsii-ring').load('aws-cdk-lib'); throw new Error('the app is broken');" });
  const result = npx(dir, ['synth', 'bad.js']);
  t.is(result.status, 1);
  t.regex(result.stderr, /the app is broken/);
  t.notRegex(result.stderr, /\n\s+at /);
  const verbose = npx(dir, ['synth', 'bad.js', '--verbose']);
  t.is(verbose.status, 1);
  t.regex(verbose.stderr, /\n\s+at /);
});

test('a TypeScript syntax error names the file, line and column; a missing package names where it was looked for', async (t) => {
  const dir = project({ 'broken.ts': "import { load } from 'jsii-ring';\nconst cdk = load('aws-cdk-lib');\nconst x: number = ;\n", 'nolib.ts': "import { load } from 'jsii-ring';\nload('left-pad-not-installed');\n" });
  const broken = npx(dir, ['synth', 'broken.ts']);
  t.is(broken.status, 1);
  t.regex(broken.stderr, /jsii-ring: broken\.ts:3:19 - Unexpected ";"/);
  const nolib = npx(dir, ['synth', 'nolib.ts']);
  t.is(nolib.status, 1);
  t.regex(nolib.stderr, /Cannot find package left-pad-not-installed \(no node_modules\/left-pad-not-installed at or above .+ or .+; install it, or pass options\.resolveFrom\) \[ERR_LOAD\]/);
});

test('usage errors exit 2 with a message; --help exits 0', async (t) => {
  const dir = project({});
  const missing = npx(dir, ['synth', 'nope.ts']);
  t.is(missing.status, 2);
  t.regex(missing.stderr, /app file not found: nope\.ts/);
  const badFlag = npx(dir, ['synth', 'x.ts', '--mode', 'fast']);
  t.is(badFlag.status, 2);
  t.regex(badFlag.stderr, /--mode must be pipelined, sync or native/);
  const unknown = npx(dir, ['frobnicate']);
  t.is(unknown.status, 2);
  t.regex(unknown.stderr, /unknown command 'frobnicate'/);
  for (const command of ['synth', 'serve', 'types', 'bench']) {
    const help = npx(dir, [command, '--help']);
    t.is(help.status, 0, `${command} --help: ${help.stderr}`);
    t.regex(help.stdout, new RegExp(`Usage: jsii-ring ${command}`));
  }
  const top = npx(dir, ['--help']);
  t.is(top.status, 0);
  t.regex(top.stdout, /Commands:/);
});

test('CDK habits: -o/--output, -c/--context key=value (over CDK_CONTEXT_JSON), --app', async (t) => {
  const app = `
const cdk = require('aws-cdk-lib');
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Habits');
new cdk.CfnOutput(stack, 'Flavour', { value: String(app.node.tryGetContext('flavour')) });
new cdk.CfnOutput(stack, 'Size', { value: String(app.node.tryGetContext('size')) });
app.synth();
`;
  const dir = project({ 'app.js': app });
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'aws-cdk-lib'), path.join(dir, 'node_modules', 'aws-cdk-lib'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'constructs'), path.join(dir, 'node_modules', 'constructs'), 'dir');
  const result = npx(dir, ['synth', '--app', 'app.js', '-o', 'out', '-c', 'flavour=lemon', '--context', 'size=9=nine', '--quiet'], { CDK_CONTEXT_JSON: JSON.stringify({ size: 'small', other: 1 }) });
  t.is(result.status, 0, result.stderr);
  const template = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'Habits.template.json'), 'utf8')) as { Outputs: Record<string, { Value: string }> };
  t.is(template.Outputs.Flavour?.Value, 'lemon');
  t.is(template.Outputs.Size?.Value, '9=nine');
  const bad = npx(dir, ['synth', 'app.js', '-c', 'novalue']);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /-c\/--context takes key=value \(got "novalue"\)/);
  const both = npx(dir, ['synth', 'app.js', '--app', 'app.js']);
  t.is(both.status, 2);
  t.regex(both.stderr, /synth takes one app file/);
});

test('usage errors are one line and a pointer to --help, not the whole help', async (t) => {
  const dir = project({ 'app.js': '' });
  const bad = npx(dir, ['synth', 'app.js', '--mode', 'fast']);
  t.is(bad.status, 2);
  t.is(bad.stderr, "jsii-ring: --mode must be pipelined, sync or native (got \"fast\")\nRun 'jsii-ring synth --help' for the options.\n");
  const ambiguous = npx(dir, ['synth', 'app.js', '--pending-cap', '-1']);
  t.is(ambiguous.status, 2);
  t.regex(ambiguous.stderr, /--pending-cap needs a value; for one that starts with '-', write --pending-cap=<value>/);
  const negative = npx(dir, ['synth', 'app.js', '--pending-cap=-1']);
  t.is(negative.status, 2);
  t.regex(negative.stderr, /--pending-cap must be a non-negative integer or 'unlimited' \(got "-1"\)/);
});
