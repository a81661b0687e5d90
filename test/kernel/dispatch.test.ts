/**
 * The kernel's front door: hello, extensions, the dispatch table, malformed requests, and
 * that the kernel keeps serving after any error.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsiiFault } from '../../lib/errors.js';
import { Kernel } from '../../lib/kernel/index.js';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { repoRoot } from '../helpers/repo-root.js';
import { calcKernel, CALC, fqn, throwsFault } from './kernel-fixture.js';

test('hello names the kernel and its capabilities', (t) => {
  const version = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  t.deepEqual(new Kernel().hello(), {
    hello: `jsii-ring@${version}`,
    capabilities: { protocol: 1, codecs: ['json', 'msgpack'], extensions: ['objid', 'pipeline', 'load-path', 'alias-notices', 'js-values', 'before-exit'] },
  });
});

test('enableExtensions refuses an unknown name and turns nothing on then', (t) => {
  const { kernel, call } = calcKernel();
  throwsFault(t, () => kernel.enableExtensions(['objid', 'teleport']), /Unknown extension 'teleport'/);
  // objid was not turned on: the field is ignored, as plain jsii ignores unknown fields.
  const created = call({ api: 'create', fqn: fqn('Literal'), args: [1], objid: 'h1' });
  t.deepEqual(created, { '$jsii.byref': `${fqn('Literal')}@10000` });
});

test('stats counts live objects', (t) => {
  const { call } = calcKernel();
  t.deepEqual(call({ api: 'stats' }), { objectCount: 0 });
  const a = call({ api: 'create', fqn: fqn('Literal'), args: [1] });
  call({ api: 'create', fqn: fqn('Literal'), args: [2] });
  t.deepEqual(call({ api: 'stats' }), { objectCount: 2 });
  call({ api: 'del', objref: a });
  t.deepEqual(call({ api: 'stats' }), { objectCount: 1 });
});

test('naming answers the assembly targets', (t) => {
  const { call } = calcKernel();
  const naming = call({ api: 'naming', assembly: CALC });
  t.deepEqual(naming.naming.python, { distName: 'jsii-ring.calc', module: 'jsii_ring.calc' });
  t.deepEqual(naming.naming.js, { npm: CALC });
  throwsFault(t, () => call({ api: 'naming', assembly: 'nope' }), 'Could not find assembly: nope');
});

test('unknown api is a Fault and the kernel keeps serving', (t) => {
  const { call } = calcKernel();
  for (const api of ['hello', 'exit', 'constructor', '__proto__', 'toString', 'getBinScriptCommand', '']) {
    throwsFault(t, () => call({ api }), `Invalid kernel api call: ${api}`);
  }
  t.deepEqual(call({ api: 'stats' }), { objectCount: 0 });
});

test('malformed requests are Faults', (t) => {
  const kernel = new Kernel();
  throwsFault(t, () => kernel.dispatch(null as unknown as KernelRequest), 'Malformed request: expected an object, got null');
  throwsFault(t, () => kernel.dispatch('stats' as unknown as KernelRequest), 'Malformed request: expected an object, got string');
  throwsFault(t, () => kernel.dispatch([] as unknown as KernelRequest), 'Malformed request: expected an object, got object');
  throwsFault(t, () => kernel.dispatch({} as KernelRequest), 'Malformed request, "api" field is required');
  throwsFault(t, () => kernel.dispatch({ api: 5 } as unknown as KernelRequest), 'Malformed request, "api" field is required');
  t.deepEqual(kernel.dispatch({ api: 'stats' }), { objectCount: 0 });
});

test('malformed fields are Faults naming the field', (t) => {
  const { call } = calcKernel();
  const calc = call({ api: 'create', fqn: fqn('Calculator') });
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ api: 'create' }, 'Malformed request: "fqn" must be a string, got undefined'],
    [{ api: 'create', fqn: 5 }, 'Malformed request: "fqn" must be a string, got 5'],
    [{ api: 'create', fqn: fqn('Calculator'), args: 'x' }, 'Malformed request: "args" must be a list, got "x"'],
    [{ api: 'create', fqn: fqn('Calculator'), interfaces: 'x' }, 'Malformed request: "interfaces" must be a list of strings, got "x"'],
    [{ api: 'create', fqn: fqn('Calculator'), overrides: 'x' }, 'Override can either be "method" or "property" (overrides must be a list)'],
    [{ api: 'invoke', objref: calc, method: 5 }, 'Malformed request: "method" must be a string, got 5'],
    [{ api: 'invoke', objref: null, method: 'add' }, 'Malformed object reference: null'],
    [{ api: 'invoke', method: 'add' }, 'Malformed object reference: undefined'],
    [{ api: 'get', objref: calc }, 'Malformed request: "property" must be a string, got undefined'],
    [{ api: 'sget', fqn: 5, property: 'x' }, 'Malformed request: "fqn" must be a string, got 5'],
    [{ api: 'del' }, 'Malformed object reference: undefined'],
    [{ api: 'load' }, 'Malformed request: "name" must be a string, got undefined'],
    [{ api: 'get', objref: { '$jsii.byref': calc['$jsii.byref'], '$jsii.interfaces': 'x' }, property: 'value' },
      'Malformed object reference: "$jsii.interfaces" must be a list of interface names'],
  ];
  for (const [request, message] of cases) {
    throwsFault(t, () => call(request), message);
  }
  t.is(call({ api: 'invoke', objref: calc, method: 'add', args: [1] }).result, 1);
});

test('null args count as no args, as in the reference', (t) => {
  const { call } = calcKernel();
  const calc = call({ api: 'create', fqn: fqn('Calculator'), args: null });
  t.deepEqual(call({ api: 'invoke', objref: calc, method: 'total', args: null }), { result: 0 });
});

test('unknown fields are ignored', (t) => {
  const { call } = calcKernel();
  t.deepEqual(call({ api: 'stats', extra: { deep: [1] } }), { objectCount: 0 });
});

test('the dispatch table is the only way in: prototype names are not apis', (t) => {
  const kernel = new Kernel();
  const error = t.throws(() => kernel.dispatch({ api: 'hasOwnProperty' } as unknown as KernelRequest), { instanceOf: JsiiFault });
  t.is(error?.message, 'Invalid kernel api call: hasOwnProperty');
});
