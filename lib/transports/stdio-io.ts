/**
 * Synchronous line I/O on raw file descriptors for the stdio server.
 *
 * The server must block inside a library call while the host answers a callback, so it
 * reads and writes with `fs.readSync`/`fs.writeSync` instead of streams. Two rules make that
 * safe for any reader speed and any line size:
 *
 * - A write is complete or it is still being written: a short write continues from where it
 *   stopped, and `EAGAIN` (a descriptor someone opened non-blocking, with a full pipe) waits
 *   and retries. Nothing is dropped or cut, whatever the line's size.
 * - A line is decoded once, from all its bytes: a multi-byte UTF-8 character split between
 *   two reads is decoded whole, and every byte is scanned for the newline once and copied at
 *   most twice, so reading a line costs time linear in its length.
 */
import * as fs from 'node:fs';

/** Bytes asked of the kernel per read (the reference reads 1 MiB at a time as well). */
const READ_CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;
/** Longest nap while a non-blocking descriptor has nothing to read or no room to write. */
const MAX_NAP_MS = 8;

/** Sleeps the thread (no event loop turn: the server is synchronous here by design). */
class Napper {
  readonly #cell = new Int32Array(new SharedArrayBuffer(4));
  #nap = 0;

  /** Waits a little longer after each consecutive `EAGAIN`: 0, 1, 2, 4, 8, 8, … ms. */
  public wait(): void {
    Atomics.wait(this.#cell, 0, 0, this.#nap);
    this.#nap = this.#nap === 0 ? 1 : Math.min(this.#nap * 2, MAX_NAP_MS);
  }

  /** Progress was made: the next wait starts short again. */
  public reset(): void {
    this.#nap = 0;
  }
}

/** Reads newline-terminated lines from a file descriptor, synchronously. */
export class SyncLineReader {
  readonly #fd: number;
  readonly #chunk: Buffer;
  /** Unconsumed bytes of `#chunk` are `[#start, #end)`; none of them is a newline before `#scanned`. */
  #start = 0;
  #end = 0;
  #scanned = 0;
  /** Earlier bytes of the current line, copied out of `#chunk` before it was reused. */
  #carried: Buffer[] = [];
  #carriedLength = 0;
  #eof = false;
  readonly #napper = new Napper();

  public constructor(fd: number, chunkSize: number = READ_CHUNK) {
    this.#fd = fd;
    this.#chunk = Buffer.allocUnsafe(chunkSize);
  }

  /** The next line without its newline, or null at end of input (a last unterminated line is returned first). */
  public readLine(): string | null {
    for (;;) {
      const newline = this.#scanned < this.#end ? this.#chunk.indexOf(NEWLINE, this.#scanned) : -1;
      if (newline >= 0 && newline < this.#end) {
        const line = this.#take(newline);
        this.#start = newline + 1;
        this.#scanned = this.#start;
        return line;
      }
      this.#scanned = this.#end;
      if (this.#eof) {
        if (this.#end > this.#start || this.#carriedLength > 0) {
          const line = this.#take(this.#end);
          this.#start = this.#end;
          return line;
        }
        return null;
      }
      this.#fill();
    }
  }

  /** Decodes the current line: carried bytes plus `#chunk[#start, end)`. */
  #take(end: number): string {
    if (this.#carriedLength === 0) {
      return this.#chunk.toString('utf8', this.#start, end);
    }
    const parts = this.#carried;
    parts.push(this.#chunk.subarray(this.#start, end));
    const whole = Buffer.concat(parts, this.#carriedLength + end - this.#start);
    this.#carried = [];
    this.#carriedLength = 0;
    return whole.toString('utf8');
  }

  /** Reads more bytes; keeps the partial line, moving it out of the way when the chunk is full. */
  #fill(): void {
    if (this.#start === this.#end) {
      this.#start = this.#end = this.#scanned = 0;
    } else if (this.#end === this.#chunk.length) {
      // The chunk is full of one unfinished line: copy it out (each byte once) and start over.
      this.#carried.push(Buffer.from(this.#chunk.subarray(this.#start, this.#end)));
      this.#carriedLength += this.#end - this.#start;
      this.#start = this.#end = this.#scanned = 0;
    }
    for (;;) {
      let read: number;
      try {
        read = fs.readSync(this.#fd, this.#chunk, this.#end, this.#chunk.length - this.#end, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          this.#napper.wait();
          continue;
        }
        if (code !== 'EOF') {
          throw error;
        }
        read = 0;
      }
      this.#napper.reset();
      if (read === 0) {
        this.#eof = true;
      }
      this.#end += read;
      return;
    }
  }
}

/** Writes whole buffers to a file descriptor, synchronously, whatever the reader's pace. */
export class SyncWriter {
  readonly #fd: number;
  readonly #napper = new Napper();

  public constructor(fd: number) {
    this.#fd = fd;
  }

  /** Writes `text` and a newline; returns when every byte is in the descriptor. */
  public writeLine(text: string): void {
    this.write(Buffer.from(`${text}\n`, 'utf8'));
  }

  /** Writes every byte of `bytes`, continuing after short writes and waiting out `EAGAIN`. */
  public write(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += fs.writeSync(this.#fd, bytes, offset, bytes.length - offset);
        this.#napper.reset();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
          throw error;
        }
        this.#napper.wait();
      }
    }
  }
}
