/**
 * Overrides installed by `create` and the synchronous callbacks they make into the host,
 * including requests the host makes while a callback runs and callbacks nested in those.
 */
import test from 'ava';
import { JsiiFault, JsiiRuntimeError } from '../../lib/errors.js';
import type { Callback } from '../../lib/protocol/api.js';
import { calcKernel, fqn, ref, RUNTIME, SERIALIZATION, throwsFault, throwsRuntime } from './kernel-fixture.js';

const CALCULATOR = fqn('Calculator');
const PIPELINE = fqn('Pipeline');
const FORMATTER = fqn('IFormatter');

test('method overrides call the host, with cookie, cbid and the wire arguments', (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus', cookie: 'b' }, { method: 'format' }] });
  k.onCallback((cb) => (cb.invoke?.method === 'bonus' ? 5 : `<${String(cb.invoke?.args?.[0])}>`));
  t.deepEqual(k.call({ api: 'invoke', objref: calc, method: 'total' }), { result: 5 });
  t.deepEqual(k.call({ api: 'invoke', objref: calc, method: 'summary' }), { result: 'calc=<0>' });
  t.deepEqual(k.callbacks, [
    { cookie: 'b', cbid: 'jsii::callback::20000', invoke: { objref: calc, method: 'bonus', args: [] } },
    { cbid: 'jsii::callback::20001', invoke: { objref: calc, method: 'format', args: [0] } },
  ]);
  // A direct invoke of the overridden method reaches the library's (the host's `super`).
  t.deepEqual(k.call({ api: 'invoke', objref: calc, method: 'bonus' }), { result: 0 });
});

test('property overrides call the host for get and set; requests reach the original', (t) => {
  const k = calcKernel();
  const formatter = k.call({
    api: 'create', fqn: 'Object', interfaces: [FORMATTER],
    overrides: [{ property: 'prefix', cookie: 'p' }, { property: 'suffix' }, { method: 'format', cookie: 'f' }],
  });
  t.deepEqual(formatter, { '$jsii.byref': 'Object@10000', '$jsii.interfaces': [FORMATTER] });
  k.onCallback((cb) => (cb.set !== undefined ? undefined : '7'));
  t.deepEqual(k.call({ api: 'sinvoke', fqn: PIPELINE, method: 'decorate', args: [ref('Object@10000'), '!'] }), {});
  t.deepEqual(k.call({ api: 'sinvoke', fqn: PIPELINE, method: 'formatWith', args: [ref('Object@10000'), 2] }), { result: '777' });
  t.deepEqual(k.callbacks, [
    { cbid: 'jsii::callback::20000', set: { objref: formatter, property: 'suffix', value: '!' } },
    { cookie: 'p', cbid: 'jsii::callback::20001', get: { objref: formatter, property: 'prefix' } },
    { cookie: 'f', cbid: 'jsii::callback::20002', invoke: { objref: formatter, method: 'format', args: [2] } },
    { cbid: 'jsii::callback::20003', get: { objref: formatter, property: 'suffix' } },
  ]);
  // `get` reads the original slot (undefined here): the reference's serialization error.
  throwsRuntime(t, () => k.call({ api: 'get', objref: formatter, property: 'suffix' }), SERIALIZATION,
    /^Of property Object\.suffix: Unable to serialize value as string\n/);
});

test('a callback result is converted to the declared type', (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }] });
  k.onCallback(() => 'not a number');
  throwsRuntime(t, () => k.call({ api: 'invoke', objref: calc, method: 'total' }), RUNTIME,
    /^@jsii\/kernel\.SerializationError: Returned by callback method bonus: Unable to deserialize value as number\n/);
});

test('the host may make requests while a callback runs, and nest callbacks in them', (t) => {
  const k = calcKernel();
  const outer = k.call({ api: 'create', fqn: 'Object', interfaces: [fqn('IOperation')], overrides: [{ method: 'apply' }] });
  const inner = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }] });
  const pipeline = k.call({ api: 'create', fqn: PIPELINE });
  k.call({ api: 'invoke', objref: pipeline, method: 'add', args: [outer] });
  let depth = 0;
  k.onCallback((cb) => {
    if (cb.invoke?.method === 'apply') {
      depth++;
      // Nested request, itself calling back into the host (bonus).
      const total = k.call({ api: 'invoke', objref: inner, method: 'total' }).result as number;
      depth--;
      return (cb.invoke.args![0] as number) * 10 + total;
    }
    t.is(depth, 1, 'bonus runs inside the apply callback');
    return 3;
  });
  t.deepEqual(k.call({ api: 'invoke', objref: pipeline, method: 'run', args: [4] }), { result: 43 });
  t.deepEqual(k.callbacks.map((c) => c.invoke?.method), ['apply', 'bonus']);
});

test('a failing callback reaches the library as Fault or RuntimeError, through its frames', (t) => {
  const k = calcKernel();
  const op = k.call({ api: 'create', fqn: 'Object', interfaces: [fqn('IOperation')], overrides: [{ method: 'apply' }] });
  const thrower = fqn('Thrower');
  k.onCallback(() => {
    const e = new Error('host says no');
    e.name = '@jsii/kernel.Fault';
    throw e;
  });
  throwsFault(t, () => k.call({ api: 'sinvoke', fqn: thrower, method: 'applyThrough', args: [op, 1] }), 'host says no');
  k.onCallback(() => {
    throw new TypeError('host bug');
  });
  const error = throwsRuntime(t, () => k.call({ api: 'sinvoke', fqn: thrower, method: 'applyThrough', args: [op, 1] }), RUNTIME, 'host bug');
  t.regex(error.stack ?? '', /at passAlong \(.*failures\.(js|ts)/, 'the library frames between are kept');
  // The library can catch it.
  t.deepEqual(k.call({ api: 'sinvoke', fqn: thrower, method: 'catchFrom', args: [op, 1] }), { result: 'caught:host bug' });
});

test('a callback handler throwing our own errors passes them through', (t) => {
  const k = calcKernel();
  const op = k.call({ api: 'create', fqn: 'Object', interfaces: [fqn('IOperation')], overrides: [{ method: 'apply' }] });
  k.onCallback(() => {
    throw new JsiiRuntimeError('runtime from host');
  });
  throwsRuntime(t, () => k.call({ api: 'sinvoke', fqn: fqn('Thrower'), method: 'applyThrough', args: [op, 1] }), RUNTIME, 'runtime from host');
});

test('without a callback handler, a callback is a Fault', (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }] });
  k.kernel.callbackHandler = undefined;
  throwsFault(t, () => k.call({ api: 'invoke', objref: calc, method: 'total' }), "No callback handler: cannot call the host for method 'bonus'");
});

test('override errors, as the reference words them', (t) => {
  const k = calcKernel();
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'value' }] }), "Trying to override property 'value' as a method");
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ property: 'add' }] }), "Trying to override method 'add' as a property");
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }, { method: 'bonus' }] }),
    "Duplicate override for method 'bonus'");
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ property: 'label' }, { property: 'label' }] }),
    "Duplicate override for property 'label'");
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus', property: 'label' }] }),
    'Override can either be "method" or "property"');
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, overrides: [{}] }), 'Override can either be "method" or "property"');
  // As in the reference, the object was built (and stays in the table) before the overrides were refused.
  t.deepEqual(k.call({ api: 'stats' }), { objectCount: 6 });
});

test('undeclared names: private members are skipped, unknown ones become any-typed overrides', (t) => {
  const k = calcKernel();
  // `commit` is a private method of Calculator, `current` a private field: skipped silently.
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'commit' }, { property: 'current' }] });
  t.deepEqual(k.call({ api: 'invoke', objref: calc, method: 'add', args: [2] }), { result: 2 });
  t.deepEqual(k.callbacks, []);
  // On a plain object, an undeclared method is overridden as `(...any) => any`.
  const obj = k.call({ api: 'create', fqn: 'Object', interfaces: [fqn('IOperation')], overrides: [{ method: 'apply' }, { method: 'extra' }] });
  k.onCallback((cb: Callback) => (cb.invoke?.method === 'apply' ? 1 : 0));
  t.is(k.call({ api: 'sinvoke', fqn: fqn('Thrower'), method: 'applyThrough', args: [obj, 1] }).result, 1);
});

test('requests nested in a callback see the object as the host left it', (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }] });
  k.onCallback(() => k.call({ api: 'invoke', objref: calc, method: 'add', args: [10] }).result);
  // `total` read `current` (0) before calling `bonus`, which added 10 and answered 10.
  t.deepEqual(k.call({ api: 'invoke', objref: calc, method: 'total' }), { result: 10 });
  t.deepEqual(k.call({ api: 'get', objref: calc, property: 'value' }), { value: 10 });
});

test('errors of nested requests do not disturb the outer request', (t) => {
  const k = calcKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }] });
  k.onCallback(() => {
    t.throws(() => k.call({ api: 'invoke', objref: calc, method: 'nope' }), { instanceOf: JsiiFault });
    return 1;
  });
  t.deepEqual(k.call({ api: 'invoke', objref: calc, method: 'total' }), { result: 1 });
});
