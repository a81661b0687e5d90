import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { IndexedAssemblySource, openAssembly } from '../../../lib/kernel/assemblies/index.js';
import { FORMAT_VERSION } from '../../../lib/kernel/assemblies/index-format.js';
import { indexPath } from '../../../lib/kernel/assemblies/index-store.js';
import { fullParse, syntheticAssembly, writePackage } from './helpers/assemblies.js';
import { tempDir } from './helpers/temp.js';

const TYPES = 300;

interface Fixture {
  readonly dir: string;
  readonly cacheDir: string;
  readonly index: string;
  readonly types: Record<string, unknown>;
}

/** A package with an index already built, plus where that index lives. */
function fixture(t: ExecutionContext, compress = true): Fixture {
  const root = tempDir(t);
  const dir = writePackage(path.join(root, 'pkg'), syntheticAssembly('idx-lib', TYPES), { compress });
  const cacheDir = path.join(root, 'cache');
  const built = open(dir, cacheDir);
  t.is(built.origin, 'built');
  built.close();
  const file = path.join(dir, compress ? '.jsii.gz' : '.jsii');
  const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const index = indexPath(cacheDir, hash);
  t.true(fs.existsSync(index));
  return { dir, cacheDir, index, types: (fullParse(dir).types ?? {}) as Record<string, unknown> };
}

function open(dir: string, cacheDir: string): IndexedAssemblySource {
  const source = openAssembly(dir, { cacheDir });
  if (!(source instanceof IndexedAssemblySource)) {
    throw new Error('expected an IndexedAssemblySource');
  }
  return source;
}

/** Reopens, expects a rebuild, checks every type, then expects the next open to be a hit. */
function expectRebuilt(t: ExecutionContext, f: Fixture): void {
  const source = open(f.dir, f.cacheDir);
  t.is(source.origin, 'rebuilt');
  for (const [fqn, type] of Object.entries(f.types)) {
    t.deepEqual(source.getType(fqn), type);
  }
  source.close();
  const again = open(f.dir, f.cacheDir);
  t.is(again.origin, 'hit');
  again.close();
}

test('the index is named by the assembly file hash and the format version', (t) => {
  const f = fixture(t);
  t.regex(path.basename(f.index), new RegExp(`^[0-9a-f]{64}\\.v${FORMAT_VERSION}\\.jridx$`));
  const warm = open(f.dir, f.cacheDir);
  t.is(warm.origin, 'hit');
  warm.close();
});

test('a truncated index is rebuilt', (t) => {
  const f = fixture(t);
  for (const keep of [0, 10, 64, 200, fs.statSync(f.index).size - 1]) {
    fs.truncateSync(f.index, keep);
    expectRebuilt(t, f);
  }
});

test('an index with extra bytes appended is rebuilt', (t) => {
  const f = fixture(t);
  fs.appendFileSync(f.index, 'x');
  expectRebuilt(t, f);
});

test('flipped bytes in the header or the name table are caught at open and rebuilt', (t) => {
  const f = fixture(t);
  // magic, version, flags, source hash, table length, table crc, total length, then inside the table.
  for (const offset of [0, 8, 12, 20, 48, 52, 56, 64, 70, 100, 300]) {
    const bytes = fs.readFileSync(f.index);
    bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
    fs.writeFileSync(f.index, bytes);
    expectRebuilt(t, f);
  }
});

test('a flipped byte in a type is caught when that type is read: rebuilt, correct value returned', (t) => {
  const f = fixture(t);
  const bytes = fs.readFileSync(f.index);
  const at = bytes.lastIndexOf('"T150"'); // in the data, after the name table
  t.true(at > 0);
  bytes[at + 2] = 'X'.charCodeAt(0);
  fs.writeFileSync(f.index, bytes);

  const source = open(f.dir, f.cacheDir);
  t.is(source.origin, 'hit', 'the header and table are intact');
  t.deepEqual(source.getType('idx-lib.T149'), f.types['idx-lib.T149']);
  t.is(source.origin, 'hit');
  t.deepEqual(source.getType('idx-lib.T150'), f.types['idx-lib.T150']);
  t.is(source.origin, 'rebuilt');
  t.deepEqual(source.getType('idx-lib.T151'), f.types['idx-lib.T151'], 'reads continue on the rebuilt index');
  source.close();
  t.is(open(f.dir, f.cacheDir).origin, 'hit', 'the file on disk was replaced');
});

test('an index of another format version at the same path is stale: rebuilt', (t) => {
  const f = fixture(t);
  const bytes = fs.readFileSync(f.index);
  bytes.writeUInt32LE(FORMAT_VERSION + 1, 8);
  fs.writeFileSync(f.index, bytes);
  expectRebuilt(t, f);
});

test('an index of the wrong assembly at the right path is rebuilt', (t) => {
  const f = fixture(t);
  const other = fixture(t, false);
  fs.copyFileSync(other.index, f.index);
  expectRebuilt(t, f);
});

test('garbage and an empty file at the index path are rebuilt', (t) => {
  const f = fixture(t);
  fs.writeFileSync(f.index, crypto.randomBytes(5000));
  expectRebuilt(t, f);
  fs.writeFileSync(f.index, '');
  expectRebuilt(t, f);
});

test('building removes indexes of older format versions for the same assembly', (t) => {
  const f = fixture(t);
  const old = f.index.replace(`.v${FORMAT_VERSION}.`, '.v0.');
  fs.writeFileSync(old, 'an index in an older format');
  fs.rmSync(f.index);
  const source = open(f.dir, f.cacheDir);
  t.is(source.origin, 'built');
  source.close();
  t.false(fs.existsSync(old));
});

test('building leaves indexes of newer format versions alone (a newer jsii-ring sharing the cache)', (t) => {
  const f = fixture(t);
  const newer = f.index.replace(`.v${FORMAT_VERSION}.`, `.v${FORMAT_VERSION + 1}.`);
  fs.writeFileSync(newer, 'an index in a newer format');
  fs.rmSync(f.index);
  const source = open(f.dir, f.cacheDir);
  t.is(source.origin, 'built');
  source.close();
  t.true(fs.existsSync(newer));
  t.true(fs.existsSync(f.index));
});

test('a changed assembly gets a new index (content addressed), the old one stays valid', (t) => {
  const f = fixture(t);
  const changed = syntheticAssembly('idx-lib', TYPES + 1);
  writePackage(f.dir, changed, { compress: true });
  const source = open(f.dir, f.cacheDir);
  t.is(source.origin, 'built');
  t.is(source.typeCount, TYPES + 1);
  source.close();
  t.true(fs.existsSync(f.index));
});

test('processes building the same index at once all succeed and leave one valid index', async (t) => {
  const root = tempDir(t);
  // Large enough that the builds overlap in time (a few MB of JSON).
  const dir = writePackage(path.join(root, 'pkg'), syntheticAssembly('race-lib', 20_000), { compress: true });
  const cacheDir = path.join(root, 'cache');
  const moduleDir = path.resolve(__dirname, '../../../lib/kernel/assemblies/index.js');
  const script = `
    const { openAssembly } = require(${JSON.stringify(moduleDir)});
    const s = openAssembly(${JSON.stringify(dir)}, { cacheDir: ${JSON.stringify(cacheDir)} });
    process.stdout.write(JSON.stringify({ origin: s.origin, count: s.typeCount, t: s.getType('race-lib.T12345') }));
  `;
  const run = (): Promise<{ origin: string; count: number; t: unknown }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`child exited ${code}`))));
    });
  const results = await Promise.all([run(), run(), run(), run()]);
  const expected = fullParse(dir).types?.['race-lib.T12345'];
  for (const result of results) {
    t.is(result.count, 20_000);
    t.deepEqual(result.t, expected);
    t.true(['built', 'hit'].includes(result.origin));
  }
  const names = fs.readdirSync(path.join(cacheDir, 'assemblies'));
  t.is(names.length, 1, `only the index, no temporary files: ${names.join(', ')}`);
  const source = open(dir, cacheDir);
  t.is(source.origin, 'hit');
  source.close();
});

test('reads after close() fail clearly, and close() is idempotent', (t) => {
  const f = fixture(t);
  const source = open(f.dir, f.cacheDir);
  t.deepEqual(source.getType('idx-lib.T1'), f.types['idx-lib.T1']);
  source.close();
  source.close();
  t.deepEqual(source.getType('idx-lib.T1'), f.types['idx-lib.T1'], 'already decoded: served from memory');
  const error = t.throws(() => source.getType('idx-lib.T2'));
  t.is((error as { code?: string }).code, 'ERR_CLOSED');
  t.is(error.message, 'the assembly index was closed');
});
