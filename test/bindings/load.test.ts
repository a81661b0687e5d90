/**
 * `load` / `loadAsync`: options, dependency order, tarballs for kernels that cannot load a
 * directory, the default connection, and ordered callbacks.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load, loadAsync, setDefaultConnection, setDefaultConnectionFactory } from '../../lib/bindings/index.js';
import { ErrorCode, JsiiRingError } from '../../lib/errors.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { LoadRequest } from '../../lib/protocol/api.js';
import { calcResolveFrom, repoResolveFrom } from './helpers/packages.js';
import { ScriptedConnection } from './helpers/scripted-connection.js';

const CALC = '@jsii-ring/calc';

test('bad arguments and options are TypeErrors naming them', (t) => {
  const connection = new ScriptedConnection();
  t.throws(() => load(''), { instanceOf: TypeError, message: 'packageName must be a non-empty string' });
  t.throws(() => load(CALC, 3 as never), { instanceOf: TypeError, message: 'options must be an object' });
  t.throws(() => load(CALC, { connection: {} as never }), { instanceOf: TypeError, message: 'options.connection must be a KernelConnection' });
  t.throws(() => load(CALC, { connection, native: 'yes' as never }), { instanceOf: TypeError, message: 'options.native must be a boolean' });
  t.throws(() => load(CALC, { connection, resolveFrom: '' }), { instanceOf: TypeError, message: 'options.resolveFrom must be a non-empty string' });
  t.throws(() => load(CALC, { connection, cacheDir: '' }), { instanceOf: TypeError, message: 'options.cacheDir must be a non-empty string' });
  t.throws(() => load(CALC, { connection, orderedCallbacks: 1 as never }), { instanceOf: TypeError, message: 'options.orderedCallbacks must be a boolean' });
});

test('a package that is not installed is a load error', (t) => {
  const error = t.throws(() => load('@jsii-ring/not-there', { connection: new ScriptedConnection(), resolveFrom: calcResolveFrom() }), { instanceOf: JsiiRingError });
  t.is(error?.code, ErrorCode.LOAD);
  t.regex(error!.message, /Cannot find package @jsii-ring\/not-there/);
  // Without resolveFrom: the working directory and the bindings' own, both named.
  const fallback = t.throws(() => load('@jsii-ring/not-there', { connection: new ScriptedConnection() }), { instanceOf: JsiiRingError });
  t.is(fallback?.code, ErrorCode.LOAD);
  t.true(fallback!.message.includes(`at or above ${process.cwd()} or `), fallback!.message);
  t.regex(fallback!.message, /install it, or pass options\.resolveFrom/);
});

test('dependencies load first, each once per connection', (t) => {
  const connection = new ScriptedConnection();
  const cdk = load('aws-cdk-lib', { connection, resolveFrom: repoResolveFrom() });
  const names = connection.log.map((r) => (r.request as LoadRequest).name);
  t.is(names[names.length - 1], 'aws-cdk-lib');
  t.true(names.indexOf('constructs') < names.indexOf('aws-cdk-lib'));
  t.true(names.includes('@aws-cdk/cloud-assembly-schema'));
  t.is(new Set(names).size, names.length);
  const before = connection.log.length;
  const constructs = load('constructs', { connection, resolveFrom: repoResolveFrom() });
  t.is(connection.log.length, before); // already loaded as a dependency
  t.is(load('aws-cdk-lib', { connection, resolveFrom: repoResolveFrom() }), cdk);
  t.is(typeof constructs.Construct, 'function');
});

test('without the load-path extension, packages are sent as tarballs packed once', (t) => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-tarballs-'));
  const first = new ScriptedConnection({ loadPath: false });
  load(CALC, { connection: first, resolveFrom: calcResolveFrom(), cacheDir });
  const request = first.log[0]!.request as LoadRequest;
  t.is(request.path, undefined);
  t.true(fs.existsSync(request.tarball!));
  t.true(request.tarball!.startsWith(cacheDir));
  const stat = fs.statSync(request.tarball!);
  const second = new ScriptedConnection({ loadPath: false });
  load(CALC, { connection: second, resolveFrom: calcResolveFrom(), cacheDir });
  t.is((second.log[0]!.request as LoadRequest).tarball, request.tarball);
  t.is(fs.statSync(request.tarball!).mtimeMs, stat.mtimeMs); // reused, not packed again
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

test('loadAsync loads with requestAsync and gives the same namespace', async (t) => {
  const connection = new ScriptedConnection();
  const calc = await loadAsync(CALC, { connection, resolveFrom: calcResolveFrom() });
  t.is(connection.log[0]!.mode, 'requestAsync');
  t.is(load(CALC, { connection, resolveFrom: calcResolveFrom() }), calc);
  t.is(await loadAsync('constructs', { native: true, resolveFrom: repoResolveFrom() }), require(path.join(repoResolveFrom(), 'node_modules', 'constructs')));
});

test.serial('without a connection option, load uses the default connection', (t) => {
  const connection = new ScriptedConnection();
  setDefaultConnectionFactory(() => connection);
  try {
    const calc = load(CALC, { resolveFrom: calcResolveFrom() });
    new calc.Literal(1);
    t.like(connection.last().request, { api: 'create', fqn: `${CALC}.Literal` });
  } finally {
    setDefaultConnection(undefined);
    setDefaultConnectionFactory(undefined);
  }
});

test('ordered callbacks: host state changed by a callback is changed when a pipelined call returns', async (t) => {
  const connection = KernelClient.start();
  try {
    const calc = load(CALC, { connection, resolveFrom: calcResolveFrom(), orderedCallbacks: true });
    const formatter = { prefix: '<', suffix: '>', format: (v: number) => `v${v}` };
    calc.Pipeline.decorate(formatter, '!'); // void: pipelined, then flushed
    t.is(formatter.suffix, '!');
    calc.Pipeline.decorate(formatter, '?');
    t.is(formatter.suffix, '?');
  } finally {
    await connection.close();
  }
});
