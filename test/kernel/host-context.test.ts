/**
 * The host stack-trace context: `$jsii.stacktrace` on a request is published to libraries
 * for the duration of the request (aws-cdk-lib appends it to construct traces), and the
 * kernel's directory is published so libraries can hide the kernel's frames.
 */
import test from 'ava';
import { dirname } from 'node:path';
import { currentHostTrace } from '../../lib/kernel/host-context.js';
import { EXTRAS, extrasPackage } from './extras-fixture.js';
import { calcKernel, fqn, throwsFault } from './kernel-fixture.js';

function withExtras() {
  const k = calcKernel();
  const extras = extrasPackage();
  k.call({ api: 'load', name: extras.name, version: extras.version, tarball: extras.tarball });
  return k;
}

const CONTEXT = `${EXTRAS}.Context`;
const TRACE = [['app.py', 12, 4, 'main'], ['lib.py', 3, 0, 'helper']];

test('host stack trace context', (t) => {
  const k = withExtras();
  t.deepEqual(k.call({ api: 'sinvoke', fqn: CONTEXT, method: 'hostTrace', '$jsii.stacktrace': TRACE }), { result: TRACE });
  t.deepEqual(k.call({ api: 'sinvoke', fqn: CONTEXT, method: 'hostTrace' }), {}, 'cleared after the request');
  t.is(currentHostTrace(), undefined);

  // A request nested in a callback has its own trace; the outer one is restored after it.
  const op = k.call({ api: 'create', fqn: 'Object', interfaces: [fqn('IOperation')], overrides: [{ method: 'apply' }] });
  const seen: unknown[] = [];
  k.onCallback(() => {
    seen.push(k.call({ api: 'sinvoke', fqn: CONTEXT, method: 'hostTrace', '$jsii.stacktrace': [['cb.py', 1, 1, 'cb']] }).result);
    seen.push(k.call({ api: 'sinvoke', fqn: CONTEXT, method: 'hostTrace' }).result);
    seen.push(currentHostTrace());
    return 1;
  });
  k.call({ api: 'sinvoke', fqn: fqn('Thrower'), method: 'applyThrough', args: [op, 1], '$jsii.stacktrace': TRACE });
  t.deepEqual(seen, [[['cb.py', 1, 1, 'cb']], undefined, TRACE]);
  t.is(currentHostTrace(), undefined);

  throwsFault(t, () => k.call({ api: 'stats', '$jsii.stacktrace': 'at main' }),
    'Malformed request: "$jsii.stacktrace" must be an array of [file, line, column, function] frames');
});

test("jsii-ring's lib directory is published as the runtime's", (t) => {
  const k = withExtras();
  const dir = k.call({ api: 'sinvoke', fqn: CONTEXT, method: 'hostDirName' }).result as string;
  t.is(dir, dirname(dirname(require.resolve('../../lib/kernel/kernel.js'))));
});
