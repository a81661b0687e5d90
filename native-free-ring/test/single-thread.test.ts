/**
 * One thread plays both roles: wrap-around with canaries, boundary sizes that fit, views and
 * copies, non-blocking calls, stats.
 */
import test from 'ava';
import { RingError, RingReader, RingWriter, createRingBuffer, frameLimits } from '../src/index.js';
import {
  DATA_OFFSET,
  DEAD_REASON_MAX_BYTES,
  DEAD_REASON_OFFSET,
  HEADER_BYTES,
  READ_POS_SLOT,
  WRITE_POS_SLOT,
} from '../src/layout.js';
import { pattern, seededRandom } from './helpers/sequence.js';

const CANARY = 0xa5;

/**
 * Paints free ring space and the header's unused tail with a canary and checks, after every
 * write, that no byte outside the frames the writer just published changed.
 */
class CanaryWatch {
  readonly #i32: Int32Array;
  readonly #data: Uint8Array;
  readonly #headerGap: Uint8Array;
  readonly #capacity: number;

  public constructor(buffer: SharedArrayBuffer, capacity: number) {
    this.#i32 = new Int32Array(buffer, 0, HEADER_BYTES >>> 2);
    this.#data = new Uint8Array(buffer, DATA_OFFSET, capacity);
    this.#headerGap = new Uint8Array(buffer, DEAD_REASON_OFFSET + DEAD_REASON_MAX_BYTES, HEADER_BYTES - DEAD_REASON_OFFSET - DEAD_REASON_MAX_BYTES);
    this.#capacity = capacity;
    this.#data.fill(CANARY);
    this.#headerGap.fill(CANARY);
  }

  /** Repaints the bytes the reader released between positions `from` and `to`. */
  public released(from: number, to: number): void {
    for (let pos = from; pos !== to; pos = (pos + 1) | 0) this.#data[pos & (this.#capacity - 1)] = CANARY;
  }

  /** Index of the first non-canary byte in free space or the header gap, or -1. */
  public firstDamage(): number {
    const w = Atomics.load(this.#i32, WRITE_POS_SLOT);
    const r = Atomics.load(this.#i32, READ_POS_SLOT);
    for (let pos = w; pos !== ((r + this.#capacity) | 0); pos = (pos + 1) | 0) {
      if (this.#data[pos & (this.#capacity - 1)] !== CANARY) return pos & (this.#capacity - 1);
    }
    for (let i = 0; i < this.#headerGap.length; i++) if (this.#headerGap[i] !== CANARY) return -2 - i;
    return -1;
  }

  public readPos(): number {
    return Atomics.load(this.#i32, READ_POS_SLOT);
  }

  public writePos(): number {
    return Atomics.load(this.#i32, WRITE_POS_SLOT);
  }
}

test('wraps around the ring hundreds of times; no byte outside published frames ever changes', (t) => {
  const capacity = 1024;
  const buffer = createRingBuffer(capacity);
  const watch = new CanaryWatch(buffer, capacity);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  const { maxWholeFrame } = frameLimits(capacity);
  const random = seededRandom(42);
  const queue: Uint8Array[] = [];
  let sent = 0;
  let received = 0;

  const readOne = (): void => {
    const before = watch.readPos();
    const got = reader.readCopy(0);
    const expected = queue.shift();
    if (got === null || expected === undefined || !equal(got, expected)) {
      t.fail(`message ${received} differs (length ${got?.length} vs ${expected?.length})`);
      throw new Error('stop');
    }
    received++;
    watch.released(before, watch.readPos());
  };

  while (watch.writePos() < 300 * capacity) {
    const fragmented = queue.length === 0 && random() < 0.05;
    // Whole frames up to the largest; fragmented ones (up to half the ring) only into an empty
    // ring, where they always fit without a second thread.
    const size = fragmented
      ? maxWholeFrame - 7 + Math.floor(random() * (capacity / 2 - maxWholeFrame + 8))
      : Math.floor(random() ** 3 * (maxWholeFrame - 7));
    const message = pattern(size, sent);
    if (fragmented) {
      writer.write(message, 0);
    } else {
      while (!writer.tryWrite(message)) readOne();
    }
    queue.push(message);
    sent++;
    const damage = watch.firstDamage();
    if (damage !== -1) {
      t.fail(`byte ${damage} outside the frames changed after message ${sent}`);
      return;
    }
    if (random() < 0.4) while (queue.length > 0 && random() < 0.7) readOne();
  }
  while (queue.length > 0) readOne();
  t.is(reader.tryRead(), undefined);
  t.true(watch.writePos() >= 300 * capacity, 'went round at least 300 times');
  t.is(received, sent);
  t.is(writer.stats.messages, sent);
  t.is(reader.stats.messages, received);
  t.is(writer.stats.bytes, reader.stats.bytes);
  t.true(writer.stats.frames > writer.stats.messages, 'some messages were fragmented');
});

test('boundary sizes that fit in one thread: 0, 1, around the 8-byte alignment, the largest whole frame, half the ring', (t) => {
  for (const capacity of [256, 4096]) {
    const { maxWholeFrame } = frameLimits(capacity);
    const buffer = createRingBuffer(capacity);
    const writer = new RingWriter(buffer);
    const reader = new RingReader(buffer);
    const largest = maxWholeFrame - 8;
    for (let lap = 0; lap < 5; lap++) {
      for (const size of [0, 1, 7, 8, 9, 15, 16, 17, largest - 1, largest, largest + 1, capacity / 2]) {
        const message = pattern(size, lap);
        writer.write(message, 0);
        // readCopy releases the space at once: a held view plus a fragmented message need
        // not fit in the ring together, and this thread cannot wait for itself.
        t.deepEqual(reader.readCopy(0), message, `capacity ${capacity}, size ${size}`);
      }
    }
    t.is(reader.tryRead(), undefined);
  }
});

test('a view stays intact until the next read while the writer fills the rest of the ring', (t) => {
  const capacity = 256;
  const buffer = createRingBuffer(capacity);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  for (let round = 0; round < 50; round++) {
    const held = pattern(40, round);
    writer.write(held);
    const view = reader.read()!;
    // The writer may use every other byte now, but not the held frame's.
    let filler = 0;
    while (writer.tryWrite(pattern(8, 100 + filler))) filler++;
    t.true(filler > 0);
    t.deepEqual(view, held, `round ${round}`);
    for (let i = 0; i < filler; i++) t.deepEqual(reader.read(), pattern(8, 100 + i));
  }
});

test('readCopy returns owned memory that later writes do not touch; read returns shared memory', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  writer.write(pattern(32, 1));
  const copy = reader.readCopy()!;
  t.false(copy.buffer instanceof SharedArrayBuffer);
  writer.write(pattern(32, 2));
  const view = reader.read()!;
  t.true(view.buffer instanceof SharedArrayBuffer);
  for (let i = 0; i < 20; i++) {
    writer.write(pattern(32, 3 + i));
    reader.read();
  }
  t.deepEqual(copy, pattern(32, 1));
});

test('a fragmented message read with read() and with readCopy() arrives whole', (t) => {
  const capacity = 1024;
  const buffer = createRingBuffer(capacity);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  const big = pattern(capacity / 2, 9);
  writer.write(big, 0);
  t.deepEqual(reader.read(), big);
  writer.write(big, 0);
  const copy = reader.readCopy()!;
  t.deepEqual(copy, big);
  t.false(copy.buffer instanceof SharedArrayBuffer);
  // The reassembly buffer is reused by read(): the earlier copy must not change.
  writer.write(pattern(capacity / 2, 10), 0);
  t.deepEqual(reader.read(), pattern(capacity / 2, 10));
  t.deepEqual(copy, big);
});

test('tryWrite returns false on a full ring and tryRead undefined on an empty one', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  t.is(reader.tryRead(), undefined);
  let written = 0;
  while (writer.tryWrite(pattern(24, written))) written++;
  t.is(written, 256 / 32, 'eight 32-byte frames fill 256 bytes');
  t.false(writer.tryWrite(new Uint8Array(0)));
  t.deepEqual(reader.tryRead(), pattern(24, 0));
  // The first frame is released by the next read call only.
  t.false(writer.tryWrite(pattern(24, 99)));
  t.deepEqual(reader.tryRead(), pattern(24, 1));
  t.true(writer.tryWrite(pattern(24, 99)));
});

test('tryWrite of a message that can never fit in one frame is ERR_MESSAGE_TOO_LARGE', (t) => {
  const writer = new RingWriter(createRingBuffer(256));
  const error = t.throws(() => writer.tryWrite(new Uint8Array(200)), { instanceOf: RingError });
  t.is(error?.code, 'ERR_MESSAGE_TOO_LARGE');
  t.regex(error?.message ?? '', /use write\(\)/);
});

test('write rejects what is not a Uint8Array, and bad timeouts, with ERR_INVALID_ARGUMENT', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  for (const bad of [[1, 2, 3], 'bytes', new Uint16Array(2), new ArrayBuffer(4), null, undefined]) {
    const error = t.throws(() => writer.write(bad as unknown as Uint8Array), { instanceOf: RingError });
    t.is(error?.code, 'ERR_INVALID_ARGUMENT');
    t.regex(error?.message ?? '', /must be a Uint8Array/);
    t.is((t.throws(() => writer.tryWrite(bad as unknown as Uint8Array)) as RingError).code, 'ERR_INVALID_ARGUMENT');
  }
  for (const bad of [-1, NaN, '5']) {
    t.is((t.throws(() => writer.write(new Uint8Array(1), bad as number)) as RingError).code, 'ERR_INVALID_ARGUMENT');
    t.is((t.throws(() => reader.read(bad as number)) as RingError).code, 'ERR_INVALID_ARGUMENT');
    t.is((t.throws(() => reader.readCopy(bad as number)) as RingError).code, 'ERR_INVALID_ARGUMENT');
  }
  // A Buffer is a Uint8Array: accepted.
  writer.write(Buffer.from('hello'));
  t.is(Buffer.from(reader.read()!).toString(), 'hello');
});

test('stats count messages, bytes, frames and waits', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer, { spin: 50 });
  const reader = new RingReader(buffer, { spin: 50 });
  writer.write(new Uint8Array(5));
  writer.write(new Uint8Array(0));
  reader.read();
  reader.read();
  // 200 ms, not 1: on a loaded machine a 1 ms deadline can pass during the spin, before any sleep.
  t.throws(() => reader.read(200), { code: 'ERR_RING_TIMEOUT' });
  writer.write(pattern(128, 0), 0);
  reader.read();
  t.like(writer.stats, { messages: 3, bytes: 133, waits: 0, sleeps: 0, notifies: 0 });
  t.true(writer.stats.frames >= 4);
  t.like(reader.stats, { messages: 3, bytes: 133, waits: 1, spinHits: 0, spinIterations: 50 });
  t.true(reader.stats.sleeps >= 1);
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

test('beforeSleep runs before each sleep of a blocking read or write, never on a wait that spinning ended', (t) => {
  const buffer = createRingBuffer(256);
  let writerSleeps = 0;
  let readerSleeps = 0;
  const writer = new RingWriter(buffer, { spin: 0, beforeSleep: () => void writerSleeps++ });
  const reader = new RingReader(buffer, { spin: 100_000, adaptive: false, beforeSleep: () => void readerSleeps++ });
  // Something to read: no wait at all.
  writer.write(new Uint8Array(3));
  reader.read();
  t.is(readerSleeps, 0);
  // Nothing to read: the spin runs out, the reader sleeps until the deadline.
  t.throws(() => reader.read(200), { code: 'ERR_RING_TIMEOUT' });
  t.true(readerSleeps >= 1);
  t.is(readerSleeps, reader.stats.sleeps);
  // A full ring: the writer (spin 0) sleeps until the deadline.
  const { maxWholeFrame } = frameLimits(256);
  while (writer.tryWrite(new Uint8Array(maxWholeFrame - 8))) { /* fill */ }
  t.is(writerSleeps, 0);
  t.throws(() => writer.write(new Uint8Array(maxWholeFrame - 8), 200), { code: 'ERR_RING_TIMEOUT' });
  t.true(writerSleeps >= 1);
  t.is(writerSleeps, writer.stats.sleeps);
  // A number it returns caps the sleep: the side wakes by then and asks again, with the time
  // the call has slept so far.
  const slept: number[] = [];
  const napping = new RingReader(createRingBuffer(256), { spin: 0, beforeSleep: (ms) => { slept.push(ms); return 20; } });
  t.throws(() => napping.read(150), { code: 'ERR_RING_TIMEOUT' });
  t.true(slept.length >= 3, `slept ${slept.join(', ')}`);
  t.is(slept[0], 0);
  t.true(slept.every((ms, i) => i === 0 || ms >= slept[i - 1]!));
  t.true(slept[slept.length - 1]! >= 40);
  // What it throws comes out of the call, and the side stays usable.
  const failing = new RingReader(createRingBuffer(256), { spin: 0, beforeSleep: () => { throw new Error('no sleeping now'); } });
  t.throws(() => failing.read(50), { message: 'no sleeping now' });
});
