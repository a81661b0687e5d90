/**
 * End to end with aws-cdk-lib, purely through kernel requests: App, Stack, an s3 Bucket
 * with enum props, a token read back, a host-implemented aspect called back during
 * synthesis (with nested requests), and `synth` writing the template.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kernel } from '../../lib/kernel/index.js';
import type { Callback, KernelRequest, ObjRef } from '../../lib/protocol/api.js';
import { repoRoot } from '../helpers/repo-root.js';

// The WASM template validator would add seconds and test nothing of ours.
process.env.CDK_VALIDATION = 'false';

function packageAt(name: string): { name: string; version: string; path: string } {
  const path = join(repoRoot(), 'node_modules', name);
  const version = (JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { version: string }).version;
  return { name, version, path };
}

test('aws-cdk-lib: build a stack, read a token, run a host aspect, synth', (t) => {
  const outdir = mkdtempSync(join(tmpdir(), 'jsii-ring-cdk-'));
  t.teardown(() => rmSync(outdir, { recursive: true, force: true }));
  const visited: string[] = [];
  const kernel: Kernel = new Kernel({
    callbackHandler: (cb: Callback) => {
      // IAspect.visit(node): ask the kernel for the visited construct's path (nested requests).
      const node = call({ api: 'get', objref: cb.invoke!.args![0] as ObjRef, property: 'node' }) as { value: ObjRef };
      visited.push((call({ api: 'get', objref: node.value, property: 'path' }) as { value: string }).value);
      return undefined;
    },
  });
  const call = (request: Record<string, unknown>): unknown => kernel.dispatch(request as unknown as KernelRequest);
  kernel.enableExtensions(['load-path', 'objid']);

  t.deepEqual(call({ api: 'load', ...packageAt('constructs') }), { assembly: 'constructs', types: 12 });
  const cdk = call({ api: 'load', ...packageAt('aws-cdk-lib') }) as { assembly: string; types: number };
  t.is(cdk.assembly, 'aws-cdk-lib');
  t.true(cdk.types > 10_000);

  const app = call({ api: 'create', fqn: 'aws-cdk-lib.App', args: [{ outdir }], objid: 'h1' });
  t.deepEqual(app, { '$jsii.byref': 'aws-cdk-lib.App@h1' });
  const stack = call({ api: 'create', fqn: 'aws-cdk-lib.Stack', args: [app, 'SmokeStack'], objid: 'h2' });
  const bucket = call({
    api: 'create', fqn: 'aws-cdk-lib.aws_s3.Bucket', objid: 'h3',
    args: [stack, 'Data', {
      versioned: true,
      encryption: { '$jsii.enum': 'aws-cdk-lib.aws_s3.BucketEncryption/S3_MANAGED' },
      removalPolicy: { '$jsii.enum': 'aws-cdk-lib.RemovalPolicy/DESTROY' },
    }],
  });
  t.deepEqual(bucket, { '$jsii.byref': 'aws-cdk-lib.aws_s3.Bucket@h3' });

  // A token string comes back as a string, and the library recognizes it as a token.
  const name = (call({ api: 'get', objref: { '$jsii.byref': 'aws-cdk-lib.aws_s3.IBucket@h3' }, property: 'bucketName' }) as { value: string }).value;
  t.regex(name, /^\$\{Token\[TOKEN\.\d+\]\}$/);
  t.deepEqual(call({ api: 'sinvoke', fqn: 'aws-cdk-lib.Token', method: 'isUnresolved', args: [name] }), { result: true });

  // A host-implemented aspect, visited during synthesis.
  const aspect = call({ api: 'create', fqn: 'Object', interfaces: ['aws-cdk-lib.IAspect'], overrides: [{ method: 'visit' }], objid: 'h4' });
  const aspects = call({ api: 'sinvoke', fqn: 'aws-cdk-lib.Aspects', method: 'of', args: [stack], objid: 'h5' });
  call({ api: 'invoke', objref: (aspects as { result: ObjRef }).result, method: 'add', args: [aspect] });

  const assembly = call({ api: 'invoke', objref: app, method: 'synth', objid: 'h6' }) as { result: ObjRef };
  t.is(assembly.result['$jsii.byref'], 'aws-cdk-lib.cx_api.CloudAssembly@h6');
  const directory = (call({ api: 'get', objref: assembly.result, property: 'directory' }) as { value: string }).value;
  t.is(directory, outdir);

  const template = JSON.parse(readFileSync(join(outdir, 'SmokeStack.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;
  };
  const buckets = Object.values(template.Resources).filter((r) => r.Type === 'AWS::S3::Bucket');
  t.is(buckets.length, 1);
  t.deepEqual(buckets[0]!.Properties, {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    VersioningConfiguration: { Status: 'Enabled' },
  });
  t.is(buckets[0]!.DeletionPolicy, 'Delete');
  t.true(visited.includes('SmokeStack/Data'), `visited: ${visited.join(', ')}`);
  t.true(visited.includes('SmokeStack/Data/Resource'));
});
