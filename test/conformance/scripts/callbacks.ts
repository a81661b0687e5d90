/** Host-implemented interfaces, overrides, and the callbacks library code makes into them. */
import type { ConformanceScript } from '../script.js';
import { LOAD, create, fault, fqn, ok, req, runtimeError, serializationError } from './common.js';

/** A host object implementing IOperation by overriding both members. */
const HOST_OP = ['Object', [], { interfaces: [fqn('IOperation')], overrides: [{ method: 'apply', cookie: 'op' }, { property: 'name' }] }] as const;

/** Scripts over host overrides and callbacks. */
export const CALLBACKS: readonly ConformanceScript[] = [
  {
    name: 'host-interface-methods',
    description: 'A host object implementing an interface: the library calls its method and reads its property.',
    steps: [
      LOAD,
      create('op', ...HOST_OP),
      create('p', 'Pipeline'),
      ok('add returns the pipeline', req.invoke('p', 'add', ['${op}'])),
      ok('add a library op', req.create('Doubler'), { capture: { d: '' } }),
      ok('add doubler', req.invoke('p', 'add', ['${d}'])),
      ok('run calls apply', req.invoke('p', 'run', [5]), {
        expectOk: { result: 22 },
        callbacks: [{ match: { kind: 'invoke', member: 'apply' }, answers: [{ return: 11 }] }],
      }),
      ok('names reads name', req.invoke('p', 'names'), {
        expectOk: { result: ['host-op', 'double'] },
        callbacks: [{ match: { kind: 'get', member: 'name' }, answers: [{ return: 'host-op' }] }],
      }),
      ok('operations returns the same refs', req.get('p', 'operations')),
      ok('first is the host object', req.invoke('p', 'first')),
    ],
  },
  {
    name: 'callback-echoes-arguments',
    description: 'Callback answers computed from the callback\'s own arguments, over several calls.',
    steps: [
      LOAD,
      create('op', ...HOST_OP),
      create('p', 'Pipeline'),
      ok('add twice', { api: 'invoke', objref: '${p}', method: 'add', args: ['${op}'] }),
      ok('add again', { api: 'invoke', objref: '${p}', method: 'add', args: ['${op}'] }),
      ok('run echoes', req.invoke('p', 'run', [8]), {
        expectOk: { result: 8 },
        callbacks: [{ match: { member: 'apply' }, answers: [{ return: '${$args/0}' }] }],
      }),
      ok('answers in order', req.invoke('p', 'run', [1]), {
        expectOk: { result: 30 },
        callbacks: [{ match: { member: 'apply' }, answers: [{ return: 10 }, { return: 30 }] }],
      }),
    ],
  },
  {
    name: 'property-callbacks',
    description: 'The library reads and writes properties of a host object (get and set callbacks).',
    steps: [
      LOAD,
      create('f', 'Object', [], {
        interfaces: [fqn('IFormatter')],
        overrides: [{ property: 'prefix' }, { property: 'suffix' }, { method: 'format' }],
      }),
      ok('formatWith', req.sinvoke('Pipeline', 'formatWith', ['${f}', 3]), {
        expectOk: { result: '<3.00>' },
        callbacks: [
          { match: { kind: 'get', member: 'prefix' }, answers: [{ return: '<' }] },
          { match: { kind: 'invoke', member: 'format' }, answers: [{ return: '3.00' }] },
          { match: { kind: 'get', member: 'suffix' }, answers: [{ return: '>' }] },
        ],
      }),
      ok('decorate sets suffix', req.sinvoke('Pipeline', 'decorate', ['${f}', '!']), {
        expectOk: {},
        callbacks: [{ match: { kind: 'set', member: 'suffix' }, answers: [{ return: null }] }],
      }),
    ],
  },
  {
    name: 'overridable-methods-and-properties',
    description: 'A library class with host overrides: library code calls the overridden members.',
    steps: [
      LOAD,
      create('c', 'Calculator', [{ initialValue: 10 }], { overrides: [{ method: 'bonus', cookie: 'b' }, { property: 'label' }] }),
      ok('total calls bonus', req.invoke('c', 'total'), {
        expectOk: { result: 15 },
        callbacks: [{ match: { member: 'bonus', cookie: 'b' }, answers: [{ return: 5 }] }],
      }),
      ok('summary reads label', req.invoke('c', 'summary'), {
        expectOk: { result: 'host=10.00' },
        callbacks: [{ match: { kind: 'get', member: 'label' }, answers: [{ return: 'host' }] }],
      }),
      ok('get overridden property from the host', req.get('c', 'label'), {
        callbacks: [{ match: { kind: 'get', member: 'label' }, answers: [{ return: 'direct' }] }],
      }),
      ok('set overridden property from the host', req.set('c', 'label', 'x'), {
        callbacks: [{ match: { kind: 'set', member: 'label' }, answers: [{ return: null }] }],
      }),
      ok('non-overridden member runs library code', req.invoke('c', 'add', [1]), { expectOk: { result: 11 } }),
    ],
  },
  {
    name: 'override-errors',
    description: 'Overrides of members that do not exist, and interfaces that do not exist.',
    steps: [
      LOAD,
      // The reference accepts overrides of members the type does not declare.
      ok('override unknown method', req.create('Calculator', [], { overrides: [{ method: 'nope' }] })),
      ok('override unknown property', req.create('Calculator', [], { overrides: [{ property: 'nope' }] })),
      fault('unknown interface', req.create('Object', [], { interfaces: [fqn('INope')] })),
      fault('class as interface', req.create('Object', [], { interfaces: [fqn('Literal')] })),
      fault('override of a method as a property', req.create('Calculator', [], { overrides: [{ property: 'total' }] })),
      ok('stats', req.stats()),
    ],
  },
  {
    name: 'callback-makes-nested-requests',
    description: 'A callback whose answer needs requests of its own (nested while the callback is open).',
    steps: [
      LOAD,
      create('c', 'Calculator', [{ initialValue: 1 }]),
      create('op', ...HOST_OP),
      create('p', 'Pipeline'),
      ok('add', req.invoke('p', 'add', ['${op}'])),
      ok('run: apply calls the calculator', req.invoke('p', 'run', [4]), {
        expectOk: { result: 5 },
        callbacks: [{
          match: { member: 'apply' },
          answers: [{ nested: [req.invoke('c', 'add', ['${$args/0}'])], return: '${$n0/result}' }],
        }],
      }),
      ok('calculator saw it', req.get('c', 'value'), { expectOk: { value: 5 } }),
    ],
  },
  {
    name: 'deeply-nested-callbacks',
    description: 'A callback makes a request that triggers another callback (two levels).',
    steps: [
      LOAD,
      create('inner', 'Object', [], { interfaces: [fqn('IOperation')], overrides: [{ method: 'apply', cookie: 'inner' }] }),
      create('outer', 'Object', [], { interfaces: [fqn('IOperation')], overrides: [{ method: 'apply', cookie: 'outer' }] }),
      create('p1', 'Pipeline'),
      create('p2', 'Pipeline'),
      ok('p1 add outer', req.invoke('p1', 'add', ['${outer}'])),
      ok('p2 add inner', req.invoke('p2', 'add', ['${inner}'])),
      ok('run', req.invoke('p1', 'run', [3]), {
        expectOk: { result: 301 },
        callbacks: [
          { match: { cookie: 'outer' }, answers: [{ nested: [req.invoke('p2', 'run', ['${$args/0}'])], return: '${$n0/result}' }] },
          { match: { cookie: 'inner' }, answers: [{ return: 301 }] },
        ],
      }),
    ],
  },
  {
    name: 'throwing-callback',
    description: 'A host callback that fails: the error propagates through library frames, or is caught by the library.',
    steps: [
      LOAD,
      create('op', ...HOST_OP),
      runtimeError('error propagates', req.sinvoke('Thrower', 'applyThrough', ['${op}', 1]), {
        callbacks: [{ match: { member: 'apply' }, answers: [{ throw: 'host says no' }] }],
      }),
      ok('library catches it', req.sinvoke('Thrower', 'catchFrom', ['${op}', 1]), {
        callbacks: [{ match: { member: 'apply' }, answers: [{ throw: 'host says no' }] }],
      }),
      fault('error named Fault', req.sinvoke('Thrower', 'applyThrough', ['${op}', 1]), {
        callbacks: [{ match: { member: 'apply' }, answers: [{ throw: 'a fault', name: '@jsii/kernel.Fault' }] }],
      }),
      ok('kernel still serves', req.sinvoke('Statics', 'add', [1, 1]), { expectOk: { result: 2 } }),
    ],
  },
  {
    name: 'callback-returns-wrong-type',
    description: 'A callback answers a value of the wrong type for the overridden member.',
    steps: [
      LOAD,
      create('c', 'Calculator', [], { overrides: [{ method: 'bonus' }] }),
      runtimeError('string for a number', req.invoke('c', 'total'), {
        callbacks: [{ match: { member: 'bonus' }, answers: [{ return: 'lots' }] }],
      }),
      ok('a good answer after', req.invoke('c', 'total'), {
        expectOk: { result: 2 },
        callbacks: [{ match: { member: 'bonus' }, answers: [{ return: 2 }] }],
      }),
    ],
  },
  {
    name: 'callback-returns-objects',
    description: 'An overridden factory answers with references: a library object, a host subclass, a wrong type.',
    steps: [
      LOAD,
      create('c', 'Calculator', [], { overrides: [{ method: 'makeOperand' }] }),
      create('l', 'Literal', [10]),
      create('h', 'Literal', [0], { overrides: [{ property: 'value' }] }),
      ok('answers with a library object', req.invoke('c', 'sumOfMade', [1, 2]), {
        expectOk: { result: 20 },
        callbacks: [{ match: { member: 'makeOperand' }, answers: [{ return: '${l}' }] }],
      }),
      ok('answers with a host subclass, whose getter calls back too', req.invoke('c', 'sumOfMade', [1, 2]), {
        expectOk: { result: 17 },
        callbacks: [
          { match: { member: 'makeOperand' }, answers: [{ return: '${l}' }, { return: '${h}' }] },
          { match: { kind: 'get', member: 'value' }, answers: [{ return: 7 }] },
        ],
      }),
      ok('answers with an object created meanwhile', req.invoke('c', 'sumOfMade', [3, 4]), {
        expectOk: { result: 7 },
        callbacks: [{ match: { member: 'makeOperand' }, answers: [
          { nested: [req.create('Literal', ['${$args/0}'])], return: '${$n0}' },
        ] }],
      }),
      runtimeError('answers with a number', req.invoke('c', 'sumOfMade', [1, 2]), {
        callbacks: [{ match: { member: 'makeOperand' }, answers: [{ return: 5 }] }],
      }),
      ok('stats', req.stats()),
    ],
  },
  {
    name: 'bare-interface-object',
    description: 'An "Object" created with an interface but without overrides, used directly and by the library.',
    steps: [
      LOAD,
      create('op', 'Object', [], { interfaces: [fqn('IOperation')] }),
      fault('invoke the interface method directly', req.invoke('op', 'apply', [1])),
      serializationError('get the interface property directly', req.get('op', 'name')),
      create('p', 'Pipeline'),
      ok('add', req.invoke('p', 'add', ['${op}'])),
      runtimeError('the library calls the missing method', req.invoke('p', 'run', [1])),
    ],
  },
  {
    name: 'callback-nested-request-fails',
    description: 'A nested request made inside a callback fails; the callback completes with that error.',
    steps: [
      LOAD,
      create('op', ...HOST_OP),
      create('p', 'Pipeline'),
      ok('add', req.invoke('p', 'add', ['${op}'])),
      runtimeError('run', req.invoke('p', 'run', [1]), {
        callbacks: [{ match: { member: 'apply' }, answers: [{ nested: [req.sinvoke('Thrower', 'throwType')] }] }],
      }),
      ok('nested error ignored', req.invoke('p', 'run', [1]), {
        expectOk: { result: 7 },
        callbacks: [{ match: { member: 'apply' }, answers: [{ nested: [req.sinvoke('Nope', 'x')], ignoreErrors: true, return: 7 }] }],
      }),
    ],
  },
  {
    name: 'host-object-passed-back',
    description: 'Host-created objects passed to the library and returned: the same reference comes back.',
    steps: [
      LOAD,
      create('s', 'Object', [], { interfaces: [fqn('IShape')], overrides: [{ property: 'area' }] }),
      ok('areaOf host shape', req.sinvoke('ShapeFactory', 'areaOf', ['${s}']), {
        expectOk: { result: 12 },
        callbacks: [{ match: { member: 'area' }, answers: [{ return: 12 }] }],
      }),
      ok('nameOf host shape without a name', req.sinvoke('ShapeFactory', 'nameOf', ['${s}']), { expectOk: { result: '<unnamed>' } }),
      ok('echoAny returns it', req.sinvoke('Values', 'echoAny', ['${s}'])),
      ok('create without overrides', req.create('Object', [], { interfaces: [fqn('IShape')] }), { capture: { bare: '' } }),
      serializationError('areaOf bare object returns undefined', req.sinvoke('ShapeFactory', 'areaOf', ['${bare}'])),
    ],
  },
];
