/** load, naming, stats, create and del. */
import type { ConformanceScript } from '../script.js';
import { CALC, LOAD, create, failsAs, fault, ok, req, serializationError } from './common.js';

/** Scripts over load, naming, stats, create and del. */
export const BASICS: readonly ConformanceScript[] = [
  {
    name: 'load-and-stats',
    description: 'Loading the fixture from its tarball, loading it again, and counting objects.',
    steps: [
      ok('stats before load', req.stats(), { expectOk: { objectCount: 0 } }),
      LOAD,
      ok('load again', req.load(), { expectOk: { assembly: CALC, types: 27 } }),
      ok('stats after load', req.stats(), { expectOk: { objectCount: 0 } }),
    ],
  },
  {
    name: 'load-errors',
    description: 'Loading a missing tarball, a conflicting version, and a load without a name.',
    steps: [
      failsAs('Error', 'missing tarball', { api: 'load', name: CALC, version: '1.0.0', tarball: '/nonexistent/calc-1.0.0.tgz' }),
      LOAD,
      fault('conflicting version', { api: 'load', name: CALC, version: '2.0.0', tarball: '${calc/tarball}' }),
      failsAs('TypeError', 'no name', { api: 'load', version: '1.0.0', tarball: '${calc/tarball}' }),
    ],
    differences: [
      { step: 'missing tarball', reason: 'the reference leaks a plain Error (ENOENT) instead of a Fault; a Fault naming the path is the clear answer (DESIGN.md: clear errors where the reference crashes)' },
      { step: 'no name', reason: 'the reference crashes inside path handling with a TypeError; a Fault saying the name is missing is the clear answer' },
    ],
  },
  {
    name: 'naming',
    description: 'The naming api returns the targets of a loaded assembly; unknown assemblies fail.',
    steps: [
      LOAD,
      ok('naming calc', req.naming(CALC)),
      fault('naming unknown', req.naming('@jsii-ring/nope')),
    ],
  },
  {
    name: 'create-and-del',
    description: 'Creating objects with and without arguments, counting them, deleting them.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      create('c2', 'Calculator', [{ initialValue: 5, name: 'second' }]),
      ok('stats two', req.stats(), { expectOk: { objectCount: 2 } }),
      ok('value of c2', req.get('c2', 'value'), { expectOk: { value: 5 } }),
      ok('del c', req.del('c'), { expectOk: {} }),
      ok('stats one', req.stats(), { expectOk: { objectCount: 1 } }),
      fault('invoke deleted', req.invoke('c', 'total')),
      fault('del twice', req.del('c')),
      fault('del unknown', { api: 'del', objref: { '$jsii.byref': `${CALC}.Calculator@99999` } }),
      ok('c2 still works', req.invoke('c2', 'add', [1]), { expectOk: { result: 6 } }),
    ],
  },
  {
    name: 'create-errors',
    description: 'Creating unknown types, interfaces, enums, structs; bad constructor arguments.',
    steps: [
      LOAD,
      fault('unknown fqn', req.create('Nope')),
      fault('unknown assembly', { api: 'create', fqn: '@jsii-ring/nope.Thing', args: [] }),
      fault('interface fqn', req.create('IOperation')),
      fault('enum fqn', req.create('Color')),
      fault('struct fqn', req.create('Point')),
      fault('too many args', req.create('Literal', [1, 2])),
      fault('missing required arg', req.create('Literal', [])),
      serializationError('wrong arg type', req.create('Literal', ['one'])),
      serializationError('struct arg with wrong field type', req.create('Calculator', [{ initialValue: 'zero' }])),
      ok('stats none', req.stats(), { expectOk: { objectCount: 0 } }),
    ],
  },
];
