/**
 * Loading packages from tarballs through `bin/jsii-runtime.js`: the program serves from a
 * child with `--preserve-symlinks`, where a cached package is put in place by one symlink
 * (lib/kernel/assemblies/install.ts); a package that requires another by name at load
 * resolves it from the install directory, as on the reference.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { tgz } from '../kernel/assemblies/helpers/tar-writer.js';
import { type Runtime, StdioProcess } from './stdio-process.js';

const number = { primitive: 'number' };

/** A hand-written jsii package: one class with one static method returning a number. */
function packageTarball(dir: string, name: string, source: string, dependencies: Record<string, string> = {}): string {
  const fqn = `${name}.${name === 'dep-lib' ? 'Dep' : 'Main'}`;
  const assembly = {
    schema: 'jsii/0.10.0',
    name,
    version: '1.0.0',
    description: name,
    homepage: 'https://example.com',
    author: { name: 'test', roles: ['author'] },
    license: 'Apache-2.0',
    repository: { type: 'git', url: 'https://example.com' },
    jsiiVersion: '6.0.0',
    fingerprint: name,
    targets: { js: { npm: name } },
    dependencies,
    types: {
      [fqn]: {
        assembly: name,
        fqn,
        kind: 'class',
        name: fqn.split('.')[1],
        methods: [{ name: 'value', static: true, returns: { type: number } }],
      },
    },
  };
  const file = path.join(dir, `${name}.tgz`);
  fs.writeFileSync(file, tgz([
    { path: 'package/package.json', data: JSON.stringify({ name, version: '1.0.0', main: 'index.js', dependencies }) },
    { path: 'package/.jsii', data: JSON.stringify(assembly) },
    { path: 'package/index.js', data: source },
  ]));
  return file;
}

test('a package that requires another by name at load resolves it from the install directory, on ours as on the reference', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-load-deps-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dep = packageTarball(dir, 'dep-lib', 'class Dep { static value() { return 41; } }\nexports.Dep = Dep;\n');
  const main = packageTarball(
    dir,
    'main-lib',
    "const dep = require('dep-lib');\nclass Main { static value() { return dep.Dep.value() + 1; } }\nexports.Main = Main;\n",
    { 'dep-lib': '1.0.0' },
  );
  const answers: Partial<Record<Runtime, unknown[]>> = {};
  await Promise.all((['ours', 'reference'] as const).map(async (runtime) => {
    const p = new StdioProcess(runtime);
    try {
      await p.next();
      answers[runtime] = [
        await p.request({ api: 'load', name: 'dep-lib', version: '1.0.0', tarball: dep }),
        await p.request({ api: 'load', name: 'main-lib', version: '1.0.0', tarball: main }),
        await p.request({ api: 'sinvoke', fqn: 'main-lib.Main', method: 'value', args: [] }),
      ];
    } finally {
      await p.end();
    }
  }));
  t.deepEqual(answers.ours, [
    { ok: { assembly: 'dep-lib', types: 1 } },
    { ok: { assembly: 'main-lib', types: 1 } },
    { ok: { result: 42 } },
  ]);
  t.deepEqual(answers.ours, answers.reference);
});
