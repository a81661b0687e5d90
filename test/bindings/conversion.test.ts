/**
 * Wire conversion by declared type, both ways, checked on the requests the bindings make
 * (and the answers they decode) over a scripted connection with the calc assembly.
 */
import test from 'ava';
import { JsiiEnumValue, load } from '../../lib/bindings/index.js';
import { TOKEN_INTERFACES, TOKEN_REF } from '../../lib/protocol/api.js';
import type { InvokeRequest, KernelRequest, StaticInvokeRequest } from '../../lib/protocol/api.js';
import { calcResolveFrom } from './helpers/packages.js';
import { ScriptedConnection } from './helpers/scripted-connection.js';

const CALC = '@jsii-ring/calc';

function setup(capabilities: { jsValues?: boolean } = {}): { conn: ScriptedConnection; calc: any } {
  const conn = new ScriptedConnection(capabilities);
  const calc = load(CALC, { connection: conn, resolveFrom: calcResolveFrom() });
  return { conn, calc };
}

/** The wire args of the last (static) invoke. */
function lastArgs(conn: ScriptedConnection): readonly unknown[] | undefined {
  return (conn.last().request as StaticInvokeRequest | InvokeRequest).args;
}

// --- host → wire ----------------------------------------------------------------------

test('primitives are checked; a wrong one is a TypeError naming the parameter', (t) => {
  const { conn, calc } = setup();
  calc.Values.echoBool(true);
  t.deepEqual(lastArgs(conn), [true]);
  t.throws(() => calc.Statics.add(1, '2'), { instanceOf: TypeError, message: "Statics.add: parameter 'b' must be a number, got string \"2\"" });
  t.throws(() => calc.Values.echoString(3), { instanceOf: TypeError, message: "Values.echoString: parameter 's' must be a string, got number 3" });
  t.throws(() => calc.Values.echoBool('yes'), { instanceOf: TypeError, message: /parameter 'b' must be a boolean/ });
  t.throws(() => calc.Statics.add(1), { instanceOf: TypeError, message: "Statics.add: parameter 'b' is required, got undefined" });
});

test('dates become $jsii.date; invalid dates are refused', (t) => {
  const { conn, calc } = setup();
  calc.Values.addDays(new Date(86_400_000), 1);
  t.deepEqual(lastArgs(conn), [{ '$jsii.date': '1970-01-02T00:00:00.000Z' }, 1]);
  t.throws(() => calc.Values.addDays(new Date(NaN), 1), { message: /parameter 'date' must be a valid Date/ });
  t.throws(() => calc.Values.addDays('2020-01-01', 1), { message: /must be a valid Date, got string/ });
});

test('enum members become $jsii.enum; members of another enum are refused', (t) => {
  const { conn, calc } = setup();
  t.true(calc.Color.RED instanceof JsiiEnumValue);
  t.deepEqual(Object.keys(calc.Color), ['RED', 'GREEN', 'BLUE']);
  t.true(Object.isFrozen(calc.Color));
  calc.Geometry.round(1.5, calc.Rounding.UP);
  t.deepEqual(lastArgs(conn), [1.5, { '$jsii.enum': `${CALC}.Rounding/UP` }]);
  t.throws(() => calc.Geometry.nextColor(calc.Rounding.UP), { message: `Geometry.nextColor: parameter 'color' must be a member of enum ${CALC}.Color, got an instance of JsiiEnumValue` });
  t.throws(() => calc.Geometry.nextColor('RED'), { message: /must be a member of enum/ });
  t.is(String(calc.Color.GREEN), 'GREEN');
  t.is(JSON.stringify({ c: calc.Color.GREEN }), '{"c":"GREEN"}');
});

test('structs become $jsii.struct with nested conversion, declared fields only, without absent fields (plain jsii)', (t) => {
  const { conn, calc } = setup({ jsValues: false });
  calc.Geometry.echoProps({
    initialValue: 1,
    display: { precision: 2, rounding: calc.Rounding.DOWN, unit: undefined },
    tags: { a: 'b' },
    createdAt: new Date(0),
    notAField: 'dropped',
  });
  t.deepEqual(lastArgs(conn), [{
    '$jsii.struct': {
      fqn: `${CALC}.ExtendedCalculatorProps`,
      data: {
        tags: { '$jsii.map': { a: 'b' } },
        createdAt: { '$jsii.date': '1970-01-01T00:00:00.000Z' },
        initialValue: 1,
        display: { '$jsii.struct': { fqn: `${CALC}.DisplayOptions`, data: { precision: 2, rounding: { '$jsii.enum': `${CALC}.Rounding/DOWN` } } } },
      },
    },
  }]);
});

test('js-values: a struct keeps the program\'s key order and its undeclared keys (as any)', (t) => {
  const { conn, calc } = setup();
  const literal = new calc.Literal(1);
  calc.Geometry.echoProps({ tags: { z: '1', a: '2' }, zeta: { nested: literal }, initialValue: 1, alpha: [calc.Color.RED], display: { rounding: calc.Rounding.UP, precision: 2, extra: null } });
  const data = ((lastArgs(conn)![0] as Record<string, { data: Record<string, unknown> }>)['$jsii.struct']!).data;
  t.deepEqual(Object.keys(data), ['tags', 'zeta', 'initialValue', 'alpha', 'display']);
  t.deepEqual(data, {
    tags: { '$jsii.map': { z: '1', a: '2' } },
    zeta: { '$jsii.map': { nested: { [TOKEN_REF]: `${CALC}.Literal@h1` } } },
    initialValue: 1,
    alpha: [{ '$jsii.enum': `${CALC}.Color/RED` }],
    display: { '$jsii.struct': { fqn: `${CALC}.DisplayOptions`, data: { rounding: { '$jsii.enum': `${CALC}.Rounding/UP` }, precision: 2 } } },
  });
  t.deepEqual(Object.keys((data.tags as Record<string, Record<string, unknown>>)['$jsii.map']!), ['z', 'a']);
  // A class instance of the program's own where a struct is declared: its own keys, then
  // the declared fields it has as getters.
  class Props { public readonly tags = { k: 'v' }; public get initialValue(): number { return 7; } }
  calc.Geometry.echoProps(new Props());
  t.deepEqual(lastArgs(conn), [{ '$jsii.struct': { fqn: `${CALC}.ExtendedCalculatorProps`, data: { tags: { '$jsii.map': { k: 'v' } }, initialValue: 7 } } }]);
});

test('struct errors name the path to the bad field', (t) => {
  const { calc } = setup();
  t.throws(() => calc.Geometry.length({ start: { x: 0, y: 0 }, end: { x: 1 } }),
    { message: `Geometry.length: parameter 'segment.end.y' is required by ${CALC}.Point` });
  t.throws(() => calc.Geometry.length({ start: { x: 0, y: '0' }, end: { x: 1, y: 1 } }),
    { message: "Geometry.length: parameter 'segment.start.y' must be a number, got string \"0\"" });
  t.throws(() => calc.Geometry.length([1, 2]), { message: /parameter 'segment' must be a @jsii-ring\/calc\.Segment struct \(plain object\), got an array/ });
  t.throws(() => calc.Geometry.echoProps({ tags: { a: 1 } }), { message: "Geometry.echoProps: parameter 'props.tags[\"a\"]' must be a string, got number 1" });
});

test('maps become $jsii.map and keep a __proto__ key as data', (t) => {
  const { conn, calc } = setup();
  const input = JSON.parse('{"a":1,"__proto__":2}') as Record<string, number>;
  calc.Values.sumMap(input);
  const wire = lastArgs(conn)![0] as { '$jsii.map': Record<string, unknown> };
  t.deepEqual(Object.keys(wire['$jsii.map']), ['a', '__proto__']);
  t.is(Object.getPrototypeOf(wire['$jsii.map']), Object.prototype);
  t.throws(() => calc.Values.sumMap([1]), { message: /parameter 'values' must be a map \(plain object\), got an array/ });
});

test('variadic arguments are converted one by one; trailing omitted optionals are trimmed', (t) => {
  const { conn, calc } = setup();
  calc.Statics.join('-', 'a', 'b');
  t.deepEqual(lastArgs(conn), ['-', 'a', 'b']);
  calc.Statics.join('-');
  t.deepEqual(lastArgs(conn), ['-']);
  t.throws(() => calc.Statics.join('-', 'a', 2), { message: "Statics.join: parameter 'parts[1]' must be a string, got number 2" });
  calc.Values.greet('hi', undefined, undefined);
  t.deepEqual(lastArgs(conn), ['hi']);
  calc.Values.greet('hi', undefined, '?');
  t.deepEqual(lastArgs(conn), ['hi', undefined, '?']);
});

test('objects are sent by ref; a class parameter refuses a plain object (plain jsii)', (t) => {
  const { conn, calc } = setup({ jsValues: false });
  const literal = new calc.Literal(2);
  calc.Values.sumOperands(literal, literal);
  t.deepEqual(lastArgs(conn), [{ [TOKEN_REF]: `${CALC}.Literal@h1` }, { [TOKEN_REF]: `${CALC}.Literal@h1` }]);
  t.throws(() => calc.Values.sumOperands({ value: 1 }), { message: `Values.sumOperands: parameter 'literals[0]' must be an instance of ${CALC}.Literal, got an object` });
});

test('js-values: a plain object where a class is declared goes as the program wrote it (structural typing)', (t) => {
  const { conn, calc } = setup();
  calc.Values.sumOperands({ value: 1, extra: 'kept' });
  t.deepEqual(lastArgs(conn), [{ '$jsii.map': { value: 1, extra: 'kept' } }]);
  t.throws(() => calc.Values.sumOperands(3), { message: `Values.sumOperands: parameter 'literals[0]' must be an instance of ${CALC}.Literal, got number 3` });
});

test('a jsii object made natively (outside the kernel) is refused with ERR_NATIVE_OBJECT wherever it is passed', (t) => {
  const { calc } = setup();
  // What a class compiled by jsii carries: its run-time type info.
  class Duration {}
  Object.defineProperty(Duration, Symbol.for('jsii.rtti'), { value: { fqn: 'aws-cdk-lib.Duration', version: '2.0.0' } });
  const native = new Duration();
  for (const call of [() => calc.Values.sumOperands(native), () => calc.Values.echoAny(native), () => calc.Values.echoAny({ nested: [native] }), () => calc.Values.unionKind(native)]) {
    t.throws(call, { code: 'ERR_NATIVE_OBJECT', message: /got a aws-cdk-lib\.Duration made natively, outside the kernel: some module loaded 'aws-cdk-lib' by itself/ });
  }
});

test('unions try their alternatives in order, plain objects becoming kernel objects last', (t) => {
  const { conn, calc } = setup();
  calc.Values.unionKind(3);
  t.deepEqual(lastArgs(conn), [3]);
  const literal = new calc.Literal(1);
  calc.Values.unionKind(literal);
  t.deepEqual(lastArgs(conn), [{ [TOKEN_REF]: `${CALC}.Literal@h1` }]);
  calc.Values.unionKind({ x: 1, y: 2 });
  t.deepEqual(lastArgs(conn), [{ '$jsii.struct': { fqn: `${CALC}.Point`, data: { x: 1, y: 2 } } }]);
  t.throws(() => calc.Values.unionKind('x'), { message: `Values.unionKind: parameter 'value' must be one of number | ${CALC}.Literal | ${CALC}.Point, got string "x"` });
  calc.Values.unionList([1, 'a']);
  t.deepEqual(lastArgs(conn), [[1, 'a']]);
});

test('any: proxies by ref, plain objects as maps, dates, enum members; functions refused', (t) => {
  const { conn, calc } = setup();
  const literal = new calc.Literal(1);
  calc.Values.echoAny({ l: literal, d: new Date(0), list: [1, 'x', null], c: calc.Color.RED });
  t.deepEqual(lastArgs(conn), [{
    '$jsii.map': {
      l: { [TOKEN_REF]: `${CALC}.Literal@h1` },
      d: { '$jsii.date': '1970-01-01T00:00:00.000Z' },
      list: [1, 'x', undefined],
      c: { '$jsii.enum': `${CALC}.Color/RED` },
    },
  }]);
  t.throws(() => calc.Values.echoAny(() => 1), { message: /parameter 'value' must be a value that can cross to the kernel, got function/ });
  t.throws(() => calc.Values.echoAny(new Map()), { message: /not a Map or Set/ });
});

test('an instance of a host class under any becomes a kernel object with its members as overrides', (t) => {
  const { conn, calc } = setup();
  class Thing {
    public size = 3;
    public grow(): number { return this.size + 1; }
  }
  calc.Values.echoAny(new Thing());
  const create = conn.log.find((r) => r.request.api === 'create')!.request;
  t.like(create, { fqn: 'Object', interfaces: [] });
  t.deepEqual((create as { overrides: unknown }).overrides, [{ property: 'size' }, { method: 'grow' }]);
});

// --- wire → host ----------------------------------------------------------------------

function answer(conn: ScriptedConnection, fn: (request: KernelRequest) => unknown): void {
  conn.responder = fn;
}

test('struct results are frozen plain objects, by value or read field by field by ref', (t) => {
  const { conn, calc } = setup();
  answer(conn, () => ({ result: { '$jsii.struct': { fqn: `${CALC}.Segment`, data: { start: { x: 0, y: 0 }, end: { '$jsii.struct': { fqn: `${CALC}.Point`, data: { x: 1, y: 2 } } } } } } }));
  const segment = calc.Geometry.segment(0, 0, 1, 2);
  t.deepEqual(segment, { start: { x: 0, y: 0 }, end: { x: 1, y: 2 } });
  t.true(Object.isFrozen(segment) && Object.isFrozen(segment.start) && Object.isFrozen(segment.end));
  // By reference (the reference runtime's way): one get per field.
  answer(conn, (r) => {
    if (r.api === 'sinvoke') return { result: { [TOKEN_REF]: 'Object@10001', [TOKEN_INTERFACES]: [`${CALC}.Point`] } };
    if (r.api === 'get') return { value: r.property === 'x' ? 5 : 6 };
    return {};
  });
  const point = calc.Geometry.midpoint({ start: { x: 0, y: 0 }, end: { x: 1, y: 1 } });
  t.deepEqual(point, { x: 5, y: 6 });
  t.true(Object.isFrozen(point));
  t.deepEqual(conn.log.slice(-2).map((r) => `${r.mode} ${r.request.api} ${(r.request as { property?: string }).property}`), ['request get x', 'request get y']);
});

test('dates, enums, maps and nested collections come back as host values', (t) => {
  const { conn, calc } = setup();
  answer(conn, () => ({ result: { '$jsii.date': '1970-01-01T00:00:00.000Z' } }));
  t.deepEqual(calc.Values.epoch(), new Date(0));
  answer(conn, () => ({ result: { '$jsii.enum': `${CALC}.Color/GREEN` } }));
  t.is(calc.Geometry.nextColor(calc.Color.RED), calc.Color.GREEN);
  answer(conn, () => ({ result: { '$jsii.map': { a: 1, ['__proto__']: 2 } } }));
  const map = calc.Values.countMap(2);
  t.deepEqual(Object.keys(map), ['a', '__proto__']);
  t.is(Object.getPrototypeOf(map), Object.prototype);
  answer(conn, () => ({ result: [{ '$jsii.map': { a: [1, 2] } }, { b: [] }] }));
  t.deepEqual(calc.Values.nested(), [{ a: [1, 2] }, { b: [] }]);
});

test('refs become proxies of their run-time class, one per kernel object', (t) => {
  const { conn, calc } = setup();
  answer(conn, () => ({ result: { l0: { [TOKEN_REF]: `${CALC}.ScaledLiteral@10001` }, l1: { [TOKEN_REF]: `${CALC}.ScaledLiteral@10001` } } }));
  const map = calc.Values.literalMap(1, 2);
  t.true(map.l0 instanceof calc.ScaledLiteral);
  t.true(map.l0 instanceof calc.Literal);
  t.is(map.l0, map.l1);
});

test('a ref with $jsii.interfaces has the members of every interface', (t) => {
  const { conn, calc } = setup();
  answer(conn, (r) => {
    if (r.api === 'sinvoke') return { result: { [TOKEN_REF]: 'Object@10002', [TOKEN_INTERFACES]: [`${CALC}.IShape`, `${CALC}.INamed`] } };
    if (r.api === 'get') return { value: r.property === 'name' ? 'circle' : 3.14 };
    return {};
  });
  const shape = calc.Values.echoAny(null);
  t.true(shape instanceof calc.IShape);
  t.true(shape instanceof calc.INamed);
  t.false(shape instanceof calc.IScalable);
  t.is(shape.name, 'circle');
  t.is(shape.area, 3.14);
});
