import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { JsiiFault } from '../../../lib/errors.js';
import {
  IndexedAssemblySource,
  openAssembly,
  ParsedAssemblySource,
  SUPPORTED_FEATURES,
} from '../../../lib/kernel/assemblies/index.js';
import { HASHES_SUBDIR } from '../../../lib/kernel/assemblies/cache-dir.js';
import { repoRoot } from '../../helpers/repo-root.js';
import { fullParse, plain, seededRandom, syntheticAssembly, writePackage } from './helpers/assemblies.js';
import { tempDir } from './helpers/temp.js';

function nodeModule(name: string): string {
  return path.join(repoRoot(), 'node_modules', ...name.split('/'));
}

function indexed(source: unknown): IndexedAssemblySource {
  if (!(source instanceof IndexedAssemblySource)) {
    throw new Error('expected an IndexedAssemblySource');
  }
  return source;
}

test('constructs: every type and the metadata equal a full parse; built once, then a hit', (t) => {
  const cacheDir = tempDir(t);
  const dir = nodeModule('constructs');
  const reference = fullParse(dir);
  const { types, ...metadata } = reference;

  const first = indexed(openAssembly(dir, { cacheDir }));
  t.is(first.origin, 'built');
  const source = indexed(openAssembly(dir, { cacheDir }));
  t.is(source.origin, 'hit');

  t.is(source.name, 'constructs');
  t.is(source.version, reference.version);
  t.is(source.typeCount, Object.keys(types ?? {}).length);
  t.deepEqual([...source.typeNames()], Object.keys(types ?? {}));
  for (const [fqn, type] of Object.entries(types ?? {})) {
    t.true(source.hasType(fqn));
    t.deepEqual(source.getType(fqn), type, fqn);
  }
  t.deepEqual(plain(source.metadata), plain(metadata));
  t.false(source.hasType('constructs.NoSuchType'));
  t.is(source.getType('constructs.NoSuchType'), undefined);
  t.is(source.getType('constructs.Construct'), source.getType('constructs.Construct'), 'decoded once, then cached');
  first.close();
  source.close();
});

test('aws-cdk-lib: 200 seeded random types and the whole metadata equal a full parse', (t) => {
  const cacheDir = tempDir(t);
  const dir = nodeModule('aws-cdk-lib');
  const source = indexed(openAssembly(dir, { cacheDir }));
  t.is(source.origin, 'built');
  const reference = fullParse(dir);
  const { types = {}, ...metadata } = reference;
  const fqns = Object.keys(types);
  t.is(source.typeCount, fqns.length);
  t.deepEqual([...source.typeNames()], fqns);

  const random = seededRandom(20240601);
  for (let i = 0; i < 200; i++) {
    const fqn = fqns[Math.floor(random() * fqns.length)] as string;
    t.deepEqual(source.getType(fqn), types[fqn], fqn);
  }
  // Metadata keys in order, every value equal, including submodule readmes stored apart.
  t.deepEqual(Object.keys(source.metadata), Object.keys(metadata));
  const submodules = source.metadata.submodules ?? {};
  const someSubmodule = Object.keys(submodules)[0] as string;
  t.deepEqual(Object.keys(submodules[someSubmodule] ?? {}), Object.keys(metadata.submodules?.[someSubmodule] ?? {}));
  t.deepEqual(plain(source.metadata), plain(metadata));
  t.deepEqual(source.metadata.usedFeatures, ['intersection-types']);
  source.close();

  const warm = indexed(openAssembly(dir, { cacheDir }));
  t.is(warm.origin, 'hit');
  t.deepEqual(warm.getType('aws-cdk-lib.App'), types['aws-cdk-lib.App']);
  warm.close();
});

test('.jsii redirecting to a gzipped .jsii.gz is followed', (t) => {
  const root = tempDir(t);
  const assembly = syntheticAssembly('gz-lib', 50);
  const dir = writePackage(path.join(root, 'pkg'), assembly, { compress: true });
  const source = openAssembly(dir, { cacheDir: path.join(root, 'cache') });
  t.is(source.typeCount, 50);
  t.deepEqual(source.getType('gz-lib.T7'), assembly.types?.['gz-lib.T7']);
  t.deepEqual(plain(source.metadata.targets), assembly.targets);
});

test('bad redirects and missing assemblies are faults', (t) => {
  const root = tempDir(t);
  const cacheDir = path.join(root, 'cache');
  const write = (name: string, redirect: unknown): string => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify(redirect));
    return dir;
  };
  const escaping = write('escaping', { schema: 'jsii/file-redirect', compression: 'gzip', filename: '../x.gz' });
  t.throws(() => openAssembly(escaping, { cacheDir }), {
    instanceOf: JsiiFault,
    message: `Cannot open the assembly in ${escaping}: invalid assembly redirect filename "../x.gz" in ${path.join(escaping, '.jsii')}: must be a relative path inside the package`,
  });
  const brotli = write('brotli', { schema: 'jsii/file-redirect', compression: 'br', filename: '.jsii.br' });
  t.throws(() => openAssembly(brotli, { cacheDir }), { instanceOf: JsiiFault, message: /unsupported compression algorithm "br"/ });
  const dangling = write('dangling', { schema: 'jsii/file-redirect', compression: 'gzip', filename: '.jsii.gz' });
  t.throws(() => openAssembly(dangling, { cacheDir }), { instanceOf: JsiiFault, message: /redirect target ".jsii.gz" of .* does not exist/ });
  const notGzip = write('not-gzip', { schema: 'jsii/file-redirect', compression: 'gzip', filename: '.jsii.gz' });
  fs.writeFileSync(path.join(notGzip, '.jsii.gz'), 'plain text');
  t.throws(() => openAssembly(notGzip, { cacheDir }), { instanceOf: JsiiFault, message: /is not valid gzip/ });
  const missing = path.join(root, 'missing');
  fs.mkdirSync(missing);
  t.throws(() => openAssembly(missing, { cacheDir }), {
    instanceOf: JsiiFault,
    message: `Cannot open the assembly in ${missing}: expected to find .jsii in ${missing}, but no such file found`,
  });
});

test('malformed assembly JSON is a fault naming the offset', (t) => {
  const root = tempDir(t);
  const dir = path.join(root, 'broken');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '.jsii'), '{"name": "broken", "types": {"broken.A": {"fqn": "broken.A"');
  const error = t.throws(() => openAssembly(dir, { cacheDir: path.join(root, 'cache') }), { instanceOf: JsiiFault });
  t.regex(error.message, /^Cannot open the assembly in .*broken: unterminated object or array at byte \d+$/);
});

test('usedFeatures: supported ones load, an unknown one is a fault listing it', (t) => {
  const root = tempDir(t);
  const cacheDir = path.join(root, 'cache');
  const ok = writePackage(path.join(root, 'ok'), syntheticAssembly('ok-lib', 1, { usedFeatures: [...SUPPORTED_FEATURES] }));
  t.is(openAssembly(ok, { cacheDir }).name, 'ok-lib');
  const future = writePackage(path.join(root, 'future'), syntheticAssembly('future-lib', 1, { usedFeatures: ['intersection-types', 'time-travel'] }));
  const error = t.throws(() => openAssembly(future, { cacheDir }), { instanceOf: JsiiFault });
  t.is(error.name, '@jsii/kernel.Fault');
  t.is(
    error.message,
    `Cannot open the assembly future-lib@1.0.0 in ${future}: this jsii kernel cannot load the assembly; it uses unsupported feature(s): time-travel (supported features: intersection-types, class-covariant-overrides)`,
  );
});

test('a name holding a newline falls back to a full parse', (t) => {
  const root = tempDir(t);
  const assembly = syntheticAssembly('odd-lib', 2);
  (assembly.types as Record<string, unknown>)['odd-lib.With\nNewline'] = { fqn: 'odd-lib.With\nNewline', kind: 'interface' };
  const dir = writePackage(path.join(root, 'odd'), assembly);
  const source = openAssembly(dir, { cacheDir: path.join(root, 'cache') });
  t.true(source instanceof ParsedAssemblySource);
  t.is(source.typeCount, 3);
  t.true(source.hasType('odd-lib.With\nNewline'));
});

test('an unwritable cache serves the index from memory', (t) => {
  const root = tempDir(t);
  const dir = writePackage(path.join(root, 'pkg'), syntheticAssembly('mem-lib', 10));
  const cacheDir = path.join(root, 'cache');
  fs.mkdirSync(cacheDir);
  fs.writeFileSync(path.join(cacheDir, 'assemblies'), 'a file where the index directory should be');
  const source = indexed(openAssembly(dir, { cacheDir }));
  t.is(source.origin, 'memory');
  t.deepEqual(source.getType('mem-lib.T3'), fullParse(dir).types?.['mem-lib.T3']);
});

test('duplicate type keys resolve like JSON.parse: last value, first position', (t) => {
  const root = tempDir(t);
  const dir = path.join(root, 'dup');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, '.jsii'),
    '{"name":"dup","version":"1.0.0","types":{"dup.A":{"v":1},"dup.B":{"v":2},"dup.A":{"v":3}},"name":"dup"}',
  );
  const source = openAssembly(dir, { cacheDir: path.join(root, 'cache') });
  t.deepEqual([...source.typeNames()], ['dup.A', 'dup.B']);
  t.deepEqual(source.getType('dup.A') as unknown, { v: 3 });
});

test('random assemblies round-trip through the index (seeded)', (t) => {
  const root = tempDir(t);
  const random = seededRandom(7);
  const pick = (s: string): string => s[Math.floor(random() * s.length)] as string;
  const text = (alphabet = 'ab"\\{}[],:\n\t ü✓\u0001'): string =>
    Array.from({ length: Math.floor(random() * 40) }, () => pick(alphabet)).join('');
  // Names hold no newline (that case has its own test): keep these on the index path.
  const key = (): string => text('ab"\\{}[],:\t ü✓\u0001');
  for (let round = 0; round < 20; round++) {
    const assembly = syntheticAssembly(`rnd${round}`, 0);
    const types: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) {
      types[`rnd${round}.${key()}`] = { docs: { summary: text() }, list: [text(), random(), null, true, { [key()]: [] }] };
    }
    (assembly as { types: unknown }).types = types;
    (assembly as unknown as Record<string, unknown>)[`x${key()}`] = text();
    const dir = writePackage(path.join(root, `r${round}`), assembly, { compress: round % 2 === 0 });
    const source = indexed(openAssembly(dir, { cacheDir: path.join(root, 'cache') }));
    const reference = fullParse(dir);
    const { types: refTypes = {}, ...metadata } = reference;
    t.deepEqual([...source.typeNames()], Object.keys(refTypes));
    for (const fqn of Object.keys(refTypes)) {
      t.deepEqual(source.getType(fqn), refTypes[fqn]);
    }
    t.deepEqual(plain(source.metadata), plain(metadata));
  }
});

test('type lookups: binary search over sorted names (flagged in the index) and a map otherwise give the same answers', (t) => {
  const root = tempDir(t);
  const cacheDir = path.join(root, 'cache');
  // T0, T1, ..., T10, ...: not in code-unit order ('T10' < 'T2').
  const unsortedDir = writePackage(path.join(root, 'unsorted'), syntheticAssembly('u-lib', 40));
  const sortedSpec = syntheticAssembly('s-lib', 40);
  sortedSpec.types = Object.fromEntries(Object.entries(sortedSpec.types ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const sortedDir = writePackage(path.join(root, 'sorted'), sortedSpec);
  const unsorted = indexed(openAssembly(unsortedDir, { cacheDir }));
  const sorted = indexed(openAssembly(sortedDir, { cacheDir }));
  t.false(unsorted.typeNamesSorted);
  t.true(sorted.typeNamesSorted);
  for (const [source, name] of [[unsorted, 'u-lib'], [sorted, 's-lib']] as const) {
    for (let i = 0; i < 40; i++) {
      t.true(source.hasType(`${name}.T${i}`));
      t.is((source.getType(`${name}.T${i}`) as { name: string }).name, `T${i}`);
    }
    for (const absent of [`${name}.T40`, `${name}.T`, `${name}.T0.X`, `${name}.A`, `${name}.Z`, '', 'zzz']) {
      t.false(source.hasType(absent), absent);
      t.is(source.getType(absent), undefined);
    }
  }
  const cdk = indexed(openAssembly(nodeModule('aws-cdk-lib'), { cacheDir }));
  t.true(cdk.typeNamesSorted, 'the jsii compiler writes types in order');
  t.true(cdk.hasType('aws-cdk-lib.aws_s3.CfnBucket.CorsRuleProperty'));
  for (const s of [unsorted, sorted, cdk]) s.close();
});

test('the assembly file hash is remembered by stat identity; a rewritten file is hashed again', (t) => {
  const root = tempDir(t);
  const cacheDir = path.join(root, 'cache');
  const dir = writePackage(path.join(root, 'pkg'), syntheticAssembly('memo-lib', 5), { compress: false });
  const first = indexed(openAssembly(dir, { cacheDir }));
  t.is(first.origin, 'built');
  first.close();
  const memoDir = path.join(cacheDir, HASHES_SUBDIR);
  const memos = fs.readdirSync(memoDir);
  t.is(memos.length, 1);
  const file = path.join(dir, '.jsii');
  const [identity, hash] = fs.readFileSync(path.join(memoDir, memos[0]!), 'utf8').split('\n');
  t.is(hash, crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  t.regex(identity!, /^\d+:\d+:\d+:\d+:\d+$/);
  t.is(indexed(openAssembly(dir, { cacheDir })).origin, 'hit');

  // Same size, other bytes: the change time moves, so the memo no longer applies.
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as { description: string };
  spec.description = 'SYNTHETIC';
  fs.writeFileSync(file, JSON.stringify(spec));
  const changed = indexed(openAssembly(dir, { cacheDir }));
  t.is(changed.origin, 'built', 'a new hash, so a new index');
  t.is((changed.metadata as { description?: string }).description, 'SYNTHETIC');
  changed.close();

  // A damaged memo is ignored and rewritten.
  fs.writeFileSync(path.join(memoDir, memos[0]!), 'garbage');
  t.is(indexed(openAssembly(dir, { cacheDir })).origin, 'hit');
  t.regex(fs.readFileSync(path.join(memoDir, memos[0]!), 'utf8'), /^\d+:\d+:\d+:\d+:\d+\n[0-9a-f]{64}\n$/);
});
