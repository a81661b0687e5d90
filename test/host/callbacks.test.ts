/**
 * Callbacks through the ring while the pipeline holds queued requests: ordering (nothing
 * queued is reordered around a callback), nesting three deep, throwing handlers, deferred
 * failures at the right callback depth, async methods and async overrides, and a handler
 * that names an id the kernel has not created yet.
 */
import test from 'ava';
import type { KernelConnection } from '../../lib/host/connection.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { PipelinedRequestError } from '../../lib/host/pipeline.js';
import { FAULT_NAME, RUNTIME_ERROR_NAME } from '../../lib/protocol/api.js';
import type { Callback, ObjRef, Override } from '../../lib/protocol/api.js';
import { calcFqn, loadCalc, refOf } from './calc.js';

const CALCULATOR = calcFqn('Calculator');
const PIPELINE = calcFqn('Pipeline');
const THROWER = calcFqn('Thrower');

/** A client with the calc fixture loaded; pendingCap Infinity unless told. */
function start(pendingCap = Infinity): KernelClient {
  const client = KernelClient.start({ pendingCap });
  loadCalc(client);
  return client;
}

/** Pipelines a host object implementing `interfaces` with `overrides`; returns its ref. */
function hostObject(client: Pick<KernelConnection, 'allocateId' | 'send'>, interfaces: readonly string[], overrides: readonly Override[]): ObjRef {
  const id = client.allocateId();
  client.send({ api: 'create', fqn: 'Object', args: [], interfaces: interfaces.map(calcFqn), overrides, objid: id });
  return refOf('Object', id);
}

/** Pipelines a fresh calculator with `initialValue`; returns its ref. */
function calculator(client: KernelClient, initialValue = 0): ObjRef {
  const id = client.allocateId();
  client.send({ api: 'create', fqn: CALCULATOR, args: [{ initialValue }], objid: id });
  return refOf(CALCULATOR, id);
}

const valueOf = (client: KernelClient, ref: ObjRef): unknown => client.request({ api: 'get', objref: ref, property: 'value' }).value;

test('a callback sees exactly the effects of the requests queued before it, none of those after', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const calc = calculator(client, 0);
  const formatter = hostObject(client, ['IFormatter'], [{ property: 'suffix' }, { property: 'prefix' }, { method: 'format' }]);
  const observed: { suffix: unknown; value: unknown; depth: number }[] = [];
  client.setCallbackHandler((cb: Callback) => {
    t.truthy(cb.set, 'Pipeline.decorate writes the suffix');
    // A sync read from inside the handler goes through the callback ring, so it is served
    // at once, between the queued requests.
    observed.push({ suffix: cb.set?.value, value: valueOf(client, calc), depth: client.pending });
    return undefined;
  });
  // With an unlimited cap the host never reads while sending: every request below is in
  // the request ring before the first callback is even looked at.
  for (let i = 1; i <= 20; i++) {
    client.send({ api: 'set', objref: calc, property: 'value', value: i });
    client.send({ api: 'sinvoke', fqn: PIPELINE, method: 'decorate', args: [formatter, `s${i}`] });
    client.send({ api: 'sinvoke', fqn: calcFqn('Statics'), method: 'reset', args: [] });
  }
  client.send({ api: 'set', objref: calc, property: 'value', value: 999 });
  t.is(client.pending, 61 + 2, 'all requests are queued before the first callback is served');
  client.flush();
  t.deepEqual(observed.map((o) => o.suffix), Array.from({ length: 20 }, (_, i) => `s${i + 1}`));
  t.deepEqual(observed.map((o) => o.value), Array.from({ length: 20 }, (_, i) => i + 1));
  t.is(client.stats.callbacks, 20);
  t.is(valueOf(client, calc), 999);
  await client.close();
});

test('requests a handler pipelines are served before its callback completes, in order', async (t) => {
  const client = start(4);
  t.teardown(() => client.terminate());
  const calc = calculator(client, 0);
  const formatter = hostObject(client, ['IFormatter'], [{ property: 'suffix' }]);
  client.setCallbackHandler(() => {
    // Pipelined from inside the handler: they go on the callback ring and the client
    // flushes them before completing the callback.
    for (let i = 0; i < 10; i++) {
      client.send({ api: 'set', objref: calc, property: 'value', value: 100 + i });
    }
    return undefined;
  });
  client.send({ api: 'sinvoke', fqn: PIPELINE, method: 'decorate', args: [formatter, 'x'] });
  client.send({ api: 'set', objref: calc, property: 'label', value: 'after' });
  t.is(valueOf(client, calc), 109);
  t.is(client.request({ api: 'get', objref: calc, property: 'label' }).value, 'after');
  await client.close();
});

test('a callback from a pipelined request is served at the host\'s next send, before any sync point', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const formatter = hostObject(client, ['IFormatter'], [{ property: 'suffix' }]);
  let served = 0;
  client.setCallbackHandler(() => {
    served++;
    return undefined;
  });
  // Pipelined: the kernel calls back while serving it, and waits for the host.
  client.send({ api: 'sinvoke', fqn: PIPELINE, method: 'decorate', args: [formatter, 'x'] });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let sends = 0;
  // No sync point below, and the cap is unlimited: only a send that looks for the kernel's
  // frames serves the callback (the kernel may need a moment to reach it).
  while (served === 0 && sends < 2_000) {
    Atomics.wait(pause, 0, 0, 1);
    client.send({ api: 'sinvoke', fqn: calcFqn('Statics'), method: 'reset', args: [] });
    sends++;
  }
  t.is(served, 1, `served after ${sends} sends`);
  t.is(client.stats.syncPoints, 1, 'only the load was a sync point');
  client.flush();
  await client.close();
});

test('callbacks nest three deep, each level making sync and pipelined requests', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const calc = calculator(client, 0);
  const ops = [0, 1, 2].map((level) => hostObject(client, ['IOperation'], [{ method: 'apply', cookie: `level${level}` }]));
  const pipelines = ops.map((op) => {
    const id = client.allocateId();
    client.send({ api: 'create', fqn: PIPELINE, args: [], objid: id });
    client.send({ api: 'invoke', objref: refOf(PIPELINE, id), method: 'add', args: [op], objid: client.allocateId() });
    return refOf(PIPELINE, id);
  });
  const trail: string[] = [];
  client.setCallbackHandler((cb: Callback) => {
    const level = Number(cb.cookie?.replace('level', ''));
    const x = cb.invoke?.args?.[0] as number;
    trail.push(`enter ${level} (label ${String(client.request({ api: 'get', objref: calc, property: 'label' }).value)})`);
    client.send({ api: 'set', objref: calc, property: 'label', value: `entered ${level}` });
    let result: number;
    if (level < 2) {
      // A sync request that makes the kernel call the next level back.
      result = client.request({ api: 'invoke', objref: pipelines[level + 1] as ObjRef, method: 'run', args: [x * 10] }).result as number;
    } else {
      result = x + 1;
    }
    // Pipelined at this depth, then read at this depth: served in between, in order.
    client.send({ api: 'set', objref: calc, property: 'label', value: `left ${level}` });
    trail.push(`leave ${level} (label ${String(client.request({ api: 'get', objref: calc, property: 'label' }).value)})`);
    return result;
  });
  client.send({ api: 'set', objref: calc, property: 'label', value: 'start' });
  const answer = client.request({ api: 'invoke', objref: pipelines[0] as ObjRef, method: 'run', args: [7] });
  t.deepEqual(answer, { result: 701 });
  t.deepEqual(trail, [
    'enter 0 (label start)', 'enter 1 (label entered 0)', 'enter 2 (label entered 1)',
    'leave 2 (label left 2)', 'leave 1 (label left 1)', 'leave 0 (label left 0)',
  ]);
  t.is(client.request({ api: 'get', objref: calc, property: 'label' }).value, 'left 0');
  t.is(client.stats.callbacks, 3);
  // The kernel counts the three callbacks too, and times only the outermost (the others ran within it).
  const busy = client.kernelBusy;
  t.is(busy.callbacks, 3);
  t.true(busy.callbackMs > 0 && busy.callbackMs <= busy.ms, `${busy.callbackMs} of ${busy.ms} ms`);
  await client.close();
});

test('a marked request: the kernel notes its busy time where it begins to serve it, whatever was pipelined before', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  t.is(client.kernelBusyAtMark, undefined, 'nothing marked yet');
  const op = hostObject(client, ['IOperation'], [{ method: 'apply' }]);
  const pipeline = client.allocateId();
  client.send({ api: 'create', fqn: PIPELINE, args: [], objid: pipeline });
  client.send({ api: 'invoke', objref: refOf(PIPELINE, pipeline), method: 'add', args: [op], objid: client.allocateId() });
  client.setCallbackHandler((cb: Callback) => {
    busyFor(40);
    return cb.invoke?.args?.[0];
  });
  // Pipelined: at least 40 ms of the kernel's time (the callback) before the marked request.
  client.send({ api: 'invoke', objref: refOf(PIPELINE, pipeline), method: 'run', args: [1] });
  client.markNextRequest();
  const before = client.kernelBusy.ms;
  t.deepEqual(client.request({ api: 'invoke', objref: refOf(PIPELINE, pipeline), method: 'run', args: [2] }), { result: 2 });
  const atMark = client.kernelBusyAtMark;
  const after = client.kernelBusy;
  t.truthy(atMark !== undefined, 'the kernel reached the marked request');
  t.true((atMark ?? 0) >= 40, `busy at the mark ${atMark} ms: the pipelined run's callback came before it`);
  t.true((atMark ?? 0) >= before && (atMark ?? Infinity) < after.ms, `${before} ≤ ${atMark} < ${after.ms}`);
  t.true(after.ms - (atMark ?? 0) >= 40, 'the marked request\'s own callback is after the mark');
  await client.close();
});

/** Spins for `ms` milliseconds: host work a callback's time must include. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

for (const [connection, open] of [
  ['the worker over the ring', () => KernelClient.start({ pendingCap: Infinity })],
  ['our kernel in this thread', () => new DirectConnection()],
] as const) {
  test(`kernel busy time includes the callbacks' handlers, counted apart (${connection})`, async (t) => {
    const client = open();
    t.teardown(() => client.close());
    loadCalc(client);
    const before = client.kernelBusy;
    const op = hostObject(client, ['IOperation'], [{ method: 'apply' }]);
    const pipeline = client.allocateId();
    client.send({ api: 'create', fqn: PIPELINE, args: [], objid: pipeline });
    for (let i = 0; i < 3; i++) {
      client.send({ api: 'invoke', objref: refOf(PIPELINE, pipeline), method: 'add', args: [op], objid: client.allocateId() });
    }
    client.setCallbackHandler((cb: Callback) => {
      busyFor(20);
      return (cb.invoke?.args?.[0] as number) + 1;
    });
    // One request, three callbacks of at least 20 ms each.
    t.deepEqual(client.request({ api: 'invoke', objref: refOf(PIPELINE, pipeline), method: 'run', args: [1] }), { result: 4 });
    const after = client.kernelBusy;
    t.is(after.callbacks - before.callbacks, 3);
    const callbackMs = after.callbackMs - before.callbackMs;
    t.true(callbackMs >= 60, `callbacks took ${callbackMs} ms`);
    t.true(after.ms - before.ms >= callbackMs, `busy ${after.ms - before.ms} ms, callbacks ${callbackMs} ms`);
    // Every request counts once: the host object's create, the pipeline's, three adds, the run.
    t.is(after.requests - before.requests, 6);
  });
}

test('a throwing handler: the library sees the error (message intact) as the reference delivers it', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const op = hostObject(client, ['IOperation'], [{ method: 'apply' }]);
  client.setCallbackHandler(() => {
    throw new Error('handler refuses');
  });
  // The library catches it: the message is what the host threw.
  t.deepEqual(client.request({ api: 'sinvoke', fqn: THROWER, method: 'catchFrom', args: [op, 1] }), { result: 'caught:handler refuses' });
  // The library lets it through: the request fails with a RuntimeError carrying it.
  const error = t.throws(() => client.request({ api: 'sinvoke', fqn: THROWER, method: 'applyThrough', args: [op, 1] }));
  t.is(error?.name, RUNTIME_ERROR_NAME);
  t.regex(error?.message ?? '', /handler refuses/);
  // Pipelined: a void call whose callback throws fails at the next sync point.
  const formatter = hostObject(client, ['IFormatter'], [{ property: 'suffix' }]);
  client.send({ api: 'sinvoke', fqn: PIPELINE, method: 'decorate', args: [formatter, 'x'] });
  const deferred = t.throws(() => client.flush(), { instanceOf: PipelinedRequestError }) as PipelinedRequestError;
  t.is(deferred.request.api, 'sinvoke');
  t.is(deferred.request.member, 'decorate');
  t.regex(deferred.message, /handler refuses/);
  t.is(deferred.others.length, 0);
  await client.close();
});

test('a handler that throws a Fault is delivered as a Fault', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const op = hostObject(client, ['IOperation'], [{ method: 'apply' }]);
  client.setCallbackHandler(() => {
    const error = new Error('bad request from the handler');
    error.name = FAULT_NAME;
    throw error;
  });
  const error = t.throws(() => client.request({ api: 'sinvoke', fqn: THROWER, method: 'applyThrough', args: [op, 1] }));
  t.regex(error?.message ?? '', /bad request from the handler/);
  await client.close();
});

test('a pipelined failure issued outside a callback is not thrown inside it, but at the next outer sync point', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const calc = calculator(client, 5);
  const formatter = hostObject(client, ['IFormatter'], [{ property: 'suffix' }]);
  const inHandler: unknown[] = [];
  let innerFailure: unknown;
  client.setCallbackHandler(() => {
    // Depth 1: the depth-0 failure below must not surface here.
    inHandler.push(valueOf(client, calc));
    // A failure issued at depth 1 surfaces at a depth-1 sync point.
    client.send({ api: 'del', objref: refOf(CALCULATOR, 'h999999') });
    try {
      valueOf(client, calc);
    } catch (error) {
      innerFailure = error;
    }
    return undefined;
  });
  client.send({ api: 'del', objref: refOf(CALCULATOR, 'h888888') });
  client.send({ api: 'sinvoke', fqn: PIPELINE, method: 'decorate', args: [formatter, 'x'] });
  // Queued behind the callback's request, so numbered before the handler's own requests.
  client.send({ api: 'set', objref: calc, property: 'value', value: 6 });
  client.send({ api: 'del', objref: refOf(CALCULATOR, 'h777777') });
  const outer = t.throws(() => client.flush(), { instanceOf: PipelinedRequestError }) as PipelinedRequestError;
  t.deepEqual(inHandler, [5]);
  t.true(innerFailure instanceof PipelinedRequestError);
  t.regex((innerFailure as PipelinedRequestError).message, /h999999/);
  t.is((innerFailure as PipelinedRequestError).request.api, 'del');
  t.is((innerFailure as PipelinedRequestError).depth, 1);
  t.regex(outer.message, /h888888/);
  t.is(outer.depth, 0);
  t.deepEqual(outer.others.map((e) => [e.request.api, e.depth, /h777777/.test(e.message)]), [['del', 0, true]],
    'the depth-1 failure was reported once, inside the handler; the later depth-0 one here, named');
  t.is(client.pending, 0);
  t.is(client.stats.pipelinedFailures, 3);
  t.is(valueOf(client, calc), 6);
  await client.close();
});

test('async methods through the ring: begin and end, resolved and rejected, ended out of order', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const calc = calculator(client, 10);
  const first = client.request({ api: 'begin', objref: calc, method: 'addLater', args: [5] });
  const second = client.request({ api: 'begin', objref: calc, method: 'addLater', args: [1] });
  const failing = client.request({ api: 'begin', objref: calc, method: 'failLater', args: ['on purpose'] });
  // Both timers fire in the order begun: 10 + 5, then + 1; ended in the other order.
  t.deepEqual(await client.requestAsync({ api: 'end', promiseid: second.promiseid }), { result: 16 });
  t.deepEqual(await client.requestAsync({ api: 'end', promiseid: first.promiseid }), { result: 15 });
  const error = await t.throwsAsync(client.requestAsync({ api: 'end', promiseid: failing.promiseid }));
  t.is(error?.name, RUNTIME_ERROR_NAME);
  t.regex(error?.message ?? '', /failLater: on purpose/);
  await client.close();
});

test('async overrides through the ring: callbacks and complete, with pipelined requests around them', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const id = client.allocateId();
  client.send({ api: 'create', fqn: CALCULATOR, args: [{ initialValue: 100 }], overrides: [{ method: 'fetchBonus' }], objid: id });
  const calc = refOf(CALCULATOR, id);
  client.setCallbackHandler(() => t.fail('async overrides are not sync callbacks'));
  const begun = client.request({ api: 'begin', objref: calc, method: 'addFetchedBonus', args: [] });
  client.send({ api: 'set', objref: calc, property: 'label', value: 'pipelined meanwhile' });
  const { callbacks } = client.request({ api: 'callbacks' });
  t.is(callbacks.length, 1);
  t.is(callbacks[0]?.invoke?.method, 'fetchBonus');
  client.request({ api: 'complete', cbid: callbacks[0]?.cbid as string, result: 7 });
  t.deepEqual(await client.requestAsync({ api: 'end', promiseid: begun.promiseid }), { result: 107 });

  // A host-implemented async interface awaited several times; then one completed with an error.
  const source = hostObject(client, ['IAsyncSource'], [{ method: 'next' }]);
  const sum = client.request({ api: 'begin', objref: calc, method: 'addFromSource', args: [source, 3] });
  for (const n of [3, 4, 5]) {
    const pending = client.request({ api: 'callbacks' }).callbacks;
    t.is(pending.length, 1);
    client.request({ api: 'complete', cbid: pending[0]?.cbid as string, result: n });
  }
  t.deepEqual(await client.requestAsync({ api: 'end', promiseid: sum.promiseid }), { result: 119 });

  const rejected = client.request({ api: 'begin', objref: calc, method: 'addFetchedBonus', args: [] });
  const [cb] = client.request({ api: 'callbacks' }).callbacks;
  client.request({ api: 'complete', cbid: cb?.cbid as string, err: 'no bonus today' });
  const error = await t.throwsAsync(client.requestAsync({ api: 'end', promiseid: rejected.promiseid }));
  t.regex(error?.message ?? '', /no bonus today/);
  t.is(client.request({ api: 'get', objref: calc, property: 'label' }).value, 'pipelined meanwhile');
  await client.close();
});

test('a handler that uses an id the kernel has not created yet gets a clear error naming it', async (t) => {
  const client = start();
  t.teardown(() => client.terminate());
  const formatter = hostObject(client, ['IFormatter'], [{ property: 'suffix' }]);
  // The callback comes from a request queued before the create of `later`.
  client.send({ api: 'sinvoke', fqn: PIPELINE, method: 'decorate', args: [formatter, 'x'] });
  const later = client.allocateId();
  client.send({ api: 'create', fqn: CALCULATOR, args: [{ initialValue: 3 }], objid: later });
  let seen: unknown;
  client.setCallbackHandler(() => {
    try {
      valueOf(client, refOf(CALCULATOR, later));
    } catch (error) {
      seen = error;
    }
    return undefined;
  });
  client.flush();
  t.true(seen instanceof Error, 'the read of a not-yet-created id must fail, never answer');
  t.is((seen as Error).name, FAULT_NAME);
  t.true((seen as Error).message.includes(`@${later}`), `the error must name ${later}: ${(seen as Error).message}`);
  // Once the queued create ran, the id works.
  t.is(valueOf(client, refOf(CALCULATOR, later)), 3);
  await client.close();
});
