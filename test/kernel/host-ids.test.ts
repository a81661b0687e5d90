/**
 * Extension `objid`: client-allocated ids, aliases and their notices, and failed ids that
 * make later requests fail with their root cause.
 */
import test from 'ava';
import { ErrorCode } from '../../lib/errors.js';
import { calcKernel, fqn, ref, throwsFault } from './kernel-fixture.js';

const CALCULATOR = fqn('Calculator');
const LITERAL = fqn('Literal');

function hostKernel() {
  return calcKernel({ extensions: ['objid', 'alias-notices'] });
}

test('create with objid stores the object under the host id', (t) => {
  const k = hostKernel();
  t.deepEqual(k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' }), ref(`${CALCULATOR}@h1`));
  t.deepEqual(k.call({ api: 'invoke', objref: ref(`${CALCULATOR}@h1`), method: 'add', args: [2] }), { result: 2 });
  // Kernel ids still count from 10000, never in the host namespace.
  t.deepEqual(k.call({ api: 'create', fqn: LITERAL, args: [1] }), ref(`${LITERAL}@10000`));
  t.deepEqual(k.call({ api: 'stats' }), { objectCount: 2 });
});

test('host ids resolve whatever the fqn before the @', (t) => {
  const k = hostKernel();
  k.call({ api: 'create', fqn: fqn('Square'), args: [3], objid: 'h7' });
  // The host may only know the declared type when it pipelines the next request.
  t.deepEqual(k.call({ api: 'get', objref: ref(`${fqn('IShape')}@h7`), property: 'area' }), { value: 9 });
  t.deepEqual(k.call({ api: 'get', objref: ref('h7'), property: 'area' }), { value: 9 });
});

test('invoke with objid: a fresh object takes the id', (t) => {
  const k = hostKernel();
  k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' });
  k.call({ api: 'invoke', objref: ref(`${CALCULATOR}@h1`), method: 'add', args: [5] });
  const last = k.call({ api: 'invoke', objref: ref(`${CALCULATOR}@h1`), method: 'last', objid: 'h2' });
  t.deepEqual(last, { result: ref(`${LITERAL}@h2`) });
  t.deepEqual(k.call({ api: 'get', objref: ref(`${fqn('Operand')}@h2`), property: 'value' }), { value: 5 });
  t.deepEqual(k.kernel.takeAliasNotices(), []);
});

test('invoke/get with objid: a known object gets the id as an alias, and a notice', (t) => {
  const k = hostKernel();
  k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' });
  const itself = k.call({ api: 'invoke', objref: ref(`${CALCULATOR}@h1`), method: 'itself', objid: 'h2' });
  t.deepEqual(itself, { result: ref(`${CALCULATOR}@h1`) });
  t.deepEqual(k.kernel.takeAliasNotices(), [{ objid: 'h2', target: `${CALCULATOR}@h1` }]);
  t.deepEqual(k.kernel.takeAliasNotices(), [], 'notices are taken once');
  // The alias works like the id it aliases; the object is counted once.
  t.deepEqual(k.call({ api: 'invoke', objref: ref(`${CALCULATOR}@h2`), method: 'add', args: [1] }), { result: 1 });
  t.deepEqual(k.call({ api: 'stats' }), { objectCount: 1 });
  // get with objid, and static calls too.
  const statics = fqn('Statics');
  const single = k.call({ api: 'sinvoke', fqn: statics, method: 'singleton', objid: 'h3' });
  t.deepEqual(single, { result: ref(`${statics}@h3`) });
  k.call({ api: 'sinvoke', fqn: statics, method: 'singleton', objid: 'h4' });
  t.deepEqual(k.kernel.takeAliasNotices(), [{ objid: 'h4', target: `${statics}@h3` }]);
  const display = k.call({ api: 'get', objref: ref(`${CALCULATOR}@h1`), property: 'displayOptions', objid: 'h5' });
  t.deepEqual(display, { value: { '$jsii.byref': 'Object@h5', '$jsii.interfaces': [fqn('DisplayOptions')] } });
});

test('alias notices are only recorded when asked for', (t) => {
  const k = calcKernel({ extensions: ['objid'] });
  k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' });
  k.call({ api: 'invoke', objref: ref(`${CALCULATOR}@h1`), method: 'itself', objid: 'h2' });
  t.deepEqual(k.kernel.takeAliasNotices(), []);
  t.deepEqual(k.call({ api: 'invoke', objref: ref('h2'), method: 'total' }), { result: 0 });
});

test('objid outside the host namespace or in use is a Fault', (t) => {
  const k = hostKernel();
  for (const objid of ['10000', 'x1', 'h', 'h1x', 'H1', 'h01', 'a@h1', '', 5, null]) {
    throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, objid }),
      /^Invalid objid .*: host object ids are 'h' followed by digits \(no leading zeros\)$/);
  }
  k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' });
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' }), "Invalid objid 'h1': this id is already in use");
  k.call({ api: 'invoke', objref: ref('h1'), method: 'itself', objid: 'h2' });
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, objid: 'h2' }), "Invalid objid 'h2': this id is already in use");
  t.deepEqual(k.call({ api: 'stats' }), { objectCount: 1 }, 'refused requests create nothing');
  // Deleting an object frees its ids (and its aliases').
  k.call({ api: 'del', objref: ref('h2') });
  throwsFault(t, () => k.call({ api: 'get', objref: ref('h1'), property: 'value' }), 'Object h1 not found');
  t.deepEqual(k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' }), ref(`${CALCULATOR}@h1`));
  t.deepEqual(k.call({ api: 'create', fqn: CALCULATOR, objid: 'h2' }), ref(`${CALCULATOR}@h2`));
});

test('a failed create records its host id as failed; later uses name the root cause', (t) => {
  const k = hostKernel();
  throwsFault(t, () => k.call({ api: 'create', fqn: fqn('Nope'), objid: 'h1' }), `Type '${fqn('Nope')}' not found`);
  const error = throwsFault(t, () => k.call({ api: 'invoke', objref: ref(`${fqn('Nope')}@h1`), method: 'x' }),
    `Object ${fqn('Nope')}@h1 cannot be used: the request that was to produce it (create ${fqn('Nope')}) failed: Type '${fqn('Nope')}' not found`);
  t.is(error.code, ErrorCode.DEPENDENCY_FAILED);
  // As an argument too, and the failure cascades with its root cause.
  k.call({ api: 'create', fqn: CALCULATOR, objid: 'h2' });
  throwsFault(t, () => k.call({ api: 'invoke', objref: ref('h2'), method: 'store', args: [ref('h1')], objid: 'h3' }), /^Object h1 cannot be used/);
  throwsFault(t, () => k.call({ api: 'get', objref: ref('h3'), property: 'value' }),
    /^Object h3 cannot be used: the request that was to produce it \(invoke h2\.store\) failed: Object h1 cannot be used: .*Type '@jsii-ring\/calc\.Nope' not found$/);
  // Overrides refused after the constructor ran: the object is dropped, the id failed.
  throwsFault(t, () => k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'value' }], objid: 'h4' }),
    "Trying to override property 'value' as a method");
  throwsFault(t, () => k.call({ api: 'get', objref: ref('h4'), property: 'value' }), /^Object h4 cannot be used/);
  t.deepEqual(k.call({ api: 'stats' }), { objectCount: 1 });
});

test('a call with objid that returns no object records the id as failed', (t) => {
  const k = hostKernel();
  k.call({ api: 'create', fqn: CALCULATOR, objid: 'h1' });
  t.deepEqual(k.call({ api: 'invoke', objref: ref('h1'), method: 'last', objid: 'h2' }), {});
  throwsFault(t, () => k.call({ api: 'invoke', objref: ref('h2'), method: 'kind' }),
    'Object h2 cannot be used: invoke h1.last returned no object');
  t.deepEqual(k.call({ api: 'invoke', objref: ref('h1'), method: 'total', objid: 'h3' }), { result: 0 });
  throwsFault(t, () => k.call({ api: 'del', objref: ref('h3') }), /returned a value that is not an object reference$/);
});

test('callbacks carry the canonical ref', (t) => {
  const k = hostKernel();
  const calc = k.call({ api: 'create', fqn: CALCULATOR, overrides: [{ method: 'bonus' }], objid: 'h1' });
  k.call({ api: 'invoke', objref: calc, method: 'itself', objid: 'h2' });
  k.onCallback(() => 1);
  k.call({ api: 'invoke', objref: ref('h2'), method: 'total' });
  t.deepEqual(k.callbacks[0]?.invoke?.objref, ref(`${CALCULATOR}@h1`));
});

test('without the extension, objid is ignored (plain jsii)', (t) => {
  const k = calcKernel();
  t.deepEqual(k.call({ api: 'create', fqn: CALCULATOR, objid: 'not-even-valid' }), ref(`${CALCULATOR}@10000`));
  throwsFault(t, () => k.call({ api: 'get', objref: ref(`${CALCULATOR}@h1`), property: 'value' }), `Object ${CALCULATOR}@h1 not found`);
});
