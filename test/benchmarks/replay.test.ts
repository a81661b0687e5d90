/** The request replay: a recording of the example app replays exactly, and a replay that strays says so. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { compareCloudAssemblies } from '../../examples/cdk-app/compare.js';
import { runChild } from '../../benchmarks/research/child.js';
import { BenchmarkError } from '../../benchmarks/research/errors.js';
import type { ConnectionReplayResult, RecordResult } from '../../benchmarks/replay/child.js';
import { SEED_PRELOAD } from '../../benchmarks/replay/child.js';
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

test('the recording replays through the ring (pipelined and sync) and through DirectConnection to the same templates', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-replay-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const transcript = path.join(dir, 'transcript.v8');
  const recorded = path.join(dir, 'recorded');
  const record = (await runChild<RecordResult>(CHILD, { task: 'record', outdir: recorded, scale: 0.02, transcript })).result;
  // A replay writes where the recording did (the app's outdir is in its requests).
  const reference = path.join(dir, 'reference');
  fs.cpSync(recorded, reference, { recursive: true });
  for (const connection of ['direct', 'ring', 'ring-sync'] as const) {
    // The preload seeds Math.random in the kernel's worker thread as well.
    const replay = (await runChild<ConnectionReplayResult>(CHILD, { task: 'replay', outdir: recorded, transcript, verify: false, connection }, {}, ['--require', SEED_PRELOAD])).result;
    t.is(replay.requests, record.requests, connection);
    t.is(replay.callbacks, record.callbacks, connection);
    t.is(replay.firstRequest.synth - replay.firstRequest.build, record.requestsByPhase['build'] as number, connection);
    t.deepEqual(compareCloudAssemblies(reference, recorded).differences, [], connection);
    if (connection === 'direct') {
      t.is(replay.buildTimeline, undefined);
    } else {
      // The build phase's timeline covers exactly its requests: all waited for in sync, the
      // recorded pipelined ones pipelined again otherwise.
      const build = record.requestsByPhase['build'] as number;
      t.is(replay.buildTimeline?.requests, build, connection);
      if (connection === 'ring-sync') t.is(replay.buildTimeline?.syncRequests, build);
      else t.true((replay.buildTimeline?.syncRequests ?? build) < build);
      t.true((replay.kernelBusyMs ?? 0) > 0, connection);
    }
  }
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
