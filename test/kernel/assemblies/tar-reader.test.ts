import test from 'ava';
import { readTarEntries, TarFormatError } from '../../../lib/kernel/assemblies/tar-reader.js';
import { header, setChecksum, tar } from './helpers/tar-writer.js';

test('reads files, directories and links with their data, modes and targets', (t) => {
  const entries = readTarEntries(
    tar([
      { path: 'package/', type: '5', mode: 0o755 },
      { path: 'package/index.js', data: 'module.exports = 1;\n', mode: 0o755 },
      { path: 'package/empty.txt', data: '' },
      { path: 'package/link', type: '2', linkTarget: 'index.js' },
      { path: 'package/hard', type: '1', linkTarget: 'package/index.js' },
    ]),
  );
  t.deepEqual(
    entries.map((e) => [e.kind, e.path, e.linkTarget, e.mode, e.data.toString()]),
    [
      ['directory', 'package/', '', 0o755, ''],
      ['file', 'package/index.js', '', 0o755, 'module.exports = 1;\n'],
      ['file', 'package/empty.txt', '', 0o644, ''],
      ['symlink', 'package/link', 'index.js', 0o644, ''],
      ['hardlink', 'package/hard', 'package/index.js', 0o644, ''],
    ],
  );
});

test('data spanning several blocks is read whole', (t) => {
  const data = Buffer.alloc(512 * 3 + 17, 'x');
  const [entry] = readTarEntries(tar([{ path: 'package/big', data }, { path: 'package/after', data: 'a' }]));
  t.is(entry?.data.length, data.length);
  t.true(entry?.data.equals(data));
});

test('long names: pax path and linkpath, and GNU L/K entries, apply to the next entry only', (t) => {
  const long = `package/${'d/'.repeat(70)}file.txt`;
  const longLink = `${'../'.repeat(10)}${'t'.repeat(90)}`;
  for (const longName of ['pax', 'gnu'] as const) {
    const entries = readTarEntries(
      tar([
        { path: long, data: 'deep', longName },
        { path: `package/${'l'.repeat(120)}`, type: '2', linkTarget: longLink, longName },
        { path: 'package/short', data: 's' },
      ]),
    );
    t.deepEqual(
      entries.map((e) => [e.kind, e.path, e.linkTarget]),
      [
        ['file', long, ''],
        ['symlink', `package/${'l'.repeat(120)}`, longLink],
        ['file', 'package/short', ''],
      ],
      longName,
    );
  }
});

test('ustar prefix field is joined to the name', (t) => {
  const block = header('file.txt', '0', 0, '');
  block.write('package/some/dir', 345, 'latin1');
  setChecksum(block);
  const [entry] = readTarEntries(Buffer.concat([block, Buffer.alloc(1024)]));
  t.is(entry?.path, 'package/some/dir/file.txt');
});

test('devices and fifos are reported as other, with their typeflag', (t) => {
  const entries = readTarEntries(tar([{ path: 'package/dev', type: '3' }, { path: 'package/fifo', type: '6' }]));
  t.deepEqual(
    entries.map((e) => [e.kind, e.typeflag]),
    [
      ['other', '3'],
      ['other', '6'],
    ],
  );
});

test('a bad header checksum is a format error naming the offset', (t) => {
  const archive = tar([{ path: 'package/a', data: 'a' }, { path: 'package/b', data: 'b' }]);
  archive[1034] = (archive[1034] ?? 0) ^ 0xff; // inside the second header's name
  const error = t.throws(() => readTarEntries(archive), { instanceOf: TarFormatError });
  t.regex(error.message, /bad header checksum at byte 1024/);
});

test('every truncation inside an entry is a format error, never a short read', (t) => {
  const archive = tar([{ path: 'package/a', data: 'x'.repeat(700) }]);
  // Header + 2 data blocks = 1536 bytes of entry; cutting anywhere inside must fail.
  for (let cut = 1; cut < 1536; cut += 1) {
    t.throws(() => readTarEntries(archive.subarray(0, cut)), { instanceOf: TarFormatError }, `cut at ${cut}`);
  }
  // Without the end-of-archive blocks the entry is whole: accepted.
  t.is(readTarEntries(archive.subarray(0, 1536)).length, 1);
});

test('a malformed size field is a format error', (t) => {
  const block = header('package/a', '0', 0, '');
  block.write('9zz', 124, 'latin1');
  setChecksum(block);
  t.throws(() => readTarEntries(Buffer.concat([block, Buffer.alloc(1024)])), {
    instanceOf: TarFormatError,
    message: /bad size field '9zz00000000' at byte 0/,
  });
});

test('base-256 sizes are read', (t) => {
  const block = header('package/a', '0', 0, '');
  block.fill(0, 124, 136);
  block[124] = 0x80;
  block[135] = 5;
  setChecksum(block);
  const data = Buffer.alloc(512);
  data.write('hello');
  const [entry] = readTarEntries(Buffer.concat([block, data, Buffer.alloc(1024)]));
  t.is(entry?.data.toString(), 'hello');
});

test('a malformed pax record is a format error', (t) => {
  const body = Buffer.from('99 path=x\n');
  const archive = Buffer.concat([header('PaxHeader', 'x', body.length, ''), body, Buffer.alloc(512 - body.length), Buffer.alloc(1024)]);
  t.throws(() => readTarEntries(archive), { instanceOf: TarFormatError, message: /bad pax record/ });
});
