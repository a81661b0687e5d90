/** Inheritance, abstract classes, private constructors, getters and setters, identity. */
import type { ConformanceScript } from '../script.js';
import { LOAD, create, fault, ok, req, runtimeError, argumentError } from './common.js';

/** Scripts over class hierarchies, setters and identity. */
export const CLASSES: readonly ConformanceScript[] = [
  {
    name: 'inheritance-three-levels',
    description: 'Members inherited across three levels under an abstract base, with overriding getters.',
    steps: [
      LOAD,
      create('l', 'Literal', [4]),
      create('s', 'ScaledLiteral', [4, 3]),
      create('k', 'ClampedLiteral', [4, 3, 10]),
      ok('literal value', req.get('l', 'value'), { expectOk: { value: 4 } }),
      ok('scaled value', req.get('s', 'value'), { expectOk: { value: 12 } }),
      ok('clamped value', req.get('k', 'value'), { expectOk: { value: 10 } }),
      ok('clamped describe', req.invoke('k', 'describe'), { expectOk: { result: 'ClampedLiteral(10)' } }),
      ok('scaled kind', req.invoke('s', 'kind'), { expectOk: { result: 'ScaledLiteral' } }),
      ok('plus across levels', req.invoke('k', 'plus', ['${l}']), { expectOk: { result: 14 } }),
      ok('inherited factor', req.get('k', 'factor'), { expectOk: { value: 3 } }),
      ok('set inherited factor', req.set('k', 'factor', 2), { expectOk: {} }),
      ok('clamped value after', req.get('k', 'value'), { expectOk: { value: 8 } }),
      ok('scaled optional arg omitted', req.create('ScaledLiteral', [5])),
    ],
  },
  {
    name: 'property-setters-validate',
    description: 'Setters that validate and throw from library code; read-only properties.',
    steps: [
      LOAD,
      create('k', 'ClampedLiteral', [4, 3, 10]),
      ok('set max', req.set('k', 'max', 20), { expectOk: {} }),
      ok('max', req.get('k', 'max'), { expectOk: { value: 20 } }),
      runtimeError('set max negative', req.set('k', 'max', -1)),
      ok('max unchanged', req.get('k', 'max'), { expectOk: { value: 20 } }),
      create('c', 'Calculator'),
      ok('set value', req.set('c', 'value', 7), { expectOk: {} }),
      ok('value', req.get('c', 'value'), { expectOk: { value: 7 } }),
      fault('set read-only value on Literal', req.set('k', 'value', 1)),
      fault('set unknown property', req.set('c', 'nope', 1)),
      fault('get unknown property', req.get('c', 'nope')),
    ],
  },
  {
    name: 'abstract-class',
    description: 'An abstract class created with its abstract members overridden by the host.',
    steps: [
      LOAD,
      create('o', 'Operand', [], { overrides: [{ property: 'value' }, { method: 'kind', cookie: 'kind-cookie' }] }),
      ok('describe calls overrides', req.invoke('o', 'describe'), {
        expectOk: { result: 'Host(21)' },
        callbacks: [
          { match: { kind: 'get', member: 'value' }, answers: [{ return: 21 }] },
          { match: { kind: 'invoke', member: 'kind', cookie: 'kind-cookie' }, answers: [{ return: 'Host' }] },
        ],
      }),
      create('l', 'Literal', [1]),
      ok('plus with host operand', req.invoke('l', 'plus', ['${o}']), {
        expectOk: { result: 22 },
        callbacks: [{ match: { member: 'value' }, answers: [{ return: 21 }] }],
      }),
    ],
  },
  {
    name: 'private-constructor-factory',
    description: 'A class with a private constructor, created only through its static factory.',
    steps: [
      LOAD,
      ok('Token.of', req.sinvoke('Token', 'of', [3]), { capture: { t: 'result' } }),
      ok('id', req.get('t', 'id'), { expectOk: { value: 3 } }),
      ok('toString', req.invoke('t', 'toString'), { expectOk: { result: '#3' } }),
      runtimeError('Token.of negative', req.sinvoke('Token', 'of', [-1])),
      fault('create Token directly', req.create('Token', [1])),
    ],
  },
  {
    name: 'identity-and-aliasing',
    description: 'Methods returning an object the kernel already knows return the same reference.',
    steps: [
      LOAD,
      create('l', 'Literal', [9]),
      ok('itself', req.invoke('l', 'itself'), { capture: { l2: 'result' } }),
      ok('value through alias', req.get('l2', 'value'), { expectOk: { value: 9 } }),
      create('c', 'Calculator'),
      ok('calculator itself', req.invoke('c', 'itself')),
      ok('store returns argument', req.invoke('c', 'store', ['${l}'])),
      ok('memory is the same object', req.get('c', 'memory')),
      ok('add 1', req.invoke('c', 'add', [1])),
      ok('add 2', req.invoke('c', 'add', [2])),
      ok('history once', req.get('c', 'historyItems')),
      ok('history again (same refs)', req.get('c', 'historyItems')),
      ok('last', req.invoke('c', 'last')),
      ok('stats', req.stats()),
    ],
  },
  {
    name: 'class-typed-property',
    description: 'A settable class-typed property holding a library object, then a host subclass whose getter is overridden.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      ok('memory unset', req.get('c', 'memory'), { expectOk: {} }),
      create('l', 'Literal', [5]),
      ok('set memory', req.set('c', 'memory', '${l}'), { expectOk: {} }),
      ok('recall', req.invoke('c', 'recall'), { expectOk: { result: 5 } }),
      create('h', 'Literal', [0], { overrides: [{ property: 'value' }] }),
      ok('set memory to host subclass', req.set('c', 'memory', '${h}'), { expectOk: {} }),
      ok('recall calls back', req.invoke('c', 'recall'), {
        expectOk: { result: 105 },
        callbacks: [{ match: { kind: 'get', member: 'value' }, answers: [{ return: 100 }] }],
      }),
      argumentError('set memory to a number', req.set('c', 'memory', 3)),
      ok('clear memory', req.set('c', 'memory', null), { expectOk: {} }),
      ok('recall empty', req.invoke('c', 'recall'), { expectOk: { result: 105 } }),
    ],
  },
];
