/** Library errors, malformed requests, unknown members, wrong arguments, prototype-polluting keys. */
import type { ConformanceScript } from '../script.js';
import { CALC, LOAD, argumentError, create, failsAs, fault, ok, req, runtimeError } from './common.js';

/** Scripts over errors of every origin. */
export const ERRORS: readonly ConformanceScript[] = [
  {
    name: 'library-errors',
    description: 'Errors thrown by library code: several frames deep, other classes, non-Error values, in constructors.',
    steps: [
      LOAD,
      runtimeError('throw deep', req.sinvoke('Thrower', 'throwDeep', [3]), { oursStackMentions: ['levelThree', 'levelTwo', 'levelOne'] }),
      runtimeError('TypeError', req.sinvoke('Thrower', 'throwType')),
      runtimeError('a bare string', req.sinvoke('Thrower', 'throwString')),
      failsAs('Error', 'constructor throws', req.create('Thrower', [true]), { oursStackMentions: ['levelThree'] }),
      ok('constructor succeeds', req.create('Thrower', [false])),
      create('c', 'Calculator', [{ maxValue: 5 }]),
      ok('add within limit', req.invoke('c', 'add', [5]), { expectOk: { result: 5 } }),
      runtimeError('add beyond limit', req.invoke('c', 'add', [1])),
      ok('value unchanged', req.get('c', 'value'), { expectOk: { value: 5 } }),
      ok('stats', req.stats(), { expectOk: { objectCount: 2 } }),
    ],
    differences: [
      { step: 'constructor throws', reason: 'the reference reports an error thrown by a library constructor under its JavaScript name (Error) instead of @jsii/kernel.RuntimeError, unlike every other library error' },
    ],
  },
  {
    name: 'unknown-members',
    description: 'Unknown methods and properties, methods used as properties and the reverse.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      fault('invoke unknown', req.invoke('c', 'nope')),
      fault('get unknown', req.get('c', 'nope')),
      fault('invoke a property', req.invoke('c', 'value')),
      fault('get a method', req.get('c', 'total')),
      fault('invoke a static through an instance', req.invoke('c', 'add2')),
      fault('set a method', req.set('c', 'total', 1)),
      fault('private member', req.invoke('c', 'commit', [1])),
      ok('still fine', req.invoke('c', 'total'), { expectOk: { result: 0 } }),
    ],
  },
  {
    name: 'wrong-arguments',
    description: 'Wrong argument types and counts for methods.',
    steps: [
      LOAD,
      argumentError('strings for numbers', req.sinvoke('Statics', 'add', ['1', '2'])),
      ok('too few', req.sinvoke('Statics', 'add', [1])),
      ok('too many', req.sinvoke('Statics', 'add', [1, 2, 3])),
      argumentError('null for a required number', req.sinvoke('Statics', 'add', [null, 2])),
      ok('no args at all', { api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'add' }),
      argumentError('object for a class', req.sinvoke('Values', 'sumOperands', [{ value: 1 }])),
      create('c', 'Calculator'),
      argumentError('a Calculator where a Literal is expected', req.sinvoke('Values', 'sumOperands', ['${c}'])),
      fault('too few on an instance method', req.invoke('c', 'add', [])),
      fault('too many on an instance method', req.invoke('c', 'add', [1, 2])),
      ok('correct call', req.sinvoke('Statics', 'add', [1, 2]), { expectOk: { result: 3 } }),
    ],
    differences: [
      { step: 'too few', reason: 'the reference does not check argument counts of static methods: it calls add(1, undefined) and answers null (NaN); the clear answer is a Fault as for instance methods' },
      { step: 'too many', reason: 'the reference silently drops extra arguments of static methods; the clear answer is a Fault' },
      { step: 'no args at all', reason: 'as "too few": the reference calls a static method missing required arguments' },
    ],
  },
  {
    name: 'malformed-requests',
    description: 'Requests missing their api or required fields, or with fields of the wrong shape.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      failsAs('TypeError', 'create without fqn', { api: 'create', args: [] }),
      fault('invoke without objref', { api: 'invoke', method: 'total', args: [] }),
      fault('objref as a string', { api: 'invoke', objref: '@jsii-ring/calc.Calculator@10000', method: 'total', args: [] }),
      fault('objref without byref', { api: 'invoke', objref: {}, method: 'total', args: [] }),
      fault('byref without an id', { api: 'invoke', objref: { '$jsii.byref': 'garbage' }, method: 'total', args: [] }),
      fault('invoke without method', { api: 'invoke', objref: '${c}', args: [] }),
      fault('get without property', { api: 'get', objref: '${c}' }),
      failsAs('TypeError', 'sinvoke without fqn', { api: 'sinvoke', method: 'add', args: [1, 2] }),
      ok('still serving', req.invoke('c', 'total'), { expectOk: { result: 0 } }),
    ],
    differences: [
      { step: 'create without fqn', reason: 'the reference crashes inside its type lookup (TypeError reading split of undefined); the clear answer is a Fault naming the missing fqn' },
      { step: 'sinvoke without fqn', reason: 'as "create without fqn"' },
    ],
  },
  {
    name: 'malformed-args',
    description: 'args that are not arrays, null args, and objrefs naming the wrong type.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      fault('args as a number', { api: 'invoke', objref: '${c}', method: 'add', args: 5 }),
      runtimeError('args as an object', { api: 'invoke', objref: '${c}', method: 'add', args: { 0: 1 } }),
      ok('args null (no args)', { api: 'invoke', objref: '${c}', method: 'total', args: null }),
      fault('byref with the wrong type name', { api: 'invoke', objref: { '$jsii.byref': `${CALC}.Literal@10000` }, method: 'total', args: [] }),
    ],
    differences: [
      { step: 'args as an object', reason: 'the reference crashes calling args.map (a TypeError reported as RuntimeError); the clear answer is a Fault: args must be an array' },
    ],
  },
  {
    name: 'proto-keys-in-maps',
    description: '`__proto__` and `constructor` keys in maps: they must stay plain keys, never reach prototypes.',
    steps: [
      LOAD,
      ok('__proto__ key sums', req.sinvoke('Values', 'sumMap', [JSON.parse('{"__proto__": 5, "a": 1}')])),
      ok('__proto__ key listed', req.sinvoke('Values', 'mapKeys', [JSON.parse('{"__proto__": 5, "a": 1}')])),
      ok('__proto__ in $jsii.map', req.sinvoke('Values', 'mapKeys', [JSON.parse('{"$jsii.map": {"__proto__": 5}}')])),
      ok('constructor key', req.sinvoke('Values', 'mapKeys', [{ constructor: 1, toString: 2 }])),
      ok('__proto__ in json', req.sinvoke('Values', 'echoJson', [JSON.parse('{"__proto__": {"polluted": true}}')])),
      ok('__proto__ in any', req.sinvoke('Values', 'typeOfAny', [JSON.parse('{"__proto__": []}')])),
      ok('no pollution', req.sinvoke('Values', 'echoJson', [{}]), { expectOk: { result: { '$jsii.map': {} } } }),
    ],
    differences: [
      { step: '__proto__ key sums', reason: 'the reference drops a __proto__ key of a map silently (the value is assigned to the prototype slot); our kernel rejects it on purpose (lib/kernel/serialization.ts, COMPATIBILITY.md)' },
      { step: '__proto__ key listed', reason: 'as "__proto__ key sums"' },
      { step: '__proto__ in $jsii.map', reason: 'as "__proto__ key sums", inside a $jsii.map token' },
      { step: 'constructor key', reason: 'our kernel rejects a constructor key in a map by choice (lib/kernel/serialization.ts); note that the reference handles this key correctly (an own key, listed and summed)' },
      { step: '__proto__ in json', reason: 'the reference sets the prototype of the object it builds from the json value (the result comes back empty); our kernel rejects it on purpose (lib/kernel/serialization.ts, COMPATIBILITY.md)' },
      { step: '__proto__ in any', reason: 'as "__proto__ in json", for an any value' },
    ],
  },
  {
    name: 'proto-keys-in-structs',
    description: '`__proto__` and `constructor` keys in struct data.',
    steps: [
      LOAD,
      argumentError('__proto__ in struct', req.sinvoke('Geometry', 'propKeys', [JSON.parse('{"__proto__": {"name": "evil"}, "initialValue": 1}')])),
      argumentError('constructor in struct', req.sinvoke('Geometry', 'propKeys', [{ constructor: 'x', name: 'n' }])),
      argumentError('__proto__ in nested struct', req.sinvoke('Geometry', 'length', [JSON.parse('{"start": {"x": 0, "y": 0, "__proto__": {"x": 9}}, "end": {"x": 3, "y": 4}}')])),
      ok('__proto__ in tags map inside struct', req.sinvoke('Geometry', 'echoProps', [JSON.parse('{"tags": {"__proto__": "t"}}')])),
      ok('no pollution', req.sinvoke('Values', 'echoJson', [{}]), { expectOk: { result: { '$jsii.map': {} } } }),
    ],
    differences: [
      { step: '__proto__ in struct', reason: 'the reference crashes looking up the field "__proto__" on the struct spec (Cannot read properties of undefined (reading \'fqn\')); the clear answer ignores or rejects the unknown key by name' },
      { step: 'constructor in struct', reason: 'as "__proto__ in struct", for the inherited key "constructor"' },
      { step: '__proto__ in nested struct', reason: 'as "__proto__ in struct", in a nested struct' },
      { step: '__proto__ in tags map inside struct', reason: 'the reference drops a __proto__ key of the map-typed struct field silently; our kernel rejects it on purpose (lib/kernel/serialization.ts, COMPATIBILITY.md)' },
    ],
  },
];

/** Requests that kill the reference runtime: one script each, since the process is gone after. */
function crashScript(name: string, description: string, request: unknown, how: string): ConformanceScript {
  return {
    name,
    description,
    steps: [
      LOAD,
      fault('crash', request, { referenceCrashes: how }),
      ok('still serving', req.sinvoke('Statics', 'add', [1, 2]), { expectOk: { result: 3 } }),
    ],
  };
}

/** Scripts whose request makes the reference runtime exit. */
export const CRASHES: readonly ConformanceScript[] = [
  crashScript('reference-crash-missing-api', 'A request without an api field.', { fqn: 'x' },
    'the reference process exits (status 0) on a request without an api'),
  crashScript('reference-crash-unknown-api', 'A request naming an api that does not exist.', { api: 'nope' },
    'the reference process exits (status 0) on an unknown api'),
  crashScript('reference-crash-numeric-api', 'A request whose api is a number.', { api: 42 },
    'the reference process exits (status 0) on a non-string api'),
  crashScript('reference-crash-non-object-request', 'A request that is a JSON string, not an object.', 'hello',
    'the reference process exits (status 0) on a request that is not an object'),
  crashScript('reference-crash-array-request', 'A request that is a JSON array.', [],
    'the reference process exits (status 0) on a request that is an array'),
];
