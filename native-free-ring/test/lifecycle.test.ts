/**
 * Close, death and timeouts, with the other side really blocked (the worker waits for the
 * ring's own WAITING flag before it acts), and the async read.
 */
import test from 'ava';
import { RingError, RingReader, RingWriter, createRingBuffer, markDead } from '../src/index.js';
import { startWorker } from './helpers/spawn.js';

/** Fills the ring with 8-byte messages; returns how many fit. */
function fill(writer: RingWriter): number {
  let count = 0;
  while (writer.tryWrite(new Uint8Array(8))) count++;
  return count;
}

test.serial('writer closes while the reader sleeps: the reader drains, then gets end of stream', async (t) => {
  const buffer = createRingBuffer(256);
  const reader = new RingReader(buffer, { timeoutMs: 30_000 });
  const running = startWorker({ scenario: 'close-writer-when-reader-sleeps', buffer, preamble: 3 });
  for (let i = 0; i < 3; i++) t.deepEqual(reader.read(), new Uint8Array([i]));
  t.is(reader.read(), null, 'blocked read wakes with end of stream');
  t.is(reader.read(), null, 'and stays there');
  t.true((await running.report).ok);
});

test.serial('reader closes while the writer sleeps on a full ring: the write fails with ERR_RING_CLOSED', async (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer, { timeoutMs: 30_000 });
  const running = startWorker({ scenario: 'close-reader-when-writer-sleeps', buffer });
  fill(writer);
  const error = t.throws(() => writer.write(new Uint8Array(8)), { instanceOf: RingError });
  t.is(error?.code, 'ERR_RING_CLOSED');
  t.regex(error?.message ?? '', /reader closed/);
  t.true((await running.report).ok);
});

test.serial('the writer thread dies while the reader sleeps: ERR_PEER_GONE after the messages it wrote', async (t) => {
  const buffer = createRingBuffer(256);
  const reader = new RingReader(buffer, { timeoutMs: 30_000 });
  const running = startWorker({ scenario: 'die-when-reader-sleeps', buffer, preamble: 2 });
  t.deepEqual(reader.read(), new Uint8Array([0]));
  t.deepEqual(reader.read(), new Uint8Array([1]));
  const error = t.throws(() => reader.read(), { instanceOf: RingError });
  t.is(error?.code, 'ERR_PEER_GONE');
  t.regex(error?.message ?? '', /writer thread died \(exit code 1\)/);
  t.is((t.throws(() => reader.read()) as RingError).code, 'ERR_PEER_GONE', 'every later read too');
  const exit = await running.exit;
  t.is(exit.code, 1);
  t.regex(String(exit.error), /throws while its reader is blocked/);
});

test.serial('the reader thread dies while the writer sleeps on a full ring: the write fails with ERR_PEER_GONE', async (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer, { timeoutMs: 30_000 });
  const running = startWorker({ scenario: 'die-when-writer-sleeps', buffer });
  fill(writer);
  const error = t.throws(() => writer.write(new Uint8Array(300)), { instanceOf: RingError });
  t.is(error?.code, 'ERR_PEER_GONE');
  t.regex(error?.message ?? '', /reader thread died/);
  t.is((t.throws(() => writer.tryWrite(new Uint8Array(1))) as RingError).code, 'ERR_PEER_GONE');
  t.is((await running.exit).code, 1);
});

test.serial('a host that waits asynchronously marks the ring dead from the worker exit event', async (t) => {
  const buffer = createRingBuffer(256);
  const reader = new RingReader(buffer, { timeoutMs: 30_000 });
  const running = startWorker({ scenario: 'die-without-hook', buffer });
  running.worker.once('exit', (code) => markDead([buffer], `kernel worker exited with code ${code}`));
  const error = await t.throwsAsync(reader.readAsync(), { instanceOf: RingError });
  t.is(error?.code, 'ERR_PEER_GONE');
  t.regex(error?.message ?? '', /kernel worker exited with code 1/);
});

test('markDead from either side wakes nobody twice and keeps the first reason', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  writer.markDead('first reason');
  reader.markDead('second reason');
  markDead([buffer], 'third reason');
  const error = t.throws(() => reader.read(0), { instanceOf: RingError });
  t.regex(error?.message ?? '', /first reason/);
  t.is((t.throws(() => writer.write(new Uint8Array(1))) as RingError).code, 'ERR_PEER_GONE');
});

test('a dead reason longer than the slot is cut at a character boundary', (t) => {
  const buffer = createRingBuffer(256);
  const reader = new RingReader(buffer);
  markDead([buffer], `${'é'.repeat(100)}`);
  const message = (t.throws(() => reader.read(0)) as RingError).message;
  t.regex(message, /^the ring was marked dead: (é)+$/);
  t.true(message.length < 'the ring was marked dead: '.length + 100);
});

test('close on either side is idempotent; writes after close are ERR_RING_CLOSED, reads end the stream', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  writer.write(new Uint8Array([1]));
  writer.close();
  writer.close();
  const error = t.throws(() => writer.write(new Uint8Array(1)), { instanceOf: RingError });
  t.is(error?.code, 'ERR_RING_CLOSED');
  t.regex(error?.message ?? '', /this writer closed/);
  t.is((t.throws(() => writer.tryWrite(new Uint8Array(1))) as RingError).code, 'ERR_RING_CLOSED');
  t.deepEqual(reader.read(), new Uint8Array([1]));
  t.is(reader.read(), null);
  t.is(reader.tryRead(), null);

  const other = createRingBuffer(256);
  const otherWriter = new RingWriter(other);
  const otherReader = new RingReader(other);
  otherWriter.write(new Uint8Array([2]));
  otherReader.close();
  otherReader.close();
  t.is((t.throws(() => otherWriter.write(new Uint8Array(1))) as RingError).code, 'ERR_RING_CLOSED');
  t.deepEqual(otherReader.read(), new Uint8Array([2]), 'what was written before the close is still there');
  t.is(otherReader.read(), null);
});

test('a read on an empty ring times out with ERR_RING_TIMEOUT, per call or by default', (t) => {
  const buffer = createRingBuffer(256);
  const reader = new RingReader(buffer, { timeoutMs: 5 });
  new RingWriter(buffer);
  for (const call of [() => reader.read(), () => reader.readCopy(), () => reader.read(0), () => reader.read(3)]) {
    const error = t.throws(call, { instanceOf: RingError });
    t.is(error?.code, 'ERR_RING_TIMEOUT');
    t.regex(error?.message ?? '', /waiting for a message/);
  }
});

test('a write on a full ring times out with ERR_RING_TIMEOUT and the ring stays usable', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer, { timeoutMs: 5 });
  const reader = new RingReader(buffer);
  const count = fill(writer);
  const error = t.throws(() => writer.write(new Uint8Array(8)), { instanceOf: RingError });
  t.is(error?.code, 'ERR_RING_TIMEOUT');
  t.regex(error?.message ?? '', /waiting for room/);
  reader.read();
  reader.read();
  writer.write(new Uint8Array([42]));
  for (let i = 2; i < count; i++) t.is(reader.read()?.length, 8);
  t.deepEqual(reader.read(), new Uint8Array([42]));
});

test('a fragmented write that times out half-way is dropped whole; the next message arrives intact', (t) => {
  const capacity = 256;
  const buffer = createRingBuffer(capacity);
  const writer = new RingWriter(buffer, { spin: 0 });
  const reader = new RingReader(buffer);
  const big = new Uint8Array(4 * capacity).fill(7);
  t.is((t.throws(() => writer.write(big, 1)) as RingError).code, 'ERR_RING_TIMEOUT');
  // The reader takes the published fragments, then waits for more: none come.
  t.is((t.throws(() => reader.read(1)) as RingError).code, 'ERR_RING_TIMEOUT');
  // The writer's next write first tells the reader to drop the partial message.
  writer.write(new Uint8Array([1, 2, 3]));
  t.deepEqual(reader.read(0), new Uint8Array([1, 2, 3]));
  writer.write(big.subarray(0, capacity / 2), 0);
  t.deepEqual(reader.read(0), big.subarray(0, capacity / 2));
  t.is(reader.stats.messages, 2);
});

test('a timed-out fragmented write also recovers through tryWrite', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer, { spin: 0 });
  const reader = new RingReader(buffer);
  t.throws(() => writer.write(new Uint8Array(1024), 0), { code: 'ERR_RING_TIMEOUT' });
  // tryWrite sends the pending abort marker first, then the message.
  t.true(writer.tryWrite(new Uint8Array([5])));
  t.deepEqual(reader.read(0), new Uint8Array([5]));
  t.is(reader.stats.messages, 1);
});

test('readAsync resolves when a message arrives while the event loop keeps running', async (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  const pending = reader.readAsync(30_000);
  let ticks = 0;
  await new Promise<void>((resolve) => {
    setImmediate(() => {
      ticks++;
      writer.write(new Uint8Array([9, 9]));
      resolve();
    });
  });
  t.deepEqual(await pending, new Uint8Array([9, 9]));
  t.is(ticks, 1);
  writer.write(new Uint8Array([1]));
  t.deepEqual(await reader.readAsync(), new Uint8Array([1]), 'a message already there resolves at once');
});

test('while a readAsync is pending other reads are ERR_RING_BUSY; it times out, then sees end of stream', async (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  const pending = reader.readAsync(20);
  for (const call of [() => reader.read(), () => reader.readCopy(), () => reader.tryRead()]) {
    const error = t.throws(call, { instanceOf: RingError });
    t.is(error?.code, 'ERR_RING_BUSY');
    t.regex(error?.message ?? '', /still pending/);
  }
  await t.throwsAsync(reader.readAsync(), { code: 'ERR_RING_BUSY' });
  await t.throwsAsync(pending, { code: 'ERR_RING_TIMEOUT' });
  await t.throwsAsync(reader.readAsync(-1), { code: 'ERR_INVALID_ARGUMENT' });
  const atEnd = reader.readAsync();
  writer.close();
  t.is(await atEnd, null);
  t.is(reader.tryRead(), null, 'not busy any more');
});
