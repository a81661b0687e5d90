import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, JsiiRingError } from '../../../lib/errors.js';
import {
  AssemblyLayout,
  generate,
  generateDeclarations,
  moduleFile,
  readAssembly,
  resolvePackageDir,
  typeClosure,
  writeDeclarations,
} from '../../../lib/bindings/declarations/index.js';
import { openAssembly } from '../../../lib/kernel/assemblies/index.js';
import { ensureFixtures } from '../../helpers/fixture.js';
import { repoRoot } from '../../helpers/repo-root.js';
import { writeTempFiles } from './compile.js';
import { WIDGETS } from './synthetic-assemblies.js';

const LAYOUT = new AssemblyLayout(
  'lib',
  new Map([
    ['lib', ['lib.sub', 'lib.sub.deep']],
    ['@scope/dep.js', ['@scope/dep.js.core']],
  ]),
);

test('layout: types are located by the longest submodule prefixing them', (t) => {
  t.deepEqual(LAYOUT.locate('lib.Root'), { assembly: 'lib', module: '', path: ['Root'] });
  t.deepEqual(LAYOUT.locate('lib.Root.Nested'), { assembly: 'lib', module: '', path: ['Root', 'Nested'] });
  t.deepEqual(LAYOUT.locate('lib.sub.Thing'), { assembly: 'lib', module: 'sub', path: ['Thing'] });
  t.deepEqual(LAYOUT.locate('lib.sub.deep.Thing.Inner'), { assembly: 'lib', module: 'sub.deep', path: ['Thing', 'Inner'] });
});

test('layout: dependencies, including assembly names with dots, and unknown assemblies', (t) => {
  t.deepEqual(LAYOUT.locate('@scope/dep.js.Base'), { assembly: '@scope/dep.js', module: '', path: ['Base'] });
  t.deepEqual(LAYOUT.locate('@scope/dep.js.core.IThing'), { assembly: '@scope/dep.js', module: 'core', path: ['IThing'] });
  t.deepEqual(LAYOUT.locate('other.Type'), { assembly: 'other', module: '', path: ['Type'] });
  t.deepEqual(LAYOUT.ownModules(), ['sub', 'sub.deep']);
});

test('layout: module files', (t) => {
  t.is(moduleFile(''), 'index.d.ts');
  t.is(moduleFile('aws_sqs'), 'aws_sqs.d.ts');
  t.is(moduleFile('aws_ecs.mixins'), 'aws_ecs.mixins.d.ts');
});

test('the closure of a type follows bases, interfaces, members and parameters within the assembly', (t) => {
  const closure = typeClosure(['@acme/widgets.ui.ui_icons'], (fqn) => WIDGETS.getType(fqn), '@acme/widgets');
  t.deepEqual(closure, ['@acme/widgets.ui.icons.Icon', '@acme/widgets.ui.ui_icons']);
  const fromButton = typeClosure(['@acme/widgets.ui.Button'], (fqn) => WIDGETS.getType(fqn), '@acme/widgets');
  t.deepEqual(fromButton, [
    '@acme/widgets.Color',
    '@acme/widgets.Widget',
    '@acme/widgets.Widget.Color',
    '@acme/widgets.Widget.Options',
    '@acme/widgets.WidgetProps',
    '@acme/widgets.ui.Button',
    '@acme/widgets.ui.icons.Icon',
    '@acme/widgets.ui.ui_icons',
  ]);
});

test('submodule selection: relative or fully-qualified names, the root as an empty string', (t) => {
  const icons = generate(WIDGETS, { submodules: ['ui.icons'] });
  t.deepEqual([...icons.files.keys()].sort(), ['index.d.ts', 'package.json', 'ui.d.ts', 'ui.icons.d.ts']);
  // The parents only re-export: they declare nothing.
  t.false(icons.files.get('ui.d.ts')?.includes('declare') ?? true);
  t.false(icons.files.get('index.d.ts')?.includes('declare') ?? true);
  t.deepEqual(icons.referencedAssemblies, []);

  const root = generate(WIDGETS, { submodules: ['@acme/widgets'] });
  // The root refers to ui.Button (Widget.groups), which drags in what Button refers to.
  t.true(root.files.get('ui.d.ts')?.includes('export declare class Button') ?? false);
  t.true(root.files.get('ui.icons.d.ts')?.includes('export declare enum Icon') ?? false);
  t.deepEqual(generate(WIDGETS, { submodules: [''] }).files, root.files);
});

test('an unknown submodule is an invalid option', (t) => {
  const error = t.throws(() => generate(WIDGETS, { submodules: ['ui', 'nope'] }), { instanceOf: JsiiRingError });
  t.is(error?.code, ErrorCode.INVALID_OPTION);
  t.is(error?.message, "options.submodules: @acme/widgets has no submodule 'nope'");
});

test('a directory without an assembly cannot be read', (t) => {
  const dir = writeTempFiles(t, { 'package.json': '{"name":"plain"}' });
  const error = t.throws(() => readAssembly(dir), { instanceOf: JsiiRingError });
  t.is(error?.code, ErrorCode.LOAD);
  t.true(error?.message.startsWith(`cannot read the jsii assembly in ${dir}: `));
  t.throws(() => generateDeclarations(dir), { instanceOf: JsiiRingError });
});

test('packages resolve like require does, walking up node_modules', (t) => {
  const root = repoRoot();
  t.is(resolvePackageDir('constructs', path.join(root, 'lib', 'bindings')), path.join(root, 'node_modules', 'constructs'));
  const dir = writeTempFiles(t, {});
  const error = t.throws(() => resolvePackageDir('no-such-package-here', dir), { instanceOf: JsiiRingError });
  t.is(error?.code, ErrorCode.LOAD);
  t.is(error?.message, `cannot find the package no-such-package-here from ${dir}`);
});

test('writeDeclarations replaces an earlier generation and writes scoped packages to nested directories', (t) => {
  const fixture = ensureFixtures().calc;
  const outDir = writeTempFiles(t, { '@jsii-ring/calc/stale.d.ts': 'export {};\n', 'unrelated.txt': 'kept' });
  // The fixture lives in the repository, not in node_modules: resolve it through a link.
  const from = writeTempFiles(t, {});
  fs.mkdirSync(path.join(from, 'node_modules', '@jsii-ring'), { recursive: true });
  fs.symlinkSync(fixture.packageDir, path.join(from, 'node_modules', '@jsii-ring', 'calc'));

  const written = writeDeclarations('@jsii-ring/calc', outDir, { from, docs: false });
  t.is(written.length, 1);
  const calc = written[0];
  t.is(calc?.dir, path.join(outDir, '@jsii-ring', 'calc'));
  t.deepEqual(calc?.files, ['index.d.ts', 'package.json']);
  t.false(fs.existsSync(path.join(outDir, '@jsii-ring', 'calc', 'stale.d.ts')));
  t.is(fs.readFileSync(path.join(outDir, 'unrelated.txt'), 'utf8'), 'kept');
  const index = fs.readFileSync(path.join(outDir, '@jsii-ring', 'calc', 'index.d.ts'), 'utf8');
  t.is(calc?.bytes, Buffer.byteLength(index) + fs.statSync(path.join(outDir, '@jsii-ring', 'calc', 'package.json')).size);
  t.regex(index, /^export declare class Calculator \{$/m);
});

test("the kernel's lazy assembly source reads the same declarations as a full parse", (t) => {
  const fixture = ensureFixtures().calc;
  const cacheDir = writeTempFiles(t, {});
  const lazy = generateDeclarations(fixture.packageDir, { assembly: openAssembly(fixture.packageDir, { cacheDir }) });
  t.deepEqual([...lazy], [...generateDeclarations(fixture.packageDir)]);
});
