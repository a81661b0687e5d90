/** Template substitution in conformance scripts. */
import test from 'ava';
import { lookupPath, missingMarker, substitute } from './templates.js';

const captures = new Map<string, unknown>([
  ['c', { '$jsii.byref': 'A@1' }],
  ['r', { result: [10, { x: 'deep' }] }],
  ['s', 'text'],
]);

test('a whole-string placeholder becomes the captured value itself', (t) => {
  t.deepEqual(substitute('${c}', captures), { '$jsii.byref': 'A@1' });
  t.is(substitute('${r/result/0}', captures), 10);
  t.is(substitute('${r/result/1/x}', captures), 'deep');
});

test('a placeholder inside a longer string is interpolated', (t) => {
  t.is(substitute('id=${s}!', captures), 'id=text!');
  t.is(substitute('n=${r/result/0}', captures), 'n=10');
});

test('placeholders are replaced deep inside arrays and objects', (t) => {
  t.deepEqual(substitute({ api: 'invoke', objref: '${c}', args: ['${s}', 1] }, captures),
    { api: 'invoke', objref: { '$jsii.byref': 'A@1' }, args: ['text', 1] });
});

test('a missing capture or path leaves a visible marker', (t) => {
  t.is(substitute('${nope}', captures), missingMarker('nope'));
  t.is(substitute('${r/none}', captures), missingMarker('r/none'));
});

test('__proto__ keys stay own keys and never change prototypes', (t) => {
  const out = substitute(JSON.parse('{"__proto__": {"polluted": "${s}"}}'), captures) as Record<string, unknown>;
  t.deepEqual(Object.keys(out), ['__proto__']);
  t.is(Object.getPrototypeOf(out), Object.prototype);
  t.is(JSON.stringify(out), '{"__proto__":{"polluted":"text"}}');
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('lookupPath follows own keys only', (t) => {
  t.deepEqual(lookupPath({ a: { b: 1 } }, 'a/b'), { found: true, value: 1 });
  t.deepEqual(lookupPath({ a: 1 }, ''), { found: true, value: { a: 1 } });
  t.deepEqual(lookupPath({}, 'toString'), { found: false });
});
