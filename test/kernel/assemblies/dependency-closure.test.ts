import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { JsiiFault } from '../../../lib/errors.js';
import { dependencyClosure } from '../../../lib/kernel/assemblies/index.js';
import { repoRoot } from '../../helpers/repo-root.js';
import { tempDir } from './helpers/temp.js';

function pkg(dir: string, manifest: Record<string, unknown>, jsii = true): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  if (jsii) fs.writeFileSync(path.join(dir, '.jsii'), '{}');
  return dir;
}

test('aws-cdk-lib: its jsii dependencies, each before its dependents, then itself', (t) => {
  const closure = dependencyClosure(path.join(repoRoot(), 'node_modules', 'aws-cdk-lib'));
  const names = closure.map((e) => e.name);
  t.is(names.at(-1), 'aws-cdk-lib');
  t.deepEqual([...names].sort(), [
    '@aws-cdk/asset-awscli-v1',
    '@aws-cdk/asset-node-proxy-agent-v6',
    '@aws-cdk/cloud-assembly-schema',
    'aws-cdk-lib',
    'constructs',
  ]);
  for (const entry of closure) {
    const manifest = JSON.parse(fs.readFileSync(path.join(entry.packageDir, 'package.json'), 'utf8')) as { version: string };
    t.is(entry.version, manifest.version);
    t.true(fs.existsSync(path.join(entry.packageDir, '.jsii')));
  }
});

test('transitive, topological, nearest node_modules wins; non-jsii and bundled deps skipped', (t) => {
  const root = tempDir(t);
  const nm = path.join(root, 'node_modules');
  const app = pkg(path.join(nm, 'app'), {
    name: 'app',
    version: '1.0.0',
    dependencies: { mid: '1', plain: '1', bundled: '1', absent: '1' },
    bundleDependencies: ['bundled'],
  });
  pkg(path.join(nm, 'mid'), { name: 'mid', version: '1.0.0', peerDependencies: { base: '2' } });
  pkg(path.join(nm, 'base'), { name: 'base', version: '1.0.0' });
  // `mid` sees its own nested `base` first.
  pkg(path.join(nm, 'mid', 'node_modules', 'base'), { name: 'base', version: '2.0.0' });
  pkg(path.join(nm, 'plain'), { name: 'plain', version: '1.0.0', dependencies: { base: '1' } }, false);
  pkg(path.join(app, 'node_modules', 'bundled'), { name: 'bundled', version: '1.0.0' });

  t.deepEqual(
    dependencyClosure(app).map((e) => `${e.name}@${e.version}`),
    ['base@2.0.0', 'mid@1.0.0', 'app@1.0.0'],
  );
});

test('two versions of one jsii package in the closure are a fault', (t) => {
  const root = tempDir(t);
  const nm = path.join(root, 'node_modules');
  const app = pkg(path.join(nm, 'app'), { name: 'app', version: '1.0.0', dependencies: { a: '1', b: '1' } });
  pkg(path.join(nm, 'a'), { name: 'a', version: '1.0.0', dependencies: { base: '1' } });
  pkg(path.join(nm, 'base'), { name: 'base', version: '1.0.0' });
  pkg(path.join(nm, 'b'), { name: 'b', version: '1.0.0', dependencies: { base: '2' } });
  pkg(path.join(nm, 'b', 'node_modules', 'base'), { name: 'base', version: '2.0.0' });
  t.throws(() => dependencyClosure(app), { instanceOf: JsiiFault, message: /^base is needed at two versions: 1\.0\.0 .* and 2\.0\.0 .*required by b\)$/ });
});

test('a directory without .jsii is not a jsii package', (t) => {
  const root = tempDir(t);
  const dir = pkg(path.join(root, 'plain'), { name: 'plain', version: '1.0.0' }, false);
  t.throws(() => dependencyClosure(dir), { instanceOf: JsiiFault, message: `${dir} is not a jsii package (no .jsii file)` });
});
