/**
 * The stdio server's input and output: no byte lost, cut or mangled, whatever the line's
 * size, the reader's pace, or where a read ends.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { SyncLineReader } from '../../lib/transports/stdio-io.js';
import { ensureFixtures } from '../helpers/fixture.js';
import { SeededRandom } from '../host/seeded-random.js';
import { runtimeScript } from './stdio-process.js';

const KIB = 1024;
const MIB = 1024 * KIB;

/** Reads `child.stdout` slowly: a short pause before the first byte and after each chunk. */
function readSlowly(stream: Readable, until: (bytes: number) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    stream.pause();
    setTimeout(() => stream.resume(), 100);
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (until(total)) {
        resolve(Buffer.concat(chunks));
        return;
      }
      stream.pause();
      setTimeout(() => stream.resume(), 1);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

test('SyncLineReader splits and decodes lines whatever the read sizes (multi-byte characters across every boundary)', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-io-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const random = new SeededRandom(14);
  const pieces = ['a', 'é', '€', '\u{1F600}', '{"x":1}', ' ', '\\n'];
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) {
    let line = '';
    const length = random.int(0, 40);
    for (let j = 0; j < length; j++) line += random.pick(pieces);
    lines.push(line);
  }
  lines.push('x'.repeat(5000)); // longer than every chunk: carried over many reads
  const file = path.join(dir, 'lines');
  const last = 'last line without a newline \u{1F600}';
  fs.writeFileSync(file, `${lines.join('\n')}\n${last}`);
  for (const chunk of [1, 2, 3, 5, 7, 64, 4096]) {
    const fd = fs.openSync(file, 'r');
    const reader = new SyncLineReader(fd, chunk);
    const read: string[] = [];
    for (let line = reader.readLine(); line !== null; line = reader.readLine()) read.push(line);
    fs.closeSync(fd);
    t.deepEqual(read, [...lines, last], `chunk size ${chunk}`);
  }
});

test('SyncWriter delivers every byte through a non-blocking pipe to a slow reader (short writes, EAGAIN)', async (t) => {
  const size = 16 * MIB + 3;
  const child = spawn(process.execPath, [path.join(__dirname, 'nonblocking-writer-child.js'), String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = exitOf(child);
  const bytes = await readSlowly(child.stdout, () => false);
  t.is(await exited, 0);
  t.is(bytes.length, size);
  let wrong = -1;
  for (let i = 0; i < size && wrong < 0; i++) if (bytes[i] !== i % 251) wrong = i;
  t.is(wrong, -1, 'first byte that differs');
});

/** Starts our server, loads the fixture, and returns the child with the hello and load answer read. */
/** Resolves with the child's exit code; listen from the spawn on, so an early exit is not missed. */
function exitOf(child: ChildProcessByStdio<Writable | null, Readable, null>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function serverWithCalc(): Promise<{ child: ChildProcessByStdio<Writable, Readable, null>; exited: Promise<number | null> }> {
  const pkg = ensureFixtures().calc;
  const child = spawn(process.execPath, [runtimeScript('ours')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = exitOf(child);
  child.stdin.write(`${JSON.stringify({ api: 'load', name: pkg.name, version: pkg.version, tarball: pkg.tarball })}\n`);
  await new Promise<void>((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.split('\n').length > 2) {
        child.stdout.off('data', onData);
        child.stdout.pause();
        resolve();
      }
    };
    child.stdout.on('data', onData);
  });
  return { child, exited };
}

for (const size of [64 * KIB - 1, 64 * KIB + 1, MIB, 16 * MIB]) {
  test(`a reply of ${size} bytes reaches a slow reader whole`, async (t) => {
    const { child, exited } = await serverWithCalc();
    // {"ok":{"result":"…"}} and the newline are 21 bytes around the string.
    const count = size - 21;
    child.stdin.write(`${JSON.stringify({ api: 'sinvoke', fqn: '@jsii-ring/calc.Values', method: 'repeat', args: ['x', count] })}\n`);
    const bytes = await readSlowly(child.stdout, (n) => n >= size);
    child.stdin.end();
    t.is(bytes.length, size);
    t.true(bytes.equals(Buffer.from(`{"ok":{"result":"${'x'.repeat(count)}"}}\n`)));
    t.is(await exited, 0);
  });
}

test('10,000 requests written before any reply is read are all answered', async (t) => {
  const child = spawn(process.execPath, [runtimeScript('ours')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = exitOf(child);
  child.stdout.pause();
  const count = 10_000;
  const written = new Promise<void>((resolve) => {
    for (let i = 0; i < count; i++) child.stdin.write('{"api":"stats"}\n', i === count - 1 ? () => resolve() : undefined);
  });
  const bytes = readSlowly(child.stdout, () => false);
  await written;
  child.stdin.end();
  const lines = (await bytes).toString('utf8').split('\n');
  t.is(lines.pop(), '');
  t.is(lines.length, count + 1);
  t.true(lines[0]!.startsWith('{"hello":"@jsii/runtime@'));
  t.is(lines.filter((line) => line === '{"ok":{"objectCount":0}}').length, count);
  t.is(await exited, 0);
});

test('a 4-byte character that straddles the 64 KiB mark of a read is decoded whole', async (t) => {
  const { child } = await serverWithCalc();
  const prefix = '{"api":"sinvoke","fqn":"@jsii-ring/calc.Values","method":"echoString","args":["';
  const strings: string[] = [];
  for (const at of [64 * KIB - 3, 64 * KIB - 2, 64 * KIB - 1]) {
    const text = `${'a'.repeat(at - prefix.length)}\u{1F600}\u{1F600}tail`;
    strings.push(text);
    child.stdin.write(`${prefix}${text}"]}\n`);
  }
  child.stdout.resume();
  const expected = strings.map((s) => `{"ok":{"result":"${s}"}}\n`).join('');
  const bytes = await readSlowly(child.stdout, (n) => n >= Buffer.byteLength(expected));
  child.stdin.end();
  t.is(bytes.toString('utf8'), expected);
});
