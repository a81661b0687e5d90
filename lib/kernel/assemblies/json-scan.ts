/**
 * A structural scanner for the top of a jsii assembly's JSON: it finds, without decoding,
 * the byte span of every top-level member's value and of every member of `types`.
 *
 * Why: decoding `aws-cdk-lib`'s 87 MB assembly to a string and `JSON.parse`-ing it costs
 * ~1.3 s and ~300 MB of heap, while the index only needs to know where each type's JSON
 * starts and ends. Skipping strings with `Buffer#indexOf` (memchr) scans it in ~70 ms.
 *
 * Contract: on well-formed JSON, each reported span is exactly the text `JSON.parse` would
 * read for that value, so `JSON.parse(span)` equals the corresponding part of a full parse.
 * Keys are decoded with `JSON.parse` (they may hold escapes). The scanner checks the
 * structure it walks (braces, colons, commas, terminated strings) but not the insides of
 * values: a malformed value is reported by `JSON.parse` when that value is decoded.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** A `[start, end)` byte range of the scanned buffer. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One object member: its decoded key and its value's span. */
export interface Member {
  readonly key: string;
  readonly value: Span;
}

/** What the scanner found at the top of an assembly. */
export interface AssemblyLayout {
  /** Top-level members other than `types`, in document order. */
  readonly metadata: Member[];
  /** Members of the top-level `types` object, in document order (empty if absent). */
  readonly types: Member[];
}

/** Malformed JSON structure; the message names the byte offset. */
export class JsonScanError extends Error {
  public constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'JsonScanError';
  }
}

/** Scans `bytes` (UTF-8 JSON text of one object) for the layout described above. */
export function scanAssembly(bytes: Buffer): AssemblyLayout {
  const metadata: Member[] = [];
  let types: Member[] = [];
  let pos = skipBom(bytes);
  const end = scanObject(bytes, skipWhitespace(bytes, pos), (key, value) => {
    if (key === 'types') {
      if (bytes[value.start] !== OPEN_BRACE) {
        throw new JsonScanError("'types' must be an object", value.start);
      }
      // A duplicate `types` key replaces the first, as in JSON.parse.
      types = [];
      scanObject(bytes, value.start, (fqn, type) => {
        types.push({ key: fqn, value: type });
      });
    } else {
      metadata.push({ key, value });
    }
  });
  pos = skipWhitespace(bytes, end);
  if (pos !== bytes.length) {
    throw new JsonScanError('unexpected data after the assembly object', pos);
  }
  return { metadata, types };
}

/**
 * Walks the members of the object starting at `pos` (which must be `{`), calling `onMember`
 * for each; returns the offset just past the closing `}`.
 */
function scanObject(bytes: Buffer, pos: number, onMember: (key: string, value: Span) => void): number {
  if (bytes[pos] !== OPEN_BRACE) {
    throw new JsonScanError("expected '{'", pos);
  }
  pos = skipWhitespace(bytes, pos + 1);
  if (bytes[pos] === CLOSE_BRACE) {
    return pos + 1;
  }
  for (;;) {
    if (bytes[pos] !== QUOTE) {
      throw new JsonScanError('expected a member name', pos);
    }
    const keyEnd = skipString(bytes, pos);
    const key = decodeKey(bytes, pos, keyEnd);
    pos = skipWhitespace(bytes, keyEnd);
    if (bytes[pos] !== COLON) {
      throw new JsonScanError("expected ':'", pos);
    }
    const valueStart = skipWhitespace(bytes, pos + 1);
    const valueEnd = skipValue(bytes, valueStart);
    onMember(key, { start: valueStart, end: valueEnd });
    pos = skipWhitespace(bytes, valueEnd);
    const c = bytes[pos];
    if (c === CLOSE_BRACE) {
      return pos + 1;
    }
    if (c !== COMMA) {
      throw new JsonScanError("expected ',' or '}'", pos);
    }
    pos = skipWhitespace(bytes, pos + 1);
  }
}

function decodeKey(bytes: Buffer, start: number, end: number): string {
  // Fast path: no escapes, which is every fqn in practice.
  let plain = true;
  for (let i = start + 1; i < end - 1; i++) {
    if (bytes[i] === BACKSLASH) {
      plain = false;
      break;
    }
  }
  return plain ? bytes.toString('utf8', start + 1, end - 1) : (JSON.parse(bytes.toString('utf8', start, end)) as string);
}

/** Returns the offset just past the value starting at `pos` (which must not be whitespace). */
function skipValue(bytes: Buffer, pos: number): number {
  const first = bytes[pos];
  if (first === QUOTE) {
    return skipString(bytes, pos);
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    // Nested containers only need balancing; strings are skipped so their brackets don't count.
    let depth = 0;
    const length = bytes.length;
    while (pos < length) {
      const c = bytes[pos];
      if (c === QUOTE) {
        pos = skipString(bytes, pos);
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) {
          return pos + 1;
        }
      }
      pos++;
    }
    throw new JsonScanError('unterminated object or array', length);
  }
  // A number or a literal: runs to the next delimiter.
  const start = pos;
  while (pos < bytes.length) {
    const c = bytes[pos];
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)) {
      break;
    }
    pos++;
  }
  if (pos === start) {
    throw new JsonScanError('expected a value', pos);
  }
  return pos;
}

/** `pos` is an opening quote; returns the offset just past the closing one. */
function skipString(bytes: Buffer, pos: number): number {
  for (;;) {
    const quote = bytes.indexOf(QUOTE, pos + 1);
    if (quote === -1) {
      throw new JsonScanError('unterminated string', pos);
    }
    // The quote is escaped iff an odd number of backslashes precede it. The opening quote
    // bounds the walk back, since it is not a backslash.
    let backslashes = 0;
    for (let k = quote - 1; bytes[k] === BACKSLASH; k--) {
      backslashes++;
    }
    if ((backslashes & 1) === 0) {
      return quote + 1;
    }
    pos = quote;
  }
}

function skipWhitespace(bytes: Buffer, pos: number): number {
  while (pos < bytes.length && isWhitespace(bytes[pos])) {
    pos++;
  }
  return pos;
}

function isWhitespace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipBom(bytes: Buffer): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}
