/**
 * `load`: from a tarball (reference behaviour) or an installed directory (extension
 * `load-path`), idempotence, version conflicts and load errors.
 */
import test from 'ava';
import { Kernel } from '../../lib/kernel/index.js';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { CALC, calcPackage, fqn, throwsFault } from './kernel-fixture.js';

function load(kernel: Kernel, request: Record<string, unknown>): unknown {
  return kernel.dispatch({ api: 'load', ...request } as unknown as KernelRequest);
}

test('load from a tarball answers the assembly name and type count', (t) => {
  const pkg = calcPackage();
  const kernel = new Kernel();
  const answer = load(kernel, { name: pkg.name, version: pkg.version, tarball: pkg.tarball });
  t.deepEqual(answer, { assembly: CALC, types: 27 });
  t.deepEqual(kernel.dispatch({ api: 'sget', fqn: fqn('Statics'), property: 'ANSWER' }), { value: 42 });
});

test('loading the same version again is a no-op; another version is a Fault', (t) => {
  const pkg = calcPackage();
  const kernel = new Kernel();
  const first = load(kernel, { name: pkg.name, version: pkg.version, tarball: pkg.tarball });
  kernel.dispatch({ api: 'create', fqn: fqn('Calculator') } as KernelRequest);
  t.deepEqual(load(kernel, { name: pkg.name, version: pkg.version, tarball: '/does/not/matter.tgz' }), first);
  throwsFault(t, () => load(kernel, { name: pkg.name, version: '2.0.0', tarball: pkg.tarball }),
    `Multiple versions 2.0.0 and ${pkg.version} of the package '${pkg.name}' cannot be loaded together since this is unsupported by some runtime environments`);
  t.deepEqual(kernel.dispatch({ api: 'stats' }), { objectCount: 1 });
});

test('load from an installed directory needs the load-path extension', (t) => {
  const pkg = calcPackage();
  const plain = new Kernel();
  throwsFault(t, () => load(plain, { name: pkg.name, version: pkg.version, path: pkg.packageDir }),
    /the request names neither a tarball nor a path/);
  const kernel = new Kernel();
  kernel.enableExtensions(['load-path']);
  t.deepEqual(load(kernel, { name: pkg.name, version: pkg.version, path: pkg.packageDir }), { assembly: CALC, types: 27 });
  t.deepEqual(kernel.dispatch({ api: 'sinvoke', fqn: fqn('Statics'), method: 'add', args: [1, 2] } as KernelRequest), { result: 3 });
});

test('load errors are Faults, except an unreadable tarball (the file system error, as the reference)', (t) => {
  const pkg = calcPackage();
  const kernel = new Kernel();
  throwsFault(t, () => load(kernel, { assembly: {} }),
    '`assembly` field is deprecated for "load", use `name`, `version` and `tarball` instead');
  // A tarball that cannot be read: the file system's error, named `Error`, as the reference.
  const missing = t.throws(() => load(kernel, { name: pkg.name, version: pkg.version, tarball: '/nonexistent/calc.tgz' }));
  t.is(missing?.name, 'Error');
  t.is(missing?.message, "ENOENT: no such file or directory, open '/nonexistent/calc.tgz'");
  throwsFault(t, () => load(kernel, { name: pkg.name }), 'Malformed request: "version" must be a string, got undefined');
  // Nothing half-loaded stays behind: the right tarball still loads.
  t.deepEqual(load(kernel, { name: pkg.name, version: pkg.version, tarball: pkg.tarball }), { assembly: CALC, types: 27 });
});

test('each kernel gets its own copy of a library loaded from a tarball', (t) => {
  const pkg = calcPackage();
  const a = new Kernel();
  const b = new Kernel();
  load(a, { name: pkg.name, version: pkg.version, tarball: pkg.tarball });
  load(b, { name: pkg.name, version: pkg.version, tarball: pkg.tarball });
  a.dispatch({ api: 'sset', fqn: fqn('Statics'), property: 'mode', value: 'changed-in-a' } as KernelRequest);
  t.deepEqual(b.dispatch({ api: 'sget', fqn: fqn('Statics'), property: 'mode' } as KernelRequest), { value: 'normal' });
});
