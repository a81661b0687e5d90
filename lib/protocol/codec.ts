/**
 * Codecs turn protocol frames into bytes and back. `msgpack` (msgpackr) is the default;
 * `json` is selectable (and is what the stdio transport speaks).
 *
 * Decoders never keep state between messages (no shared structures, no `sequential`
 * mode): the kernel is re-entered through callbacks, so messages of two nesting levels can
 * interleave on one thread.
 */
// msgpackr's pure-JavaScript build: its default Node entry also loads an optional native
// addon (msgpackr-extract) for decoding strings. That entry takes ~17-20 ms longer to load in
// each thread, the addon needs a private copy of every frame read from shared memory (it is
// ~5x slower on shared views), and it is slower than the JavaScript decoder on most frames of
// this protocol (benchmarks/RESULTS.md, "The codec without its native addon, ...";
// benchmarks/protocol/shared-decode.ts). The build without `new Function` differs only in how
// it reads msgpackr records, which this codec does not use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Packr } = require('msgpackr/index-no-eval') as typeof import('msgpackr');
import { ErrorCode, JsiiRingError } from '../errors.js';

/** A stateless encoder/decoder of protocol values. */
export interface Codec {
  readonly name: CodecName;
  encode(value: unknown): Uint8Array;
  /** Decodes one message. `bytes` may be a view into shared memory: it is not retained. */
  decode(bytes: Uint8Array): unknown;
}

export type CodecName = 'msgpack' | 'json';
export const CODEC_NAMES: readonly CodecName[] = ['msgpack', 'json'];

class MsgpackCodec implements Codec {
  public readonly name = 'msgpack';
  // Plain maps, no record extension: both sides must agree without shared state.
  // copyBuffers: a binary value is copied out, never a view of the frame's (shared) memory.
  readonly #packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true, variableMapSize: true, copyBuffers: true });

  public encode(value: unknown): Uint8Array {
    return this.#packr.pack(value);
  }

  public decode(bytes: Uint8Array): unknown {
    try {
      // Straight from the view, shared memory included: the decoder copies every string and
      // (copyBuffers) every binary value out, so nothing refers to the frame afterwards.
      return this.#packr.unpack(bytes);
    } catch (cause) {
      throw new JsiiRingError(ErrorCode.BAD_FRAME, `Cannot decode a ${bytes.byteLength}-byte msgpack frame: ${(cause as Error).message}`, { cause });
    }
  }
}

class JsonCodec implements Codec {
  public readonly name = 'json';
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });

  public encode(value: unknown): Uint8Array {
    return this.#encoder.encode(JSON.stringify(value));
  }

  public decode(bytes: Uint8Array): unknown {
    try {
      // TextDecoder refuses views of shared memory.
      const input = bytes.buffer instanceof SharedArrayBuffer ? bytes.slice() : bytes;
      return JSON.parse(this.#decoder.decode(input));
    } catch (cause) {
      throw new JsiiRingError(ErrorCode.BAD_FRAME, `Cannot decode a ${bytes.byteLength}-byte JSON frame: ${(cause as Error).message}`, { cause });
    }
  }
}

/** A fresh codec by name. */
export function createCodec(name: CodecName): Codec {
  switch (name) {
    case 'msgpack':
      return new MsgpackCodec();
    case 'json':
      return new JsonCodec();
    default:
      throw new TypeError(`codec must be one of ${CODEC_NAMES.join(', ')} (got ${JSON.stringify(name)})`);
  }
}
