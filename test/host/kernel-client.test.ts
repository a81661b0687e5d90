import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { DEFAULT_PENDING_CAP, DEFAULT_SPIN, resolveClientOptions } from '../../lib/host/options.js';
import { PipelinedRequestError } from '../../lib/host/pipeline.js';
import type { ObjRef } from '../../lib/protocol/api.js';

const ref = (id: string): ObjRef => ({ '$jsii.byref': `Object@${id}` });

test('the handshake names the kernel and what it agreed to', async (t) => {
  const client = KernelClient.start();
  t.teardown(() => client.close());
  t.regex(client.welcome.hello, /^jsii-ring@/);
  t.deepEqual(client.capabilities, { objid: true, pipeline: true, loadPath: true, jsValues: true, beforeExit: true });
  t.true(client.welcome.capabilities.codecs.includes('msgpack'));
});

test('spawn returns before the handshake; the first use completes it, with what start agrees to', async (t) => {
  const first = KernelClient.spawn();
  t.teardown(() => first.close());
  // A request is the first use here: it shakes hands, then is served.
  t.is(first.request({ api: 'stats' }).objectCount, 0);
  t.deepEqual(first.capabilities, { objid: true, pipeline: true, loadPath: true, jsValues: true, beforeExit: true });
  const second = KernelClient.spawn({ extensions: [] });
  t.teardown(() => second.close());
  // Reading what was agreed is a first use too.
  t.deepEqual(second.capabilities, { objid: false, pipeline: false, loadPath: false, jsValues: false, beforeExit: false });
  t.regex(second.welcome.hello, /jsii-ring@|@jsii\/runtime@/);
  // A client closed before any use shakes hands to close cleanly.
  await t.notThrowsAsync(KernelClient.spawn().close());
});

test('over the ring the host sends its first requests before the kernel has greeted; the first answer brings the welcome', async (t) => {
  const client = KernelClient.spawn();
  t.teardown(() => client.close());
  // What was agreed is known at once (the worker is this build), without reading anything.
  t.deepEqual(client.capabilities, { objid: true, pipeline: true, loadPath: true, jsValues: true, beforeExit: true });
  client.send({ api: 'create', fqn: 'Object', objid: 'h1' });
  client.send({ api: 'create', fqn: 'Object', objid: 'h2' });
  // Nothing was read yet: the worker (which takes tens of ms to boot) has not been waited for.
  t.false(client.greeted);
  t.is(client.request({ api: 'stats' }).objectCount, 2);
  t.true(client.greeted);
  t.regex(client.welcome.hello, /^jsii-ring@/);
});

test('a worker that does not greet within startTimeoutMs fails the first wait, not the requests sent before it', async (t) => {
  const client = KernelClient.spawn({ startTimeoutMs: 1 });
  t.teardown(() => client.terminate());
  // Sent without waiting for the worker.
  t.notThrows(() => client.send({ api: 'create', fqn: 'Object', objid: 'h1' }));
  const error = t.throws(() => client.request({ api: 'stats' }));
  t.is((error as { code?: string }).code, 'ERR_RING_TIMEOUT');
  t.regex(error!.message, /The kernel worker did not start within 1 ms \(options\.startTimeoutMs\)/);
  // The link is gone: later use says so instead of waiting again.
  t.throws(() => client.request({ api: 'stats' }), { code: 'ERR_RING_TIMEOUT' });
});

test('a host that asks for no extension gets plain jsii behaviour', async (t) => {
  const client = KernelClient.start({ extensions: [] });
  t.teardown(() => client.close());
  t.deepEqual(client.capabilities, { objid: false, pipeline: false, loadPath: false, jsValues: false, beforeExit: false });
  const created = client.request({ api: 'create', fqn: 'Object' });
  t.regex(created['$jsii.byref'], /^Object@10000$/);
  // Without the extension an `objid` field is an unknown field, ignored as the reference does.
  t.deepEqual(client.request({ api: 'create', fqn: 'Object', objid: 'h1' }), { '$jsii.byref': 'Object@10001' });
});

for (const codec of ['msgpack', 'json'] as const) {
  test(`pipelined creates are all served before the next sync point (${codec})`, async (t) => {
    const client = KernelClient.start({ codec, pendingCap: 16 });
    t.teardown(() => client.close());
    let most = 0;
    for (let i = 0; i < 1000; i++) {
      client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
      most = Math.max(most, client.pending);
    }
    t.true(most <= 16, `never more than the cap in flight (saw ${most})`);
    t.is(client.request({ api: 'stats' }).objectCount, 1000);
    t.is(client.stats.pipelinedTotal, 1000);
    t.true(client.stats.capWaits > 0, 'a cap of 16 must have made the host wait');
    // Each wait lasts until half the cap is left, so 8 sends at least come between waits.
    t.true(client.stats.capWaits <= 1000 / 8, `${client.stats.capWaits} cap waits`);
  });
}

test('pendingCap 0 makes send synchronous: a failure is thrown at the call', async (t) => {
  const client = KernelClient.start({ pendingCap: 0 });
  t.teardown(() => client.close());
  t.false(client.capabilities.pipeline);
  const error = t.throws(() => client.send({ api: 'del', objref: ref('h77') }));
  t.is(error?.name, '@jsii/kernel.Fault');
});

test('failed pipelined requests are reported once, at the next sync point, first with the rest attached', async (t) => {
  const client = KernelClient.start({ pendingCap: Infinity, captureCallSites: true });
  t.teardown(() => client.close());
  const good = client.allocateId();
  client.send({ api: 'create', fqn: 'Object', objid: good });
  client.send({ api: 'del', objref: ref('h900') }); // fails: never created
  client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
  client.send({ api: 'del', objref: ref('h901') }); // fails
  const error = t.throws(() => client.request({ api: 'stats' }), { instanceOf: PipelinedRequestError }) as PipelinedRequestError;
  t.is(error.code, 'ERR_DEFERRED_FAILURE');
  t.is(error.seq, 2);
  t.is(error.request.api, 'del');
  t.is(error.jsiiName, '@jsii/kernel.Fault');
  t.is(error.others.length, 1);
  t.is(error.others[0]?.seq, 4);
  t.regex(error.callSite ?? '', /kernel-client\.test\.(js|ts)/);
  t.truthy(error.kernelStack);
  t.is(client.stats.pipelinedFailures, 2);
  // Reported once: the next sync point is clean, and independent requests succeeded.
  t.is(client.request({ api: 'stats' }).objectCount, 2);
});

test('call sites are not captured by default; the error says how to record them', async (t) => {
  const client = KernelClient.start({ pendingCap: Infinity });
  t.teardown(() => client.close());
  client.send({ api: 'del', objref: ref('h900') });
  const error = t.throws(() => client.flush(), { instanceOf: PipelinedRequestError }) as PipelinedRequestError;
  t.is(error.callSite, undefined);
  t.regex(error.stack ?? '', /issued at: not recorded \(set the client option captureCallSites: true, or JSII_RING_CALL_SITES=1\)/);
  t.truthy(error.kernelStack);
});

test('JSII_RING_CALL_SITES=1 turns call-site capture on unless the options choose', (t) => {
  const saved = process.env.JSII_RING_CALL_SITES;
  t.teardown(() => {
    if (saved === undefined) delete process.env.JSII_RING_CALL_SITES;
    else process.env.JSII_RING_CALL_SITES = saved;
  });
  delete process.env.JSII_RING_CALL_SITES;
  t.false(resolveClientOptions().captureCallSites);
  process.env.JSII_RING_CALL_SITES = '1';
  t.true(resolveClientOptions().captureCallSites);
  t.false(resolveClientOptions({ captureCallSites: false }).captureCallSites);
  process.env.JSII_RING_CALL_SITES = '0';
  t.false(resolveClientOptions().captureCallSites);
});

test('options.spin must be a non-negative integer', (t) => {
  t.is(resolveClientOptions().spin, DEFAULT_SPIN);
  t.is(resolveClientOptions({ spin: 0 }).spin, 0);
  t.is(t.throws(() => resolveClientOptions({ spin: -1 }), { instanceOf: RangeError })?.message, 'options.spin must be a non-negative integer (got -1)');
  t.throws(() => resolveClientOptions({ spin: 1.5 }), { instanceOf: RangeError });
});

test('a client with spin 0 sleeps on every wait and still answers', async (t) => {
  const client = KernelClient.start({ spin: 0 });
  t.teardown(() => client.close());
  for (let i = 0; i < 50; i++) client.request({ api: 'stats' });
  const response = client.ringStats.response;
  t.is(response.spinIterations, 0);
  t.true(response.sleeps > 0);
});

test('a request using an id whose creation failed names the root cause', async (t) => {
  const client = KernelClient.start();
  t.teardown(() => client.close());
  const id = client.allocateId();
  client.send({ api: 'create', fqn: 'no.such.Type', objid: id });
  client.send({ api: 'del', objref: ref(id) });
  const error = t.throws(() => client.flush(), { instanceOf: PipelinedRequestError }) as PipelinedRequestError;
  t.is(error.request.api, 'create');
  t.is(error.others.length, 1);
  t.regex(error.others[0]?.message ?? '', new RegExp(id));
  t.regex(error.others[0]?.message ?? '', /no\.such\.Type|create/);
});

test('close() reports a deferred failure and still ends the worker', async (t) => {
  const client = KernelClient.start();
  client.send({ api: 'del', objref: ref('h5') });
  await t.throwsAsync(() => client.close(), { code: 'ERR_DEFERRED_FAILURE' });
  t.throws(() => client.request({ api: 'stats' }), { code: 'ERR_CLOSED' });
  await t.notThrowsAsync(() => client.close());
});

test('close({ awaitExit: false }) drains and reports like close(), and the worker ends on its own', async (t) => {
  const client = KernelClient.start();
  let exited = false;
  const exit = new Promise<number>((resolve) => client.worker.once('exit', (code) => {
    exited = true;
    resolve(code);
  }));
  client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
  client.send({ api: 'del', objref: ref('h999') });
  await t.throwsAsync(() => client.close({ awaitExit: false }), { code: 'ERR_DEFERRED_FAILURE' });
  // Returned before the thread's teardown: the worker exits afterwards, with code 0 (BYE).
  t.false(exited);
  t.is(await exit, 0);
  t.throws(() => client.request({ api: 'stats' }), { code: 'ERR_CLOSED' });
  await t.notThrowsAsync(() => client.close());
});

test('a client whose worker is gone fails every call with ERR_PEER_GONE and the reason', async (t) => {
  const client = KernelClient.start();
  await client.worker.terminate();
  const error = t.throws(() => client.request({ api: 'stats' }), { code: 'ERR_PEER_GONE' });
  t.regex(error?.message ?? '', /kernel is gone/);
  t.throws(() => client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() }), { code: 'ERR_PEER_GONE' });
  await client.close();
});

test('the stdio transport drives our kernel with the same client', async (t) => {
  const client = KernelClient.start({ transport: 'stdio', stdioKernel: 'ours' });
  t.teardown(() => client.close());
  t.regex(client.welcome.hello, /^jsii-ring@/);
  t.false(client.capabilities.pipeline);
  client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
  t.is(client.request({ api: 'stats' }).objectCount, 1);
});

test('the stdio transport drives the reference runtime with the same client', async (t) => {
  const client = KernelClient.start({ transport: 'stdio', stdioKernel: 'reference' });
  t.teardown(() => client.close());
  t.regex(client.welcome.hello, /^@jsii\/runtime@1\.140\.0$/);
  t.deepEqual(client.capabilities, { objid: false, pipeline: false, loadPath: false, jsValues: false, beforeExit: false });
  t.deepEqual(client.request({ api: 'create', fqn: 'Object' }), { '$jsii.byref': 'Object@10000' });
  t.is(client.request({ api: 'stats' }).objectCount, 1);
});

test('options are validated with messages that name the option', (t) => {
  t.is(resolveClientOptions().pendingCap, DEFAULT_PENDING_CAP);
  t.is(t.throws(() => resolveClientOptions({ pendingCap: -1 }), { instanceOf: RangeError })?.message,
    'options.pendingCap must be a non-negative integer or Infinity (got -1)');
  t.is(t.throws(() => resolveClientOptions({ pendingCap: 1.5 }), { instanceOf: RangeError })?.message,
    'options.pendingCap must be a non-negative integer or Infinity (got 1.5)');
  t.is(t.throws(() => resolveClientOptions({ codec: 'xml' as never }), { instanceOf: TypeError })?.message,
    'options.codec must be one of msgpack, json (got "xml")');
  t.is(t.throws(() => resolveClientOptions({ requestRingBytes: 5000 }), { instanceOf: RangeError })?.message,
    'options.requestRingBytes must be a power of two of at least 4096 (got 5000)');
  t.is(t.throws(() => resolveClientOptions({ startTimeoutMs: 0 }), { instanceOf: RangeError })?.message,
    'options.startTimeoutMs must be a positive number of milliseconds or Infinity (got 0)');
  t.is(t.throws(() => resolveClientOptions({ transport: 'pipe' as never }), { instanceOf: TypeError })?.message,
    'options.transport must be one of ring, stdio (got "pipe")');
  t.is(t.throws(() => resolveClientOptions({ stdioKernel: [] }), { instanceOf: TypeError })?.message,
    "options.stdioKernel must be 'ours', 'reference' or a non-empty command array (got [])");
  t.is(t.throws(() => resolveClientOptions({ captureCallSites: 'yes' as never }), { instanceOf: TypeError })?.message,
    'options.captureCallSites must be a boolean (got string)');
  t.is(t.throws(() => resolveClientOptions({ extensions: [1] as never }), { instanceOf: TypeError })?.message,
    'options.extensions must be an array of extension names');
  t.is(t.throws(() => resolveClientOptions({ onRequest: 1 as never }), { instanceOf: TypeError })?.message,
    'options.onRequest must be a function');
  t.is(t.throws(() => resolveClientOptions({ onProgress: 'x' as never }), { instanceOf: TypeError })?.message,
    'options.onProgress must be a function');
});

test('onProgress is told the count after every 1,024th request, sync or pipelined', async (t) => {
  const seen: number[] = [];
  const client = KernelClient.start({ onProgress: (issued) => seen.push(issued) });
  t.teardown(() => client.close());
  for (let i = 0; i < 1_500; i++) client.send({ api: 'stats' });
  for (let i = 0; i < 1_600; i++) client.request({ api: 'stats' });
  t.deepEqual(seen, [1_024, 2_048, 3_072]);
  t.is(client.issued, 3_100);
});
