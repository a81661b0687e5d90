/**
 * The codecs (lib/protocol/codec.ts): frames read straight from shared memory decode to
 * values that do not refer to it, bad frames are BAD_FRAME, and the msgpack codec is
 * pure JavaScript (msgpackr's optional native addon is never loaded).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CODEC_NAMES, createCodec } from '../../lib/protocol/codec.js';
import { ErrorCode } from '../../lib/errors.js';

const CODEC = path.resolve(__dirname, '..', '..', 'lib', 'protocol', 'codec.js');

/** The encoded bytes of `value`, placed at an offset inside a SharedArrayBuffer (as a ring holds a frame). */
function sharedFrame(bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.byteLength + 24), 8, bytes.byteLength);
  view.set(bytes);
  return view;
}

for (const name of CODEC_NAMES) {
  test(`${name}: a frame in shared memory decodes to values that outlive the frame`, (t) => {
    const codec = createCodec(name);
    const long = 'é'.repeat(3) + 'x'.repeat(5000);
    const frame = [3, 42, 0, { api: 'create', fqn: 'calc.Calculator', args: ['short', long, 7, 1.5, true, null, { nested: ['a', 'b'] }] }];
    const view = sharedFrame(codec.encode(frame));
    const decoded = codec.decode(view);
    // The ring reuses the memory for the next frames.
    view.fill(0x20);
    t.deepEqual(decoded, frame);
  });

  test(`${name}: a malformed frame is BAD_FRAME`, (t) => {
    const codec = createCodec(name);
    const truncated = codec.encode([3, 1, 0, { api: 'get', property: 'x'.repeat(40) }]).subarray(0, 10);
    for (const bytes of [new Uint8Array(0), truncated, sharedFrame(truncated)]) {
      const error = t.throws(() => codec.decode(bytes));
      t.is((error as { code?: string }).code, ErrorCode.BAD_FRAME);
      t.regex(error!.message, new RegExp(`Cannot decode a ${bytes.byteLength}-byte ${name === 'msgpack' ? 'msgpack' : 'JSON'} frame`));
    }
  });
}

test('msgpack: a binary value is copied out of shared memory, not a view of it', (t) => {
  const codec = createCodec('msgpack');
  const view = sharedFrame(codec.encode({ data: new Uint8Array([1, 2, 3]) }));
  const decoded = codec.decode(view) as { data: Uint8Array };
  view.fill(0);
  t.false(decoded.data.buffer instanceof SharedArrayBuffer);
  t.deepEqual([...decoded.data], [1, 2, 3]);
});

test('msgpack: the codec loads no native addon', (t) => {
  // A fresh process: the test runner may have loaded other modules.
  const script = `
    const { createCodec } = require(${JSON.stringify(CODEC)});
    createCodec('msgpack').decode(createCodec('msgpack').encode({ s: 'x'.repeat(100) }));
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify({ msgpackr: loaded.filter((f) => f.includes('msgpackr')).map((f) => f.slice(f.lastIndexOf('node_modules'))), addons: loaded.filter((f) => f.endsWith('.node')) }));
  `;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  t.is(child.status, 0, child.stderr);
  const { msgpackr, addons } = JSON.parse(child.stdout) as { msgpackr: string[]; addons: string[] };
  t.deepEqual(msgpackr, [path.join('node_modules', 'msgpackr', 'dist', 'index-no-eval.cjs')]);
  t.deepEqual(addons, []);
});
