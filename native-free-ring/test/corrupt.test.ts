/**
 * Corrupted shared memory: every inconsistency is ERR_RING_CORRUPT (and kills the ring so the
 * peer cannot hang on it), never an out-of-bounds view, never an endless loop.
 */
import test from 'ava';
import { RingError, RingReader, RingWriter, createRingBuffer, frameLimits } from '../src/index.js';
import {
  DATA_OFFSET,
  FRAME_TAG,
  HEADER_BYTES,
  KIND_FIRST,
  KIND_MIDDLE,
  KIND_PAD,
  READ_POS_SLOT,
  WRITE_POS_SLOT,
} from '../src/layout.js';
import { pattern, seededRandom } from './helpers/sequence.js';

interface Ring {
  readonly buffer: SharedArrayBuffer;
  readonly writer: RingWriter;
  readonly reader: RingReader;
  /** Int32 view of the data region. */
  readonly data32: Int32Array;
  readonly header: Int32Array;
}

function ring(capacity = 256): Ring {
  const buffer = createRingBuffer(capacity);
  return {
    buffer,
    writer: new RingWriter(buffer),
    reader: new RingReader(buffer),
    data32: new Int32Array(buffer, DATA_OFFSET, capacity / 4),
    header: new Int32Array(buffer, 0, HEADER_BYTES / 4),
  };
}

function expectCorrupt(t: import('ava').ExecutionContext, r: Ring, detail: RegExp): void {
  const error = t.throws(() => r.reader.read(0), { instanceOf: RingError });
  t.is(error?.code, 'ERR_RING_CORRUPT');
  t.regex(error?.message ?? '', detail);
  // The ring is dead now: the writer does not block on a reader that cannot go on.
  const writerError = t.throws(() => r.writer.write(new Uint8Array(1)), { instanceOf: RingError });
  t.is(writerError?.code, 'ERR_PEER_GONE');
  t.regex(writerError?.message ?? '', /corrupt/);
}

test('a length field that points past the written data is ERR_RING_CORRUPT', (t) => {
  const r = ring();
  r.writer.write(pattern(16, 0));
  r.data32[0] = 64;
  expectCorrupt(t, r, /bad WHOLE frame of length 64/);
});

test('a length field past the end of the data region is ERR_RING_CORRUPT', (t) => {
  const r = ring();
  for (let i = 0; i < 7; i++) {
    r.writer.write(pattern(24, i));
    r.reader.read();
  }
  r.writer.write(pattern(24, 7));
  r.data32[(7 * 32) / 4] = 1 << 20;
  expectCorrupt(t, r, /bad WHOLE frame/);
});

test('a negative (huge unsigned) length is ERR_RING_CORRUPT', (t) => {
  const r = ring();
  r.writer.write(pattern(16, 0));
  r.data32[0] = -16;
  expectCorrupt(t, r, /bad WHOLE frame of length -16/);
});

test('an unknown frame kind is ERR_RING_CORRUPT', (t) => {
  const r = ring();
  r.writer.write(pattern(16, 0));
  r.data32[1] = 0x12345678;
  expectCorrupt(t, r, /unknown frame kind/);
});

test('a PAD frame that does not reach the end of the ring is ERR_RING_CORRUPT', (t) => {
  const r = ring();
  r.writer.write(pattern(16, 0));
  r.data32[1] = FRAME_TAG | KIND_PAD;
  expectCorrupt(t, r, /bad PAD frame/);
});

test('a fragment that does not continue a message is ERR_RING_CORRUPT', (t) => {
  const r = ring();
  const { fragmentPayload } = frameLimits(256);
  r.writer.write(pattern(fragmentPayload, 0));
  r.data32[1] = FRAME_TAG | KIND_MIDDLE;
  expectCorrupt(t, r, /does not continue a message/);
});

test('a FIRST fragment announcing a total smaller than itself is ERR_RING_CORRUPT', (t) => {
  const r = ring();
  r.writer.write(pattern(frameLimits(256).maxWholeFrame, 0));
  t.is(r.data32[1], FRAME_TAG | KIND_FIRST);
  r.data32[2] = 4;
  expectCorrupt(t, r, /bad FIRST frame/);
});

test('a write index that is not 8-aligned or runs past the capacity is ERR_RING_CORRUPT', (t) => {
  for (const bad of [12, 256 + 8, -8]) {
    const r = ring();
    Atomics.store(r.header, WRITE_POS_SLOT, bad);
    expectCorrupt(t, r, /indices are inconsistent/);
  }
});

test('the writer refuses a read index ahead of its own with ERR_RING_CORRUPT', (t) => {
  const r = ring();
  r.writer.write(pattern(8, 0));
  Atomics.store(r.header, READ_POS_SLOT, 4096);
  let error: unknown;
  try {
    for (let i = 0; i < 100; i++) r.writer.write(pattern(8, i), 0);
  } catch (e) {
    error = e;
  }
  t.true(error instanceof RingError);
  t.is((error as RingError).code, 'ERR_RING_CORRUPT');
  t.regex((error as RingError).message, /indices are inconsistent/);
});

test('random damage to frames ends in messages or ERR_RING_CORRUPT, never a crash or a hang', (t) => {
  const random = seededRandom(7);
  let corrupt = 0;
  for (let trial = 0; trial < 3000; trial++) {
    const capacity = 256;
    const r = ring(capacity);
    // Some history, so frames wrap and PADs appear.
    const laps = Math.floor(random() * 12);
    for (let i = 0; i < laps; i++) {
      r.writer.write(pattern(Math.floor(random() * 100), i), 0);
      r.reader.readCopy(0);
    }
    let queued = 0;
    while (queued < 6) {
      const size = Math.floor(random() * 200);
      if (size + 8 > frameLimits(capacity).maxWholeFrame) {
        if (queued > 0) break;
        r.writer.write(pattern(Math.min(size, capacity / 2), queued), 0);
      } else if (!r.writer.tryWrite(pattern(size, queued))) {
        break;
      }
      queued++;
    }
    const w = Atomics.load(r.header, WRITE_POS_SLOT);
    const rp = Atomics.load(r.header, READ_POS_SLOT);
    const used = (w - rp) | 0;
    // Damage one word inside the unread region (headers and payloads alike).
    const word = ((rp + Math.floor(random() * used)) & (capacity - 1)) >>> 2;
    const choices = [0, -1, 1, 7, 8, 0x7fffffff, FRAME_TAG | 1, FRAME_TAG | 2, FRAME_TAG | 3, FRAME_TAG | 4, FRAME_TAG | 5, FRAME_TAG | 6, FRAME_TAG | 9];
    r.data32[word] = choices[Math.floor(random() * choices.length)]!;
    for (let reads = 0; reads <= queued; reads++) {
      let message: Uint8Array | null | undefined;
      try {
        message = r.reader.tryRead();
      } catch (error) {
        if (!(error instanceof RingError) || error.code !== 'ERR_RING_CORRUPT') throw error;
        corrupt++;
        break;
      }
      if (message === undefined || message === null) break;
      if (message.buffer !== r.buffer) continue;
      if (message.byteOffset < DATA_OFFSET || message.byteOffset + message.length > DATA_OFFSET + capacity) {
        t.fail(`view outside the data region: ${message.byteOffset}+${message.length}`);
        return;
      }
    }
  }
  t.true(corrupt > 100, `damage detected in ${corrupt} of 3000 trials`);
});
