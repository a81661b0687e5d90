/**
 * A real Worker on the other end: a million seeded messages with sequence numbers and checksums,
 * tiny rings (both sides block all the time) and big ones (they rarely do), boundary sizes up to
 * four times the capacity.
 */
import test from 'ava';
import { RingReader, RingWriter, createRingBuffer, frameLimits } from '../src/index.js';
import type { RingOptions } from '../src/index.js';
import { MessageGenerator, MessageVerifier, type SizeMix, pattern } from './helpers/sequence.js';
import { startWorker } from './helpers/spawn.js';

/** Worker writes `count` generated messages; this thread verifies each one. */
async function workerToMain(t: import('ava').ExecutionContext, capacity: number, count: number, mix: SizeMix, options?: RingOptions): Promise<void> {
  const buffer = createRingBuffer(capacity);
  const reader = new RingReader(buffer, options);
  const running = startWorker({ scenario: 'generate', buffer, mix, count, options });
  const verifier = new MessageVerifier(mix);
  for (;;) {
    // Alternate the zero-copy view and the owned copy.
    const message = verifier.verified % 2 === 0 ? reader.read(60_000) : reader.readCopy(60_000);
    if (message === null) break;
    verifier.check(message);
  }
  const report = await running.report;
  t.is(verifier.verified, count);
  t.is(reader.stats.messages, count);
  t.is(report.stats!.bytes, reader.stats.bytes);
  t.true(reader.stats.waits > 0, 'the reader had to wait');
  t.log(`capacity ${capacity}: ${count} messages, ${(reader.stats.bytes / 2 ** 20).toFixed(1)} MiB; ` +
    `reader waits ${reader.stats.waits} (slept ${reader.stats.sleeps}), writer waits ${report.stats!.waits} (slept ${report.stats!.sleeps})`);
  await running.exit;
}

/** This thread writes `count` generated messages; the worker verifies each one. */
async function mainToWorker(t: import('ava').ExecutionContext, capacity: number, count: number, mix: SizeMix, options?: RingOptions): Promise<void> {
  const buffer = createRingBuffer(capacity);
  const writer = new RingWriter(buffer, options);
  const running = startWorker({ scenario: 'verify', buffer, mix, options });
  const generator = new MessageGenerator(mix);
  for (let i = 0; i < count; i++) writer.write(generator.next(), 60_000);
  writer.close();
  const report = await running.report;
  t.true(report.ok, report.error);
  t.is(report.messages, count);
  t.is(report.stats!.bytes, writer.stats.bytes);
  t.true(writer.stats.waits > 0, 'the writer had to wait');
  t.log(`capacity ${capacity}: ${count} messages; writer waits ${writer.stats.waits} (slept ${writer.stats.sleeps}), ` +
    `reader waits ${report.stats!.waits} (slept ${report.stats!.sleeps})`);
  await running.exit;
}

test.serial('a million messages of 0 B to 4× capacity through a tiny ring, verified on the other thread', async (t) => {
  const capacity = 1024;
  await workerToMain(t, capacity, 1_000_000, {
    seed: 1,
    small: 64,
    medium: capacity,
    maxSize: 4 * capacity,
    mediumShare: 0.04,
    largeShare: 0.01,
  });
});

test.serial('a tiny ring whose sides never spin: both sleep in Atomics.wait all the time', async (t) => {
  const capacity = 256;
  await mainToWorker(
    t,
    capacity,
    100_000,
    { seed: 2, small: 48, medium: capacity, maxSize: 4 * capacity, mediumShare: 0.05, largeShare: 0.02 },
    { spin: 0 },
  );
});

test.serial('a big ring: sides rarely block; messages up to 4× capacity still go through', async (t) => {
  const capacity = 2 ** 20;
  await workerToMain(t, capacity, 100_000, {
    seed: 3,
    small: 256,
    medium: 64 * 1024,
    maxSize: 4 * capacity,
    mediumShare: 0.01,
    largeShare: 0.0004,
  });
});

test.serial('the same big-ring stream the other way, with a fixed spin', async (t) => {
  const capacity = 2 ** 20;
  await mainToWorker(
    t,
    capacity,
    50_000,
    { seed: 4, small: 256, medium: 64 * 1024, maxSize: 4 * capacity, mediumShare: 0.01, largeShare: 0.0004 },
    { spin: 5_000, adaptive: false },
  );
});

test.serial('spinning with Atomics.pause (where the runtime has it), both directions through a tiny ring', async (t) => {
  const capacity = 512;
  const mix = { seed: 5, small: 48, medium: capacity, maxSize: 4 * capacity, mediumShare: 0.05, largeShare: 0.02 };
  await workerToMain(t, capacity, 50_000, mix, { pause: true });
  await mainToWorker(t, capacity, 50_000, { ...mix, seed: 6 }, { pause: true, adaptive: false, spin: 2_000 });
});

test.serial('every boundary size, 0 B to 4× capacity, makes a round trip intact', async (t) => {
  for (const capacity of [256, 4096]) {
    const { maxWholeFrame, fragmentPayload } = frameLimits(capacity);
    const request = createRingBuffer(capacity);
    const reply = createRingBuffer(capacity);
    const writer = new RingWriter(request);
    const reader = new RingReader(reply);
    const running = startWorker({ scenario: 'echo', buffer: request, reply });
    const sizes = [
      0, 1, 7, 8, 9,
      maxWholeFrame - 9, maxWholeFrame - 8, maxWholeFrame - 7,
      fragmentPayload - 1, fragmentPayload, fragmentPayload + 1, 2 * fragmentPayload, 2 * fragmentPayload + 1,
      capacity - 16, capacity - 9, capacity - 8, capacity - 7, capacity - 1, capacity, capacity + 1,
      4 * capacity - 8, 4 * capacity, 4 * capacity + 1, 4 * capacity + 7,
    ];
    for (const [i, size] of sizes.entries()) {
      const message = pattern(size, i);
      writer.write(message, 30_000);
      t.deepEqual(reader.read(30_000), message, `capacity ${capacity}, size ${size}`);
    }
    writer.close();
    t.is(reader.read(30_000), null);
    t.is((await running.report).messages, sizes.length);
    await running.exit;
  }
});
