/**
 * Library errors: the wire name and message the reference uses, and a stack that keeps the
 * library's own frames (which the reference loses when it wraps them).
 */
import test from 'ava';
import { JsiiFault, JsiiRuntimeError } from '../../lib/errors.js';
import { EXTRAS, extrasPackage } from './extras-fixture.js';
import { calcKernel, fqn, RUNTIME, throwsFault, throwsRuntime } from './kernel-fixture.js';

const THROWER = fqn('Thrower');

function withExtras() {
  const k = calcKernel();
  const extras = extrasPackage();
  k.call({ api: 'load', name: extras.name, version: extras.version, tarball: extras.tarball });
  return k;
}

test("library errors keep the library's stack frames", (t) => {
  const k = calcKernel();
  const error = throwsRuntime(t, () => k.call({ api: 'sinvoke', fqn: THROWER, method: 'throwDeep', args: [3] }), RUNTIME,
    'Error: deep failure in levelThree');
  const stack = error.stack ?? '';
  t.true(stack.startsWith('@jsii/kernel.RuntimeError: Error: deep failure in levelThree\n'));
  // A static method's frame is `Function.throwDeep` on Node 20, `<Class>.throwDeep` on 22 and 24.
  for (const frame of ['levelThree', 'levelTwo', 'levelOne', '\\w+\\.throwDeep']) {
    t.regex(stack, new RegExp(`at ${frame} \\(.*failures\\.(js|ts)`), `frame ${frame}`);
  }
  t.true(error.cause instanceof Error, 'the original error is the cause');
  t.is((error.cause as Error).message, 'deep failure in levelThree');
});

test('error names and messages as the reference sends them', (t) => {
  const k = calcKernel();
  throwsRuntime(t, () => k.call({ api: 'sinvoke', fqn: THROWER, method: 'throwType' }), RUNTIME, 'TypeError: not the right type');
  throwsRuntime(t, () => k.call({ api: 'sinvoke', fqn: THROWER, method: 'throwString' }), RUNTIME, 'a bare string');
  // A constructor's error goes through unchanged: its own name, message and stack.
  const ctorError = throwsRuntime(t, () => k.call({ api: 'create', fqn: THROWER, args: [true] }), 'Error', 'deep failure in levelThree');
  t.regex(ctorError.stack ?? '', /^Error: deep failure in levelThree\n\s+at levelThree/);
  t.true(ctorError instanceof JsiiRuntimeError);
  t.deepEqual(k.call({ api: 'stats' }), { objectCount: 0 });
  t.deepEqual(k.call({ api: 'create', fqn: THROWER, args: [false] }), { '$jsii.byref': `${THROWER}@10000` });
});

test('errors named like kernel errors are wrapped as the reference does', (t) => {
  const k = withExtras();
  const grumpy = `${EXTRAS}.Grumpy`;
  throwsFault(t, () => k.call({ api: 'sinvoke', fqn: grumpy, method: 'throwNamed', args: ['@jsii/kernel.Fault'] }),
    '@jsii/kernel.Fault: named @jsii/kernel.Fault');
  throwsRuntime(t, () => k.call({ api: 'sinvoke', fqn: grumpy, method: 'throwNamed', args: ['@jsii/kernel.RuntimeError'] }), RUNTIME,
    '@jsii/kernel.RuntimeError: named @jsii/kernel.RuntimeError');
  throwsRuntime(t, () => k.call({ api: 'create', fqn: grumpy, args: ['named'] }), 'ValidationError', 'grumpy validation');
});

test('a constructor throwing a string is a RuntimeError', (t) => {
  const k = withExtras();
  // The reference answers `{}` here: neither ok nor a usable error.
  const error = throwsRuntime(t, () => k.call({ api: 'create', fqn: `${EXTRAS}.Grumpy`, args: ['string'] }), RUNTIME, 'grumpy string');
  t.is(error.cause, 'grumpy string');
});

test('every error is a JsiiFault or a JsiiRuntimeError, and the kernel keeps serving', (t) => {
  const k = calcKernel();
  const requests: Array<Record<string, unknown>> = [
    { api: 'sinvoke', fqn: THROWER, method: 'throwDeep', args: [1] },
    { api: 'create', fqn: THROWER, args: [true] },
    { api: 'create', fqn: fqn('Nope') },
    { api: 'invoke', objref: { '$jsii.byref': 'x@1' }, method: 'm' },
    { api: 'sinvoke', fqn: fqn('Values'), method: 'echoNumber', args: ['x'] },
    { api: 'get', objref: { '$jsii.byref': 'x@1' }, property: 'p', '$jsii.stacktrace': 5 },
  ];
  for (const request of requests) {
    const error = t.throws(() => k.call(request));
    t.true(error instanceof JsiiFault || error instanceof JsiiRuntimeError, String(error));
  }
  t.deepEqual(k.call({ api: 'sinvoke', fqn: fqn('Statics'), method: 'add', args: [1, 2] }), { result: 3 });
});
