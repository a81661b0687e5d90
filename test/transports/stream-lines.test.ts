/**
 * onLines (lib/transports/stream-lines.ts): lines end at `\n` only, so a JSON line keeps the
 * U+2028 and U+2029 that JSON leaves unescaped (Node 24's readline ends lines there).
 */
import test from 'ava';
import { PassThrough } from 'node:stream';
import { onLines } from '../../lib/transports/stream-lines.js';

function collect(chunks: readonly (string | Buffer)[]): Promise<{ lines: string[]; ends: number }> {
  return new Promise((resolve) => {
    const stream = new PassThrough();
    const lines: string[] = [];
    let ends = 0;
    onLines(stream, (line) => lines.push(line), () => {
      ends++;
      setImmediate(() => resolve({ lines, ends }));
    });
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
}

test('a JSON line with U+2028 and U+2029 in a string stays one line', async (t) => {
  const value = { result: 'line\u2028separator\u2029paragraph \r carriage' };
  const { lines } = await collect([`${JSON.stringify(value)}\n${JSON.stringify({ ok: 1 })}\n`]);
  t.deepEqual(lines.map((l) => JSON.parse(l) as unknown), [value, { ok: 1 }]);
});

test('lines across chunks, a character split between chunks, CRLF, a last line without newline; one end', async (t) => {
  const bytes = Buffer.from('é😀', 'utf8');
  const { lines, ends } = await collect(['ab', 'c\r\nd', Buffer.concat([Buffer.from('\n'), bytes.subarray(0, 3)]), bytes.subarray(3), '\n\nlast']);
  t.deepEqual(lines, ['abc', 'd', 'é😀', '', 'last']);
  t.is(ends, 1);
});
