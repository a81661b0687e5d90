/**
 * `jsii-ring synth app.ts STACK...` against the real CDK CLI: the CLI (`cdk synth STACK
 * --app <assembly>`) reads the cloud assembly jsii-ring wrote, so both print from the same
 * files, and stdout must be the same bytes: the selected stack's template as YAML (or JSON
 * with --json), nothing when several stacks match (both then name them), an error when
 * none does.
 */
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatTemplate, globToRegExp, listStacks, selectStacks } from '../../lib/cli/stack-selection.js';
import { ErrorCode, JsiiRingError } from '../../lib/errors.js';
import { childOutput, type ChildRun } from '../helpers/child-output.js';
import { repoRoot } from '../helpers/repo-root.js';

const ROOT = repoRoot();

// Beta depends on Alpha (it reads Alpha's queue name); Prod/Api is a stack in a Stage, in a
// nested assembly; the app prints a line of its own on stdout.
const APP = `import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

class Queues extends cdk.Stack {
  public readonly queue: sqs.Queue;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Orders', { visibilityTimeout: cdk.Duration.seconds(300) });
  }
}
class Topics extends cdk.Stack {
  constructor(scope: Construct, id: string, queue: sqs.IQueue) {
    super(scope, id);
    new sns.Topic(this, 'Events', { displayName: \`orders: \${queue.queueName}\` });
  }
}
const app = new cdk.App();
const alpha = new Queues(app, 'Alpha');
new Topics(app, 'Beta', alpha.queue);
const prod = new cdk.Stage(app, 'Prod');
new Queues(prod, 'Api');
console.log('the app printed this');
`;

type Run = ChildRun;

/** A project with the app, where `npx jsii-ring` and `npx cdk` find this repository's. */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-stacks-'));
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const name of ['aws-cdk-lib', 'constructs', 'aws-cdk']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  }
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'jsii-ring'), 'dir');
  fs.chmodSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'), 0o755);
  fs.symlinkSync('../jsii-ring/dist/lib/cli/main.js', path.join(dir, 'node_modules', '.bin', 'jsii-ring'));
  fs.symlinkSync('../aws-cdk/bin/cdk', path.join(dir, 'node_modules', '.bin', 'cdk'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'app.ts'), APP);
  return dir;
}

/** Runs a program of the project's node_modules/.bin, without blocking the other tests. */
function run(dir: string, bin: string, args: readonly string[]): Promise<Run> {
  // Without CI the CDK CLI keeps its messages on stderr, as on a terminal.
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_VALIDATION: 'false', CDK_DISABLE_CLI_TELEMETRY: 'true' };
  delete env.CI;
  return childOutput(spawn(path.join(dir, 'node_modules', '.bin', bin), args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** What the CDK CLI prints for `cdk synth <args>` from the assembly in `asm`. */
function cdkSynth(dir: string, asm: string, args: readonly string[]): Promise<Run> {
  return run(dir, 'cdk', ['synth', '--app', asm, ...args, '--no-notices']);
}

/** The stack ids of a "Supply a stack id (A, B) to display its template." line. */
function suppliedIds(stderr: string): string | undefined {
  return /Supply a stack id \((.*)\) to display its template\./.exec(stderr)?.[1];
}

let shared: Promise<{ dir: string; yaml: Run }> | undefined;

/** One project, and one run of `jsii-ring synth bin/app.ts Beta -o asm` in it, for every test. */
function synthesized(): Promise<{ dir: string; yaml: Run }> {
  shared ??= (async () => {
    const dir = project();
    const yaml = await run(dir, 'jsii-ring', ['synth', 'bin/app.ts', 'Beta', '-o', 'asm']);
    return { dir, yaml };
  })();
  return shared;
}

test('synth app.ts STACK prints the template as cdk synth STACK does, and only it, on stdout', async (t) => {
  const { dir, yaml } = await synthesized();
  t.is(yaml.status, 0, yaml.stderr);
  const cdk = await cdkSynth(dir, 'asm', ['Beta']);
  t.is(cdk.status, 0, cdk.stderr);
  t.regex(cdk.stdout, /^Resources:\n {2}Events[0-9A-F]{8}:\n {4}Type: AWS::SNS::Topic\n/);
  // Byte for byte, though Beta depends on Alpha: cdk synth selects only the stacks named.
  t.is(yaml.stdout, cdk.stdout);
  // The app's own output and the summary went to stderr.
  t.regex(yaml.stderr, /the app printed this/);
  t.regex(yaml.stderr, /output {4}.*asm: 3 stacks/);
});

test('--json prints the template as JSON; a stack in a Stage is selected by its path', async (t) => {
  const { dir } = await synthesized();
  const [ours, cdk, oursNested, cdkNested] = await Promise.all([
    run(dir, 'jsii-ring', ['synth', 'bin/app.ts', 'Alpha', '--json', '-o', 'asm-json', '-q']),
    cdkSynth(dir, 'asm', ['Alpha', '--json']),
    run(dir, 'jsii-ring', ['synth', '--app', 'bin/app.ts', 'Prod/*', '-o', 'asm-nested', '-q']),
    cdkSynth(dir, 'asm', ['Prod/*']),
  ]);
  t.is(ours.status, 0, ours.stderr);
  t.is(cdk.status, 0, cdk.stderr);
  t.is(ours.stdout, cdk.stdout);
  const template = JSON.parse(ours.stdout) as { Resources: Record<string, { Type: string }> };
  t.true(Object.values(template.Resources).some((r) => r.Type === 'AWS::SQS::Queue'));
  // -q: nothing of ours on stderr, only the app's own line.
  t.is(ours.stderr, 'the app printed this\n');
  t.is(oursNested.status, 0, oursNested.stderr);
  t.is(cdkNested.status, 0, cdkNested.stderr);
  t.is(oursNested.stdout, cdkNested.stdout);
  t.regex(oursNested.stdout, /Type: AWS::SQS::Queue/);
});

test('patterns select what the CDK CLI selects; several stacks: their ids on stderr, nothing on stdout', async (t) => {
  const { dir } = await synthesized();
  const asm = path.join(dir, 'asm');
  const all = listStacks(asm);
  t.deepEqual(all.map((s) => s.hierarchicalId), ['Alpha', 'Beta', 'Prod/Api']);
  const cases = [['**'], ['!Alpha'], ['{Alpha,Prod/Api}'], ['[AB]*'], ['**/Api']];
  const answers = await Promise.all(cases.map((patterns) => cdkSynth(dir, 'asm', patterns)));
  for (const [i, patterns] of cases.entries()) {
    const cdk = answers[i]!;
    t.is(cdk.status, 0, `${patterns.join(' ')}: ${cdk.stderr}`);
    const selected = selectStacks(all, patterns);
    if (selected.length === 1) {
      t.is(formatTemplate(selected[0]!.templateFile, false), cdk.stdout, patterns.join(' '));
    } else {
      t.is(cdk.stdout, '', patterns.join(' '));
      t.is<string | undefined, string | undefined>(selected.map((s) => s.hierarchicalId).join(', '), suppliedIds(cdk.stderr), patterns.join(' '));
    }
  }
  // The command line prints the same for several stacks.
  const several = await run(dir, 'jsii-ring', ['synth', 'bin/app.ts', '*', '-o', 'asm-several', '-q']);
  t.is(several.status, 0, several.stderr);
  t.is(several.stdout, '');
  t.is(suppliedIds(several.stderr), 'Alpha, Beta');
  t.regex(several.stderr, /Successfully synthesized to .*asm-several\n/);
});

test('a pattern that matches no stack: exit 1 and one line naming it and the stacks, as the CDK CLI fails', async (t) => {
  const { dir } = await synthesized();
  const [ours, cdk] = await Promise.all([
    run(dir, 'jsii-ring', ['synth', 'bin/app.ts', 'Nope', '-o', 'asm-nope', '-q']),
    cdkSynth(dir, 'asm', ['Nope']),
  ]);
  t.is(cdk.status, 1);
  t.regex(cdk.stderr, /No stacks match the name\(s\) Nope/);
  t.is(ours.status, 1);
  t.is(ours.stdout, '');
  t.is(ours.stderr, 'the app printed this\njsii-ring: no stack matches Nope (the stacks: Alpha, Beta, Prod/Api) [ERR_STACK_SELECTION]\n');
  const error = t.throws(() => selectStacks(listStacks(path.join(dir, 'asm')), ['Gamma']));
  t.true(error instanceof JsiiRingError && error.code === ErrorCode.STACK_SELECTION);
});

test('a second app file is a usage error; glob patterns', (t) => {
  const dir = project();
  const both = spawnSync(path.join(dir, 'node_modules', '.bin', 'jsii-ring'), ['synth', '--app', 'bin/app.ts', 'bin/app.ts'], { cwd: dir, encoding: 'utf8' });
  t.is(both.status, 2);
  t.is(both.stderr, "jsii-ring: synth takes one app file (got bin/app.ts, bin/app.ts)\nRun 'jsii-ring synth --help' for the options.\n");
  t.true(globToRegExp('Prod/*').test('Prod/Api'));
  t.false(globToRegExp('*').test('Prod/Api'));
  t.true(globToRegExp('**').test('Prod/Api'));
  t.true(globToRegExp('a.b').test('a.b'));
  t.false(globToRegExp('a.b').test('axb'));
  t.true(globToRegExp('[!A]*').test('Beta'));
  t.false(globToRegExp('[!A]*').test('Alpha'));
});
