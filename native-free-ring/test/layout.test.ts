/**
 * Creating and attaching: capacities, layout checks, roles, options. Every error here is one a
 * caller can hit, checked by code and by the words of its message that name the problem.
 */
import test from 'ava';
import {
  LAYOUT_VERSION,
  MAX_CAPACITY,
  MIN_CAPACITY,
  RingError,
  RingReader,
  RingWriter,
  createRingBuffer,
  markDead,
  readRingStats,
} from '../src/index.js';
import { CAPACITY_SLOT, HEADER_BYTES, MAGIC_SLOT, VERSION_SLOT } from '../src/layout.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof RingError) return error.code;
    throw error;
  }
  return undefined;
}

test('createRingBuffer sizes the buffer as header plus capacity and stamps the version', (t) => {
  const buffer = createRingBuffer(4096);
  t.is(buffer.byteLength, HEADER_BYTES + 4096);
  const i32 = new Int32Array(buffer, 0, 4);
  t.is(i32[VERSION_SLOT], LAYOUT_VERSION);
  t.is(i32[CAPACITY_SLOT], 4096);
  t.is(new RingWriter(buffer).capacity, 4096);
  t.is(new RingReader(buffer).capacity, 4096);
});

test('createRingBuffer accepts the smallest capacity and rejects every bad one with ERR_INVALID_CAPACITY', (t) => {
  t.is(createRingBuffer(MIN_CAPACITY).byteLength, HEADER_BYTES + MIN_CAPACITY);
  for (const bad of [0, -256, 100, 1000, MIN_CAPACITY / 2, MIN_CAPACITY + 8, MAX_CAPACITY * 2, 256.5, NaN, Infinity]) {
    const error = t.throws(() => createRingBuffer(bad), { instanceOf: RingError });
    t.is(error?.code, 'ERR_INVALID_CAPACITY', `capacity ${bad}`);
    t.regex(error?.message ?? '', /power of two/);
  }
  t.is(codeOf(() => createRingBuffer('1024' as unknown as number)), 'ERR_INVALID_CAPACITY');
});

test('attaching to something that is not a SharedArrayBuffer is ERR_INVALID_ARGUMENT', (t) => {
  for (const bad of [new ArrayBuffer(HEADER_BYTES + 256), new Uint8Array(16), undefined, null, 'ring']) {
    const error = t.throws(() => new RingWriter(bad as unknown as SharedArrayBuffer), { instanceOf: RingError });
    t.is(error?.code, 'ERR_INVALID_ARGUMENT');
    t.regex(error?.message ?? '', /SharedArrayBuffer/);
    t.is(codeOf(() => new RingReader(bad as unknown as SharedArrayBuffer)), 'ERR_INVALID_ARGUMENT');
  }
});

test('a buffer that is not a ring, or of another layout version or size, is ERR_RING_LAYOUT', (t) => {
  const tooSmall = new SharedArrayBuffer(64);
  t.regex(t.throws(() => new RingReader(tooSmall))?.message ?? '', /smaller than a ring header/);

  const blank = new SharedArrayBuffer(HEADER_BYTES + 256);
  const blankError = t.throws(() => new RingWriter(blank), { instanceOf: RingError });
  t.is(blankError?.code, 'ERR_RING_LAYOUT');
  t.regex(blankError?.message ?? '', /magic/);

  const otherVersion = createRingBuffer(256);
  new Int32Array(otherVersion)[VERSION_SLOT] = LAYOUT_VERSION + 1;
  const versionError = t.throws(() => new RingReader(otherVersion), { instanceOf: RingError });
  t.is(versionError?.code, 'ERR_RING_LAYOUT');
  t.regex(versionError?.message ?? '', /version/);

  const lying = createRingBuffer(512);
  new Int32Array(lying)[CAPACITY_SLOT] = 256;
  t.is(codeOf(() => new RingWriter(lying)), 'ERR_RING_LAYOUT');
  const notPowerOfTwo = createRingBuffer(512);
  new Int32Array(notPowerOfTwo)[CAPACITY_SLOT] = 500;
  t.is(codeOf(() => new RingWriter(notPowerOfTwo)), 'ERR_RING_LAYOUT');

  const wrongMagic = createRingBuffer(256);
  new Int32Array(wrongMagic)[MAGIC_SLOT] = 0;
  t.is(codeOf(() => markDead([wrongMagic])), 'ERR_RING_LAYOUT');
  t.is(codeOf(() => readRingStats(wrongMagic)), 'ERR_RING_LAYOUT');
});

test('each role can be claimed once per ring: a second writer or reader is ERR_RING_ROLE_TAKEN', (t) => {
  const buffer = createRingBuffer(256);
  new RingWriter(buffer);
  new RingReader(buffer);
  const writerError = t.throws(() => new RingWriter(buffer), { instanceOf: RingError });
  t.is(writerError?.code, 'ERR_RING_ROLE_TAKEN');
  t.regex(writerError?.message ?? '', /already has a writer/);
  const readerError = t.throws(() => new RingReader(buffer), { instanceOf: RingError });
  t.is(readerError?.code, 'ERR_RING_ROLE_TAKEN');
  t.regex(readerError?.message ?? '', /already has a reader/);
});

test('bad options are ERR_INVALID_OPTION naming the option', (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{ spin: -1 }, /options\.spin/],
    [{ spin: 1.5 }, /options\.spin/],
    [{ spin: '100' }, /options\.spin/],
    [{ spin: Infinity }, /options\.spin/],
    [{ adaptive: 'yes' }, /options\.adaptive/],
    [{ pause: 1 }, /options\.pause/],
    [{ timeoutMs: -5 }, /options\.timeoutMs/],
    [{ timeoutMs: NaN }, /options\.timeoutMs/],
    [{ timeoutMs: '10' }, /options\.timeoutMs/],
    [{ beforeSleep: 'wake-me' }, /options\.beforeSleep/],
    [42, /options must be an object/],
    [null, /options must be an object/],
  ];
  for (const [options, message] of cases) {
    const error = t.throws(() => new RingWriter(createRingBuffer(256), options as never), { instanceOf: RingError });
    t.is(error?.code, 'ERR_INVALID_OPTION', JSON.stringify(options));
    t.regex(error?.message ?? '', message);
    t.is(codeOf(() => new RingReader(createRingBuffer(256), options as never)), 'ERR_INVALID_OPTION');
  }
  // Valid edge values are accepted.
  new RingWriter(createRingBuffer(256), { spin: 0, adaptive: false, pause: true, timeoutMs: 0 });
  new RingReader(createRingBuffer(256), { spin: 1_000_000, timeoutMs: Infinity });
  t.pass();
});

test('readRingStats sees both sides counters from the buffer alone', (t) => {
  const buffer = createRingBuffer(256);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  writer.write(new Uint8Array(10));
  writer.write(new Uint8Array(3));
  reader.read();
  const stats = readRingStats(buffer);
  t.is(stats.writer.messages, 2);
  t.is(stats.writer.bytes, 13);
  t.is(stats.reader.messages, 1);
  t.is(stats.reader.bytes, 10);
  t.deepEqual(stats.writer, writer.stats);
  t.deepEqual(stats.reader, reader.stats);
});
