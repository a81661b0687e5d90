/**
 * The bench harness on a tiny workload: the suites run end to end, write results of the
 * documented shape, and draw charts that parse as XML and hold the expected series. No
 * timing is asserted (figures from a loaded test machine mean nothing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { runBench } from '../../benchmarks/research/runner.js';
import { SWEEP_CAPS, capKey } from '../../benchmarks/research/sweep.js';
import { DEFAULT_SPIN } from '../../lib/host/options.js';
import { KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';
import type { AppRunResult } from '../../benchmarks/research/app-run.js';
import { runChild } from '../../benchmarks/research/child.js';
import { TRANSPORTS, ROUND_TRIP_APIS } from '../../benchmarks/research/micro.js';
import { seriesOf } from './xml.js';

function scratch(t: { teardown: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-bench-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const isPositive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;

test('sweep and overlap suites on a tiny app: results shape and the sweep chart', async (t) => {
  const out = scratch(t);
  const { context, reports } = await runBench({
    suites: ['sweep', 'hostwork'], quick: true, out, scale: 0.02, repeats: 1, sweepHostWork: [0, 50], hostWork: [0, 20], silent: true, command: 'test',
  });
  t.is(context.resultsMd, undefined, 'a run with --out leaves RESULTS.md alone');
  t.deepEqual(reports.map((r) => r.id), ['overlap', 'sweep']);

  const sweep = readJson(path.join(out, 'sweep.json'));
  const keys = SWEEP_CAPS.map(capKey);
  for (const name of ['capMs', 'capMsHostWork50'] as const) {
    const byCap = sweep[name] as Record<string, unknown>;
    t.deepEqual(Object.keys(byCap), keys, `${name} has every cap of the sweep`);
    t.true(Object.values(byCap).every(isPositive), `${name} holds positive milliseconds`);
  }
  t.true(keys.includes(sweep['supportedCap'] as string));
  const env = sweep['environment'] as Record<string, unknown>;
  t.is(env['node'], process.version);
  t.is(env['command'], 'test');
  t.is((env['loadAverageBefore'] as unknown[]).length, 3);

  const overlap = readJson(path.join(out, 'overlap.json'));
  const equal = overlap['equalWork'] as Record<string, unknown>;
  t.true(isPositive(equal['speedup']));
  t.true(isPositive(equal['ideal']));
  t.true(isPositive(equal['hostWorkUs']));
  t.is(typeof equal['met'], 'boolean');
  t.deepEqual(Object.keys(overlap['settings'] as object), ['0', '20']);
  const zero = (overlap['settings'] as Record<string, Record<string, unknown>>)['0'] as Record<string, unknown>;
  t.true((zero['ideal'] as number) >= 1);
  t.true((zero['requests'] as number) > 0, 'the build phase issued requests');

  const series = seriesOf(fs.readFileSync(path.join(out, 'charts', 'sweep.svg'), 'utf8'));
  t.deepEqual([...series.keys()], ['host work 0 µs/call', 'host work 50 µs/call']);
  for (const [name, points] of series) {
    t.deepEqual(points.map((p) => p.x), SWEEP_CAPS.map((c) => (c === Infinity ? '∞' : String(c))), name);
    const expected = (name.includes(' 0 ') ? sweep['capMs'] : sweep['capMsHostWork50']) as Record<string, number>;
    t.deepEqual(points.map((p) => p.value), keys.map((k) => expected[k]), `${name}: the chart plots the medians of sweep.json`);
  }
  t.regex(reports[1]?.markdown ?? '', /charts\/sweep\.svg/);
});

test('micro suite: round trips of every api through every transport, and their chart', async (t) => {
  const out = scratch(t);
  await runBench({ suites: ['micro'], quick: true, out, silent: true, command: 'test', microSeconds: 0.01 });
  const micro = readJson(path.join(out, 'bench-micro.json'));
  const roundTrip = micro['roundTripUs'] as Record<string, Record<string, number>>;
  t.deepEqual(Object.keys(roundTrip), Object.keys(TRANSPORTS));
  for (const transport of Object.keys(TRANSPORTS)) {
    for (const api of ROUND_TRIP_APIS) t.true(isPositive(roundTrip[transport]?.[api]), `${transport} ${api}`);
  }
  t.true(isPositive(roundTrip['ring']?.['pipelined create']), 'the ring pipelines');
  // Each round trip is the median of timed rounds (3 when quick), with its spread.
  const cases = micro['roundTrip'] as Record<string, { usPerOp: number; minUs: number; maxUs: number; rounds: number }[]>;
  for (const c of Object.values(cases).flat()) {
    t.is(c.rounds, 3);
    t.true(c.minUs <= c.usPerOp && c.usPerOp <= c.maxUs, JSON.stringify(c));
  }
  t.is(roundTrip['stdioReference']?.['pipelined create'], undefined, 'stdio does not pipeline');
  const series = seriesOf(fs.readFileSync(path.join(out, 'charts', 'round-trip.svg'), 'utf8'));
  t.deepEqual([...series.keys()], Object.keys(TRANSPORTS));
  t.deepEqual(series.get('ring')?.map((p) => p.x), [...ROUND_TRIP_APIS]);
});

test('spin suite on a tiny app: every budget and native measured, spun vs slept counted', async (t) => {
  const out = scratch(t);
  const { reports } = await runBench({ suites: ['spin'], quick: true, out, scale: 0.02, repeats: 1, silent: true, command: 'test' });
  t.deepEqual(reports.map((r) => r.id), ['spin']);
  const spin = readJson(path.join(out, 'spin.json'));
  t.is(spin['clientDefaultSpin'], DEFAULT_SPIN);
  const native = spin['native'] as Record<string, Record<string, unknown>>;
  t.true(isPositive(native['buildMs']?.['median']));
  const budgets = spin['budgets'] as Record<string, Record<string, unknown>>;
  t.deepEqual(Object.keys(budgets), ['0', String(DEFAULT_SPIN)]);
  for (const figures of Object.values(budgets)) {
    t.true(isPositive((figures['totalMs'] as Record<string, unknown>)['median']));
    t.true(isPositive(figures['totalOverNative']));
  }
  // Budget 0 never spins: every wait for an answer sleeps.
  t.is(budgets['0']?.['hostSpinHits'], 0);
  t.true((budgets['0']?.['hostSleeps'] as number) > 0);
  // The default's waits are counted; whether they end spinning depends on the machine's load.
  t.true((budgets[String(DEFAULT_SPIN)]?.['hostSpinHits'] as number) + (budgets[String(DEFAULT_SPIN)]?.['hostSleeps'] as number) > 0);
  t.regex(reports[0]?.markdown ?? '', /### Wait policy: spin budget/);
});

test("jit suite on a tiny app: native at both budgets, pipelined at V8's and the default", async (t) => {
  const out = scratch(t);
  const { reports } = await runBench({ suites: ['jit'], quick: true, out, scale: 0.02, repeats: 1, silent: true, command: 'test' });
  const jit = readJson(path.join(out, 'jit.json'));
  t.is(jit['synthDefaultBudget'], KERNEL_INTERRUPT_BUDGET);
  const keys = [String(V8_DEFAULT_INTERRUPT_BUDGET), String(KERNEL_INTERRUPT_BUDGET)];
  t.deepEqual(Object.keys(jit['native'] as object), keys);
  const pipelined = jit['pipelined'] as Record<string, Record<string, unknown>>;
  t.deepEqual(Object.keys(pipelined), keys);
  for (const figures of Object.values(pipelined)) {
    t.true(isPositive((figures['buildMs'] as Record<string, unknown>)['median']));
    t.true(isPositive(figures['totalOverNativeV8']) && isPositive(figures['totalOverNativeSame']));
  }
  t.regex(reports[0]?.markdown ?? '', /### JIT policy: V8 interrupt budget/);
});

test('an app child reports the heaps after a full GC: the kernel worker\'s in ring modes, none in native', async (t) => {
  const out = scratch(t);
  const child = path.resolve(__dirname, '..', '..', 'benchmarks', 'research', 'app-child.js');
  const ring = (await runChild<AppRunResult>(child, { mode: 'ringPipelined', outdir: path.join(out, 'ring'), scale: 0.02, validation: false })).result;
  t.true(isPositive(ring.heap?.hostMb) && isPositive(ring.heap?.kernelMb), JSON.stringify(ring.heap));
  const native = (await runChild<AppRunResult>(child, { mode: 'native', outdir: path.join(out, 'native'), scale: 0.02, validation: false })).result;
  t.true(isPositive(native.heap?.hostMb));
  t.is(native.heap?.kernelMb, null);
});
