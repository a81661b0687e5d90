/**
 * Seeded message generator and its verifier: the writer side produces messages of random sizes,
 * each carrying its sequence number and a checksum; the reader side, seeded alike, knows which
 * size comes next and checks number, size and checksum.
 *
 * Message bytes: [u32 seq][u32 FNV-1a of bytes 8..][pattern…]. Messages shorter than 8 bytes
 * carry a prefix of the pattern only (seq and size are still checked through the size stream).
 */

/** mulberry32: small, fast, good enough to pick sizes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Size mix: mostly small, some up to the ring's capacity, a few up to `maxSize`. */
export interface SizeMix {
  readonly seed: number;
  /** Upper bound of "small" messages. */
  readonly small: number;
  /** Upper bound of "medium" messages (e.g. the ring's capacity). */
  readonly medium: number;
  /** Upper bound of all messages (e.g. 4× the capacity). */
  readonly maxSize: number;
  /** Fraction of medium and of large messages. */
  readonly mediumShare: number;
  readonly largeShare: number;
}

function sizeStream(mix: SizeMix): () => number {
  const random = seededRandom(mix.seed);
  return () => {
    const pick = random();
    const r = random();
    if (pick < mix.largeShare) return Math.floor(r * (mix.maxSize + 1));
    if (pick < mix.largeShare + mix.mediumShare) return Math.floor(r * (mix.medium + 1));
    return Math.floor(r * (mix.small + 1));
  };
}

/** FNV-1a over `bytes[from..]`. */
export function checksum(bytes: Uint8Array, from: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

function fill(target: Uint8Array, seq: number, length: number): void {
  let x = (seq * 2654435761) >>> 0;
  for (let i = 0; i < length; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x ^= x >>> 17;
    x = (x ^ (x << 5)) >>> 0;
    target[i] = x & 0xff;
  }
}

/** Produces the message stream (views into a reused buffer: write them before calling again). */
export class MessageGenerator {
  readonly #sizes: () => number;
  readonly #scratch: Uint8Array;
  #seq = 0;

  public constructor(mix: SizeMix) {
    this.#sizes = sizeStream(mix);
    this.#scratch = new Uint8Array(mix.maxSize);
  }

  public next(): Uint8Array {
    const seq = this.#seq++;
    const size = this.#sizes();
    const message = this.#scratch.subarray(0, size);
    fill(message, seq, size);
    if (size >= 8) {
      const view = new DataView(message.buffer, message.byteOffset, size);
      view.setUint32(0, seq, true);
      view.setUint32(4, checksum(message, 8), true);
    }
    return message;
  }
}

/** Checks the message stream; throws an Error naming the first discrepancy. */
export class MessageVerifier {
  readonly #sizes: () => number;
  readonly #expected: Uint8Array;
  #seq = 0;

  public constructor(mix: SizeMix) {
    this.#sizes = sizeStream(mix);
    this.#expected = new Uint8Array(8);
  }

  public get verified(): number {
    return this.#seq;
  }

  public check(message: Uint8Array): void {
    const seq = this.#seq++;
    const size = this.#sizes();
    if (message.length !== size) throw new Error(`message ${seq}: length ${message.length}, expected ${size}`);
    if (size >= 8) {
      const view = new DataView(message.buffer, message.byteOffset, size);
      const gotSeq = view.getUint32(0, true);
      if (gotSeq !== seq) throw new Error(`message ${seq}: carries sequence number ${gotSeq}`);
      const sum = checksum(message, 8);
      if (view.getUint32(4, true) !== sum) throw new Error(`message ${seq} (${size} bytes): checksum mismatch`);
    } else {
      fill(this.#expected, seq, size);
      for (let i = 0; i < size; i++) {
        if (message[i] !== this.#expected[i]) throw new Error(`message ${seq} (${size} bytes): byte ${i} differs`);
      }
    }
  }
}

/** Bytes 0..n-1 of a recognisable pattern, for the boundary-size tests. */
export function pattern(size: number, salt: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + salt + (i >>> 8)) & 0xff;
  return bytes;
}
