/**
 * Async methods (`begin`/`end`) and async overrides (`callbacks`/`complete`).
 */
import test from 'ava';
import { JsiiFault } from '../../lib/errors.js';
import { SETTLE_AFTER } from '../../lib/kernel/index.js';
import { EXTRAS, extrasPackage } from './extras-fixture.js';
import { calcKernel, fqn, RUNTIME, SERIALIZATION, throwsFault, throwsRuntime } from './kernel-fixture.js';

const CALCULATOR = fqn('Calculator');

/** Lets promise jobs and timers of the library run, as a host must after begin/complete. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1));
}

test('begin and end an async method', async (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR });
  const { promiseid } = k.call({ api: 'begin', objref: calc, method: 'addLater', args: [2] });
  t.is(promiseid, 'jsii::promise::20000');
  t.true(k.kernel.dispatch({ api: 'end', promiseid }) instanceof Promise, 'end answers with a promise');
  // (the dispatch above consumed the promise; start another)
  const second = k.call({ api: 'begin', objref: calc, method: 'addLater', args: [3] });
  t.deepEqual(await k.callAsync({ api: 'end', promiseid: second.promiseid }), { result: 5 });
  await t.throwsAsync(k.callAsync({ api: 'end', promiseid: second.promiseid }), {
    instanceOf: JsiiFault, message: 'Cannot find promise with ID: jsii::promise::20001',
  });
});

test('a rejected async method ends with a RuntimeError keeping the library frames', async (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR });
  const { promiseid } = k.call({ api: 'begin', objref: calc, method: 'failLater', args: ['x'] });
  const error = await t.throwsAsync(k.callAsync({ api: 'end', promiseid }), { message: 'Error: failLater: x' });
  t.is(error?.name, RUNTIME);
  t.regex(error?.stack ?? '', /at Calculator\.failLater/);
});

test('begin errors', (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR });
  throwsFault(t, () => k.call({ api: 'begin', objref: calc, method: 'add', args: [1] }), 'Method add is expected to be an async method');
  throwsFault(t, () => k.call({ api: 'begin', objref: calc, method: 'addLater' }),
    "Not enough arguments. Missing argument for the required parameter 'x' of type 'number'");
  throwsFault(t, () => k.call({ api: 'begin', objref: calc, method: 'nope' }), `Class ${CALCULATOR} doesn't have a method 'nope'`);
  // Conversion failures in begin keep the unwrapped name, as in the reference.
  throwsRuntime(t, () => k.call({ api: 'begin', objref: calc, method: 'addLater', args: ['x'] }), SERIALIZATION,
    /^Passed to parameter x of async method @jsii-ring\/calc\.Calculator#addLater: Unable to deserialize value as number\n/);
});

test('async overrides queue callbacks, completed by the host', async (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'fetchBonus', cookie: 'fb' }] });
  const { promiseid } = k.call({ api: 'begin', objref: calc, method: 'addFetchedBonus' });
  const { callbacks } = k.call({ api: 'callbacks' });
  t.deepEqual(callbacks, [{ cbid: 'jsii::callback::20000', cookie: 'fb', invoke: { objref: calc, method: 'fetchBonus', args: [] } }]);
  t.deepEqual(k.call({ api: 'callbacks' }), { callbacks: [] }, 'each callback is handed out once');
  t.deepEqual(k.call({ api: 'complete', cbid: 'jsii::callback::20000', result: 41 }), { cbid: 'jsii::callback::20000' });
  throwsFault(t, () => k.call({ api: 'complete', cbid: 'jsii::callback::20000', result: 41 }), 'Callback jsii::callback::20000 not found');
  t.deepEqual(await k.callAsync({ api: 'end', promiseid }), { result: 41 });
});

test('a host interface implemented asynchronously, several callbacks in turn', async (t) => {
  const k = calcKernel();
  const source = k.call({ api: 'create', fqn: 'Object', interfaces: [fqn('IAsyncSource')], overrides: [{ method: 'next' }] });
  const calc = k.call({ api: 'create', fqn: CALCULATOR });
  const started = k.call({ api: 'begin', objref: calc, method: 'addFromSource', args: [source, 3] });
  for (let i = 1; i <= 3; i++) {
    await settle();
    const { callbacks } = k.call({ api: 'callbacks' });
    t.is(callbacks.length, 1);
    k.call({ api: 'complete', cbid: callbacks[0].cbid, result: i * 10 });
  }
  t.deepEqual(await k.callAsync({ api: 'end', promiseid: started.promiseid }), { result: 60 });
});

test('a host failing an async callback rejects the library promise', async (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'fetchBonus' }] });
  for (const [name, expected] of [['@jsii/kernel.Fault', '@jsii/kernel.Fault'], [undefined, RUNTIME]] as const) {
    const { promiseid } = k.call({ api: 'begin', objref: calc, method: 'addFetchedBonus' });
    const [cb] = k.call({ api: 'callbacks' }).callbacks;
    k.call({ api: 'complete', cbid: cb.cbid, err: 'no bonus today', ...(name !== undefined ? { name } : {}) });
    const error = await t.throwsAsync(k.callAsync({ api: 'end', promiseid }), { message: 'no bonus today' });
    t.is(error?.name, expected);
  }
});

test('a refused complete result fails the async call instead of hanging', async (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'fetchBonus' }] });
  const { promiseid } = k.call({ api: 'begin', objref: calc, method: 'addFetchedBonus' });
  const [cb] = k.call({ api: 'callbacks' }).callbacks;
  throwsRuntime(t, () => k.call({ api: 'complete', cbid: cb.cbid, result: 'x' }), SERIALIZATION, [
    'Returned by callback [object Object]: Unable to deserialize value as number',
    '├── 🛑 Failing value is a string',
    "│      'x'",
    '╰── 🔍 Failure reason(s):',
    '    ╰─ Value is not a number',
  ].join('\n'));
  // The reference would never answer this `end`.
  await t.throwsAsync(k.callAsync({ api: 'end', promiseid }), { message: /^@jsii\/kernel\.SerializationError: Returned by callback/ });
});

test('async override arguments go out in wire form', async (t) => {
  const k = calcKernel();
  const extras = extrasPackage();
  k.call({ api: 'load', name: extras.name, version: extras.version, tarball: extras.tarball });
  const describer = k.call({ api: 'create', fqn: `${EXTRAS}.Describer`, overrides: [{ method: 'describe' }] });
  const { promiseid } = k.call({ api: 'begin', objref: describer, method: 'run' });
  const [cb] = k.call({ api: 'callbacks' }).callbacks;
  // The reference fails the call here instead (it converts the Box as if it came from the wire).
  t.deepEqual(cb.invoke, {
    objref: describer, method: 'describe',
    args: [{ '$jsii.byref': `${EXTRAS}.Box@10001` }, { '$jsii.date': '1970-01-01T00:00:00.000Z' }, 'box:'],
  });
  t.is(k.call({ api: 'get', objref: cb.invoke.args[0], property: 'side' }).value, 2);
  k.call({ api: 'complete', cbid: cb.cbid, result: 'from host' });
  t.deepEqual(await k.callAsync({ api: 'end', promiseid }), { result: 'from host' });
});

test('async requests are refused during a sync callback', (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }] });
  const other = k.call({ api: 'create', fqn: CALCULATOR });
  const seen: string[] = [];
  k.onCallback(() => {
    for (const request of [
      { api: 'begin', objref: other, method: 'addLater', args: [1] },
      { api: 'complete', cbid: 'jsii::callback::1', result: 1 },
    ]) {
      try {
        k.call(request);
      } catch (e) {
        seen.push((e as Error).message);
      }
    }
    return 0;
  });
  k.call({ api: 'invoke', objref: calc, method: 'total' });
  t.deepEqual(seen, [
    `Cannot invoke async method '${String(other['$jsii.byref'])}.addLater' while sync method '${String(calc['$jsii.byref'])}.total' is being processed`,
    'Cannot handle async operations while waiting for a sync callback to return',
  ]);
  t.deepEqual(k.call({ api: 'callbacks' }), { callbacks: [] }, 'nothing was started');
});

test('hosts are told which requests need the event loop to run before answering', (t) => {
  t.deepEqual([...SETTLE_AFTER].sort(), ['begin', 'complete']);
});
