/**
 * The real CDK CLI (`aws-cdk`) drives an unchanged TypeScript app once with
 * `"app": "npx ts-node --prefer-ts-exts bin/app.ts"` and once with
 * `"app": "npx jsii-ring synth bin/app.ts"`: `cdk ls`, `cdk synth` and `cdk synth <Stack>`
 * print the same stdout, and the cloud assemblies are the same file for file.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies } from '../../lib/cloud-assembly.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const APP = `import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

class Messaging extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const queue = new sqs.Queue(this, 'Orders', { visibilityTimeout: cdk.Duration.seconds(300) });
    const topic = new sns.Topic(this, 'Events');
    topic.addSubscription(new subs.SqsSubscription(queue));
    new cdk.CfnOutput(this, 'QueueUrl', { value: queue.queueUrl });
  }
}

const app = new cdk.App();
new Messaging(app, 'Alpha');
new Messaging(app, 'Beta', { env: { account: '111122223333', region: app.node.tryGetContext('region') ?? 'us-east-1' } });
`;

/** A project whose `cdk.json` runs the app with `command`. */
function project(command: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cdk-cli-'));
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const name of ['aws-cdk-lib', 'constructs', 'ts-node', 'typescript', 'aws-cdk']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  }
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'jsii-ring'), 'dir');
  const bins: Record<string, string> = { 'jsii-ring': '../jsii-ring/dist/lib/cli/main.js', 'ts-node': '../ts-node/dist/bin.js', cdk: '../aws-cdk/bin/cdk' };
  for (const [name, target] of Object.entries(bins)) fs.symlinkSync(target, path.join(dir, 'node_modules', '.bin', name));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'app.ts'), APP);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, rootDir: '.' } }));
  // A synth slower than the CDK's threshold (10 s per stack, easy on a loaded machine) makes
  // it write a file of timings under the CLI, which no two runs share: raised out of reach.
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: command, context: { region: 'eu-central-1', '@aws-cdk/core.slowSynthThreshold': 3_600_000 } }));
  return dir;
}

function cdk(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(path.join(dir, 'node_modules', '.bin', 'cdk'), [...args, '--no-notices'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDK_VALIDATION: 'false', CDK_DISABLE_CLI_TELEMETRY: 'true', PATH: `${path.join(dir, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    timeout: 300_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

test('cdk ls, cdk synth and cdk synth <Stack> print the same and write the same cloud assembly as with ts-node', (t) => {
  chmodCli();
  const plain = project('npx ts-node --prefer-ts-exts bin/app.ts');
  const ours = project('npx jsii-ring synth bin/app.ts');
  for (const args of [['ls'], ['synth'], ['synth', 'Beta']]) {
    const a = cdk(plain, args);
    const b = cdk(ours, args);
    t.is(a.status, 0, `ts-node: cdk ${args.join(' ')}: ${a.stderr}`);
    t.is(b.status, 0, `jsii-ring: cdk ${args.join(' ')}: ${b.stderr}`);
    // Under CI=true the CLI writes its messages, which name the project directory, to stdout.
    t.is(b.stdout.split(ours).join('<project>'), a.stdout.split(plain).join('<project>'), `cdk ${args.join(' ')}`);
    const comparison = compareCloudAssemblies(path.join(plain, 'cdk.out'), path.join(ours, 'cdk.out'));
    t.deepEqual(comparison.differences, [], `cdk ${args.join(' ')}: cdk.out`);
  }
  t.regex(cdk(ours, ['ls']).stdout, /^Alpha\nBeta\n$/);
  t.regex(cdk(ours, ['synth', 'Beta']).stdout, /Type: AWS::SQS::Queue/);
});

/** npm does not keep the CLI's execute bit in a fresh build. */
function chmodCli(): void {
  fs.chmodSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'), 0o755);
}
