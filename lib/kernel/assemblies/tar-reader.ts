/**
 * A small, strict reader of (uncompressed) tar archives, as produced by `npm pack`.
 *
 * It understands ustar headers, pax extended headers (`path`, `linkpath`, `size`) and GNU
 * long names/link names, and nothing it does not need: every other entry type is reported
 * as `other` so the extractor can refuse it. It only parses; deciding whether a path is safe
 * is the extractor's job (see `tar-extract.ts`).
 *
 * Layout of one header block (512 bytes, POSIX.1-1988 ustar):
 * ```
 *   0 name[100]   100 mode[8]   108 uid[8]   116 gid[8]   124 size[12]   136 mtime[12]
 * 148 chksum[8]   156 typeflag  157 linkname[100]   257 magic[6] "ustar"   263 version[2]
 * 265 uname[32]   297 gname[32] 329 devmajor[8]     337 devminor[8]        345 prefix[155]
 * ```
 */

/** Size of a tar block: headers and data are padded to it. */
export const TAR_BLOCK = 512;

const NAME_OFFSET = 0;
const NAME_LENGTH = 100;
const MODE_OFFSET = 100;
const MODE_LENGTH = 8;
const SIZE_OFFSET = 124;
const SIZE_LENGTH = 12;
const CHECKSUM_OFFSET = 148;
const CHECKSUM_LENGTH = 8;
const TYPEFLAG_OFFSET = 156;
const LINKNAME_OFFSET = 157;
const LINKNAME_LENGTH = 100;
const MAGIC_OFFSET = 257;
const PREFIX_OFFSET = 345;
const PREFIX_LENGTH = 155;

/** What an entry is, once pax/GNU meta entries have been folded into the next one. */
export type TarEntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** One entry of the archive. `data` is a view into the archive buffer (files only). */
export interface TarEntry {
  readonly kind: TarEntryKind;
  /** The path as stored in the archive (not yet validated). */
  readonly path: string;
  /** Link target for symlinks and hardlinks; `''` otherwise. */
  readonly linkTarget: string;
  /** Permission bits from the header. */
  readonly mode: number;
  /** The raw typeflag character, for error messages about `other` entries. */
  readonly typeflag: string;
  readonly data: Buffer;
}

/** A malformed archive. The extractor turns it into a load fault naming the package. */
export class TarFormatError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

/**
 * Parses every entry of `archive`. Stops at the first all-zero block (end of archive);
 * throws `TarFormatError` on a bad checksum, a bad number or a truncated entry.
 */
export function readTarEntries(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  // Pending overrides from pax ('x') or GNU ('L'/'K') entries; they apply to the next
  // real entry only.
  let pendingPath: string | undefined;
  let pendingLink: string | undefined;
  let pendingSize: number | undefined;
  let offset = 0;
  while (offset + TAR_BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + TAR_BLOCK);
    if (isZeroBlock(header)) {
      return entries;
    }
    verifyChecksum(header, offset);
    const typeflag = String.fromCharCode(header[TYPEFLAG_OFFSET] ?? 0);
    const headerSize = parseNumber(header, SIZE_OFFSET, SIZE_LENGTH, 'size', offset);
    // A pax `size` overrides the header's (for files > 8 GiB); only for real entries.
    const isMeta = typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K';
    const size = !isMeta && pendingSize !== undefined ? pendingSize : headerSize;
    const dataStart = offset + TAR_BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) {
      throw new TarFormatError(`truncated archive: entry at byte ${offset} needs ${size} bytes of data`);
    }
    const data = archive.subarray(dataStart, dataEnd);
    offset = dataStart + paddedSize(size);

    switch (typeflag) {
      case 'x': {
        const records = parsePax(data, dataStart);
        pendingPath = records.get('path') ?? pendingPath;
        pendingLink = records.get('linkpath') ?? pendingLink;
        const paxSize = records.get('size');
        if (paxSize !== undefined) {
          if (!/^\d+$/.test(paxSize)) {
            throw new TarFormatError(`bad pax size '${paxSize}' at byte ${dataStart}`);
          }
          pendingSize = Number(paxSize);
        }
        continue;
      }
      case 'g':
        // Global pax headers set defaults for the rest of the archive; npm never writes
        // path-affecting ones, and ignoring them can only make us stricter.
        continue;
      case 'L':
        pendingPath = cString(data, 0, data.length);
        continue;
      case 'K':
        pendingLink = cString(data, 0, data.length);
        continue;
      default:
        break;
    }

    entries.push({
      kind: kindOf(typeflag),
      path: pendingPath ?? headerPath(header),
      linkTarget: pendingLink ?? cString(header, LINKNAME_OFFSET, LINKNAME_LENGTH),
      mode: parseNumber(header, MODE_OFFSET, MODE_LENGTH, 'mode', offset) & 0o7777,
      typeflag,
      data,
    });
    pendingPath = undefined;
    pendingLink = undefined;
    pendingSize = undefined;
  }
  if (offset > archive.length) {
    throw new TarFormatError('truncated archive: the last entry lacks its padding');
  }
  if (offset !== archive.length) {
    throw new TarFormatError(`truncated archive: ${archive.length - offset} trailing bytes are not a whole block`);
  }
  // Missing end-of-archive blocks: tolerated (some writers omit them), every entry was whole.
  return entries;
}

function kindOf(typeflag: string): TarEntryKind {
  switch (typeflag) {
    case '0':
    case '\0':
    case '7': // contiguous file: a regular file for every practical purpose
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

function paddedSize(size: number): number {
  return Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) {
    if (block[i] !== 0) {
      return false;
    }
  }
  return true;
}

function verifyChecksum(header: Buffer, offset: number): void {
  const stored = parseNumber(header, CHECKSUM_OFFSET, CHECKSUM_LENGTH, 'checksum', offset);
  // The checksum is the sum of the header's bytes with the checksum field read as spaces.
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) {
    const inField = i >= CHECKSUM_OFFSET && i < CHECKSUM_OFFSET + CHECKSUM_LENGTH;
    sum += inField ? 0x20 : (header[i] ?? 0);
  }
  if (sum !== stored) {
    throw new TarFormatError(`bad header checksum at byte ${offset} (stored ${stored}, computed ${sum})`);
  }
}

/** Reads a numeric field: NUL/space-terminated octal, or GNU base-256 (high bit set). */
function parseNumber(header: Buffer, start: number, length: number, field: string, offset: number): number {
  const first = header[start] ?? 0;
  if (first & 0x80) {
    // Base-256: big-endian two's complement; negative values are never valid here.
    if (first & 0x40) {
      throw new TarFormatError(`negative ${field} at byte ${offset}`);
    }
    let value = first & 0x3f;
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + (header[i] ?? 0);
    }
    if (!Number.isSafeInteger(value)) {
      throw new TarFormatError(`${field} too large at byte ${offset}`);
    }
    return value;
  }
  const text = header.toString('latin1', start, start + length).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (text === '') {
    return 0;
  }
  if (!/^[0-7]+$/.test(text)) {
    throw new TarFormatError(`bad ${field} field '${text}' at byte ${offset}`);
  }
  return parseInt(text, 8);
}

function cString(buffer: Buffer, start: number, length: number): string {
  const end = buffer.indexOf(0, start);
  const stop = end === -1 || end > start + length ? start + length : end;
  return buffer.toString('utf8', start, stop);
}

function headerPath(header: Buffer): string {
  const name = cString(header, NAME_OFFSET, NAME_LENGTH);
  // Only ustar archives have a prefix field; in old GNU headers those bytes mean other things.
  const isUstar = header.toString('latin1', MAGIC_OFFSET, MAGIC_OFFSET + 6) === 'ustar\0';
  const prefix = isUstar ? cString(header, PREFIX_OFFSET, PREFIX_LENGTH) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** Parses pax records: `"<length> <key>=<value>\n"`, where length counts the whole record. */
function parsePax(data: Buffer, dataStart: number): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) {
      break; // padding
    }
    const space = data.indexOf(0x20, pos);
    const length = space === -1 ? NaN : Number(data.toString('latin1', pos, space));
    if (!Number.isInteger(length) || length <= 0 || pos + length > data.length || data[pos + length - 1] !== 0x0a) {
      throw new TarFormatError(`bad pax record at byte ${dataStart + pos}`);
    }
    const record = data.toString('utf8', space + 1, pos + length - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) {
      throw new TarFormatError(`bad pax record at byte ${dataStart + pos}`);
    }
    records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}
