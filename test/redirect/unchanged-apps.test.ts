/**
 * Apps written the ordinary way (importing aws-cdk-lib, its submodules, constructs and
 * cdk-nag by name) run through the kernel by `jsii-ring synth`, by `node --require
 * jsii-ring/register`, and as ES modules, and produce what a plain run of the same app
 * produces, byte for byte. One test per fidelity rule; each app is checked to have reached
 * the kernel (its report counts calls beyond loading).
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies } from '../../lib/cloud-assembly.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');
const TS_NODE = path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
const ENV = { CDK_VALIDATION: 'false' };

/** A fresh app directory whose node_modules is the repository's (aws-cdk-lib, constructs, cdk-nag, jsii-ring). */
function appDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-app-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const name of ['aws-cdk-lib', 'constructs', 'cdk-nag']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  }
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'jsii-ring'), 'dir');
  // What `cdk init app --language typescript` writes, as far as compiling goes.
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', lib: ['es2022'], strict: true, esModuleInterop: true, skipLibCheck: true, experimentalDecorators: true, strictPropertyInitialization: false, rootDir: '.' },
  }));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

interface Run { status: number | null; stdout: string; stderr: string }

function node(dir: string, args: string[], env: Record<string, string> = {}): Run {
  const child = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...ENV, ...env }, timeout: 300_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** The app run plainly (ts-node for TypeScript, node for JavaScript) into `out`. */
function plain(dir: string, entry: string, out: string, env: Record<string, string> = {}): Run {
  const args = entry.endsWith('.ts') ? [TS_NODE, '--transpile-only', entry] : [entry];
  return node(dir, args, { CDK_OUTDIR: path.join(dir, out), ...env });
}

interface Report { calls?: { sync: Record<string, number>; pipelined: Record<string, number>; callbacks: number }; resources: number; timings: { buildMs: number; synthMs: number } }

/** `jsii-ring synth` of the app into `out`, with its JSON report. */
function synth(t: ExecutionContext, dir: string, entry: string, out: string, mode = 'pipelined', env: Record<string, string> = {}): Report {
  const run = node(dir, [CLI, 'synth', entry, '--mode', mode, '--outdir', out, '--json'], env);
  t.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Report;
}

/** Calls the app made into the kernel beyond loading packages. */
function ownCalls(report: Report): number {
  let n = 0;
  for (const counts of [report.calls?.sync ?? {}, report.calls?.pipelined ?? {}]) {
    for (const [api, count] of Object.entries(counts)) if (api !== 'load' && api !== 'beforeExit') n += count;
  }
  return n;
}

function assertSame(t: ExecutionContext, dir: string, a: string, b: string): void {
  const comparison = compareCloudAssemblies(path.join(dir, a), path.join(dir, b));
  t.deepEqual(comparison.differences, [], `${a} vs ${b}`);
  t.true(comparison.templates > 0);
}

/** Plain run, then every kernel mode, each compared with the plain run file by file. */
function checkApp(t: ExecutionContext, files: Record<string, string>, entry: string, modes = ['pipelined', 'sync'], env: Record<string, string> = {}): string {
  const dir = appDir(files);
  const base = plain(dir, entry, 'plain.out', env);
  t.is(base.status, 0, base.stderr);
  for (const mode of modes) {
    const report = synth(t, dir, entry, `${mode}.out`, mode, env);
    if (mode !== 'native') t.true(ownCalls(report) > 0, `${mode}: the app reached the kernel`);
    assertSame(t, dir, 'plain.out', `${mode}.out`);
  }
  return dir;
}

const STACK_HEAD = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
`;

test('deep imports, constructs and a third-party jsii library (cdk-nag) all resolve to one kernel object model', (t) => {
  const dir = checkApp(t, {
    'app.ts': `${STACK_HEAD}import * as s3 from 'aws-cdk-lib/aws-s3';
import { Duration, Stack } from 'aws-cdk-lib/core';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
const app = new cdk.App();
class Storage extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const bucket = new s3.Bucket(this, 'Data', { enforceSSL: true });
    new sqs.Queue(this, 'Q', { retentionPeriod: Duration.days(4), enforceSSL: true });
    cdk.Validations.of(this).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'a test bucket' });
    cdk.Validations.of(this).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason: 'a test queue' });
    if (!(bucket instanceof cdk.aws_s3.Bucket) || s3.Bucket !== cdk.aws_s3.Bucket || Stack !== cdk.Stack) throw new Error('two object models');
  }
}
new Storage(app, 'Storage');
cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
`,
  }, 'app.ts');
  t.true(fs.existsSync(path.join(dir, 'pipelined.out', 'Storage.template.json')));
});

test("struct values keep the program's key order and keys the struct does not declare", (t) => {
  checkApp(t, {
    'app.ts': `${STACK_HEAD}import * as events from 'aws-cdk-lib/aws-events';
import * as cr from 'aws-cdk-lib/custom-resources';
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Order');
new events.Rule(stack, 'R', { eventPattern: { source: ['my.app'], detail: { zeta: ['z'], alpha: ['a'] }, detailType: ['Order Placed'], account: ['123456789012'] } });
// The SDK call is serialized whole: its key order and its undeclared key reach the template.
new cr.AwsCustomResource(stack, 'Call', {
  onCreate: { physicalResourceId: cr.PhysicalResourceId.of('x'), service: 'SSM', action: 'putParameter', parameters: { Value: 'v', Name: '/n', Overwrite: true }, undeclaredKey: 'kept' } as cr.AwsSdkCall,
  policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  installLatestAwsSdk: false,
});
app.synth();
`,
  }, 'app.ts');
});

test('a plain object literal where a class is declared, and a class instance where a struct is declared', (t) => {
  checkApp(t, {
    'app.ts': `${STACK_HEAD}import * as s3 from 'aws-cdk-lib/aws-s3';
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Shapes');
new s3.Bucket(stack, 'Literal', { blockPublicAccess: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: false, restrictPublicBuckets: true } });
class Props implements s3.BucketProps { public readonly versioned = true; public get bucketName(): string { return 'from-a-getter'; } }
new s3.Bucket(stack, 'Instance', new Props());
app.synth();
`,
  }, 'app.ts');
});

test('a subclass that sets abstract properties as instance fields in its constructor (StateMachineFragment)', (t) => {
  checkApp(t, {
    'app.ts': `${STACK_HEAD}import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
class Steps extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const first = new sfn.Pass(this, 'First');
    const last = new sfn.Pass(this, 'Last');
    first.next(last);
    this.startState = first;
    this.endStates = [last];
  }
}
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Flow');
new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(new Steps(stack, 'Steps').next(new sfn.Succeed(stack, 'Done'))) });
app.synth();
`,
  }, 'app.ts');
});

test('an app with no app.synth() (the cdk init template) is synthesized at exit in every mode', (t) => {
  checkApp(t, {
    'bin/app.ts': `${STACK_HEAD}import * as sns from 'aws-cdk-lib/aws-sns';
class TopicStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    new sns.Topic(this, 'T');
  }
}
const app = new cdk.App();
new TopicStack(app, 'Topics');
`,
  }, 'bin/app.ts', ['pipelined', 'sync', 'native']);
});

test('environment variables the app sets before new App() are seen by the library', (t) => {
  const dir = checkApp(t, {
    'app.ts': `${STACK_HEAD}process.env.CDK_DEFAULT_ACCOUNT = '111122223333';
process.env.CDK_DEFAULT_REGION = 'eu-west-3';
// Read by the library itself (App's constructor), not by the program.
process.env.CDK_CONTEXT_JSON = JSON.stringify({ flavour: 'set-by-the-app' });
const app = new cdk.App();
new cdk.CfnOutput(new cdk.Stack(app, 'Ctx'), 'Flavour', { value: String(app.node.tryGetContext('flavour')) });
const stack = new cdk.Stack(app, 'Env', { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } });
new cdk.CfnOutput(stack, 'Where', { value: cdk.Stack.of(stack).region + '/' + String(process.env.CDK_DEFAULT_REGION) });
app.synth();
`,
  }, 'app.ts');
  const manifest = fs.readFileSync(path.join(dir, 'pipelined.out', 'manifest.json'), 'utf8');
  t.regex(manifest, /aws:\/\/111122223333\/eu-west-3/);
  t.regex(fs.readFileSync(path.join(dir, 'pipelined.out', 'Ctx.template.json'), 'utf8'), /set-by-the-app/);
});

test("the app's own console.log does not corrupt --json", (t) => {
  const dir = appDir({ 'app.js': "const cdk = require('aws-cdk-lib'); console.log('hello from the app'); const app = new cdk.App(); new cdk.Stack(app, 'S'); app.synth();" });
  const run = node(dir, [CLI, 'synth', 'app.js', '--json', '--outdir', 'out']);
  t.is(run.status, 0, run.stderr);
  t.notThrows(() => JSON.parse(run.stdout));
  t.regex(run.stderr, /hello from the app/);
});

test('node --require jsii-ring/register runs an unchanged JavaScript app through the kernel', (t) => {
  const app = "const cdk = require('aws-cdk-lib'); const s3 = require('aws-cdk-lib/aws-s3'); const app = new cdk.App(); const s = new cdk.Stack(app, 'Reg'); new s3.Bucket(s, 'B');";
  const dir = appDir({ 'app.js': app });
  const base = plain(dir, 'app.js', 'plain.out');
  t.is(base.status, 0, base.stderr);
  const registered = node(dir, ['--require', 'jsii-ring/register', 'app.js'], { CDK_OUTDIR: path.join(dir, 'reg.out') });
  t.is(registered.status, 0, registered.stderr);
  assertSame(t, dir, 'plain.out', 'reg.out');
  // Through the kernel: the bindings' Bucket is not the library's class.
  const probe = node(dir, ['--require', 'jsii-ring/register', '-e', "const s3 = require('aws-cdk-lib/aws-s3'); console.log(Object.getOwnPropertySymbols(s3.Bucket).map(String).join(','))"]);
  t.is(probe.status, 0, probe.stderr);
  t.regex(probe.stdout, /jsii-ring\.fqn/);
});

test('an ES module app (import from aws-cdk-lib) runs through the kernel under jsii-ring/register', (t) => {
  const app = "import * as cdk from 'aws-cdk-lib';\nimport { Bucket } from 'aws-cdk-lib/aws-s3';\nimport { Construct } from 'constructs';\nconst app = new cdk.App();\nconst s = new cdk.Stack(app, 'Esm');\nif (!(s instanceof Construct)) throw new Error('two models');\nnew Bucket(s, 'B', { versioned: true });\nif (process.env.EXPECT_KERNEL === '1' && !Object.getOwnPropertySymbols(Bucket).map(String).join(',').includes('jsii-ring.fqn')) throw new Error('native Bucket');\napp.synth();\n";
  const dir = appDir({ 'app.mjs': app });
  const base = plain(dir, 'app.mjs', 'plain.out');
  t.is(base.status, 0, base.stderr);
  const registered = node(dir, ['--import', 'jsii-ring/register', 'app.mjs'], { CDK_OUTDIR: path.join(dir, 'esm.out'), EXPECT_KERNEL: '1' });
  t.is(registered.status, 0, registered.stderr);
  assertSame(t, dir, 'plain.out', 'esm.out');
});

test('no silent native runs: no kernel calls, or a jsii library loaded by path, is an error naming the fix', (t) => {
  const dir = appDir({
    'none.js': "console.log('I use no jsii library');",
    'bypass.js': `const cdk = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'index.js'))}); const app = new cdk.App(); new cdk.Stack(app, 'S'); app.synth();`,
    'mixed.js': `const native = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'index.js'))}); const cdk = require('aws-cdk-lib'); const app = new cdk.App(); const s = new cdk.Stack(app, 'S'); new cdk.aws_sqs.Queue(s, 'Q', { retentionPeriod: native.Duration.days(1) });`,
  });
  const none = node(dir, [CLI, 'synth', 'none.js', '--outdir', 'o1']);
  t.is(none.status, 1);
  t.regex(none.stderr, /the app made no calls into the kernel.*\[ERR_NO_KERNEL_CALLS\]/s);
  const bypass = node(dir, [CLI, 'synth', 'bypass.js', '--outdir', 'o2']);
  t.is(bypass.status, 1);
  t.regex(bypass.stderr, /loaded the jsii library in .*aws-cdk-lib natively .*instead of through the kernel.*\[ERR_NATIVE_OBJECT\]/s);
  const mixed = node(dir, [CLI, 'synth', 'mixed.js', '--outdir', 'o3']);
  t.is(mixed.status, 1);
  t.regex(mixed.stderr, /got a aws-cdk-lib\.Duration made natively, outside the kernel.*\[ERR_NATIVE_OBJECT\]/s);
});

test('a file inside a jsii library is refused by name, with what to import instead', (t) => {
  const dir = appDir({ 'deep.js': "require('aws-cdk-lib/aws-s3/lib/bucket');" });
  const run = node(dir, [CLI, 'synth', 'deep.js', '--outdir', 'o']);
  t.is(run.status, 1);
  t.regex(run.stderr, /'aws-cdk-lib\/aws-s3\/lib\/bucket' is not a submodule of the jsii assembly aws-cdk-lib/);
});

test('with JSII_HOST_STACK_TRACES=1 construct traces name the app\'s TypeScript lines', (t) => {
  const app = `${STACK_HEAD}
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Traced');
new cdk.aws_sqs.Queue(stack, 'Q');
app.synth();
`;
  const dir = appDir({ 'app.ts': app });
  synth(t, dir, 'app.ts', 'traced.out', 'pipelined', { JSII_HOST_STACK_TRACES: '1' });
  const metadata = fs.readFileSync(path.join(dir, 'traced.out', 'Traced.metadata.json'), 'utf8');
  // Line 5 of the source holds `new cdk.aws_sqs.Queue(...)` (the .ts line, through the source map).
  t.regex(metadata, new RegExp(`${path.join(dir, 'app.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:1`));
  synth(t, dir, 'app.ts', 'plain-traces.out', 'pipelined');
  t.notRegex(fs.readFileSync(path.join(dir, 'plain-traces.out', 'Traced.metadata.json'), 'utf8'), /app\.ts:5/);
});
