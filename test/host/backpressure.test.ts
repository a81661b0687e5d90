/**
 * Full rings and timeouts. With an unlimited pending cap only the rings hold the host
 * back; when the kernel is itself blocked on the host (a callback to serve, an error frame
 * for a full response ring), a host that only waited for room would wait forever. And a
 * kernel that never answers must become ERR_RING_TIMEOUT (once `requestTimeoutMs` is set),
 * after which the client stays failed instead of mistaking a late answer for the next one.
 *
 * `SAFETY_TIMEOUT_MS` only turns a regression (a deadlock) into a failure instead of a
 * stalled suite; no assertion depends on time.
 */
import { once } from 'node:events';
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { PipelinedRequestError } from '../../lib/host/pipeline.js';
import type { ObjRef } from '../../lib/protocol/api.js';
import { calcFqn, loadCalc, refOf } from './calc.js';
import { PROBE_CLASS, loadProbe, tempRoot, writeProbePackage } from './probe-package.js';

const SAFETY_TIMEOUT_MS = 60_000;
const SMALL_RINGS = { requestRingBytes: 4096, callbackRingBytes: 4096, responseRingBytes: 4096 } as const;
const CALCULATOR = calcFqn('Calculator');
const { root, remove } = tempRoot();
const probe = writeProbePackage(root);
test.after.always(remove);

function setUp(): { client: KernelClient; calc: ObjRef; formatter: ObjRef } {
  const client = KernelClient.start({ pendingCap: Infinity, requestTimeoutMs: SAFETY_TIMEOUT_MS, ...SMALL_RINGS });
  loadCalc(client);
  const calcId = client.allocateId();
  client.send({ api: 'create', fqn: CALCULATOR, args: [], objid: calcId });
  const formatterId = client.allocateId();
  client.send({ api: 'create', fqn: 'Object', args: [], interfaces: [calcFqn('IFormatter')], overrides: [{ property: 'suffix' }], objid: formatterId });
  client.flush();
  return { client, calc: refOf(CALCULATOR, calcId), formatter: refOf('Object', formatterId) };
}

test('the request ring fills while the kernel waits on a callback: the host serves it instead of deadlocking', async (t) => {
  const { client, calc, formatter } = setUp();
  t.teardown(() => client.terminate());
  const seen: unknown[] = [];
  client.setCallbackHandler((cb) => {
    seen.push([cb.set?.value, client.request({ api: 'get', objref: calc, property: 'value' }).value]);
    return undefined;
  });
  // Far more than a 4 KiB ring holds, all queued behind callbacks.
  for (let round = 0; round < 5; round++) {
    client.send({ api: 'sinvoke', fqn: calcFqn('Pipeline'), method: 'decorate', args: [formatter, `r${round}`] });
    for (let i = 0; i < 600; i++) {
      client.send({ api: 'set', objref: calc, property: 'value', value: round * 1000 + i });
    }
  }
  t.is(client.request({ api: 'get', objref: calc, property: 'value' }).value, 4599);
  t.deepEqual(seen, [['r0', 0], ['r1', 599], ['r2', 1599], ['r3', 2599], ['r4', 3599]]);
  await client.close();
});

test('the response ring fills with error frames while the host fills the request ring: every failure reported', async (t) => {
  const { client, calc } = setUp();
  t.teardown(() => client.terminate());
  const failing = new Set<string>();
  for (let i = 0; i < 1500; i++) {
    client.send({ api: 'set', objref: calc, property: 'value', value: i });
    const id = `h${1_000_000 + i}`;
    failing.add(id);
    client.send({ api: 'del', objref: refOf('Object', id) });
  }
  const error = t.throws(() => client.flush(), { instanceOf: PipelinedRequestError }) as PipelinedRequestError;
  const all = [error, ...error.others];
  t.is(all.length, 1500);
  t.is(new Set(all.map((e) => e.seq)).size, 1500);
  t.deepEqual(new Set(all.map((e) => /h\d+/.exec(e.message.replace(/^.*?failed: /, ''))?.[0])), failing);
  t.is(client.request({ api: 'get', objref: calc, property: 'value' }).value, 1499);
  await client.close();
});

test('a message bigger than the ring, sent while the kernel waits on a callback, arrives whole', async (t) => {
  const { client, calc, formatter } = setUp();
  t.teardown(() => client.terminate());
  client.setCallbackHandler(() => undefined);
  const big = 'x'.repeat(40_000) + 'end';
  client.send({ api: 'sinvoke', fqn: calcFqn('Pipeline'), method: 'decorate', args: [formatter, 'first'] });
  client.send({ api: 'set', objref: calc, property: 'label', value: big });
  t.is(client.request({ api: 'get', objref: calc, property: 'label' }).value, big);
  t.is(client.stats.callbacks, 1);
  await client.close();
});

test('ERR_RING_TIMEOUT: a sync request the kernel never answers; the client stays failed and ends the kernel', async (t) => {
  const client = KernelClient.start({ requestTimeoutMs: 300 });
  t.teardown(() => client.terminate());
  loadProbe(client, probe);
  const id = client.allocateId();
  client.send({ api: 'create', fqn: PROBE_CLASS, args: [], objid: id });
  const begun = client.request({ api: 'begin', objref: refOf(PROBE_CLASS, id), method: 'never', args: [] });
  const exited = once(client.worker, 'exit');
  const error = t.throws(() => client.request({ api: 'end', promiseid: begun.promiseid }), { code: 'ERR_RING_TIMEOUT' });
  t.regex(error?.message ?? '', /^The kernel was ended: it did not answer within 300 ms \(options\.requestTimeoutMs\); it was serving request #\d+ \(end\)$/);
  // Later calls fail the same way (never with a late answer taken for theirs).
  t.throws(() => client.request({ api: 'stats' }), { code: 'ERR_RING_TIMEOUT' });
  t.throws(() => client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() }), { code: 'ERR_RING_TIMEOUT' });
  await exited;
  await t.notThrowsAsync(client.close());
});

test('ERR_RING_TIMEOUT: pipelined writes into a full ring that a stuck kernel never reads', async (t) => {
  const client = KernelClient.start({ pendingCap: Infinity, requestTimeoutMs: 300, ...SMALL_RINGS });
  t.teardown(() => client.terminate());
  loadProbe(client, probe);
  const id = client.allocateId();
  client.send({ api: 'create', fqn: PROBE_CLASS, args: [], objid: id });
  const begun = client.request({ api: 'begin', objref: refOf(PROBE_CLASS, id), method: 'never', args: [] });
  // The kernel awaits a promise that never settles, and reads nothing more.
  client.send({ api: 'end', promiseid: begun.promiseid });
  const error = t.throws(() => {
    for (let i = 0; i < 10_000; i++) {
      client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
    }
  }, { code: 'ERR_RING_TIMEOUT' });
  t.regex(error?.message ?? '', /within 300 ms/);
  t.true(client.stats.pipelinedTotal < 10_000, 'the ring must have filled');
  await client.close();
});
