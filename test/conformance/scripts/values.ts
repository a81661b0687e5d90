/** Wire values: structs, enums, maps, dates, any/json, unions, variadics, optionals, collections. */
import type { ConformanceScript } from '../script.js';
import { LOAD, argumentError, create, enumValue, fqn, ok, req, serializationError } from './common.js';

const SEGMENT = { start: { x: 0, y: 0 }, end: { x: 3, y: 4 } };

/** Scripts over every kind of wire value. */
export const VALUES: readonly ConformanceScript[] = [
  {
    name: 'structs-in-and-out',
    description: 'Structs passed as plain objects and as $jsii.struct, nested; structs returned from methods.',
    steps: [
      LOAD,
      ok('length', req.sinvoke('Geometry', 'length', [SEGMENT]), { expectOk: { result: 5 } }),
      ok('length with $jsii.struct', req.sinvoke('Geometry', 'length', [
        { '$jsii.struct': { fqn: fqn('Segment'), data: SEGMENT } }]), { expectOk: { result: 5 } }),
      // Returned structs travel by reference: the host reads their fields with get.
      ok('midpoint returns a struct', req.sinvoke('Geometry', 'midpoint', [SEGMENT]), { capture: { mid: 'result' } }),
      ok('struct field x', req.get('mid', 'x'), { expectOk: { value: 1.5 } }),
      ok('struct field y', req.get('mid', 'y'), { expectOk: { value: 2 } }),
      ok('segment returns nested struct', req.sinvoke('Geometry', 'segment', [1, 2, 3, 4, 'lbl']), { capture: { seg: 'result' } }),
      ok('nested struct field', req.get('seg', 'end'), { capture: { end: 'value' } }),
      ok('field of the nested struct', req.get('end', 'y'), { expectOk: { value: 4 } }),
      ok('optional field set', req.get('seg', 'label'), { expectOk: { value: 'lbl' } }),
      ok('segment without optional label', req.sinvoke('Geometry', 'segment', [1, 2, 3, 4]), { capture: { bare: 'result' } }),
      ok('optional field unset', req.get('bare', 'label'), { expectOk: {} }),
      ok('returned struct passed back in', req.sinvoke('Geometry', 'length', ['${seg}']), { expectOk: { result: 2.8284271247461903 } }),
    ],
  },
  {
    name: 'struct-optional-and-inherited-fields',
    description: 'A struct extending another, with nested struct, enum, map and date fields, echoed back.',
    steps: [
      LOAD,
      // The reference takes an empty object for a (required) all-optional struct as "no value".
      argumentError('echo empty', req.sinvoke('Geometry', 'echoProps', [{}])),
      ok('echo full', req.sinvoke('Geometry', 'echoProps', [{
        initialValue: 1, maxValue: 9, name: 'n',
        display: { precision: 3, unit: 'kg', rounding: enumValue('Rounding', 'UP') },
        tags: { a: 'x', b: 'y' },
        createdAt: { '$jsii.date': '2020-01-02T03:04:05.000Z' },
      }])),
      ok('keys of partial props', req.sinvoke('Geometry', 'propKeys', [{ name: 'n', tags: {} }])),
      ok('calculator from nested props', req.create('Calculator', [{ initialValue: 2.5, display: { precision: 1, unit: 'm' } }]), { capture: { c: '' } }),
      ok('summary uses nested struct', req.invoke('c', 'summary'), { expectOk: { result: 'calc=2.5 m' } }),
      ok('struct-typed getter', req.get('c', 'displayOptions'), { capture: { d: 'value' } }),
      ok('field of the returned struct', req.get('d', 'unit'), { expectOk: { value: 'm' } }),
    ],
  },
  {
    name: 'struct-errors',
    description: 'Missing required struct fields, wrong field types, unknown fields, null for a struct.',
    steps: [
      LOAD,
      argumentError('missing required y', req.sinvoke('Geometry', 'length', [{ start: { x: 0 }, end: { x: 1, y: 1 } }])),
      argumentError('missing nested struct', req.sinvoke('Geometry', 'length', [{ start: { x: 0, y: 0 } }])),
      argumentError('wrong field type', req.sinvoke('Geometry', 'length', [{ start: { x: 'a', y: 0 }, end: { x: 1, y: 1 } }])),
      ok('unknown extra field', req.sinvoke('Geometry', 'propKeys', [{ name: 'n', bogus: 1 }])),
      argumentError('null struct', req.sinvoke('Geometry', 'length', [null])),
      argumentError('struct as a number', req.sinvoke('Geometry', 'length', [7])),
      argumentError('wrong nested enum', req.sinvoke('Geometry', 'propKeys', [{ display: { precision: 1, rounding: 'UP' } }])),
    ],
  },
  {
    name: 'enums',
    description: 'Enums in and out (string-valued and numeric), unknown members, members of another enum.',
    steps: [
      LOAD,
      ok('next color', req.sinvoke('Geometry', 'nextColor', [enumValue('Color', 'RED')]), {
        expectOk: { result: enumValue('Color', 'GREEN') } }),
      ok('wrap around', req.sinvoke('Geometry', 'nextColor', [enumValue('Color', 'BLUE')]), {
        expectOk: { result: enumValue('Color', 'RED') } }),
      ok('round up', req.sinvoke('Geometry', 'round', [1.2, enumValue('Rounding', 'UP')]), { expectOk: { result: 2 } }),
      ok('round down', req.sinvoke('Geometry', 'round', [1.8, enumValue('Rounding', 'DOWN')]), { expectOk: { result: 1 } }),
      argumentError('unknown member', req.sinvoke('Geometry', 'nextColor', [enumValue('Color', 'PURPLE')])),
      ok('member of another enum', req.sinvoke('Geometry', 'nextColor', [enumValue('Rounding', 'UP')])),
      argumentError('raw string for enum', req.sinvoke('Geometry', 'round', [1, 'UP'])),
    ],
    differences: [
      { step: 'member of another enum', reason: 'the reference accepts a member of another enum (its declared type forbids it) and passes the library a wrong value; the clear answer is an error' },
    ],
  },
  {
    name: 'maps',
    description: 'string→number and string→class maps, in and out, with and without $jsii.map.',
    steps: [
      LOAD,
      ok('sum plain map', req.sinvoke('Values', 'sumMap', [{ a: 1, b: 2 }]), { expectOk: { result: 3 } }),
      ok('sum $jsii.map', req.sinvoke('Values', 'sumMap', [{ '$jsii.map': { a: 1, b: 2, c: 3 } }]), { expectOk: { result: 6 } }),
      ok('empty map', req.sinvoke('Values', 'sumMap', [{}]), { expectOk: { result: 0 } }),
      ok('count map', req.sinvoke('Values', 'countMap', [3])),
      ok('literal map', req.sinvoke('Values', 'literalMap', [1, 2]), { capture: { m: 'result' } }),
      ok('sum literals from returned map', req.sinvoke('Values', 'sumLiterals', ['${m}']), { expectOk: { result: 3 } }),
      argumentError('map with a string value', req.sinvoke('Values', 'sumMap', [{ a: 'x' }])),
      argumentError('map of classes with a number', req.sinvoke('Values', 'sumLiterals', [{ a: 1 }])),
    ],
  },
  {
    name: 'dates',
    description: 'Dates in and out as $jsii.date; a date property inside a struct; a malformed date.',
    steps: [
      LOAD,
      ok('add days', req.sinvoke('Values', 'addDays', [{ '$jsii.date': '2024-02-28T00:00:00.000Z' }, 2]), {
        expectOk: { result: { '$jsii.date': '2024-03-01T00:00:00.000Z' } } }),
      ok('epoch', req.sinvoke('Values', 'epoch'), { expectOk: { result: { '$jsii.date': '1970-01-01T00:00:00.000Z' } } }),
      argumentError('string for a date', req.sinvoke('Values', 'addDays', ['2024-01-01', 1])),
      serializationError('malformed date string', req.sinvoke('Values', 'addDays', [{ '$jsii.date': 'not a date' }, 1])),
    ],
    differences: [
      { step: 'malformed date string', reason: 'the reference accepts a malformed $jsii.date and only fails when serializing the Invalid Date the library returns; the clear answer is rejecting the argument' },
    ],
  },
  {
    name: 'any-values',
    description: 'Every kind of value through an `any` parameter and return.',
    steps: [
      LOAD,
      ok('number', req.sinvoke('Values', 'echoAny', [1.5]), { expectOk: { result: 1.5 } }),
      ok('string', req.sinvoke('Values', 'echoAny', ['s']), { expectOk: { result: 's' } }),
      ok('null', req.sinvoke('Values', 'echoAny', [null]), { expectOk: {} }),
      ok('array', req.sinvoke('Values', 'echoAny', [[1, 'a', null, true]])),
      ok('object', req.sinvoke('Values', 'echoAny', [{ a: { b: [1] } }])),
      ok('date', req.sinvoke('Values', 'echoAny', [{ '$jsii.date': '2020-01-01T00:00:00.000Z' }])),
      ok('typeOf date', req.sinvoke('Values', 'typeOfAny', [{ '$jsii.date': '2020-01-01T00:00:00.000Z' }]), { expectOk: { result: 'date' } }),
      create('l', 'Literal', [3]),
      ok('ref', req.sinvoke('Values', 'echoAny', ['${l}'])),
      ok('typeOf ref', req.sinvoke('Values', 'typeOfAny', ['${l}']), { expectOk: { result: 'Literal' } }),
      ok('enum', req.sinvoke('Values', 'echoAny', [enumValue('Color', 'BLUE')])),
      ok('$jsii.map', req.sinvoke('Values', 'echoAny', [{ '$jsii.map': { k: '${l}' } }])),
      ok('typeOf array', req.sinvoke('Values', 'typeOfAny', [[]]), { expectOk: { result: 'array' } }),
      ok('typeOf nothing', req.sinvoke('Values', 'typeOfAny', []), { expectOk: { result: 'undefined' } }),
    ],
    differences: [
      { step: 'typeOf nothing', reason: 'the reference does not check the arguments of static methods at all; our kernel checks sinvoke like invoke, and the assembly declares this any parameter required (lib/kernel/COMPATIBILITY.md)' },
    ],
  },
  {
    name: 'json-values',
    description: 'The json type: nested objects, arrays and nulls, in and out.',
    steps: [
      LOAD,
      ok('sample', req.sinvoke('Values', 'sampleJson'), {
        // The reference wraps json results in $jsii.map and drops null-valued keys of objects.
        expectOk: { result: { '$jsii.map': { a: 1, b: [true, null, 'x'], c: { d: { e: [1.5, -2] } } } } } }),
      ok('echo', req.sinvoke('Values', 'echoJson', [{ x: [1, { y: null }], z: 'w' }]), {
        expectOk: { result: { '$jsii.map': { x: [1, {}], z: 'w' } } } }),
      ok('echo with $jsii-looking key', req.sinvoke('Values', 'echoJson', [{ '$jsii.date': 'no', n: 1 }])),
      argumentError('json as a string', req.sinvoke('Values', 'echoJson', ['x'])),
    ],
  },
  {
    name: 'unions',
    description: 'Unions of primitive, class and struct in different orders, in and out.',
    steps: [
      LOAD,
      create('l', 'Literal', [4]),
      ok('number member', req.sinvoke('Values', 'unionKind', [3]), { expectOk: { result: 'number:3' } }),
      ok('class member', req.sinvoke('Values', 'unionKind', ['${l}']), { expectOk: { result: 'Literal:4' } }),
      ok('struct member', req.sinvoke('Values', 'unionKind', [{ x: 1, y: 2 }]), { expectOk: { result: 'Point:1,2' } }),
      ok('reversed: string', req.sinvoke('Values', 'unionKindReversed', ['s']), { expectOk: { result: 'string:s' } }),
      ok('reversed: struct', req.sinvoke('Values', 'unionKindReversed', [{ x: 5, y: 6 }]), { expectOk: { result: 'Point:5,6' } }),
      ok('reversed: class', req.sinvoke('Values', 'unionKindReversed', ['${l}']), { expectOk: { result: 'Literal:4' } }),
      ok('out: number', req.sinvoke('Values', 'makeUnion', ['number']), { expectOk: { result: 7 } }),
      ok('out: string', req.sinvoke('Values', 'makeUnion', ['string']), { expectOk: { result: 'seven' } }),
      ok('out: literal', req.sinvoke('Values', 'makeUnion', ['literal']), { capture: { ul: 'result' } }),
      ok('returned union member used', req.sinvoke('Values', 'typeOfAny', ['${ul}'])),
      ok('out: point', req.sinvoke('Values', 'makeUnion', ['point'])),
      ok('list of unions', req.sinvoke('Values', 'unionList', [[1, 'abc', 22]]), { expectOk: { result: ['1', 3, '22'] } }),
      argumentError('no member matches', req.sinvoke('Values', 'unionKind', [true])),
      argumentError('string not in union', req.sinvoke('Values', 'unionKind', ['s'])),
    ],
    differences: [
      { step: 'out: literal', reason: 'the reference serializes a Literal instance returned through number | string | Literal | Point as a Point struct (Object@… with $jsii.interfaces [Point]); the clear answer is a Literal reference' },
      { step: 'returned union member used', reason: 'follows from "out: literal": the reference hands the library back the same object, our kernel a Literal reference' },
    ],
  },
  {
    name: 'variadics',
    description: 'Variadic methods with zero, one and many arguments, of primitives and classes.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      ok('addAll none', req.invoke('c', 'addAll'), { expectOk: { result: 0 } }),
      ok('addAll three', req.invoke('c', 'addAll', [1, 2, 3]), { expectOk: { result: 6 } }),
      create('a', 'Literal', [1]),
      create('b', 'Literal', [2]),
      ok('sumOperands refs', req.sinvoke('Values', 'sumOperands', ['${a}', '${b}', '${a}']), { expectOk: { result: 4 } }),
      ok('sumOperands none', req.sinvoke('Values', 'sumOperands', []), { expectOk: { result: 0 } }),
      argumentError('variadic wrong type', req.invoke('c', 'addAll', [1, 'two'])),
      ok('literalMap variadic', req.sinvoke('Values', 'literalMap', [])),
    ],
  },
  {
    name: 'optional-params-and-nullable-returns',
    description: 'Optional parameters omitted, given, and null; nullable primitive and class returns.',
    steps: [
      LOAD,
      ok('greet only greeting', req.sinvoke('Values', 'greet', ['hi']), { expectOk: { result: 'hi, world!' } }),
      ok('greet with name', req.sinvoke('Values', 'greet', ['hi', 'bob']), { expectOk: { result: 'hi, bob!' } }),
      ok('greet null middle', req.sinvoke('Values', 'greet', ['hi', null, '?']), { expectOk: { result: 'hi, world?' } }),
      ok('even', req.sinvoke('Values', 'evenOrNothing', [4]), { expectOk: { result: 4 } }),
      ok('odd gives nothing', req.sinvoke('Values', 'evenOrNothing', [3]), { expectOk: {} }),
      ok('literal or nothing: nothing', req.sinvoke('Values', 'literalOrNothing', [-1]), { expectOk: {} }),
      ok('literal or nothing: literal', req.sinvoke('Values', 'literalOrNothing', [1])),
      create('c', 'Calculator'),
      ok('last on empty', req.invoke('c', 'last'), { expectOk: {} }),
      ok('first on empty pipeline', req.create('Pipeline'), { capture: { p: '' } }),
      ok('first returns nothing', req.invoke('p', 'first'), { expectOk: {} }),
    ],
  },
  {
    name: 'primitives-round-trip',
    description: 'Strings with escapes and non-BMP characters, numbers at the edges, booleans.',
    steps: [
      LOAD,
      ok('tricky string out', req.sinvoke('Values', 'tricky')),
      ok('tricky string back', req.sinvoke('Values', 'echoString', ['q " b \\ n \n t \t u \u00e9 \u2028 e \ud83d\ude00'])),
      ok('empty string', req.sinvoke('Values', 'echoString', ['']), { expectOk: { result: '' } }),
      ok('negative zero', req.sinvoke('Values', 'echoNumber', [-0])),
      ok('big number', req.sinvoke('Values', 'echoNumber', [1.7976931348623157e308]), { expectOk: { result: 1.7976931348623157e308 } }),
      ok('small number', req.sinvoke('Values', 'echoNumber', [5e-324]), { expectOk: { result: 5e-324 } }),
      ok('max safe integer', req.sinvoke('Values', 'echoNumber', [9007199254740991]), { expectOk: { result: 9007199254740991 } }),
      ok('true', req.sinvoke('Values', 'echoBool', [true]), { expectOk: { result: true } }),
      argumentError('number for a boolean', req.sinvoke('Values', 'echoBool', [1])),
      argumentError('boolean for a string', req.sinvoke('Values', 'echoString', [false])),
    ],
  },
  {
    name: 'collections',
    description: 'Arrays of numbers, of class references, and nested lists of maps.',
    steps: [
      LOAD,
      ok('sequence', req.sinvoke('Values', 'sequence', [4]), { expectOk: { result: [0, 1, 2, 3] } }),
      ok('empty sequence', req.sinvoke('Values', 'sequence', [0]), { expectOk: { result: [] } }),
      ok('nested', req.sinvoke('Values', 'nested')),
      create('c', 'Calculator'),
      ok('addAll', req.invoke('c', 'addAll', [1, 2])),
      ok('array of refs', req.get('c', 'historyItems')),
      argumentError('list with a wrong element', req.sinvoke('Values', 'unionList', [[1, true]])),
    ],
  },
];
