/**
 * The code path of `jsii-ring bench python` (benchmarks/python/), on the calc fixture's small
 * Python app instead of the Python CDK app (whose bindings take minutes to generate): every
 * variant runs the app through the official Python client, and every output must match.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { compareDirectories } from '../../benchmarks/python/harness.js';
import { cdkResources, parseCaps, runPythonSuite, unitsForResources } from '../../benchmarks/python/suite.js';

test('the Python bench runs an app on the reference, on ours and pipelined, with identical output, and writes its results', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-python-bench-test-'));
  t.teardown(() => fs.rmSync(out, { recursive: true, force: true }));
  const result = await runPythonSuite({ app: 'calc', count: 20, repeats: 2, warmups: 0, pendingCaps: [8], out, command: 'test', silent: true });

  t.true(result.identical, JSON.stringify(result.runs.filter((r) => !r.identical)));
  t.deepEqual(result.variants.map((v) => v.key), ['reference', 'ours', 'pipelined-8']);
  t.is(result.runs.length, 6, 'two rounds of three variants');
  const pipelined = result.variants.find((v) => v.key === 'pipelined-8')?.pipelining as { pipelining: boolean; pipelined: number; pending_cap: number };
  t.like(pipelined, { pipelining: true, pending_cap: 8 });
  t.true(pipelined.pipelined > 0);
  t.is(result.variants.find((v) => v.key === 'ours')?.pipelining, undefined, 'the synchronous variant runs the client unchanged');
  for (const run of result.runs) {
    t.true(run.wall > 0);
    for (const phase of ['import', 'start', 'load', 'build', 'synth']) {
      t.is(typeof run.phases[phase], 'number', `${run.variant} measured ${phase}`);
    }
    t.is(run.report.count, 20, 'the app reported its own facts');
  }
  const written = JSON.parse(fs.readFileSync(path.join(out, 'python.json'), 'utf8')) as { calc: { identical: boolean; variants: Record<string, { wall: { n: number } }> } };
  t.true(written.calc.identical);
  t.is(written.calc.variants.ours?.wall.n, 2);
  t.regex(result.markdown, /\| reference \| [\d.]+ \([\d.]+–[\d.]+\) \| 1\.00× \|/);
});

test('outputs are compared byte for byte', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-python-compare-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (dir: string, files: Record<string, string>): string => {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, dir, name)), { recursive: true });
      fs.writeFileSync(path.join(root, dir, name), text);
    }
    return path.join(root, dir);
  };
  const a = write('a', { 'x.json': '{"a":1}', 'sub/y.txt': 'y' });
  t.deepEqual(compareDirectories(a, write('same', { 'x.json': '{"a":1}', 'sub/y.txt': 'y' })), { identical: true, differences: [] });
  t.deepEqual(compareDirectories(a, write('b', { 'x.json': '{"a": 1}', 'sub/z.txt': 'y' })), {
    identical: false,
    differences: ['sub/y.txt: only in the expected output', 'sub/z.txt: only in this run\'s output', 'x.json: contents differ'],
  });
});

test('resources and units of the CDK app; pending-cap lists', (t) => {
  t.is(cdkResources(2), 6 + 24 + 2 + 1);
  t.is(cdkResources(182), 6 + 182 * 12 + 5 + 1);
  t.is(unitsForResources(500), 41);
  t.true(cdkResources(unitsForResources(2200)) >= 2200);
  t.true(cdkResources(unitsForResources(2200) - 1) < 2200);
  t.deepEqual(parseCaps('0,1,16,unlimited'), [0, 1, 16, Infinity]);
  t.throws(() => parseCaps('1,-2'), { instanceOf: RangeError });
  t.throws(() => parseCaps('1,,2'), { instanceOf: RangeError });
});
