/**
 * `KernelClient.kernelHeap()`: the kernel isolate's heap, out of band. It sees what the
 * kernel holds (objects created through the rings), runs a full GC when the process exposes
 * one, and refuses where it cannot answer.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ErrorCode, JsiiRingError } from '../../lib/errors.js';
import { KernelClient } from '../../lib/host/kernel-client.js';

const CLIENT = path.resolve(__dirname, '..', '..', 'lib', 'host', 'kernel-client.js');

test('the kernel heap grows with the objects the kernel holds', async (t) => {
  const client = KernelClient.start();
  t.teardown(() => client.close());
  client.request({ api: 'stats' });
  // A generous deadline: on a loaded machine the idle kernel can take seconds to get a core.
  const before = await client.kernelHeap({ timeoutMs: 120_000 });
  t.false(before.gcRan, 'this process has no exposed gc');
  t.true(before.usedHeapSize > 1024 * 1024 && before.usedHeapSize < before.heapSizeLimit, JSON.stringify(before));
  t.true(before.totalHeapSize >= before.usedHeapSize);
  // 50,000 kernel objects held in its object table: several MB in the kernel's isolate only.
  for (let i = 0; i < 50_000; i++) client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
  t.is(client.request({ api: 'stats' }).objectCount, 50_000);
  const after = await client.kernelHeap({ timeoutMs: 120_000 });
  t.true(after.usedHeapSize - before.usedHeapSize > 2 * 1024 * 1024, `grew ${after.usedHeapSize - before.usedHeapSize} bytes`);
});

test('with gc exposed, a full GC runs first: garbage the kernel dropped is gone', (t) => {
  const script = `
    require('v8').setFlagsFromString('--expose-gc');
    const { KernelClient } = require(${JSON.stringify(CLIENT)});
    (async () => {
      const client = KernelClient.start();
      const ids = [];
      for (let i = 0; i < 50000; i++) { const id = client.allocateId(); ids.push(id); client.send({ api: 'create', fqn: 'Object', objid: id }); }
      client.flush();
      const held = await client.kernelHeap({ gc: true, timeoutMs: 120000 });
      for (const id of ids) client.send({ api: 'del', objref: { '$jsii.byref': 'Object@' + id } });
      client.flush();
      const freed = await client.kernelHeap({ gc: true, timeoutMs: 120000 });
      console.log(JSON.stringify({ held, freed }));
      await client.close();
    })();
  `;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  t.is(child.status, 0, child.stderr);
  const { held, freed } = JSON.parse(child.stdout) as { held: { usedHeapSize: number; gcRan: boolean }; freed: { usedHeapSize: number; gcRan: boolean } };
  t.true(held.gcRan && freed.gcRan);
  t.true(held.usedHeapSize - freed.usedHeapSize > 2 * 1024 * 1024, `held ${held.usedHeapSize}, after del + gc ${freed.usedHeapSize}`);
});

test('kernelHeap is refused over stdio, with a bad timeout, and after close', async (t) => {
  const stdio = KernelClient.start({ transport: 'stdio' });
  await t.throwsAsync(stdio.kernelHeap(), { instanceOf: JsiiRingError, code: ErrorCode.INVALID_OPTION, message: /needs the ring transport/ });
  await stdio.close();
  const client = KernelClient.start();
  for (const bad of [0, -5, Number.NaN, Infinity]) {
    await t.throwsAsync(client.kernelHeap({ timeoutMs: bad }), { instanceOf: RangeError, message: /options\.timeoutMs must be a positive number/ });
  }
  await client.close();
  await t.throwsAsync(client.kernelHeap(), { instanceOf: JsiiRingError, code: ErrorCode.CLOSED });
});
