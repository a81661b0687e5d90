/**
 * Objects and members: create, del, get/set, sget/sset, invoke/sinvoke, with the
 * reference's answers and error messages (recorded from @jsii/runtime 1.140.0).
 */
import test from 'ava';
import { calcKernel, fqn, ref, RUNTIME, SERIALIZATION, throwsFault, throwsRuntime } from './kernel-fixture.js';

const CALCULATOR = fqn('Calculator');
const SQUARE = fqn('Square');

test('create answers a ref with kernel ids from 10000', (t) => {
  const { call } = calcKernel();
  t.deepEqual(call({ api: 'create', fqn: CALCULATOR }), ref(`${CALCULATOR}@10000`));
  t.deepEqual(call({ api: 'create', fqn: fqn('Literal'), args: [3] }), ref(`${fqn('Literal')}@10001`));
  // An abstract class can be instantiated: JavaScript does not enforce `abstract`.
  t.deepEqual(call({ api: 'create', fqn: fqn('Operand') }), ref(`${fqn('Operand')}@10002`));
});

test('create with interfaces lists only those the class does not imply, sorted', (t) => {
  const { call } = calcKernel();
  t.deepEqual(call({ api: 'create', fqn: SQUARE, args: [2], interfaces: [fqn('IShape'), fqn('IOperation')] }), {
    '$jsii.byref': `${SQUARE}@10000`, '$jsii.interfaces': [fqn('IOperation')],
  });
  t.deepEqual(call({ api: 'create', fqn: 'Object', interfaces: [fqn('IShape'), fqn('IOperation')] }), {
    '$jsii.byref': 'Object@10001', '$jsii.interfaces': [fqn('IOperation'), fqn('IShape')],
  });
  t.deepEqual(call({ api: 'create', fqn: 'Object' }), ref('Object@10002'));
  throwsFault(t, () => call({ api: 'create', fqn: SQUARE, args: [1], interfaces: [CALCULATOR] }),
    `Expected an interface, but received ${CALCULATOR}`);
  throwsFault(t, () => call({ api: 'create', fqn: SQUARE, args: [1], interfaces: [fqn('Nope')] }), `Type '${fqn('Nope')}' not found`);
});

test('create errors', (t) => {
  const { call } = calcKernel();
  throwsFault(t, () => call({ api: 'create', fqn: fqn('Point') }), `Cannot create an object with an FQN of an interface: ${fqn('Point')}`);
  throwsFault(t, () => call({ api: 'create', fqn: fqn('Rounding') }), `Unexpected FQN kind: ${fqn('Rounding')}`);
  throwsFault(t, () => call({ api: 'create', fqn: fqn('Nope') }), `Type '${fqn('Nope')}' not found`);
  throwsFault(t, () => call({ api: 'create', fqn: 'nope.Nope' }), "Module 'nope' not found");
  throwsFault(t, () => call({ api: 'create', fqn: fqn('Statics'), args: [] }),
    "Not enough arguments. Missing argument for the required parameter 'name' of type 'string'");
  throwsFault(t, () => call({ api: 'create', fqn: fqn('Literal'), args: [1, 2] }),
    'Too many arguments (method accepts 1 parameters, got 2 arguments)');
  throwsRuntime(t, () => call({ api: 'create', fqn: CALCULATOR, args: [{ initialValue: 'x' }] }), SERIALIZATION, [
    `Passed to parameter props of new ${CALCULATOR}: Unable to deserialize value as ${fqn('CalculatorProps')} | undefined`,
    '├── 🛑 Failing value is an object',
    "│      { initialValue: 'x' }",
    '╰── 🔍 Failure reason(s):',
    "    ╰─ Key 'initialValue': Unable to deserialize value as number | undefined",
    '        ├── 🛑 Failing value is a string',
    "        │      'x'",
    '        ╰── 🔍 Failure reason(s):',
    '            ╰─ Value is not a number',
  ].join('\n'));
  t.deepEqual(call({ api: 'stats' }), { objectCount: 0 });
});

test('del forgets an object; deleting twice is a Fault', (t) => {
  const { call } = calcKernel();
  const calc = call({ api: 'create', fqn: CALCULATOR });
  t.deepEqual(call({ api: 'del', objref: calc }), {});
  throwsFault(t, () => call({ api: 'del', objref: calc }), `Object ${CALCULATOR}@10000 not found`);
  throwsFault(t, () => call({ api: 'invoke', objref: calc, method: 'total' }), `Object ${CALCULATOR}@10000 not found`);
});

test('objects are found by their exact ref', (t) => {
  const { call } = calcKernel();
  call({ api: 'create', fqn: CALCULATOR });
  throwsFault(t, () => call({ api: 'get', objref: ref(`${SQUARE}@10000`), property: 'area' }), `Object ${SQUARE}@10000 not found`);
  throwsFault(t, () => call({ api: 'get', objref: ref('garbage'), property: 'area' }), 'Object garbage not found');
  throwsFault(t, () => call({ api: 'get', objref: 'x', property: 'area' }), 'Malformed object reference: "x"');
});

test('get and set instance properties, with the reference checks', (t) => {
  const { call } = calcKernel();
  const square = call({ api: 'create', fqn: SQUARE, args: [2] });
  t.deepEqual(call({ api: 'get', objref: square, property: 'area' }), { value: 4 });
  t.deepEqual(call({ api: 'set', objref: square, property: 'side', value: 3 }), {});
  t.deepEqual(call({ api: 'get', objref: square, property: 'area' }), { value: 9 });
  throwsFault(t, () => call({ api: 'set', objref: square, property: 'area', value: 3 }), 'Cannot set value of immutable property area to 3');
  throwsFault(t, () => call({ api: 'get', objref: square, property: 'nope' }), `Type ${SQUARE} doesn't have a property 'nope'`);
  throwsRuntime(t, () => call({ api: 'set', objref: square, property: 'side', value: 'x' }), RUNTIME,
    /^@jsii\/kernel\.SerializationError: Assigned to property @jsii-ring\/calc\.Square\.side: Unable to deserialize value as number\n/);
  const calc = call({ api: 'create', fqn: CALCULATOR });
  throwsRuntime(t, () => call({ api: 'set', objref: calc, property: 'value', value: 1e400 }), RUNTIME, /^@jsii\/kernel\.SerializationError/);
  t.deepEqual(call({ api: 'set', objref: calc, property: 'value', value: 5 }), {});
  t.deepEqual(call({ api: 'get', objref: calc, property: 'value' }), { value: 5 });
});

test('properties through interfaces the object is known to implement', (t) => {
  const { call } = calcKernel();
  const circle = call({ api: 'sinvoke', fqn: fqn('ShapeFactory'), method: 'circle', args: [1] }).result;
  t.deepEqual(circle, { '$jsii.byref': 'Object@10000', '$jsii.interfaces': [fqn('IShape')] });
  t.is(call({ api: 'get', objref: circle, property: 'area' }).value, 3.14);
  // A client may claim more interfaces on the ref (down-casting): searched, not registered.
  throwsFault(t, () => call({ api: 'get', objref: ref(circle['$jsii.byref']), property: 'nope' }),
    `Type Object or interface(s) ${fqn('IShape')} doesn't have a property 'nope'`);
  // The ref's own list is appended to the registered one, duplicates and all (as the reference).
  throwsFault(t, () => call({ api: 'get', objref: circle, property: 'nope' }),
    `Type Object or interface(s) ${fqn('IShape')}, ${fqn('IShape')} doesn't have a property 'nope'`);
  throwsFault(t, () => call({ api: 'invoke', objref: { ...circle, '$jsii.interfaces': [fqn('IOperation')] }, method: 'nope' }),
    `Class Object or interface(s) ${fqn('IShape')}, ${fqn('IOperation')} doesn't have a method 'nope'`);
});

test('static properties', (t) => {
  const { call } = calcKernel();
  const statics = fqn('Statics');
  t.deepEqual(call({ api: 'sget', fqn: statics, property: 'ANSWER' }), { value: 42 });
  t.deepEqual(call({ api: 'sset', fqn: statics, property: 'mode', value: 'fast' }), {});
  t.deepEqual(call({ api: 'sget', fqn: statics, property: 'mode' }), { value: 'fast' });
  throwsFault(t, () => call({ api: 'sset', fqn: statics, property: 'instanceCount', value: 3 }),
    `static property ${statics}.instanceCount is readonly`);
  throwsRuntime(t, () => call({ api: 'sset', fqn: statics, property: 'precision', value: -1 }), RUNTIME,
    'RangeError: precision must be an integer between 0 and 10, got -1');
  throwsRuntime(t, () => call({ api: 'sset', fqn: statics, property: 'mode', value: 5 }), RUNTIME,
    /^@jsii\/kernel\.SerializationError: Assigned to static property @jsii-ring\/calc\.Statics\.mode: Unable to deserialize value as string\n/);
  throwsFault(t, () => call({ api: 'sget', fqn: statics, property: 'nope' }), `Type ${statics} doesn't have a property 'nope'`);
  throwsFault(t, () => call({ api: 'sget', fqn: CALCULATOR, property: 'value' }), `property ${CALCULATOR}.value is not static`);
  throwsFault(t, () => call({ api: 'sget', fqn: fqn('Rounding'), property: 'UP' }), 'Type of kind enum does not have properties');
});

test('invoke: arguments, results and the reference errors', (t) => {
  const { call } = calcKernel();
  const square = call({ api: 'create', fqn: SQUARE, args: [2] });
  t.deepEqual(call({ api: 'invoke', objref: square, method: 'scale', args: [2] }), {});
  t.deepEqual(call({ api: 'get', objref: square, property: 'side' }), { value: 4 });
  throwsFault(t, () => call({ api: 'invoke', objref: square, method: 'scale', args: [] }),
    "Not enough arguments. Missing argument for the required parameter 'factor' of type 'number'");
  throwsFault(t, () => call({ api: 'invoke', objref: square, method: 'scale', args: [1, 2] }),
    'Too many arguments (method accepts 1 parameters, got 2 arguments)');
  throwsFault(t, () => call({ api: 'invoke', objref: square, method: 'nope' }), `Class ${SQUARE} doesn't have a method 'nope'`);
  const calc = call({ api: 'create', fqn: CALCULATOR, args: [{ initialValue: 1, maxValue: 2 }] });
  throwsRuntime(t, () => call({ api: 'invoke', objref: calc, method: 'add', args: [5] }), RUNTIME, 'Error: value 6 exceeds maxValue 2');
  throwsRuntime(t, () => call({ api: 'invoke', objref: calc, method: 'add', args: ['x'] }), RUNTIME,
    /^@jsii\/kernel\.SerializationError: Passed to parameter x of method @jsii-ring\/calc\.Calculator#add: Unable to deserialize value as number\n/);
  throwsFault(t, () => call({ api: 'invoke', objref: calc, method: 'addLater', args: [1] }), 'addLater is an async method, use "begin" instead');
  t.deepEqual(call({ api: 'invoke', objref: calc, method: 'format', args: [1.5] }), { result: '1.50' });
});

test('invoke finds inherited methods and uses the class prototype first', (t) => {
  const { call } = calcKernel();
  const clamped = call({ api: 'create', fqn: fqn('ClampedLiteral'), args: [5, 3, 10] });
  // `describe` is declared by the abstract base, `kind` overridden at every level.
  t.is(call({ api: 'invoke', objref: clamped, method: 'describe' }).result, 'ClampedLiteral(10)');
  t.is(call({ api: 'invoke', objref: clamped, method: 'kind' }).result, 'ClampedLiteral');
  t.is(call({ api: 'get', objref: clamped, property: 'value' }).value, 10);
});

test('sinvoke: static methods, identity of returned objects', (t) => {
  const { call } = calcKernel();
  const statics = fqn('Statics');
  t.deepEqual(call({ api: 'sinvoke', fqn: statics, method: 'join', args: ['-', 'a', 'b'] }), { result: 'a-b' });
  const one = call({ api: 'sinvoke', fqn: statics, method: 'singleton' });
  t.deepEqual(one, { result: ref(`${statics}@10000`) });
  t.deepEqual(call({ api: 'sinvoke', fqn: statics, method: 'singleton' }), one);
  throwsFault(t, () => call({ api: 'sinvoke', fqn: statics, method: 'nope' }), `Class ${statics} doesn't have a method 'nope'`);
  throwsFault(t, () => call({ api: 'sinvoke', fqn: CALCULATOR, method: 'add', args: [1] }), `${CALCULATOR}.add is not a static method`);
});

test('static calls check their arguments', (t) => {
  const { call } = calcKernel();
  const statics = fqn('Statics');
  // The reference calls the library anyway (answering NaN as null, dropping the extras).
  throwsFault(t, () => call({ api: 'sinvoke', fqn: statics, method: 'add', args: [1] }),
    "Not enough arguments. Missing argument for the required parameter 'b' of type 'number'");
  throwsFault(t, () => call({ api: 'sinvoke', fqn: statics, method: 'add', args: [1, 2, 3] }),
    'Too many arguments (method accepts 2 parameters, got 3 arguments)');
});

test('returned objects keep their identity, with interfaces for hidden classes', (t) => {
  const { call } = calcKernel();
  const calc = call({ api: 'create', fqn: CALCULATOR });
  t.deepEqual(call({ api: 'invoke', objref: calc, method: 'itself' }), { result: calc });
  t.deepEqual(call({ api: 'sinvoke', fqn: fqn('ShapeFactory'), method: 'square', args: [2] }), { result: ref(`${SQUARE}@10001`) });
  t.deepEqual(call({ api: 'sinvoke', fqn: fqn('ShapeFactory'), method: 'named', args: ['n'] }).result['$jsii.interfaces'], [fqn('INamed')]);
});

test('a class-typed argument must be of a compatible class; interfaces are trusted', (t) => {
  const { call } = calcKernel();
  const calc = call({ api: 'create', fqn: CALCULATOR });
  const literal = call({ api: 'create', fqn: fqn('Literal'), args: [2] });
  t.deepEqual(call({ api: 'invoke', objref: calc, method: 'store', args: [literal] }), { result: literal });
  throwsRuntime(t, () => call({ api: 'invoke', objref: calc, method: 'store', args: [calc] }), RUNTIME,
    new RegExp(`Object of type '${CALCULATOR}' is not convertible to ${fqn('Operand')}$`));
  // Any object goes where an interface is declared (it may implement it privately).
  t.is(call({ api: 'sinvoke', fqn: fqn('ShapeFactory'), method: 'areaOf', args: [call({ api: 'create', fqn: SQUARE, args: [3] })] }).result, 9);
});

test('absent results are absent keys, not undefined values (same on every codec)', (t) => {
  const k = calcKernel();
  const square = k.kernel.dispatch({ api: 'create', fqn: SQUARE, args: [2] } as never);
  t.deepEqual(Object.keys(k.kernel.dispatch({ api: 'invoke', objref: square, method: 'scale', args: [2] } as never) as object), []);
  t.deepEqual(Object.keys(k.kernel.dispatch({ api: 'sinvoke', fqn: fqn('Values'), method: 'evenOrNothing', args: [1] } as never) as object), []);
  t.deepEqual(Object.keys(k.kernel.dispatch({ api: 'get', objref: k.call({ api: 'create', fqn: CALCULATOR }), property: 'memory' } as never) as object), []);
  t.deepEqual(Object.keys(square as object), ['$jsii.byref']);
});
