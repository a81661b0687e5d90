/**
 * A tiny tar writer for tests: builds archives with exactly the entries a test wants,
 * including the malformed and malicious ones `npm pack` would never produce.
 */
import * as zlib from 'node:zlib';

/** One entry to write. Paths are written verbatim (no normalisation, no safety checks). */
export interface TestTarEntry {
  readonly path: string;
  /** Default `'0'` (file). `'5'` dir, `'2'` symlink, `'1'` hardlink, `'3'` char device, ... */
  readonly type?: string;
  readonly data?: string | Buffer;
  readonly linkTarget?: string;
  readonly mode?: number;
  /** How to store a path longer than 100 bytes: a pax header (default) or a GNU 'L' entry. */
  readonly longName?: 'pax' | 'gnu';
}

const BLOCK = 512;

/** Builds an uncompressed tar archive (with the two zero end blocks). */
export function tar(entries: readonly TestTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : (entry.data ?? Buffer.alloc(0));
    let name = entry.path;
    let link = entry.linkTarget ?? '';
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(link) > 100) {
      if (entry.longName === 'gnu') {
        if (Buffer.byteLength(name) > 100) {
          blocks.push(header('././@LongLink', 'L', Buffer.byteLength(name) + 1, ''), padded(Buffer.from(`${name}\0`)));
        }
        if (Buffer.byteLength(link) > 100) {
          blocks.push(header('././@LongLink', 'K', Buffer.byteLength(link) + 1, ''), padded(Buffer.from(`${link}\0`)));
        }
      } else {
        const records = [paxRecord('path', name), ...(link !== '' ? [paxRecord('linkpath', link)] : [])];
        const body = Buffer.concat(records);
        blocks.push(header('PaxHeader', 'x', body.length, ''), padded(body));
      }
      name = name.slice(0, 100);
      link = link.slice(0, 100);
    }
    blocks.push(header(name, entry.type ?? '0', data.length, link, entry.mode), padded(data));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

/** `tar(entries)`, gzipped: what `npm pack` writes. */
export function tgz(entries: readonly TestTarEntry[]): Buffer {
  return zlib.gzipSync(tar(entries));
}

/** A header block; exported so tests can corrupt fields. */
export function header(name: string, type: string, size: number, link: string, mode = 0o644): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 'latin1');
  block.write(octal(0, 8), 108, 'latin1');
  block.write(octal(0, 8), 116, 'latin1');
  block.write(octal(size, 12), 124, 'latin1');
  block.write(octal(0, 12), 136, 'latin1');
  block.write(type, 156, 1, 'latin1');
  block.write(link, 157, 100, 'utf8');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  setChecksum(block);
  return block;
}

/** Recomputes a header block's checksum (after a test edits it). */
export function setChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) {
    sum += byte;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

function paxRecord(key: string, value: string): Buffer {
  // The length prefix counts itself, so find the fixed point.
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (String(length).length + Buffer.byteLength(body) !== length) {
    length = String(length).length + Buffer.byteLength(body);
  }
  return Buffer.from(`${length}${body}`);
}
