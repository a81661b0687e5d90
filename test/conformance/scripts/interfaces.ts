/** Interface-typed returns and `$jsii.interfaces`. */
import type { ConformanceScript } from '../script.js';
import { LOAD, create, fqn, ok, req } from './common.js';

/** Scripts over interface-typed values. */
export const INTERFACES: readonly ConformanceScript[] = [
  {
    name: 'interface-typed-returns',
    description: 'Exported and hidden classes and object literals returned under an interface type.',
    steps: [
      LOAD,
      ok('square as IShape', req.sinvoke('ShapeFactory', 'square', [3]), { capture: { sq: 'result' } }),
      ok('square area', req.get('sq', 'area'), { expectOk: { value: 9 } }),
      ok('square name (another interface)', req.get('sq', 'name'), { expectOk: { value: 'square 3' } }),
      ok('square scale', req.invoke('sq', 'scale', [2]), { expectOk: {} }),
      ok('square area after', req.get('sq', 'area'), { expectOk: { value: 36 } }),
      ok('hidden circle as IShape', req.sinvoke('ShapeFactory', 'circle', [1]), { capture: { ci: 'result' } }),
      ok('circle area', req.get('ci', 'area'), { expectOk: { value: 3.14 } }),
      ok('circle name via INamed', req.sinvoke('ShapeFactory', 'nameOf', ['${ci}']), { expectOk: { result: 'circle' } }),
      ok('object literal as INamed', req.sinvoke('ShapeFactory', 'named', ['lit']), { capture: { lit: 'result' } }),
      ok('literal name', req.get('lit', 'name'), { expectOk: { value: 'lit' } }),
      ok('circle through any', req.sinvoke('Values', 'echoAny', ['${ci}'])),
    ],
  },
  {
    name: 'interfaces-on-create',
    description: 'Objects created with several interfaces; a library class created with extra interfaces.',
    steps: [
      LOAD,
      create('o', 'Object', [], {
        interfaces: [fqn('IShape'), fqn('INamed')],
        overrides: [{ property: 'area' }, { property: 'name' }],
      }),
      ok('nameOf', req.sinvoke('ShapeFactory', 'nameOf', ['${o}']), {
        expectOk: { result: 'host' },
        callbacks: [{ match: { member: 'name' }, answers: [{ return: 'host' }] }],
      }),
      create('sq', 'Square', [2], { interfaces: [fqn('IOperation')], overrides: [{ method: 'apply' }, { property: 'name' }] }),
      ok('square area', req.get('sq', 'area'), { expectOk: { value: 4 } }),
      ok('square as IOperation in a pipeline', req.create('Pipeline'), { capture: { p: '' } }),
      ok('add', req.invoke('p', 'add', ['${sq}'])),
      ok('run', req.invoke('p', 'run', [1]), {
        expectOk: { result: 50 },
        callbacks: [{ match: { member: 'apply' }, answers: [{ return: 50 }] }],
      }),
    ],
  },
];
