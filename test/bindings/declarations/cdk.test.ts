import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeDeclarations, type WrittenDeclarations } from '../../../lib/bindings/declarations/index.js';
import { repoRoot } from '../../helpers/repo-root.js';
import { formatProblems, typeCheck, writeTempFiles, type TypeCheckResult } from './compile.js';

// Generates the declarations of aws-cdk-lib (and of constructs, which they import) and
// type-checks, in one program: the example CDK app with its `libs` typed by them, a small
// stand-alone app, a file of deliberate mistakes, and every generated declaration file.

const ROOT = repoRoot();
/** The example app's own files are TypeScript sources in the repository (not dist/). */
const EXAMPLE_APP = path.join(ROOT, 'examples', 'cdk-app', 'app.ts');

const SMALL_APP = `
import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';

class QueueStack extends cdk.Stack {
  public readonly queue: cdk.aws_sqs.Queue;
  public constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    this.queue = new cdk.aws_sqs.Queue(this, 'Queue', {
      visibilityTimeout: cdk.Duration.seconds(30),
      encryption: cdk.aws_sqs.QueueEncryption.SQS_MANAGED,
    });
    const bucket = new cdk.aws_s3.Bucket(this, 'Bucket', { removalPolicy: cdk.RemovalPolicy.DESTROY });
    const name: string = bucket.bucketName;
    new cdk.CfnOutput(this, 'Name', { value: cdk.Fn.join('-', [name, this.queue.queueArn]) });
    cdk.Tags.of(this).add('team', 'a');
  }
}
const app = new cdk.App({ analyticsReporting: false });
new QueueStack(app, 'Stack');
export const directory: string = app.synth().directory;
`;

const MISTAKES = `
import * as cdk from 'aws-cdk-lib';
const app = new cdk.App();
const stack = new cdk.Stack(app, 'S');
export const a = new cdk.aws_sqs.Queue(stack, 'Q', { visibilityTimeout: 30 });
export const b = cdk.RemovalPolicy.KEEP;
export const c = new cdk.aws_s3.Bucket(stack, 'B', { versioned: 'yes' });
export const d: number = new cdk.aws_sqs.Queue(stack, 'Q2').queueName;
export const e = new cdk.Duration();
`;
/** Line → error code for each mistake above. */
const EXPECTED_MISTAKES = ['(5,54) TS2322', '(6,36) TS2339', '(7,54) TS2322', '(8,14) TS2322', '(9,18) TS2673'];

interface Generated {
  readonly outDir: string;
  readonly written: WrittenDeclarations[];
  readonly millis: number;
}

function generateAll(): Generated {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cdk-decl-'));
  const started = performance.now();
  const written = writeDeclarations('aws-cdk-lib', outDir, { from: ROOT });
  return { outDir, written, millis: performance.now() - started };
}

const generated = generateAll();
test.after.always(() => fs.rmSync(generated.outDir, { recursive: true, force: true }));

const packages = {
  'aws-cdk-lib': path.join(generated.outDir, 'aws-cdk-lib', 'index.d.ts'),
  constructs: path.join(generated.outDir, 'constructs', 'index.d.ts'),
};

let full: { result: TypeCheckResult; mistakesFile: string; smallAppFile: string } | undefined;
function fullCheck(t: { teardown(fn: () => void): void }): NonNullable<typeof full> {
  if (full === undefined) {
    const dir = writeTempFiles(t, { 'small-app.ts': SMALL_APP, 'mistakes.ts': MISTAKES });
    const smallAppFile = path.join(dir, 'small-app.ts');
    const mistakesFile = path.join(dir, 'mistakes.ts');
    const result = typeCheck([EXAMPLE_APP, smallAppFile, mistakesFile], { packages, checkDeclarations: true });
    full = { result, mistakesFile, smallAppFile };
  }
  return full;
}

test.serial('writeDeclarations writes aws-cdk-lib and the constructs declarations it imports', (t) => {
  t.deepEqual(
    generated.written.map((w) => [w.packageName, w.version]),
    [
      ['aws-cdk-lib', '2.276.0'],
      ['constructs', JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/constructs/package.json'), 'utf8')).version],
    ],
  );
  const cdk = generated.written[0];
  t.true((cdk?.files.length ?? 0) > 600, 'one file per submodule');
  t.true(cdk?.files.includes('aws_sqs.d.ts'));
  t.true(cdk?.files.includes('interfaces.aws_sqs.d.ts'));
  t.regex(fs.readFileSync(path.join(generated.outDir, 'aws-cdk-lib', 'aws_sqs.d.ts'), 'utf8'), /^import \* as constructs from 'constructs';$/m);
  t.log(`generated ${generated.written.map((w) => `${w.packageName}: ${w.files.length} files, ${(w.bytes / 1e6).toFixed(1)} MB`).join('; ')} in ${generated.millis.toFixed(0)} ms`);
});

test.serial('every generated declaration file type-checks', (t) => {
  const { result } = fullCheck(t);
  const inDeclarations = result.problems.filter((p) => p.file.startsWith(generated.outDir));
  t.deepEqual(inDeclarations, [], formatProblems(inDeclarations));
  t.log(`tsc (full check, ${result.files} files): ${result.millis.toFixed(0)} ms`);
});

test.serial('the example app compiles with its libraries typed by the generated declarations', (t) => {
  const { result, smallAppFile, mistakesFile } = fullCheck(t);
  const elsewhere = result.problems.filter((p) => p.file !== mistakesFile && !p.file.startsWith(generated.outDir));
  t.deepEqual(elsewhere, [], formatProblems(elsewhere));
  t.true(result.fileNames.includes(EXAMPLE_APP.split(path.sep).join('/')));
  t.true(result.fileNames.some((f) => f.endsWith('examples/cdk-app/service-unit.ts')));
  t.true(result.fileNames.includes(smallAppFile.split(path.sep).join('/')));
  // The packages' own declarations were never read: only the generated ones.
  const packageFiles = result.fileNames.filter((f) => /node_modules\/(aws-cdk-lib|constructs)\//.test(f));
  t.deepEqual(packageFiles, []);
});

test.serial('deliberate type errors are reported, each where it is', (t) => {
  const { result, mistakesFile } = fullCheck(t);
  const mistakes = result.problems.filter((p) => p.file === mistakesFile);
  t.deepEqual(
    mistakes.map((p) => `${p.where.replace('mistakes.ts', '')} ${p.code}`),
    EXPECTED_MISTAKES,
    formatProblems(mistakes),
  );
});

test.serial('declarations of only the submodules the app uses (and what they refer to) compile the app too', (t) => {
  const outDir = writeTempFiles(t, {});
  const submodules = [
    '', 'aws_sqs', 'aws_sns', 'aws_sns_subscriptions', 'aws_s3', 'aws_iam', 'aws_lambda',
    'aws_lambda_event_sources', 'aws_cloudwatch', 'aws_cloudwatch_actions', 'aws_kms',
  ];
  const written = writeDeclarations('aws-cdk-lib', outDir, { from: ROOT, submodules, docs: false });
  const subset = written[0];
  const everything = generated.written[0];
  t.true((subset?.bytes ?? Infinity) < (everything?.bytes ?? 0) / 10, `${subset?.bytes} vs ${everything?.bytes}`);
  t.false(subset?.files.includes('aws_ec2.mixins.d.ts') ?? true);
  const result = typeCheck([EXAMPLE_APP], {
    packages: {
      'aws-cdk-lib': path.join(outDir, 'aws-cdk-lib', 'index.d.ts'),
      constructs: path.join(outDir, 'constructs', 'index.d.ts'),
    },
    checkDeclarations: true,
  });
  t.deepEqual(result.problems, [], formatProblems(result.problems));
  t.log(`subset: ${subset?.files.length} files, ${((subset?.bytes ?? 0) / 1e6).toFixed(1)} MB; tsc (full check) ${result.millis.toFixed(0)} ms`);
});
