/**
 * Type preloading: the list a program's run leaves for the next (host/type-preload.ts), the
 * classes a client's requests named (`typesNamed`), and the kernel worker loading a list's
 * classes while idle (`preloadTypes`, worker/type-preloader.ts).
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { resolveClientOptions } from '../../lib/host/options.js';
import { MAX_PRELOAD_TYPES, preloadEnabled, preloadListFile, readPreloadList, savePreloadList } from '../../lib/host/type-preload.js';
import { calcFqn, loadCalc, refOf } from './calc.js';

function scratch(t: { teardown(fn: () => void): void }): { cacheDir: string; app: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-preload-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const app = path.join(dir, 'app.ts');
  fs.writeFileSync(app, '// an app\n');
  return { cacheDir: path.join(dir, 'cache'), app };
}

test('a saved list reads back for the same app, and is rewritten only when it changed', (t) => {
  const { cacheDir, app } = scratch(t);
  t.deepEqual(readPreloadList(app, cacheDir), []);
  const types = ['aws-cdk-lib.App', 'aws-cdk-lib.Stack', 'aws-cdk-lib.aws_sqs.Queue'];
  t.true(savePreloadList(app, types, [], cacheDir));
  t.deepEqual(readPreloadList(app, cacheDir), types);
  // The same path spelled another way is the same app.
  t.deepEqual(readPreloadList(path.join(path.dirname(app), '.', 'app.ts'), cacheDir), types);
  t.false(savePreloadList(app, types, types, cacheDir));
  t.true(savePreloadList(app, types.slice(1), types, cacheDir));
  t.deepEqual(readPreloadList(app, cacheDir), types.slice(1));
  // No temporary file is left behind.
  t.deepEqual(fs.readdirSync(path.dirname(preloadListFile(app, cacheDir))).filter((f) => f.endsWith('.tmp')), []);
});

test('an unusable list reads as none', (t) => {
  const { cacheDir, app } = scratch(t);
  const file = preloadListFile(app, cacheDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const real = fs.realpathSync(app);
  for (const content of [
    'not json',
    'null',
    JSON.stringify({ format: 2, app: real, types: ['a.B'] }),
    JSON.stringify({ format: 1, app: '/another/app.ts', types: ['a.B'] }),
    JSON.stringify({ format: 1, app: real, types: 'a.B' }),
    JSON.stringify({ format: 1, app: real, types: ['a.B', 7] }),
    JSON.stringify({ format: 1, app: real, types: ['a B'] }),
    JSON.stringify({ format: 1, app: real, types: Array.from({ length: MAX_PRELOAD_TYPES + 1 }, (_, i) => `a.T${i}`) }),
  ]) {
    fs.writeFileSync(file, content);
    t.deepEqual(readPreloadList(app, cacheDir), [], content.slice(0, 60));
  }
  fs.writeFileSync(file, JSON.stringify({ format: 1, app: real, types: ['a.B'] }));
  t.deepEqual(readPreloadList(app, cacheDir), ['a.B']);
});

test('a list that cannot be written is reported, not thrown', (t) => {
  const { cacheDir, app } = scratch(t);
  // The cache directory is a file: nothing can be created under it.
  fs.writeFileSync(cacheDir, '');
  const outcome = savePreloadList(app, ['a.B'], [], cacheDir);
  t.true(outcome instanceof Error);
});

test('JSII_RING_PRELOAD=0 turns preloading off', (t) => {
  t.true(preloadEnabled({}));
  t.true(preloadEnabled({ JSII_RING_PRELOAD: '1' }));
  t.false(preloadEnabled({ JSII_RING_PRELOAD: '0' }));
});

test('options.preloadTypes: an array of names, ring transport only', (t) => {
  t.deepEqual(resolveClientOptions({}).preloadTypes, []);
  t.is(t.throws(() => resolveClientOptions({ preloadTypes: 'a.B' as never }), { instanceOf: TypeError })?.message, 'options.preloadTypes must be an array of type names');
  t.throws(() => resolveClientOptions({ preloadTypes: [1] as never }), { instanceOf: TypeError });
  t.is(t.throws(() => resolveClientOptions({ preloadTypes: ['a.B'], transport: 'stdio' }), { instanceOf: TypeError })?.message,
    "options.preloadTypes needs transport 'ring' (got \"stdio\")");
});

/** Waits (without blocking the worker) until `check` holds or 10 s pass. */
async function eventually(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

test('the worker loads the listed classes while idle, skips what it cannot load, and serves as before', async (t) => {
  const client = KernelClient.start({
    preloadTypes: [calcFqn('Calculator'), calcFqn('NoSuchClass'), calcFqn('IOperation'), 'another-assembly.Thing', calcFqn('Doubler')],
  });
  t.teardown(() => client.close());
  t.deepEqual(client.kernelPreloaded, { types: 0, ms: 0 });
  // Nothing of the fixture's assembly can load before it is loaded.
  loadCalc(client);
  t.true(await eventually(() => client.kernelPreloaded.types === 2));
  t.true(client.kernelPreloaded.ms > 0);
  // An unknown name, an interface and a class of an assembly never loaded are not counted.
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(client.kernelPreloaded.types, 2);

  const id = client.allocateId();
  client.send({ api: 'create', fqn: calcFqn('Calculator'), args: [{ initialValue: 2 }], objid: id });
  t.deepEqual(client.request({ api: 'invoke', objref: refOf(calcFqn('Calculator'), id), method: 'add', args: [3] }), { result: 5 });
});

test('typesNamed: the classes a client\'s requests named, in the order of first use', async (t) => {
  const client = KernelClient.start();
  t.teardown(() => client.close());
  loadCalc(client);
  t.deepEqual(client.typesNamed, []);
  const a = client.allocateId();
  client.send({ api: 'create', fqn: calcFqn('Calculator'), args: [], objid: a });
  t.deepEqual(client.request({ api: 'sget', fqn: calcFqn('Statics'), property: 'ANSWER' }), { value: 42 });
  client.send({ api: 'sinvoke', fqn: calcFqn('ShapeFactory'), method: 'square', args: [2] });
  client.send({ api: 'create', fqn: calcFqn('Calculator'), args: [], objid: client.allocateId() });
  client.request({ api: 'invoke', objref: refOf(calcFqn('Calculator'), a), method: 'add', args: [1] });
  t.deepEqual(client.typesNamed, [calcFqn('Calculator'), calcFqn('Statics'), calcFqn('ShapeFactory')]);
});
