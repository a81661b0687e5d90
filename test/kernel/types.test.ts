/**
 * Resolving fqns to JavaScript symbols: submodules and types nested in types.
 */
import test from 'ava';
import { EXTRAS, extrasPackage } from './extras-fixture.js';
import { calcKernel, ref, throwsFault } from './kernel-fixture.js';

function withExtras() {
  const k = calcKernel();
  const extras = extrasPackage();
  k.call({ api: 'load', name: extras.name, version: extras.version, tarball: extras.tarball });
  return k;
}

test('types in submodules and nested in classes', (t) => {
  const k = withExtras();
  t.deepEqual(k.call({ api: 'sinvoke', fqn: `${EXTRAS}.Outer`, method: 'makeInner' }), { result: ref(`${EXTRAS}.Outer.Inner@10000`) });
  t.deepEqual(k.call({ api: 'create', fqn: `${EXTRAS}.Outer.Inner` }), ref(`${EXTRAS}.Outer.Inner@10001`));
  t.deepEqual(k.call({ api: 'invoke', objref: ref(`${EXTRAS}.Outer.Inner@10001`), method: 'hello' }), { result: 'inner' });
  const leaf = k.call({ api: 'sinvoke', fqn: `${EXTRAS}.nested.Leaf`, method: 'make' }).result;
  t.deepEqual(leaf, ref(`${EXTRAS}.nested.Leaf@10002`));
  t.deepEqual(k.call({ api: 'invoke', objref: leaf, method: 'name' }), { result: 'leaf' });
  throwsFault(t, () => k.call({ api: 'create', fqn: `${EXTRAS}.nested.Nope` }), `Type '${EXTRAS}.nested.Nope' not found`);
});

test('two assemblies side by side', (t) => {
  const k = withExtras();
  t.deepEqual(k.call({ api: 'stats' }), { objectCount: 0 });
  t.deepEqual(k.call({ api: 'create', fqn: `${EXTRAS}.Box`, args: [2] }), ref(`${EXTRAS}.Box@10000`));
  t.deepEqual(k.call({ api: 'create', fqn: '@jsii-ring/calc.Literal', args: [2] }), ref('@jsii-ring/calc.Literal@10001'));
});
