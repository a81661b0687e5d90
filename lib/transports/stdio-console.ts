/**
 * The library's console output, framed as the reference runtime frames it.
 *
 * The reference runs the kernel in a child process and forwards whatever that child writes
 * to its stdout or stderr as one JSON line on its own stderr: `{"stdout": "<base64>"}` or
 * `{"stderr": "<base64>"}`. Every official host decodes those lines and writes the bytes to
 * its own stdout or stderr. We keep the kernel in one process and frame in place: the
 * process's `stdout` and `stderr` streams are replaced by writers that frame each write.
 *
 * Replacing them before anything touches the originals also keeps Node from ever opening
 * fd 1 as a stream (which would switch the protocol pipe to non-blocking mode).
 */
import { Writable } from 'node:stream';
import type { SyncWriter } from './stdio-io.js';

/** Which host stream a framed chunk is for. */
export type ConsoleTag = 'stdout' | 'stderr';

/** Writes one framed chunk: `{"<tag>": "<base64 of bytes>"}` and a newline. */
export function writeFramed(errors: SyncWriter, tag: ConsoleTag, bytes: Uint8Array): void {
  if (bytes.length === 0) {
    return;
  }
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  errors.writeLine(tag === 'stdout' ? `{"stdout":"${base64}"}` : `{"stderr":"${base64}"}`);
}

/** A writable stream whose every chunk goes out framed, synchronously. */
function framedStream(errors: SyncWriter, tag: ConsoleTag): Writable {
  const stream = new Writable({
    decodeStrings: true,
    write(chunk: Buffer, _encoding, done) {
      try {
        writeFramed(errors, tag, chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  // What libraries probe before they colour or wrap their output.
  Object.assign(stream, { isTTY: false, columns: undefined });
  return stream;
}

/**
 * Replaces `process.stdout`, `process.stderr` and the global console's streams with framing
 * writers on `errors` (the server's fd 2). Returns a function that writes a framed stderr
 * line directly, for the server's own diagnostics.
 */
export function frameConsole(errors: SyncWriter): (text: string) => void {
  const out = framedStream(errors, 'stdout');
  const err = framedStream(errors, 'stderr');
  Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get: () => out });
  Object.defineProperty(process, 'stderr', { configurable: true, enumerable: true, get: () => err });
  // The global console binds its streams lazily, but may already have bound the originals.
  const bound = console as unknown as { _stdout?: unknown; _stderr?: unknown };
  bound._stdout = out;
  bound._stderr = err;
  return (text) => writeFramed(errors, 'stderr', Buffer.from(text, 'utf8'));
}
