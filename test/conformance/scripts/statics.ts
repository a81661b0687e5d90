/** Static methods, properties, constants and setters. */
import type { ConformanceScript } from '../script.js';
import { LOAD, fault, ok, req, runtimeError } from './common.js';

/** Scripts over static members. */
export const STATICS: readonly ConformanceScript[] = [
  {
    name: 'static-constants-and-properties',
    description: 'sget of constants, of a mutable static, of a computed static getter; sset of a mutable static.',
    steps: [
      LOAD,
      ok('sget ANSWER', req.sget('Statics', 'ANSWER'), { expectOk: { value: 42 } }),
      ok('sget GREETING', req.sget('Statics', 'GREETING'), { expectOk: { value: 'hello' } }),
      ok('sget mode', req.sget('Statics', 'mode'), { expectOk: { value: 'normal' } }),
      ok('sset mode', req.sset('Statics', 'mode', 'fast'), { expectOk: {} }),
      ok('sget mode again', req.sget('Statics', 'mode'), { expectOk: { value: 'fast' } }),
      ok('instanceCount 0', req.sget('Statics', 'instanceCount'), { expectOk: { value: 0 } }),
      ok('create one', req.create('Statics', ['a'])),
      ok('instanceCount 1', req.sget('Statics', 'instanceCount'), { expectOk: { value: 1 } }),
    ],
  },
  {
    name: 'static-setter-validates',
    description: 'A static setter that validates: good values stick, bad ones throw from library code.',
    steps: [
      LOAD,
      ok('precision default', req.sget('Statics', 'precision'), { expectOk: { value: 2 } }),
      ok('set precision 5', req.sset('Statics', 'precision', 5), { expectOk: {} }),
      ok('precision 5', req.sget('Statics', 'precision'), { expectOk: { value: 5 } }),
      runtimeError('set precision 11', req.sset('Statics', 'precision', 11)),
      ok('precision still 5', req.sget('Statics', 'precision'), { expectOk: { value: 5 } }),
      ok('reset', req.sinvoke('Statics', 'reset'), { expectOk: {} }),
      ok('precision back to 2', req.sget('Statics', 'precision'), { expectOk: { value: 2 } }),
    ],
  },
  {
    name: 'static-errors',
    description: 'sset of a constant and a read-only static, unknown statics, static access to instance members.',
    steps: [
      LOAD,
      fault('sset constant', req.sset('Statics', 'ANSWER', 1)),
      fault('sset read-only getter', req.sset('Statics', 'instanceCount', 3)),
      fault('sget unknown', req.sget('Statics', 'nope')),
      fault('sinvoke unknown', req.sinvoke('Statics', 'nope')),
      fault('sget instance property', req.sget('Statics', 'name')),
      fault('sinvoke instance method', req.sinvoke('Calculator', 'total')),
      fault('sget on unknown type', req.sget('Nope', 'x')),
      fault('sset an instance property', req.sset('Statics', 'name', 'x')),
      fault('sget an enum member', req.sget('Color', 'RED')),
      ok('ANSWER unchanged', req.sget('Statics', 'ANSWER'), { expectOk: { value: 42 } }),
    ],
  },
  {
    name: 'static-methods',
    description: 'Static methods with arguments, a static variadic, and a static returning a shared instance.',
    steps: [
      LOAD,
      ok('add', req.sinvoke('Statics', 'add', [2, 3]), { expectOk: { result: 5 } }),
      ok('join none', req.sinvoke('Statics', 'join', ['-']), { expectOk: { result: '' } }),
      ok('join three', req.sinvoke('Statics', 'join', ['-', 'a', 'b', 'c']), { expectOk: { result: 'a-b-c' } }),
      ok('singleton', req.sinvoke('Statics', 'singleton'), { capture: { s1: 'result' } }),
      ok('singleton again', req.sinvoke('Statics', 'singleton'), { capture: { s2: 'result' } }),
      ok('singleton name', req.get('s1', 'name'), { expectOk: { value: 'singleton' } }),
      ok('stats one object', req.stats(), { expectOk: { objectCount: 1 } }),
    ],
  },
];
