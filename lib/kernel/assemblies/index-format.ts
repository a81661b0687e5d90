/**
 * The on-disk assembly index: one file per assembly, named by the sha256 of the assembly
 * file's bytes and the format version, holding every type's JSON text separately so a
 * reader decodes only the types it is asked for.
 *
 * Layout (all integers little-endian u32; offsets of blobs are relative to the data section):
 * ```
 *  0  magic "JRINGIDX"            8 bytes
 *  8  FORMAT_VERSION
 * 12  flags: bit 0 set when the type names are in strictly ascending code-unit order
 *     (what the jsii compiler writes), so readers may binary-search them
 * 16  sha256 of the source assembly file   32 bytes
 * 48  table length T (multiple of 8)
 * 52  crc32 of the flags and the table (the flags' 4 bytes, then the table)
 * 56  total file length, low u32   60  total file length, high u32
 * 64  table (T bytes):
 *       typeCount, metaCount, namesLength, readmeCount
 *       (typeCount + metaCount + readmeCount) entries of { offset, length, crc32 }
 *       names: UTF-8, '\n'-separated: the types' fqns, the metadata keys, then the fqns of
 *       the submodules whose readme is stored apart (see `IndexContents.readmes`)
 *       zero padding to a multiple of 8
 * 64+T data: the blobs (each a member's JSON value text, as found in the assembly)
 * ```
 * Invariants: a reader trusts nothing it has not checked. On open it checks the magic, the
 * version, the source hash, that the file is exactly `total length` long (truncation) and
 * the crc32 of the flags and the table (names and offsets); on each read it checks the blob's crc32. Any
 * mismatch is `IndexCorruptError`, and the caller rebuilds the index.
 *
 * Bump FORMAT_VERSION on any change to this layout or to what blobs contain.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { ErrorCode, JsiiRingError } from '../../errors.js';

/** Version of the layout above; part of the file name, and checked in the header. */
export const FORMAT_VERSION = 2;

const MAGIC = Buffer.from('JRINGIDX', 'latin1');
/** Size of the fixed header. */
export const HEADER_SIZE = 64;
const VERSION_AT = 8;
const FLAGS_AT = 12;
const HASH_AT = 16;
const HASH_SIZE = 32;
const TABLE_LENGTH_AT = 48;
const TABLE_CRC_AT = 52;
const TOTAL_LOW_AT = 56;
const TOTAL_HIGH_AT = 60;
/** Flag bit: type names strictly ascending (code-unit order). */
const FLAG_SORTED_NAMES = 1;
/** Table prologue: typeCount, metaCount, namesLength, readmeCount. */
const TABLE_PROLOGUE = 16;
const ENTRY_SIZE = 12;
const U32_LIMIT = 2 ** 32;
/** Names are '\n'-separated, so a name holding one cannot be indexed. */
const NAME_SEPARATOR = '\n';

/** An index that fails validation: caller rebuilds it. */
export class IndexCorruptError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'IndexCorruptError';
  }
}

/** An assembly this format cannot hold (a name with a newline, > 4 GiB of types). */
export class IndexUnsupportedError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'IndexUnsupportedError';
  }
}

/** One named JSON value to store. */
export interface Blob {
  readonly name: string;
  readonly bytes: Buffer;
}

/** What an index holds, grouped as the table lists it. */
export interface IndexContents {
  /** One blob per type, named by fqn. */
  readonly types: readonly Blob[];
  /** One blob per top-level assembly member other than `types`, named by key. */
  readonly metadata: readonly Blob[];
  /**
   * Submodule readmes split out of the `submodules` blob (where they are `null`), named by
   * submodule fqn: 3.1 of `aws-cdk-lib`'s 3.4 MB of submodules are readmes nobody reads.
   */
  readonly readmes: readonly Blob[];
}

/** Encodes an index as the parts of one file: header+table, then the blobs, uncopied. */
export function encodeIndex(contents: IndexContents, sourceHashHex: string): Buffer[] {
  const blobs = [...contents.types, ...contents.metadata, ...contents.readmes];
  const names = blobs.map((b) => b.name);
  if (names.some((n) => n.includes(NAME_SEPARATOR))) {
    throw new IndexUnsupportedError('a type or metadata name contains a newline');
  }
  const namesBytes = Buffer.from(names.join(NAME_SEPARATOR), 'utf8');
  const tableLength = align8(TABLE_PROLOGUE + blobs.length * ENTRY_SIZE + namesBytes.length);
  const head = Buffer.alloc(HEADER_SIZE + tableLength);

  let dataLength = 0;
  let at = HEADER_SIZE + TABLE_PROLOGUE;
  for (const { bytes } of blobs) {
    head.writeUInt32LE(dataLength, at);
    head.writeUInt32LE(bytes.length, at + 4);
    head.writeUInt32LE(zlib.crc32(bytes), at + 8);
    at += ENTRY_SIZE;
    dataLength += bytes.length;
  }
  if (dataLength >= U32_LIMIT) {
    throw new IndexUnsupportedError('the assembly holds more than 4 GiB of JSON');
  }
  head.writeUInt32LE(contents.types.length, HEADER_SIZE);
  head.writeUInt32LE(contents.metadata.length, HEADER_SIZE + 4);
  head.writeUInt32LE(namesBytes.length, HEADER_SIZE + 8);
  head.writeUInt32LE(contents.readmes.length, HEADER_SIZE + 12);
  namesBytes.copy(head, at);

  const total = HEADER_SIZE + tableLength + dataLength;
  MAGIC.copy(head, 0);
  head.writeUInt32LE(FORMAT_VERSION, VERSION_AT);
  head.writeUInt32LE(strictlyAscending(contents.types) ? FLAG_SORTED_NAMES : 0, FLAGS_AT);
  Buffer.from(sourceHashHex, 'hex').copy(head, HASH_AT);
  head.writeUInt32LE(tableLength, TABLE_LENGTH_AT);
  head.writeUInt32LE(zlib.crc32(head.subarray(HEADER_SIZE), zlib.crc32(head.subarray(FLAGS_AT, FLAGS_AT + 4))), TABLE_CRC_AT);
  head.writeUInt32LE(total % U32_LIMIT, TOTAL_LOW_AT);
  head.writeUInt32LE(Math.floor(total / U32_LIMIT), TOTAL_HIGH_AT);
  return [head, ...blobs.map((b) => b.bytes)];
}

function strictlyAscending(blobs: readonly Blob[]): boolean {
  for (let i = 1; i < blobs.length; i++) {
    if (!(blobs[i - 1]!.name < blobs[i]!.name)) return false;
  }
  return true;
}

/** Where the index bytes come from: an open file, or (read-only cache) memory. */
export type IndexStorage = { readonly fd: number } | { readonly buffer: Buffer };

/**
 * A validated index: its names, and blob reads checked against their crc32. Owns `fd` if
 * it was given one (see `close`).
 */
export class IndexReader {
  public readonly typeNames: readonly string[];
  /** True when `typeNames` is strictly ascending (a header flag, checked with the table's crc32). */
  public readonly typeNamesSorted: boolean;
  public readonly metadataNames: readonly string[];
  /** Submodules whose readme is stored apart (blob `typeCount + metaCount + k`). */
  public readonly readmeNames: readonly string[];
  readonly #storage: IndexStorage;
  readonly #table: Buffer;
  readonly #dataStart: number;
  #closed = false;

  /** Validates header and table against `sourceHashHex`; throws `IndexCorruptError`. */
  public constructor(storage: IndexStorage, sourceHashHex: string) {
    this.#storage = storage;
    const size = 'fd' in storage ? fs.fstatSync(storage.fd).size : storage.buffer.length;
    const header = this.#read(0, HEADER_SIZE, size);
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new IndexCorruptError('bad magic');
    }
    const version = header.readUInt32LE(VERSION_AT);
    if (version !== FORMAT_VERSION) {
      throw new IndexCorruptError(`format version ${version}, expected ${FORMAT_VERSION}`);
    }
    if (header.toString('hex', HASH_AT, HASH_AT + HASH_SIZE) !== sourceHashHex) {
      throw new IndexCorruptError('built from another assembly (hash mismatch)');
    }
    const total = header.readUInt32LE(TOTAL_LOW_AT) + header.readUInt32LE(TOTAL_HIGH_AT) * U32_LIMIT;
    if (total !== size) {
      throw new IndexCorruptError(`file is ${size} bytes, header says ${total}`);
    }
    const flags = header.readUInt32LE(FLAGS_AT);
    if ((flags & ~FLAG_SORTED_NAMES) !== 0) {
      throw new IndexCorruptError(`unknown flags ${flags}`);
    }
    const tableLength = header.readUInt32LE(TABLE_LENGTH_AT);
    const table = this.#read(HEADER_SIZE, tableLength, size);
    if (zlib.crc32(table, zlib.crc32(header.subarray(FLAGS_AT, FLAGS_AT + 4))) !== header.readUInt32LE(TABLE_CRC_AT)) {
      throw new IndexCorruptError('table checksum mismatch');
    }
    const typeCount = table.readUInt32LE(0);
    const metaCount = table.readUInt32LE(4);
    const namesLength = table.readUInt32LE(8);
    const readmeCount = table.readUInt32LE(12);
    const count = typeCount + metaCount + readmeCount;
    const namesAt = TABLE_PROLOGUE + count * ENTRY_SIZE;
    if (namesAt + namesLength > tableLength) {
      throw new IndexCorruptError('table overflows');
    }
    // `''.split()` is `['']`: an index of nothing has no names at all.
    const names = count === 0 ? [] : table.toString('utf8', namesAt, namesAt + namesLength).split(NAME_SEPARATOR);
    if (names.length !== count) {
      throw new IndexCorruptError(`table names ${names.length} entries, expected ${count}`);
    }
    this.#table = table;
    this.#dataStart = HEADER_SIZE + tableLength;
    this.typeNames = names.slice(0, typeCount);
    this.typeNamesSorted = (flags & FLAG_SORTED_NAMES) !== 0;
    this.metadataNames = names.slice(typeCount, typeCount + metaCount);
    this.readmeNames = names.slice(typeCount + metaCount);
  }

  /** Reads blob `i` (types first, then metadata) as JSON text; throws `IndexCorruptError`. */
  public readBlob(i: number): string {
    const at = TABLE_PROLOGUE + i * ENTRY_SIZE;
    const offset = this.#table.readUInt32LE(at);
    const length = this.#table.readUInt32LE(at + 4);
    const blob = this.#read(this.#dataStart + offset, length, undefined);
    if (zlib.crc32(blob) !== this.#table.readUInt32LE(at + 8)) {
      throw new IndexCorruptError(`checksum mismatch in ${this.#describe(i)}`);
    }
    return blob.toString('utf8');
  }

  /** Byte length of blob `i`'s JSON text. */
  public blobLength(i: number): number {
    return this.#table.readUInt32LE(TABLE_PROLOGUE + i * ENTRY_SIZE + 4);
  }

  /** Releases the file descriptor, if any. Further reads throw. */
  public close(): void {
    // Idempotent, and never closes twice: the fd number may already belong to another file.
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    if ('fd' in this.#storage) {
      fs.closeSync(this.#storage.fd);
    }
  }

  #describe(i: number): string {
    const types = this.typeNames.length;
    const meta = this.metadataNames.length;
    if (i < types) {
      return `type ${this.typeNames[i]}`;
    }
    return i < types + meta ? `metadata '${this.metadataNames[i - types]}'` : `the readme of ${this.readmeNames[i - types - meta]}`;
  }

  #read(position: number, length: number, size: number | undefined): Buffer {
    if (this.#closed) {
      throw new JsiiRingError(ErrorCode.CLOSED, 'the assembly index was closed');
    }
    if (size !== undefined && position + length > size) {
      throw new IndexCorruptError(`truncated (needs ${position + length} bytes, has ${size})`);
    }
    if ('buffer' in this.#storage) {
      if (position + length > this.#storage.buffer.length) {
        throw new IndexCorruptError('truncated');
      }
      return this.#storage.buffer.subarray(position, position + length);
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.#storage.fd, out, done, length - done, position + done);
      if (n === 0) {
        throw new IndexCorruptError('truncated');
      }
      done += n;
    }
    return out;
  }
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
