/** The figures the bench derives: ideal speed-up, time breakdown, supported cap, interleaving, RESULTS.md sections. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { interleave } from '../../benchmarks/research/harness.js';
import { breakdown, idealSpeedup } from '../../benchmarks/research/metrics.js';
import { updateMarkdownSection } from '../../benchmarks/research/output.js';
import { requestTimes, scheduleIdeal, simulateSchedule } from '../../benchmarks/research/schedule.js';
import { supportedCap } from '../../benchmarks/research/sweep.js';
import { benchCommand } from '../../lib/cli/bench.js';
import { UsageError } from '../../lib/cli/args.js';

test('ideal speed-up: 2x at equal work without sync points, less with them, 1x when one side is idle', (t) => {
  t.is(idealSpeedup(100, 100, 0), 2);
  t.is(idealSpeedup(100, 100, 1), 1);
  t.is(Math.round(idealSpeedup(100, 100, 1 / 3) * 1000) / 1000, 1.5);
  t.is(Math.round(idealSpeedup(100, 90, 1 / 3) * 1000) / 1000, 1.462);
  t.is(idealSpeedup(0, 100, 0), 1);
  t.is(idealSpeedup(300, 100, 0), 400 / 300);
});

test('per-request schedule: pipelined requests overlap host work, a sync point makes the host wait', (t) => {
  t.is(simulateSchedule([0, 1, 1], [1, 1], [false, false]), 2);
  t.is(simulateSchedule([0, 1, 1], [1, 1], [true, false]), 3);
  t.is(simulateSchedule([0, 1, 1], [1, 1], [true, true]), 4);
  // An expensive create followed by a cheap sync read: the read waits for the create.
  t.is(simulateSchedule([0, 1, 1, 1], [5, 0.1, 0], [false, true, false]), 7.1);
});

test('per-request times come from the trace deltas; the ideal pairs a sync run with a pipelined one', (t) => {
  const point = (at: number, hostWaitMs: number, kernelBusyMs: number, pipelined = false) => ({ at, hostWaitMs, kernelBusyMs, pipelined });
  const sync = {
    start: point(0, 0, 0),
    end: point(10, 4, 4),
    requests: [point(3, 2, 2), point(6, 4, 4)],
  };
  t.deepEqual(requestTimes(sync), { host: [1, 1, 4], kernel: [2, 2] });
  const pipelined = { start: point(0, 0, 0), end: point(7, 1, 4), requests: [point(1, 0, 0, true), point(2, 0, 0, true)] };
  const ideal = scheduleIdeal(sync, pipelined);
  t.deepEqual(ideal, { serialMs: 10, idealMs: 6, speedup: 10 / 6 });
  t.is(scheduleIdeal(sync, { ...pipelined, requests: pipelined.requests.slice(1) }), null, 'different streams');
});

test('time breakdown: the four parts sum to the wall time', (t) => {
  const parts = breakdown({ wallMs: 150, hostBusyMs: 70, kernelBusyMs: 110, overlapMs: 30 });
  t.deepEqual(parts, { hostOnly: 40, both: 30, kernelOnly: 80, waiting: 0 });
  const stdio = breakdown({ wallMs: 300, hostBusyMs: 120, kernelBusyMs: null, overlapMs: null });
  t.deepEqual(stdio, { hostOnly: 120, both: 0, kernelOnly: 0, waiting: 180 });
});

test('supported cap: the smallest cap within the tolerance of the fastest at every setting', (t) => {
  const flat = (values: Record<number, number>): Map<number, number> => new Map(Object.entries(values).map(([k, v]) => [Number(k), v]));
  const settings = new Map([
    [0, flat({ 0: 200, 1: 190, 2: 150, 4: 120, 8: 101, 16: 100, 32: 100, 64: 100, 128: 100, 256: 100, 1024: 100, [Infinity]: 100 })],
    [50, flat({ 0: 300, 1: 290, 2: 250, 4: 220, 8: 210, 16: 150, 32: 110, 64: 100, 128: 100, 256: 100, 1024: 100, [Infinity]: 100 })],
  ]);
  t.is(supportedCap(settings, 0.03), 64);
  t.is(supportedCap(settings, 0.15), 32);
  // A cap that never bound is as good as any larger one, whatever the noise says.
  const neverBoundFrom16 = new Map([...settings.keys()].map((hw) => [hw, new Map([0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, Infinity].map((c) => [c, c >= 16 ? 0 : 10]))]));
  t.is(supportedCap(settings, 0.03, neverBoundFrom16), 16);
});

test('interleave alternates the order every round and keeps only measured rounds', async (t) => {
  const order: string[] = [];
  const runs = await interleave(['a', 'b', 'c'].map((key) => ({ key, run: async () => { order.push(key); return order.length; } })), { repeats: 2, warmups: 1 });
  t.deepEqual(order, ['a', 'b', 'c', 'c', 'b', 'a', 'a', 'b', 'c']);
  t.deepEqual(runs.get('a'), [6, 7]);
  t.deepEqual(runs.get('c'), [4, 9]);
});

test('interleave runs a variant again once when its kernel did not start, and says so; other failures end the run', async (t) => {
  let calls = 0;
  const retries: string[] = [];
  const flaky = { key: 'flaky', run: async () => {
    calls++;
    if (calls === 1) throw new Error('The kernel worker did not start within 30000 ms (options.startTimeoutMs)');
    return calls;
  } };
  const runs = await interleave([flaky], { repeats: 2, retries });
  t.deepEqual(runs.get('flaky'), [2, 3]);
  t.is(retries.length, 1);
  t.regex(retries[0] ?? '', /^flaky \(round 1\/2\): The kernel worker did not start/);
  const broken = { key: 'broken', run: async () => { throw new Error('library failure'); } };
  await t.throwsAsync(interleave([broken], { repeats: 1, retries }), { message: 'library failure' });
  await t.throwsAsync(interleave([{ ...flaky, run: async () => { throw new Error('x did not start within 1 ms'); } }], { repeats: 1 }), { message: /did not start/ }, 'no retries unless asked');
});

test('a RESULTS.md section is replaced in place; everything else is kept', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-md-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'RESULTS.md');
  fs.writeFileSync(file, '# Results\n\n## Someone else\n\nkept\n');
  updateMarkdownSection(file, 'sweep', '### Sweep\n\nfirst');
  updateMarkdownSection(file, 'replay', '## Replay\n\nr1');
  updateMarkdownSection(file, 'sweep', '### Sweep\n\nsecond');
  const text = fs.readFileSync(file, 'utf8');
  t.true(text.startsWith('# Results\n\n## Someone else\n\nkept\n'));
  t.regex(text, /<!-- jsii-ring bench: sweep -->\n### Sweep\n\nsecond\n<!-- \/jsii-ring bench: sweep -->\n\n<!-- jsii-ring bench: replay -->/);
  t.notRegex(text, /first/);
});

test('jsii-ring bench: usage errors for unknown suites and bad numbers', async (t) => {
  await t.throwsAsync(benchCommand(['nope']), { instanceOf: UsageError, message: /unknown suite 'nope'/ });
  await t.throwsAsync(benchCommand(['--scale=-1']), { instanceOf: UsageError, message: /--scale must be a positive number/ });
  await t.throwsAsync(benchCommand(['--repeats', '1.5']), { instanceOf: UsageError, message: /--repeats must be a positive integer/ });
  await t.throwsAsync(benchCommand(['--host-work', '10,x']), { instanceOf: UsageError, message: /--host-work must be a comma-separated list/ });
  await t.throwsAsync(benchCommand(['--frobnicate']), { instanceOf: UsageError });
});
