/**
 * aws-cdk-lib through the bindings: an App, a Stack subclass overriding a protected method
 * (with `super`), a Bucket with enum props, a host-implemented `IAspect`, `synth()`; the
 * templates must equal those of the same code run natively, byte for byte. Small on
 * purpose: the big example app is tested elsewhere.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load, sameObject } from '../../lib/bindings/index.js';
import type { KernelConnection } from '../../lib/host/connection.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { repoResolveFrom } from './helpers/packages.js';

// The template validator is slow and irrelevant to the bindings (DESIGN.md).
process.env.CDK_VALIDATION = 'false';

interface Synthesized {
  /** Template file name → contents. */
  readonly templates: ReadonlyMap<string, string>;
  /** Construct paths the host aspect visited. */
  readonly visited: readonly string[];
}

/** The app, written once against whichever `aws-cdk-lib` it is given. */
function synthesize(cdk: any): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cdk-'));
  const app = new cdk.App({ outdir, analyticsReporting: false });

  class StorageStack extends cdk.Stack {
    public constructor(scope: unknown, id: string, props?: unknown) {
      super(scope, id, props);
      const bucket = new cdk.aws_s3.Bucket(this, 'Data', {
        encryption: cdk.aws_s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: cdk.aws_s3.BlockPublicAccess.BLOCK_ALL,
        removalPolicy: cdk.RemovalPolicy.DESTROY,
        versioned: true,
        lifecycleRules: [{ expiration: cdk.Duration.days(30), prefix: 'tmp/' }],
      });
      new cdk.CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    }

    // A protected jsii method, overridden by the host; the library calls it back.
    public allocateLogicalId(element: unknown): string {
      return `Host${super.allocateLogicalId(element)}`;
    }
  }

  new StorageStack(app, 'StorageOne', { description: 'first' });
  const second = new StorageStack(app, 'StorageTwo');
  cdk.Tags.of(second).add('team', 'bindings');

  const visited: string[] = [];
  cdk.Aspects.of(app).add({
    visit(node: any): void {
      visited.push(node.node.path);
      if (node instanceof cdk.CfnResource) node.addMetadata('audited', true);
    },
  });

  // synth() returns a class instance (pipelined); reading its directory is the sync point.
  const directory: string = app.synth().directory;
  const templates = new Map<string, string>();
  for (const file of fs.readdirSync(directory).filter((f) => f.endsWith('.template.json')).sort()) {
    templates.set(file, fs.readFileSync(path.join(directory, file), 'utf8'));
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return { templates, visited };
}

let native: Synthesized | undefined;

function nativeRun(): Synthesized {
  native ??= synthesize(load('aws-cdk-lib', { native: true, resolveFrom: repoResolveFrom() }));
  return native;
}

function compare(t: ExecutionContext, viaKernel: Synthesized): void {
  const expected = nativeRun();
  t.deepEqual([...viaKernel.templates.keys()], ['StorageOne.template.json', 'StorageTwo.template.json']);
  for (const [file, template] of expected.templates) {
    t.is(viaKernel.templates.get(file), template, `${file} differs from the native run`);
  }
  t.deepEqual(viaKernel.visited, expected.visited);
  t.true(viaKernel.visited.length > 5);
  t.regex(expected.templates.get('StorageOne.template.json')!, /"HostData[0-9A-F]+"/);
}

async function viaConnection(connect: () => KernelConnection): Promise<Synthesized> {
  const connection = connect();
  try {
    return synthesize(load('aws-cdk-lib', { connection, resolveFrom: repoResolveFrom() }));
  } finally {
    await connection.close();
  }
}

test.serial('native mode is the library itself', (t) => {
  const cdk = load('aws-cdk-lib', { native: true, resolveFrom: repoResolveFrom() });
  t.is(cdk, require(path.join(repoResolveFrom(), 'node_modules', 'aws-cdk-lib')));
});

test.serial('templates through our kernel in this thread equal the native ones byte for byte', async (t) => {
  compare(t, await viaConnection(() => new DirectConnection()));
});

test.serial('templates through the ring transport equal the native ones byte for byte', async (t) => {
  compare(t, await viaConnection(() => KernelClient.start()));
});

test.serial('aws-cdk-lib namespaces mirror the assembly, built lazily', async (t) => {
  const connection = new DirectConnection();
  const cdk = load('aws-cdk-lib', { connection, resolveFrom: repoResolveFrom() });
  t.is(load('aws-cdk-lib', { connection, resolveFrom: repoResolveFrom() }), cdk);
  // Properties are getters until first read, then plain values.
  t.is(typeof Object.getOwnPropertyDescriptor(cdk, 'aws_sqs')?.get, 'function');
  const sqs = cdk.aws_sqs;
  t.is(Object.getOwnPropertyDescriptor(cdk, 'aws_sqs')?.value, sqs);
  t.true(Object.keys(cdk).includes('aws_s3'));
  t.true(Object.keys(sqs).includes('Queue'));
  t.is(cdk.aws_s3.CfnBucket.CorsRuleProperty.name, 'CorsRuleProperty');
  const { Construct } = load('constructs', { connection, resolveFrom: repoResolveFrom() });
  t.true(new cdk.App() instanceof Construct);
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'S');
  t.true(sameObject(cdk.Stack.of(stack), stack));
  t.is(cdk.Stack.of(stack), stack); // same thread: the alias notice came with the call
  t.is(stack.node.id, 'S');
  t.is(cdk.aws_s3.BucketEncryption.KMS.name, 'KMS');
  await connection.close();
});
