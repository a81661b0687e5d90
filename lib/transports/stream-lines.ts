/**
 * Newline-delimited lines from a stream (a child's stdout or stderr), split at `\n` only,
 * with a `\r` before it dropped. `node:readline` also ends a line at a lone `\r` and, from
 * Node 24 on, at U+2028 and U+2029, which JSON leaves unescaped inside strings: a JSON line
 * carrying one would reach its reader in pieces.
 */
import type { Readable } from 'node:stream';

/** Calls `onLine` for each line of `stream` (a last line without `\n` too), then `onEnd` once. */
export function onLines(stream: Readable, onLine: (line: string) => void, onEnd?: () => void): void {
  stream.setEncoding('utf8');
  let pending = '';
  let ended = false;
  stream.on('data', (chunk: string) => {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      const line = pending + chunk.slice(start, newline);
      pending = '';
      start = newline + 1;
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    pending += chunk.slice(start);
  });
  const end = (): void => {
    if (ended) return;
    ended = true;
    if (pending !== '') {
      const line = pending;
      pending = '';
      onLine(line);
    }
    onEnd?.();
  };
  stream.on('end', end);
  stream.on('close', end);
}
