/** The reference runtime driver: envelopes, callbacks with nested requests, failures. */
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { ensureFixtures } from './fixture.js';
import { DriverError, DriverErrorCode } from './protocol-driver.js';
import { startReferenceRuntime } from './reference-runtime.js';

const { calc } = ensureFixtures();
const LOAD = { api: 'load', name: calc.name, version: calc.version, tarball: calc.tarball } as const;

test('answers ok and error envelopes', async (t) => {
  const driver = startReferenceRuntime();
  t.teardown(() => driver.close());
  t.deepEqual(await driver.request({ api: 'stats' }), { ok: { objectCount: 0 } });
  t.deepEqual(await driver.request(LOAD), { ok: { assembly: '@jsii-ring/calc', types: 27 } });
  const error = await driver.request({ api: 'create', fqn: '@jsii-ring/calc.Nope' });
  t.true('error' in error);
  if ('error' in error) {
    t.is(error.name, '@jsii/kernel.Fault');
    t.regex(error.error, /Nope/);
  }
});

test('serves callbacks, with nested requests made while a callback is open', async (t) => {
  const driver = startReferenceRuntime();
  t.teardown(() => driver.close());
  await driver.request(LOAD);
  const created = await driver.request({ api: 'create', fqn: '@jsii-ring/calc.Calculator', args: [], overrides: [{ method: 'bonus' }] });
  t.true('ok' in created);
  const objref = (created as { ok: { '$jsii.byref': string } }).ok;
  const seen: string[] = [];
  driver.onCallback = async (cb, self) => {
    seen.push(cb.invoke?.method ?? '?');
    // Nested: read the calculator's value while the kernel waits for this callback.
    const nested = await self.request({ api: 'get', objref, property: 'value' } as KernelRequest);
    const value = 'ok' in nested ? (nested.ok as { value: number }).value : -1;
    return { result: value + 40 };
  };
  await driver.request({ api: 'invoke', objref, method: 'add', args: [2] });
  t.deepEqual(await driver.request({ api: 'invoke', objref, method: 'total', args: [] }), { ok: { result: 44 } });
  t.deepEqual(seen, ['bonus']);

  driver.onCallback = async () => ({ err: 'refused' });
  const failed = await driver.request({ api: 'invoke', objref, method: 'total', args: [] });
  t.like(failed, { error: 'refused', name: '@jsii/kernel.RuntimeError' });
});

test('concurrent top-level requests are queued, not interleaved', async (t) => {
  const driver = startReferenceRuntime();
  t.teardown(() => driver.close());
  await driver.request(LOAD);
  const answers = await Promise.all([1, 2, 3].map((n) =>
    driver.request({ api: 'sinvoke', fqn: '@jsii-ring/calc.Statics', method: 'add', args: [n, 100] })));
  t.deepEqual(answers, [{ ok: { result: 101 } }, { ok: { result: 102 } }, { ok: { result: 103 } }]);
});

test('a request that kills the runtime rejects with a DriverError, and so does every later one', async (t) => {
  const driver = startReferenceRuntime();
  t.teardown(() => driver.close());
  const crash = await t.throwsAsync(driver.request({ api: 'nope' } as unknown as KernelRequest), { instanceOf: DriverError });
  t.is(crash?.code, DriverErrorCode.GONE);
  const after = await t.throwsAsync(driver.request({ api: 'stats' }), { instanceOf: DriverError });
  t.is(after?.code, DriverErrorCode.GONE);
});

test('a request the runtime never answers times out with a DriverError', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jsii-ring-driver-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const silent = join(dir, 'silent-runtime.js');
  // Says hello, then reads requests and never answers them.
  writeFileSync(silent, 'process.stdout.write(JSON.stringify({ hello: "silent@0" }) + "\\n"); process.stdin.resume();');
  const driver = startReferenceRuntime({ timeoutMs: 500, entryPoint: silent });
  t.teardown(() => driver.close());
  const error = await t.throwsAsync(driver.request({ api: 'stats' }), { instanceOf: DriverError });
  t.is(error?.code, DriverErrorCode.TIMEOUT);
});

test('the reference exits when end waits on a promise nothing can settle', async (t) => {
  const driver = startReferenceRuntime();
  t.teardown(() => driver.close());
  await driver.request(LOAD);
  const created = await driver.request({ api: 'create', fqn: '@jsii-ring/calc.Calculator', args: [], overrides: [{ method: 'fetchBonus' }] });
  const objref = (created as { ok: { '$jsii.byref': string } }).ok;
  const begun = await driver.request({ api: 'begin', objref, method: 'addFetchedBonus', args: [] } as unknown as KernelRequest);
  const promiseid = (begun as { ok: { promiseid: string } }).ok.promiseid;
  // The async override's callback is never completed, so the promise never settles; the
  // runtime has nothing left to wait on and its process ends.
  const error = await t.throwsAsync(driver.request({ api: 'end', promiseid }), { instanceOf: DriverError });
  t.is(error?.code, DriverErrorCode.GONE);
});

test('close is idempotent and later requests reject', async (t) => {
  const driver = startReferenceRuntime();
  await driver.request({ api: 'stats' });
  await driver.close();
  await driver.close();
  const error = await t.throwsAsync(driver.request({ api: 'stats' }), { instanceOf: DriverError });
  t.is(error?.code, DriverErrorCode.GONE);
});
