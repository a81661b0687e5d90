import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { JsiiFault, JsiiRuntimeError } from '../../../lib/errors.js';
import { installPackage, type AssemblyStoreOptions } from '../../../lib/kernel/assemblies/index.js';
import { PACKAGES_SUBDIR } from '../../../lib/kernel/assemblies/cache-dir.js';
import { listTree, tempDir } from './helpers/temp.js';
import { type TestTarEntry, tgz } from './helpers/tar-writer.js';

function manifest(name: string, version: string, extra: Record<string, unknown> = {}): TestTarEntry {
  return { path: 'package/package.json', data: JSON.stringify({ name, version, ...extra }) };
}

/** Writes a tarball into `dir` and returns its path. */
function writeTarball(dir: string, file: string, entries: readonly TestTarEntry[]): string {
  const tarball = path.join(dir, file);
  fs.writeFileSync(tarball, tgz(entries));
  return tarball;
}

function setup(t: Parameters<typeof tempDir>[0]): { root: string; options: AssemblyStoreOptions } {
  const root = tempDir(t);
  return { root, options: { cacheDir: path.join(root, 'cache'), installDir: path.join(root, 'install') } };
}

test('a tarball is installed at <installDir>/node_modules/<name>, from a cache entry keyed by its sha256', (t) => {
  const { root, options } = setup(t);
  const tarball = writeTarball(root, 'a.tgz', [
    { path: 'package/', type: '5' },
    manifest('@scope/lib-a', '1.2.3'),
    { path: 'package/lib/index.js', data: 'exports.a = 1;\n' },
    { path: 'package/bin/run', data: '#!/bin/sh\n', mode: 0o755 },
    { path: 'package/lib/same.js', type: '2', linkTarget: 'index.js' },
  ]);
  const installed = installPackage({ name: '@scope/lib-a', version: '1.2.3', tarball }, options);
  t.is(installed.packageDir, path.join(root, 'install', 'node_modules', '@scope', 'lib-a'));
  t.false(installed.fromCache);
  t.false(installed.alreadyInstalled);
  t.deepEqual(listTree(installed.packageDir), ['bin', 'bin/run', 'lib', 'lib/index.js', 'lib/same.js', 'package.json']);
  t.is(fs.readFileSync(path.join(installed.packageDir, 'lib', 'same.js'), 'utf8'), 'exports.a = 1;\n');
  t.is(fs.statSync(path.join(installed.packageDir, 'bin', 'run')).mode & 0o777, 0o755);
  t.is(fs.statSync(path.join(installed.packageDir, 'lib', 'index.js')).mode & 0o777, 0o644);

  const hash = crypto.createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
  t.deepEqual(fs.readdirSync(path.join(root, 'cache', PACKAGES_SUBDIR)), [hash]);
});

test('cache hit by hash in another install dir; a different tarball is a miss', (t) => {
  const { root, options } = setup(t);
  const entries = [manifest('lib-a', '1.0.0'), { path: 'package/index.js', data: 'exports.v = 1;' }];
  const tarball = writeTarball(root, 'a.tgz', entries);
  t.false(installPackage({ name: 'lib-a', version: '1.0.0', tarball }, options).fromCache);

  const other = { ...options, installDir: path.join(root, 'install-2') };
  const again = installPackage({ name: 'lib-a', version: '1.0.0', tarball }, other);
  t.true(again.fromCache);
  t.is(fs.readFileSync(path.join(again.packageDir, 'index.js'), 'utf8'), 'exports.v = 1;');

  // Same name, same version, different bytes: a new cache entry.
  const changed = writeTarball(root, 'b.tgz', [manifest('lib-a', '1.0.0'), { path: 'package/index.js', data: 'exports.v = 2;' }]);
  const third = installPackage({ name: 'lib-a', version: '1.0.0', tarball: changed }, { ...options, installDir: path.join(root, 'install-3') });
  t.false(third.fromCache);
  t.is(fs.readFileSync(path.join(third.packageDir, 'index.js'), 'utf8'), 'exports.v = 2;');
  t.is(fs.readdirSync(path.join(root, 'cache', PACKAGES_SUBDIR)).length, 2);
});

test('JSII_RING_CACHE_DIR is used when options.cacheDir is absent', (t) => {
  const { root } = setup(t);
  const tarball = writeTarball(root, 'a.tgz', [manifest('lib-a', '1.0.0')]);
  const previous = process.env['JSII_RING_CACHE_DIR'];
  process.env['JSII_RING_CACHE_DIR'] = path.join(root, 'env-cache');
  t.teardown(() => {
    if (previous === undefined) delete process.env['JSII_RING_CACHE_DIR'];
    else process.env['JSII_RING_CACHE_DIR'] = previous;
  });
  installPackage({ name: 'lib-a', version: '1.0.0', tarball }, { installDir: path.join(root, 'install') });
  t.is(fs.readdirSync(path.join(root, 'env-cache', PACKAGES_SUBDIR)).length, 1);
});

test('the same name at the same version is a no-op; at another version a fault', (t) => {
  const { root, options } = setup(t);
  const v1 = writeTarball(root, 'v1.tgz', [manifest('lib-a', '1.0.0')]);
  const v2 = writeTarball(root, 'v2.tgz', [manifest('lib-a', '2.0.0')]);
  const first = installPackage({ name: 'lib-a', version: '1.0.0', tarball: v1 }, options);
  const second = installPackage({ name: 'lib-a', version: '1.0.0', tarball: v1 }, options);
  t.true(second.alreadyInstalled);
  t.is(second.packageDir, first.packageDir);

  const error = t.throws(() => installPackage({ name: 'lib-a', version: '2.0.0', tarball: v2 }, options), { instanceOf: JsiiFault });
  t.is(error.name, '@jsii/kernel.Fault');
  t.is(
    error.message,
    "Cannot load lib-a@2.0.0: version 1.0.0 of 'lib-a' is already loaded; multiple versions of a package cannot be loaded together",
  );
});

test('a package installed from a tarball resolves its dependencies to the ones installed before it', (t) => {
  const { root, options } = setup(t);
  const dep = writeTarball(root, 'dep.tgz', [manifest('dep-a', '1.0.0', { main: 'index.js' }), { path: 'package/index.js', data: 'module.exports = { token: {} };' }]);
  const lib = writeTarball(root, 'lib.tgz', [
    manifest('lib-b', '1.0.0', { main: 'index.js', dependencies: { 'dep-a': '^1.0.0' } }),
    { path: 'package/index.js', data: "module.exports = { dep: require('dep-a') };" },
  ]);
  const depDir = installPackage({ name: 'dep-a', version: '1.0.0', tarball: dep }, options).packageDir;
  const libDir = installPackage({ name: 'lib-b', version: '1.0.0', tarball: lib }, options).packageDir;
  const libModule = require(libDir) as { dep: unknown };
  t.is(libModule.dep, require(depDir));
});

test('a path load links the installed package in, without extraction, and checks name and version', (t) => {
  const { root, options } = setup(t);
  const source = path.join(root, 'somewhere', 'node_modules', 'lib-p');
  fs.mkdirSync(source, { recursive: true });
  fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify({ name: 'lib-p', version: '3.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(source, 'index.js'), 'module.exports = {};');

  const installed = installPackage({ name: 'lib-p', version: '3.0.0', path: source }, options);
  t.is(fs.realpathSync(installed.packageDir), fs.realpathSync(source));
  t.is(require(installed.packageDir), require(source));
  t.false(fs.existsSync(path.join(root, 'cache')));
  t.true(installPackage({ name: 'lib-p', version: '3.0.0', path: source }, options).alreadyInstalled);

  const wrongVersion = t.throws(() => installPackage({ name: 'lib-q', version: '3.0.0', path: source }, options), { instanceOf: JsiiFault });
  t.is(wrongVersion.message, `Cannot load lib-q@3.0.0: ${source} holds lib-p@3.0.0`);
  t.throws(() => installPackage({ name: 'lib-r', version: '1.0.0', path: path.join(root, 'missing') }, options), {
    instanceOf: JsiiFault,
    message: /^Cannot load lib-r@1\.0\.0: no readable package\.json in /,
  });
});

test('requests naming both or neither of tarball and path, or a bad name, are faults', (t) => {
  const { options } = setup(t);
  t.throws(() => installPackage({ name: 'a', version: '1.0.0' }, options), {
    instanceOf: JsiiFault,
    message: 'Cannot load a@1.0.0: the request names neither a tarball nor a path',
  });
  t.throws(() => installPackage({ name: 'a', version: '1.0.0', tarball: 'x', path: 'y' }, options), {
    instanceOf: JsiiFault,
    message: 'Cannot load a@1.0.0: give either a tarball or a path, not both',
  });
  for (const name of ['../evil', '@scope/../x', '/abs', '', 'a/b/c']) {
    t.throws(() => installPackage({ name, version: '1.0.0', tarball: 'x' }, options), {
      instanceOf: JsiiFault,
      message: `Cannot load package: invalid package name ${JSON.stringify(name)}`,
    });
  }
  // As the reference: the file system's own error, named `Error`.
  t.throws(() => installPackage({ name: 'a', version: '1.0.0', tarball: '/no/such/file.tgz' }, options), {
    name: 'Error',
    message: "ENOENT: no such file or directory, open '/no/such/file.tgz'",
  });
});

const EVIL: ReadonlyArray<[string, TestTarEntry[], string]> = [
  ['dot-dot path', [{ path: 'package/../x', data: 'pwned' }], "tarball entry 'package/../x' escapes the install directory"],
  ['leading dot-dot', [{ path: '../x', data: 'pwned' }], "tarball entry '../x' escapes the install directory"],
  ['absolute path', [{ path: '/tmp/jsii-ring-evil', data: 'pwned' }], "tarball entry '/tmp/jsii-ring-evil' escapes the install directory"],
  ['drive letter', [{ path: 'C:/x', data: 'pwned' }], "tarball entry 'C:/x' escapes the install directory"],
  [
    'symlink escaping by ..',
    [{ path: 'package/link', type: '2', linkTarget: '../../outside' }],
    "tarball symlink 'package/link' -> '../../outside' escapes the install directory",
  ],
  [
    'absolute symlink',
    [{ path: 'package/link', type: '2', linkTarget: '/etc' }],
    "tarball symlink 'package/link' -> '/etc' escapes the install directory",
  ],
  [
    'write through a symlink',
    [
      { path: 'package/sub/up', type: '2', linkTarget: '..' },
      { path: 'package/sub/up/file', data: 'through the link' },
    ],
    "tarball entry 'package/sub/up/file' would be written through the symlink 'sub/up'",
  ],
  [
    'hardlink to an outside file',
    [{ path: 'package/hard', type: '1', linkTarget: '/etc/passwd' }],
    "tarball hardlink target '/etc/passwd' escapes the install directory",
  ],
  [
    'hardlink escaping by ..',
    [{ path: 'package/hard', type: '1', linkTarget: 'package/../../x' }],
    "tarball hardlink target 'package/../../x' escapes the install directory",
  ],
  [
    'hardlink to a file not in the archive',
    [{ path: 'package/hard', type: '1', linkTarget: 'package/nope' }],
    "tarball hardlink 'package/hard' -> 'package/nope' does not point to a file extracted from the same archive",
  ],
  ['character device', [{ path: 'package/dev', type: '3' }], "tarball entry 'package/dev' has unsupported type '3'"],
  [
    // Each link is inside by its text; followed on disk, `.jsii` reads /etc/passwd.
    'symlink chain out of the install directory',
    [
      { path: 'package/a/b/c/d/e/f/g/h/l', type: '2', linkTarget: '../../../../../../../..' },
      { path: 'package/.jsii', type: '2', linkTarget: `a/b/c/d/e/f/g/h/l/${'../'.repeat(9)}etc/passwd` },
    ],
    `tarball symlink 'package/.jsii' -> 'a/b/c/d/e/f/g/h/l/${'../'.repeat(9)}etc/passwd' escapes the install directory through other links`,
  ],
  [
    'symlink chain, the outward link written last',
    [
      { path: 'package/x', type: '2', linkTarget: 'sub/l/../../outside' },
      { path: 'package/sub/l', type: '2', linkTarget: '..' },
    ],
    "tarball symlink 'package/x' -> 'sub/l/../../outside' escapes the install directory through other links",
  ],
  [
    'symlink loop',
    [
      { path: 'package/p', type: '2', linkTarget: 'q' },
      { path: 'package/q', type: '2', linkTarget: 'p' },
    ],
    "tarball symlink 'package/p' -> 'q' escapes the install directory through other links",
  ],
];

for (const [title, evil, message] of EVIL) {
  test(`unsafe tarball (${title}): a Fault, nothing written, nothing cached, and the next load works`, (t) => {
    const { root, options } = setup(t);
    const tarball = writeTarball(root, 'evil.tgz', [manifest('evil', '1.0.0'), { path: 'package/ok.txt', data: 'ok' }, ...evil]);
    const error = t.throws(() => installPackage({ name: 'evil', version: '1.0.0', tarball }, options), { instanceOf: JsiiFault });
    t.is(error.name, '@jsii/kernel.Fault');
    t.is(error.message, `Cannot load evil@1.0.0: ${message}`);
    t.false(fs.existsSync(path.join(root, 'x')));
    t.false(fs.existsSync(path.join(root, 'file')));
    t.false(fs.existsSync('/tmp/jsii-ring-evil'));
    t.deepEqual(fs.readdirSync(path.join(root, 'cache', PACKAGES_SUBDIR)), [], 'no cache entry, no temporary directory left');
    t.false(fs.existsSync(path.join(root, 'install', 'node_modules', 'evil')));

    const good = writeTarball(root, 'good.tgz', [manifest('good', '1.0.0')]);
    t.true(fs.existsSync(installPackage({ name: 'good', version: '1.0.0', tarball: good }, options).packageDir));
  });
}

test('a file that is not a (gzipped) tar archive fails under the reference\'s error name, not as a Fault', (t) => {
  const { root, options } = setup(t);
  const full = tgz([manifest('lib-a', '1.0.0'), { path: 'package/big', data: crypto.randomBytes(4000) }]);
  const truncated = path.join(root, 'truncated.tgz');
  fs.writeFileSync(truncated, full.subarray(0, full.length - 40));
  // The reference: ZlibError "zlib: unexpected end of file".
  const zlibError = t.throws(() => installPackage({ name: 'lib-a', version: '1.0.0', tarball: truncated }, options), {
    instanceOf: JsiiRuntimeError,
    message: /^Cannot load lib-a@1\.0\.0: not a valid gzip stream/,
  });
  t.is(zlibError?.name, 'ZlibError');
  t.false(zlibError instanceof JsiiFault);
  // The reference: Error "TAR_BAD_ARCHIVE: Unrecognized archive format".
  const garbage = path.join(root, 'garbage.tgz');
  fs.writeFileSync(garbage, Buffer.from('this is not a tarball at all, just some text'.repeat(20)));
  const badArchive = t.throws(() => installPackage({ name: 'lib-a', version: '1.0.0', tarball: garbage }, options), {
    instanceOf: JsiiRuntimeError,
    message: /^Cannot load lib-a@1\.0\.0: malformed tar archive: bad/,
  });
  t.is(badArchive?.name, 'Error');
  const empty = path.join(root, 'empty.tgz');
  fs.writeFileSync(empty, '');
  const emptyError = t.throws(() => installPackage({ name: 'lib-a', version: '1.0.0', tarball: empty }, options), {
    instanceOf: JsiiRuntimeError,
    message: 'Cannot load lib-a@1.0.0: malformed tar archive: the file is empty',
  });
  t.is(emptyError?.name, 'Error');
  t.deepEqual(fs.readdirSync(path.join(root, 'cache', PACKAGES_SUBDIR)), [], 'no cache entry left behind');
});

test('a later entry replaces an earlier one of the same path (tar semantics), without writing through it', (t) => {
  const { root, options } = setup(t);
  const tarball = writeTarball(root, 'dup.tgz', [
    manifest('dup', '1.0.0'),
    { path: 'package/target.txt', data: 'original' },
    { path: 'package/f', type: '2', linkTarget: 'target.txt' },
    { path: 'package/f', data: 'replacement' },
  ]);
  const dir = installPackage({ name: 'dup', version: '1.0.0', tarball }, options).packageDir;
  t.is(fs.readFileSync(path.join(dir, 'f'), 'utf8'), 'replacement');
  t.is(fs.readFileSync(path.join(dir, 'target.txt'), 'utf8'), 'original');
  t.false(fs.lstatSync(path.join(dir, 'f')).isSymbolicLink());
});

test('hardlinks inside the archive are materialised', (t) => {
  const { root, options } = setup(t);
  const tarball = writeTarball(root, 'hard.tgz', [
    manifest('hard', '1.0.0'),
    { path: 'package/a.txt', data: 'shared' },
    { path: 'package/b.txt', type: '1', linkTarget: 'package/a.txt' },
  ]);
  const dir = installPackage({ name: 'hard', version: '1.0.0', tarball }, options).packageDir;
  t.is(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'shared');
});

test('an unusable package cache does not stop the install: extracted straight into the install dir', (t) => {
  const { root, options } = setup(t);
  fs.writeFileSync(path.join(root, 'cache'), 'a file where the cache directory should be');
  const tarball = writeTarball(root, 'a.tgz', [manifest('lib-a', '1.0.0'), { path: 'package/index.js', data: 'x' }]);
  const installed = installPackage({ name: 'lib-a', version: '1.0.0', tarball }, options);
  t.false(installed.fromCache);
  t.is(fs.readFileSync(path.join(installed.packageDir, 'index.js'), 'utf8'), 'x');
  // Unsafe archives are still refused on this path.
  const evil = writeTarball(root, 'evil.tgz', [manifest('evil', '1.0.0'), { path: 'package/../x', data: 'x' }]);
  t.throws(() => installPackage({ name: 'evil', version: '1.0.0', tarball: evil }, options), {
    instanceOf: JsiiFault,
    message: "Cannot load evil@1.0.0: tarball entry 'package/../x' escapes the install directory",
  });
});

test('a tarball that is not a string is refused before touching the file system', (t) => {
  const { options } = setup(t);
  t.throws(() => installPackage({ name: 'a', version: '1.0.0', tarball: 0 as unknown as string }, options), {
    instanceOf: JsiiFault,
    message: 'Cannot load a@1.0.0: tarball must be a non-empty string',
  });
});

test('symlink chains that stay inside the install directory are kept', (t) => {
  const { root, options } = setup(t);
  const tarball = writeTarball(root, 'chain.tgz', [
    manifest('chain', '1.0.0'),
    { path: 'package/ok.txt', data: 'inside' },
    { path: 'package/a/b/up', type: '2', linkTarget: '../..' },
    { path: 'package/via', type: '2', linkTarget: 'a/b/up/a/b/up/ok.txt' },
    { path: 'package/dangling', type: '2', linkTarget: 'a/missing/../../ok.txt' },
  ]);
  const installed = installPackage({ name: 'chain', version: '1.0.0', tarball }, options);
  t.is(fs.readFileSync(path.join(installed.packageDir, 'via'), 'utf8'), 'inside');
  t.true(fs.lstatSync(path.join(installed.packageDir, 'dangling')).isSymbolicLink());
});
