/**
 * Every wire kind in both directions. Expected answers were recorded from the reference
 * runtime (@jsii/runtime 1.140.0) for the same requests.
 */
import test from 'ava';
import { MAX_VALUE_DEPTH } from '../../lib/kernel/converters.js';
import { calcKernel, fqn, ref, RUNTIME, SERIALIZATION, throwsRuntime } from './kernel-fixture.js';

const VALUES = fqn('Values');
const GEOMETRY = fqn('Geometry');
const LITERAL = fqn('Literal');

function values(call: (r: Record<string, unknown>) => any, method: string, ...args: unknown[]): unknown {
  return call({ api: 'sinvoke', fqn: VALUES, method, args }).result;
}

test('primitives round trip', (t) => {
  const { call } = calcKernel();
  const tricky = values(call, 'tricky') as string;
  t.is(values(call, 'echoString', tricky), tricky);
  for (const n of [0, -1.5, 1e308, Number.MIN_VALUE]) {
    t.is(values(call, 'echoNumber', n), n);
  }
  t.is(values(call, 'echoBool', false), false);
  throwsRuntime(t, () => values(call, 'echoBool', 'true'), RUNTIME, /Unable to deserialize value as boolean/);
});

test('dates', (t) => {
  const { call } = calcKernel();
  t.deepEqual(values(call, 'addDays', { '$jsii.date': '2020-01-01T00:00:00.000Z' }, 1), { '$jsii.date': '2020-01-02T00:00:00.000Z' });
  t.deepEqual(values(call, 'epoch'), { '$jsii.date': '1970-01-01T00:00:00.000Z' });
  throwsRuntime(t, () => values(call, 'addDays', '2020-01-01', 1), RUNTIME, /Value does not have the "\$jsii.date" key$/);
  // An invalid date goes in, and fails on the way out (RangeError of toISOString).
  throwsRuntime(t, () => values(call, 'addDays', { '$jsii.date': 'garbage' }, 1), SERIALIZATION,
    /^Returned by static method @jsii-ring\/calc\.Values\.addDays: Unable to serialize value as date\n[^]*Invalid time value$/);
});

test('enums, string and numeric', (t) => {
  const { call } = calcKernel();
  const color = (member: string): unknown => ({ '$jsii.enum': `${fqn('Color')}/${member}` });
  t.deepEqual(call({ api: 'sinvoke', fqn: GEOMETRY, method: 'nextColor', args: [color('BLUE')] }).result, color('RED'));
  t.is(call({ api: 'sinvoke', fqn: GEOMETRY, method: 'round', args: [1.5, { '$jsii.enum': `${fqn('Rounding')}/DOWN` }] }).result, 1);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'nextColor', args: [color('PINK')] }), RUNTIME, /No such enum member: 'PINK'$/);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'nextColor', args: [{ '$jsii.enum': 'RED' }] }), RUNTIME,
    /Invalid enum token value 'RED'$/);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'nextColor', args: [0] }), RUNTIME,
    /Value does not have the "\$jsii.enum" key$/);
  // In `any`, an enum token becomes the member's value.
  t.deepEqual(values(call, 'echoAny', { b: [1, color('GREEN')], c: null }), { b: [1, 1] });
});

test('enum tokens must name an own member', (t) => {
  const { call } = calcKernel();
  for (const member of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'nextColor', args: [{ '$jsii.enum': `${fqn('Color')}/${member}` }] }),
      RUNTIME, new RegExp(`No such enum member: '${member}'$`));
  }
});

test('maps, wrapped and bare', (t) => {
  const { call } = calcKernel();
  t.is(values(call, 'sumMap', { a: 1, b: 2 }), 3);
  t.is(values(call, 'sumMap', { '$jsii.map': { a: 1, b: 2 } }), 3);
  t.deepEqual(values(call, 'countMap', 2), { '$jsii.map': { key0: 0, key1: 1 } });
  t.deepEqual(values(call, 'literalMap', 1, 2), { '$jsii.map': { l0: ref(`${LITERAL}@10000`), l1: ref(`${LITERAL}@10001`) } });
  t.is(values(call, 'sumLiterals', { a: ref(`${LITERAL}@10000`), b: ref(`${LITERAL}@10001`) }), 3);
  t.deepEqual(values(call, 'nested'), [{ '$jsii.map': { a: [1, 2] } }, { '$jsii.map': { b: [] } }]);
  throwsRuntime(t, () => values(call, 'sumMap', { a: 1, b: null }), RUNTIME, /Key 'b': Unable to deserialize value as number\n[^]*A value is required \(type is non-optional\)$/);
  throwsRuntime(t, () => values(call, 'sumMap', [1]), RUNTIME, /Value is an array$/);
});

test('arrays and variadics', (t) => {
  const { call } = calcKernel();
  t.deepEqual(values(call, 'sequence', 3), [0, 1, 2]);
  t.deepEqual(values(call, 'unionList', [1, 'ab']), ['1', 2]);
  const literal = call({ api: 'create', fqn: LITERAL, args: [3] });
  t.is(values(call, 'sumOperands', literal, literal), 6);
  t.is(values(call, 'sumOperands'), 0);
  t.is(call({ api: 'sinvoke', fqn: fqn('Statics'), method: 'join', args: ['+'] }).result, '');
  throwsRuntime(t, () => values(call, 'sumOperands', literal, 5), RUNTIME,
    /^@jsii\/kernel\.SerializationError: Passed to parameter literals of static method @jsii-ring\/calc\.Values\.sumOperands: Unable to deserialize value as @jsii-ring\/calc\.Literal\n/);
});

test('structs in: by value, wired, as a map, by reference; empty is none', (t) => {
  const { call } = calcKernel();
  const segment = { start: { x: 0, y: 0 }, end: { x: 3, y: 4 } };
  t.is(call({ api: 'sinvoke', fqn: GEOMETRY, method: 'length', args: [segment] }).result, 5);
  t.is(call({ api: 'sinvoke', fqn: GEOMETRY, method: 'length', args: [{ '$jsii.struct': { fqn: fqn('Segment'), data: segment } }] }).result, 5);
  t.is(call({ api: 'sinvoke', fqn: GEOMETRY, method: 'length', args: [{ '$jsii.map': segment }] }).result, 5);
  // Unknown fields are dropped before the library sees the struct.
  t.deepEqual(call({ api: 'sinvoke', fqn: GEOMETRY, method: 'propKeys', args: [{ name: 'n', extra: 1, tags: { a: 'b' } }] }).result, ['name', 'tags']);
  // A struct returned by the kernel can be passed back by reference.
  const mid = call({ api: 'sinvoke', fqn: GEOMETRY, method: 'midpoint', args: [segment] }).result;
  t.deepEqual(mid, { '$jsii.byref': 'Object@10000', '$jsii.interfaces': [fqn('Point')] });
  t.is(values(call, 'unionKind', mid), 'Point:1.5,2');
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'length', args: [{}] }), RUNTIME, /A value is required \(type is non-optional\)$/);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'length', args: [{ start: { x: 0, y: 0 } }] }), RUNTIME,
    /Missing required properties for @jsii-ring\/calc\.Segment: 'end'$/);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'length', args: [[1]] }), RUNTIME,
    /Value is an array \(varargs may have been incorrectly supplied\)$/);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'length', args: [{ '$jsii.struct': { fqn: fqn('Point'), data: segment } }] }),
    RUNTIME, /Wired struct has type '@jsii-ring\/calc\.Point', which does not match expected type$/);
});

test('structs out go by reference and read back as properties', (t) => {
  const { call } = calcKernel();
  const props = call({ api: 'sinvoke', fqn: GEOMETRY, method: 'echoProps', args: [{ name: 'n', createdAt: { '$jsii.date': '2020-01-01T00:00:00.000Z' } }] }).result;
  t.deepEqual(props, { '$jsii.byref': 'Object@10000', '$jsii.interfaces': [fqn('ExtendedCalculatorProps')] });
  t.deepEqual(call({ api: 'get', objref: props, property: 'createdAt' }), { value: { '$jsii.date': '2020-01-01T00:00:00.000Z' } });
  t.deepEqual(call({ api: 'get', objref: props, property: 'name' }), { value: 'n' });
});

test('json keeps nested nulls and drops top-level ones', (t) => {
  const { call } = calcKernel();
  t.deepEqual(values(call, 'sampleJson'), { '$jsii.map': { a: 1, b: [true, null, 'x'], c: { d: { e: [1.5, -2] } } } });
  t.deepEqual(values(call, 'echoJson', { a: [1, null, { b: null }], c: null, d: { '$jsii.date': '2020-01-01T00:00:00.000Z' } }),
    { '$jsii.map': { a: [1, null, {}], d: { '$jsii.date': '2020-01-01T00:00:00.000Z' } } });
  t.deepEqual(values(call, 'echoJson', { '$jsii.map': { a: 1, b: null } }), { '$jsii.map': { a: 1 } });
});

test('any in both directions', (t) => {
  const { call } = calcKernel();
  const literal = call({ api: 'create', fqn: LITERAL, args: [3] });
  t.is(values(call, 'typeOfAny', literal), 'Literal');
  t.is(values(call, 'typeOfAny', { '$jsii.date': '2020-01-01T00:00:00.000Z' }), 'date');
  t.is(values(call, 'typeOfAny', [1]), 'array');
  t.is(values(call, 'typeOfAny', null), 'undefined');
  t.deepEqual(values(call, 'echoAny', [literal]), [literal]);
  t.deepEqual(values(call, 'echoAny', { '$jsii.map': { a: 1 } }), { '$jsii.map': { a: 1 } });
  t.deepEqual(values(call, 'echoAny', { '$jsii.struct': { fqn: fqn('Point'), data: { x: 1, y: 2 } } }), { x: 1, y: 2 });
  t.deepEqual(values(call, 'echoAny', { a: { '$jsii.date': '2020-01-01T00:00:00.000Z' }, n: null }), { a: { '$jsii.date': '2020-01-01T00:00:00.000Z' } });
  throwsRuntime(t, () => values(call, 'echoAny', { '$jsii.byref': 'x@1' }), RUNTIME, /Object x@1 not found$/);
  throwsRuntime(t, () => values(call, 'echoAny', { '$jsii.struct': { fqn: fqn('Nope'), data: { x: 1 } } }), RUNTIME,
    /Type '@jsii-ring\/calc\.Nope' not found$/);
});

test('unions are tried in the reference order', (t) => {
  const { call } = calcKernel();
  const literal = call({ api: 'create', fqn: LITERAL, args: [3] });
  t.is(values(call, 'unionKind', 5), 'number:5');
  t.is(values(call, 'unionKind', { x: 1, y: 2 }), 'Point:1,2');
  t.is(values(call, 'unionKind', literal), 'Literal:3');
  t.is(values(call, 'unionKindReversed', 's'), 'string:s');
  t.is(values(call, 'makeUnion', 'number'), 7);
  // A struct member is tried before a class member: a Literal goes back as a Point.
  t.deepEqual(values(call, 'makeUnion', 'literal'), { '$jsii.byref': 'Object@10001', '$jsii.interfaces': [fqn('Point')] });
  throwsRuntime(t, () => values(call, 'unionKind', 's'), RUNTIME, [
    '@jsii/kernel.SerializationError: Passed to parameter value of static method @jsii-ring/calc.Values.unionKind: ' +
      'Unable to deserialize value as number | @jsii-ring/calc.Literal | @jsii-ring/calc.Point',
    '├── 🛑 Failing value is a string',
    "│      's'",
    '╰── 🔍 Failure reason(s):',
    '    ├─ [as number] Value is not a number',
    '    ├─ [as @jsii-ring/calc.Point] Value is not an object',
    '    ╰─ [as @jsii-ring/calc.Literal] Value does not have the "$jsii.byref" key',
  ].join('\n'));
});

test('optionals and nulls', (t) => {
  const { call } = calcKernel();
  t.is(values(call, 'greet', 'hi'), 'hi, world!');
  t.is(values(call, 'greet', 'hi', null, '?'), 'hi, world?');
  t.is(values(call, 'evenOrNothing', 3), undefined);
  t.deepEqual(call({ api: 'sinvoke', fqn: VALUES, method: 'evenOrNothing', args: [3] }), {});
  t.is(values(call, 'literalOrNothing', -1), undefined);
  throwsRuntime(t, () => values(call, 'greet', null), RUNTIME, /A value is required \(type is non-optional\)$/);
});

test('__proto__ and constructor keys are refused', (t) => {
  const { call } = calcKernel();
  const refused = /Key '(__proto__|constructor)' is not allowed/;
  const withProto = JSON.parse('{"__proto__": 5, "a": 1}') as unknown;
  throwsRuntime(t, () => values(call, 'sumMap', withProto), RUNTIME, refused);
  throwsRuntime(t, () => values(call, 'sumMap', { '$jsii.map': withProto }), RUNTIME, refused);
  throwsRuntime(t, () => values(call, 'sumMap', { constructor: 1 }), RUNTIME, refused);
  throwsRuntime(t, () => values(call, 'echoAny', JSON.parse('{"__proto__": {"polluted": true}}')), RUNTIME, refused);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'propKeys', args: [JSON.parse('{"__proto__": {}, "name": "x"}')] }),
    RUNTIME, refused);
  throwsRuntime(t, () => call({ api: 'sinvoke', fqn: GEOMETRY, method: 'propKeys', args: [{ constructor: 'x' }] }), RUNTIME, refused);
  // In create, the same failure keeps the reference's unwrapped name.
  throwsRuntime(t, () => call({ api: 'create', fqn: fqn('Calculator'), args: [{ display: JSON.parse('{"__proto__": {}, "precision": 1}') }] }),
    SERIALIZATION, refused);
  t.is(({} as { polluted?: boolean }).polluted, undefined);
  // `constructor` is an ordinary key in json and any.
  t.deepEqual(values(call, 'echoAny', { constructor: 1 }), { constructor: 1 });
});

/** `[[…[1]…]]` or `{a:{a:…1…}}`, `depth` containers deep. */
function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The depth of a value built by `nested`, `$jsii.map` wrappers aside (iterative: the value may be deeper than the stack). */
function depthOf(value: unknown): number {
  let depth = 0;
  for (let v = value; typeof v === 'object' && v !== null; depth++) {
    const inner = Array.isArray(v) ? v : ((v as Record<string, unknown>)['$jsii.map'] ?? v) as { a: unknown };
    v = Array.isArray(inner) ? inner[0] : inner.a;
  }
  return depth;
}

for (const kind of ['array', 'object'] as const) {
  test(`deeply nested ${kind}s: 512 levels round trip as any${kind === 'object' ? ' and json' : ''}; 1,000, 10,000 and 100,000 get the depth error`, (t) => {
    const { call, kernel } = calcKernel();
    // Straight to the kernel: the fixture's JSON clone of a request would itself run out of stack.
    const echo = (method: string, value: unknown): unknown => (kernel.dispatch({ api: 'sinvoke', fqn: VALUES, method, args: [value] }) as { result: unknown }).result;
    const methods = kind === 'object' ? ['echoAny', 'echoJson'] : ['echoAny'];
    for (const method of methods) {
      t.is(depthOf(echo(method, nested(MAX_VALUE_DEPTH, kind))), MAX_VALUE_DEPTH, method);
      for (const depth of [MAX_VALUE_DEPTH + 1, 1000, 10_000, 100_000]) {
        // Refused level by level in one pass: before, every level retried (and embedded) the
        // failure below it, and depth 1,200 took minutes.
        throwsRuntime(t, () => echo(method, nested(depth, kind)), RUNTIME,
          /^@jsii\/kernel\.SerializationError: Passed to parameter (value|data) of static method @jsii-ring\/calc\.Values\.echo(Any|Json): Unable to deserialize value: it nests deeper than 512 levels of arrays and objects \(the kernel's limit\)$/);
      }
    }
    // The kernel is unharmed: the next call answers.
    t.is(values(call, 'echoNumber', 7), 7);
  });
}
