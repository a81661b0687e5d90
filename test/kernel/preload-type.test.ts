/**
 * `Kernel.preloadType`: loads the module behind a class or enum of a loaded assembly, as its
 * first use would, and nothing else; says `waiting` before the assembly is loaded, `used`
 * once a request resolved it first, and `skipped` for what it cannot load.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kernel } from '../../lib/kernel/index.js';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { repoRoot } from '../helpers/repo-root.js';

function packageAt(name: string): { name: string; version: string; path: string } {
  const path = join(repoRoot(), 'node_modules', name);
  const version = (JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { version: string }).version;
  return { name, version, path };
}

/** Whether this thread has required a module whose path ends with `suffix`. */
function moduleLoaded(suffix: string): boolean {
  return Object.keys(require.cache).some((file) => file.split('\\').join('/').endsWith(suffix));
}

test('loads the class module of a loaded assembly ahead of its first use', (t) => {
  const kernel = new Kernel();
  kernel.enableExtensions(['load-path', 'objid']);
  const call = (request: Record<string, unknown>): unknown => kernel.dispatch(request as unknown as KernelRequest);

  t.is(kernel.preloadType('aws-cdk-lib.aws_sqs.Queue'), 'waiting');
  t.is(kernel.assemblyCount, 0);
  call({ api: 'load', ...packageAt('constructs') });
  call({ api: 'load', ...packageAt('aws-cdk-lib') });
  t.is(kernel.assemblyCount, 2);

  // The library's index is lazy: loading the assembly does not load the class's module.
  t.false(moduleLoaded('aws-cdk-lib/aws-sqs/lib/queue.js'));
  t.is(kernel.preloadType('aws-cdk-lib.aws_sqs.Queue'), 'loaded');
  t.true(moduleLoaded('aws-cdk-lib/aws-sqs/lib/queue.js'));
  t.is(kernel.preloadType('aws-cdk-lib.aws_sqs.Queue'), 'used');
  // An enum loads too.
  t.is(kernel.preloadType('aws-cdk-lib.aws_sqs.QueueEncryption'), 'loaded');

  // Nothing was created: the first object of the session still gets the first kernel id.
  const app = call({ api: 'create', fqn: 'aws-cdk-lib.App', args: [] }) as { '$jsii.byref': string };
  t.regex(app['$jsii.byref'], /^aws-cdk-lib\.App@10000$/);
  // A class a request resolved first is `used`.
  t.is(kernel.preloadType('aws-cdk-lib.App'), 'used');
});

test('skips what it cannot load: interfaces, structs, unknown types of a loaded assembly', (t) => {
  const kernel = new Kernel();
  kernel.enableExtensions(['load-path']);
  kernel.dispatch({ api: 'load', ...packageAt('constructs') } as unknown as KernelRequest);
  t.is(kernel.preloadType('constructs.IConstruct'), 'skipped');
  t.is(kernel.preloadType('constructs.MetadataEntry'), 'skipped');
  t.is(kernel.preloadType('constructs.NoSuchType'), 'skipped');
  t.is(kernel.preloadType('constructs.Construct'), 'loaded');
  // Another assembly's type waits for that assembly.
  t.is(kernel.preloadType('aws-cdk-lib.Stack'), 'waiting');
});
