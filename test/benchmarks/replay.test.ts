/** The request replay: a recording of the example app replays exactly, and a replay that strays says so. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { compareCloudAssemblies } from '../../examples/cdk-app/compare.js';
import { runChild } from '../../benchmarks/research/child.js';
import { BenchmarkError } from '../../benchmarks/research/errors.js';
import type { RecordResult } from '../../benchmarks/replay/child.js';
import { Replayer } from '../../benchmarks/replay/replayer.js';
import type { ReplayTimings } from '../../benchmarks/replay/replayer.js';
import { transcriptOf } from '../../benchmarks/replay/transcript.js';

const CHILD = path.join(__dirname, '..', '..', 'benchmarks', 'replay', 'child.js');

test('a recorded example app replays into a fresh kernel: every response and the templates match', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-replay-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const transcript = path.join(dir, 'transcript.v8');
  const outdir = path.join(dir, 'out');
  const record = (await runChild<RecordResult>(CHILD, { task: 'record', outdir, scale: 0.02, transcript })).result;
  t.true(record.requestsByPhase['build'] as number > 0);
  t.true(record.callbacks > 0, 'the aspect and the lazy value call back during synth');
  fs.cpSync(outdir, path.join(dir, 'recorded'), { recursive: true });
  const replay = (await runChild<ReplayTimings>(CHILD, { task: 'replay', outdir, transcript, verify: true })).result;
  t.is(replay.requests, record.requests);
  t.is(replay.verified, record.requests);
  t.is(replay.callbacks, record.callbacks);
  t.deepEqual(compareCloudAssemblies(path.join(dir, 'recorded'), outdir).differences, []);
});

test('a verified replay stops at the first response that differs from the recording', async (t) => {
  const transcript = transcriptOf([
    { kind: 'phase', name: 'load' },
    { kind: 'request', request: { api: 'naming', assembly: 'nope' } as never, how: 'request', error: { name: '@jsii/kernel.Fault', message: 'x' } },
    { kind: 'request', request: { api: 'stats' }, how: 'request', response: { objectCount: 12345 } },
    { kind: 'end' },
  ]);
  await t.throwsAsync(new Replayer(transcript, { verify: true }).run(), { instanceOf: BenchmarkError, message: /request #2 \(stats\): response/ });
  const unrecordedFailure = transcriptOf([{ kind: 'request', request: { api: 'naming', assembly: 'nope' } as never, how: 'request', response: {} }, { kind: 'end' }]);
  await t.throwsAsync(new Replayer(unrecordedFailure).run(), { instanceOf: BenchmarkError, message: /strayed at request #1 \(naming\)/ });
  await t.throwsAsync(new Replayer(transcriptOf([{ kind: 'callbackResult', result: 1 }, { kind: 'end' }])).run(), { instanceOf: BenchmarkError, message: /expected a request or phase marker/ });
});
