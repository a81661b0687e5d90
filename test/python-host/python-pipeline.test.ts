/**
 * The jsii_ring Python package (python/) through the official Python client on the calc
 * fixture (`pipeline_script.py`): a failing call in the middle of a pipeline, a call on an
 * object whose creation failed, callbacks making nested calls while the program's calls are
 * in flight, identity, flow control (window and pending cap), a failure after the last
 * sync point; pipelined runs observe what synchronous runs observe.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/repo-root.js';
import { ensurePythonHost } from './python-env.js';
import { runScript, type ScriptRun } from './run-script.js';

/** Checks that describe only how a pipelined call failed, or the statistics. */
const MODE_SPECIFIC = /^(?:pipelined\.|stats$)/;

function common(run: ScriptRun): Record<string, unknown> {
  return Object.fromEntries(Object.entries(run.results).filter(([name]) => !MODE_SPECIFIC.test(name)));
}

interface Stats {
  readonly pipelining: boolean;
  readonly pipelined: number;
  readonly window_syncs: number;
  readonly cap_syncs: number;
  readonly failures: number;
  readonly aliases: number;
  readonly callbacks: number;
  readonly by_api: Record<string, { sync: number; pipelined: number }>;
}

test('pipelined runs observe what synchronous runs observe; failures name the call and the line that made it', async (t) => {
  const host = ensurePythonHost();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-python-pipeline-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (key: string, runtime: 'ours' | 'reference', env: Record<string, string> = {}): Promise<ScriptRun> =>
    runScript({ python: host.python, script: 'pipeline_script.py', runtime, out: path.join(dir, `${key}.jsonl`), env });
  const [reference, sync, pipelined, capped, fallback] = await Promise.all([
    run('reference', 'reference'),
    run('sync', 'ours'),
    run('pipelined', 'ours', { JSII_RING_PIPELINE: '1' }),
    run('capped', 'ours', { JSII_RING_PIPELINE: '1', JSII_RING_PENDING_CAP: '4' }),
    run('fallback', 'reference', { JSII_RING_PIPELINE: '1' }),
  ]);
  for (const r of [reference, sync, pipelined, capped, fallback]) t.is(r.code, 0, r.stderr);

  // What the program observed, in every mode.
  const expected = common(sync);
  t.like(expected, {
    'failure.mid_pipeline': { type: 'RuntimeError', message: 'Error: deep failure in levelThree' },
    'failure.kernel_went_on': 1,
    'failure.dependent': { type: 'RuntimeError', message: 'Error: token id must not be negative, got -5' },
    'callback.nested_total': 10,
    'callback.suffix_writes': ['from-program', 'from-callback'],
    'callback.in_flight_labels': ['c0=0.00', 'c1=1.00', 'c2=2.00'],
    'callback.format_with': '<7from-callback',
    'callback.nested_failure_seen_by_library': 'caught:Error: deep failure in levelThree',
    'callback.first_failure_wins': 'caught:Error: deep failure in levelThree',
    'callback.failure_handled_inside': 'ok:-3',
    'identity.made_value': 4,
    'identity.fluent_is_self': true,
    'identity.stored_is_python_object': true,
    'identity.itself': true,
    'identity.singleton_same_object': true,
    'identity.singleton_distinct_proxies': false,
    'identity.different_objects': false,
    'flow.last_label': '299=0.00',
    'flow.static_mode': 'm199',
    done: true,
  });
  t.deepEqual(common(reference), expected, 'the reference');
  t.deepEqual(common(pipelined), expected, 'pipelined');
  t.deepEqual(common(capped), expected, 'pipelined, pending cap 4');
  t.deepEqual(common(fallback), expected, 'the reference with the package on');

  // How the failing calls were reported when pipelined.
  const failHere = sync.results['marker.fail_here'] as number;
  const midPipeline = pipelined.results['pipelined.failure.mid_pipeline'] as { call_site: [number, string][] };
  t.like(midPipeline, {
    request: 'sinvoke @jsii-ring/calc.Thrower.throwDeep',
    others: ['Error: token id must not be negative, got -1'],
    cause_is_js_stack: true,
    code: 'ERR_DEFERRED_FAILURE',
  });
  // Innermost first: the line that made the call, then its callers in the script.
  t.deepEqual(midPipeline.call_site[0], [failHere, 'failing_sequence']);
  t.deepEqual(midPipeline.call_site.slice(1).map(([, fn]) => fn), ['failure_of', '<module>']);
  const dependent = pipelined.results['pipelined.failure.dependent'] as { request: string; others: string[] };
  t.is(dependent.request, 'sinvoke @jsii-ring/calc.Token.of');
  t.regex(dependent.others[0] ?? '', /cannot be used: the request that was to produce it \(sinvoke @jsii-ring\/calc\.Token\.of\) failed: Error: token id must not be negative, got -5/);
  t.false('pipelined.failure.mid_pipeline' in sync.results, 'a synchronous run fails at the call itself');

  const stats = pipelined.results.stats as Stats;
  t.true(stats.pipelining);
  t.true((stats.by_api.create?.pipelined ?? 0) >= 20 && stats.by_api.create?.sync === 0, JSON.stringify(stats.by_api));
  t.true((stats.by_api.set?.pipelined ?? 0) >= 300);
  t.true((stats.by_api.sinvoke?.pipelined ?? 0) > 0, 'void and object-returning statics went without waiting');
  t.true((stats.by_api.invoke?.sync ?? 0) > 0, 'calls whose value is read waited');
  t.true(stats.window_syncs > 0, 'more bytes than the window were written: flow control synchronised');
  t.is(stats.failures, 6);
  t.true(stats.aliases >= 1, 'the second singleton() was reported an alias of the first');
  t.true(stats.callbacks >= 5);
  const cappedStats = capped.results.stats as Stats;
  t.true(cappedStats.cap_syncs > 0);
  t.false((fallback.results.stats as Stats).pipelining);
  t.is(sync.results.stats, null);
});

test('a pipelined call that fails after the program\'s last sync point ends the program with code 1, naming the call and its line', async (t) => {
  const host = ensurePythonHost();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-python-exit-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = fs.readFileSync(path.join(repoRoot(), 'test', 'python-host', 'pipeline_script.py'), 'utf8').split('\n');
  const line = script.findIndex((l) => l.trimEnd().endsWith('# EXIT-FAILURE')) + 1;
  const [pipelined, sync] = await Promise.all([
    runScript({ python: host.python, script: 'pipeline_script.py', runtime: 'ours', out: path.join(dir, 'p.jsonl'), args: ['exit-failure'], env: { JSII_RING_PIPELINE: '1' } }),
    runScript({ python: host.python, script: 'pipeline_script.py', runtime: 'ours', out: path.join(dir, 's.jsonl'), args: ['exit-failure'] }),
  ]);
  t.is(sync.code, 1, 'synchronously the call raises');
  t.regex(sync.stderr, /RuntimeError: Error: deep failure in levelThree/);
  t.is(pipelined.code, 1, 'pipelined, the program does not end as if it had succeeded');
  t.true(pipelined.results['exit.reached_end'] as boolean, 'the program went on past the call');
  t.regex(pipelined.stderr, /a pipelined jsii call failed after the program's last sync point:\nError: deep failure in levelThree\n {2}\(pipelined call #\d+: sinvoke @jsii-ring\/calc\.Thrower\.throwDeep/);
  t.true(pipelined.stderr.includes(`pipeline_script.py", line ${line}, in <module>`), pipelined.stderr);
});
