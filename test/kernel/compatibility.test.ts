/**
 * Deliberate differences from the reference that have no better home (see
 * lib/kernel/COMPATIBILITY.md for the full list and where each is tested).
 */
import test from 'ava';
import { describeType } from '../../lib/kernel/values.js';
import { EXTRAS, extrasPackage } from './extras-fixture.js';
import { calcKernel, ref } from './kernel-fixture.js';

test('a deleted object returned again gets a fresh id', (t) => {
  const k = calcKernel();
  const extras = extrasPackage();
  k.call({ api: 'load', name: extras.name, version: extras.version, tarball: extras.tarball });
  const shared = k.call({ api: 'sinvoke', fqn: `${EXTRAS}.Grumpy`, method: 'shared' }).result;
  t.deepEqual(shared, ref(`${EXTRAS}.Box@10000`));
  k.call({ api: 'del', objref: shared });
  // The reference answers the deleted ref again, which no request can use any more.
  const again = k.call({ api: 'sinvoke', fqn: `${EXTRAS}.Grumpy`, method: 'shared' }).result;
  t.deepEqual(again, ref(`${EXTRAS}.Box@10001`));
  t.deepEqual(k.call({ api: 'invoke', objref: again, method: 'area' }), { result: 25 });
});

test('type descriptions cover intersections, which the reference cannot render', (t) => {
  t.is(describeType({ intersection: { types: [{ fqn: 'a.B' }, { fqn: 'a.C' }] } }), 'a.B & a.C');
  t.is(describeType({ union: { types: [{ primitive: 'string' as never }, { collection: { kind: 'map' as never, elementtype: { fqn: 'a.B' } } }] } }),
    'string | map<a.B>');
  t.is(describeType(undefined), 'void');
});
