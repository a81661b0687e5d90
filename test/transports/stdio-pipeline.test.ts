/**
 * Pipelining over stdio (extension `pipeline`, lib/transports/STDIO-PROTOCOL.md): no-reply
 * requests, seq-tagged failures, callbacks while later requests are already written, and the
 * flow-control window with a blocking synchronous host.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import test from 'ava';
import { PIPELINE_WINDOW } from '../../lib/transports/stdio-server.js';
import { ensureFixtures } from '../helpers/fixture.js';
import { repoRoot } from '../helpers/repo-root.js';
import { StdioProcess, runtimeScript, withoutStack } from './stdio-process.js';

const CALC = '@jsii-ring/calc';
const H1 = { '$jsii.byref': `${CALC}.Calculator@h1` };

async function pipelining(): Promise<StdioProcess> {
  const pkg = ensureFixtures().calc;
  const p = new StdioProcess('ours');
  await p.next();
  t_ok(await p.request({ negotiate: { extensions: ['objid', 'pipeline'] } }), { extensions: ['objid', 'pipeline'], window: PIPELINE_WINDOW });
  t_ok(await p.request({ api: 'load', name: pkg.name, version: pkg.version, tarball: pkg.tarball }), { assembly: CALC, types: 27 });
  return p;
}

function t_ok(answer: Record<string, unknown>, ok: unknown): void {
  if (JSON.stringify(answer.ok) !== JSON.stringify(ok)) throw new Error(`expected ok ${JSON.stringify(ok)}, got ${JSON.stringify(answer)}`);
}

test('no-reply requests answer nothing on success; failures come back tagged with their seq, before the next answer', async (t) => {
  const p = await pipelining();
  const noReply = { '$jsii.noreply': true };
  p.send({ api: 'create', fqn: `${CALC}.Calculator`, args: [], objid: 'h1', '$jsii.seq': 1, ...noReply });
  p.send({ api: 'invoke', objref: H1, method: 'add', args: [5], '$jsii.seq': 2, ...noReply });
  p.send({ api: 'invoke', objref: H1, method: 'add', args: ['five'], '$jsii.seq': 3, ...noReply });
  p.send({ api: 'invoke', objref: { '$jsii.byref': `${CALC}.Calculator@h9` }, method: 'add', args: [1], '$jsii.seq': 4, ...noReply });
  p.send({ api: 'invoke', objref: H1, method: 'add', args: [1], '$jsii.seq': 5, ...noReply });
  p.send({ api: 'get', objref: H1, property: 'value', '$jsii.seq': 6 });
  const lines = [await p.next(), await p.next(), await p.next()];
  t.deepEqual(lines.map((l) => l.seq), [3, 4, 6]);
  t.like(withoutStack(lines[0]!), { name: '@jsii/kernel.RuntimeError', seq: 3 });
  t.regex(String(lines[0]!.error), /five/);
  t.is(typeof lines[1]!.stack, 'string');
  t.regex(String(lines[1]!.error), /h9/);
  t.deepEqual(lines[2], { ok: { value: 6 }, seq: 6 });
  t.deepEqual(await p.request({ api: 'stats' }), { ok: { objectCount: 1 } }, 'a request without seq is answered as in plain jsii');
  t.like(await p.request({ api: 'stats', '$jsii.seq': -1 }), { name: '@jsii/kernel.Fault', error: 'Malformed request: "$jsii.seq" must be a non-negative integer, got -1' });
  t.like(await p.request({ api: 'stats', '$jsii.noreply': 'yes' }), { name: '@jsii/kernel.Fault', error: 'Malformed request: "$jsii.noreply" must be a boolean, got "yes"' });
  t.deepEqual(await p.end(), { code: 0, signal: null });
});

test('requests written before the host saw a callback are served after the request that made it', async (t) => {
  const p = await pipelining();
  p.send({ api: 'create', fqn: `${CALC}.Calculator`, args: [], objid: 'h1', overrides: [{ method: 'bonus' }], '$jsii.seq': 1, '$jsii.noreply': true });
  p.send({ api: 'invoke', objref: H1, method: 'total', args: [], '$jsii.seq': 2 });
  // Written before the host reads the callback `total` makes: not nested in it.
  p.send({ api: 'invoke', objref: H1, method: 'add', args: [1], '$jsii.seq': 3, '$jsii.noreply': true });
  p.send({ api: 'get', objref: H1, property: 'value', '$jsii.seq': 4 });
  const callback = (await p.next()).callback as { cbid: string; invoke: { method: string } };
  t.is(callback.invoke.method, 'bonus');
  // The handler's own request, marked as nested in this callback, is answered at once.
  t.deepEqual(await p.request({ api: 'get', objref: H1, property: 'value', '$jsii.callback': callback.cbid }), { ok: { value: 0 } });
  p.send({ complete: { cbid: callback.cbid, err: null, result: 10 } });
  t.deepEqual(await p.next(), { ok: { result: 10 }, seq: 2 });
  t.deepEqual(await p.next(), { ok: { value: 1 }, seq: 4 });
  await p.end();
});

test('a callback whose own no-reply request failed after its last answered request fails with that failure', async (t) => {
  const p = await pipelining();
  p.send({ api: 'create', fqn: `${CALC}.Calculator`, args: [], objid: 'h1', overrides: [{ method: 'bonus' }], '$jsii.seq': 1, '$jsii.noreply': true });
  const total = async (handler: (cbid: string) => Promise<void>, seq: number): Promise<Record<string, unknown>> => {
    p.send({ api: 'invoke', objref: H1, method: 'total', args: [], '$jsii.seq': seq });
    const { cbid } = (await p.next()).callback as { cbid: string };
    await handler(cbid);
    p.send({ complete: { cbid, err: null, result: 10 } });
    return p.next();
  };
  const failing = (cbid: string, seq: number): void =>
    p.send({ api: 'sinvoke', fqn: `${CALC}.Thrower`, method: 'throwDeep', args: [1], '$jsii.seq': seq, '$jsii.noreply': true, '$jsii.callback': cbid });
  // Not seen by the host before it completed: the callback fails with it.
  let failureLine: Record<string, unknown> = {};
  const failed = await total(async (cbid) => {
    failing(cbid, 11);
    failureLine = await p.next();
  }, 10);
  t.like(failureLine, { seq: 11, error: 'Error: deep failure in levelThree' });
  t.like(failed, { seq: 10, name: '@jsii/kernel.RuntimeError' });
  t.regex(String(failed.error), /deep failure in levelThree/);
  // Seen before an answer the handler read afterwards: the host handled it; the completion stands.
  const handled = await total(async (cbid) => {
    failing(cbid, 21);
    p.send({ api: 'stats', '$jsii.seq': 22, '$jsii.callback': cbid });
    t.like(await p.next(), { seq: 21, error: 'Error: deep failure in levelThree' });
    t.like(await p.next(), { seq: 22, ok: { objectCount: 1 } });
  }, 20);
  t.deepEqual(handled, { ok: { result: 10 }, seq: 20 });
  await p.end();
});

test('alias notices: a host id that names an object which already had one is reported before the answer, also for a no-reply request', async (t) => {
  const pkg = ensureFixtures().calc;
  const p = new StdioProcess('ours');
  await p.next();
  const extensions = ['objid', 'pipeline', 'alias-notices'];
  t_ok(await p.request({ negotiate: { extensions } }), { extensions, window: PIPELINE_WINDOW });
  t_ok(await p.request({ api: 'load', name: pkg.name, version: pkg.version, tarball: pkg.tarball }), { assembly: CALC, types: 27 });
  const singleton = { api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'singleton', args: [] };
  t.deepEqual(await p.request({ ...singleton, objid: 'h1', '$jsii.seq': 1 }), { ok: { result: { '$jsii.byref': `${CALC}.Statics@h1` } }, seq: 1 }, 'the first call: the object takes the id');
  p.send({ ...singleton, objid: 'h2', '$jsii.seq': 2, '$jsii.noreply': true });
  t.deepEqual(await p.next(), { aliases: [{ objid: 'h2', target: `${CALC}.Statics@h1` }] });
  t.deepEqual(await p.request({ ...singleton, objid: 'h3', '$jsii.seq': 3 }), { aliases: [{ objid: 'h3', target: `${CALC}.Statics@h1` }] });
  t.deepEqual(await p.next(), { ok: { result: { '$jsii.byref': `${CALC}.Statics@h1` } }, seq: 3 });
  // A fresh object takes its id: no notice.
  t.deepEqual(await p.request({ api: 'sinvoke', fqn: `${CALC}.Token`, method: 'of', args: [1], objid: 'h4', '$jsii.seq': 4 }), { ok: { result: { '$jsii.byref': `${CALC}.Token@h4` } }, seq: 4 });
  await p.end();
});

test('without alias-notices negotiated, no notice is written', async (t) => {
  const p = await pipelining();
  const singleton = { api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'singleton', args: [] };
  await p.request({ ...singleton, objid: 'h1', '$jsii.seq': 1 });
  t.deepEqual(await p.request({ ...singleton, objid: 'h2', '$jsii.seq': 2 }), { ok: { result: { '$jsii.byref': `${CALC}.Statics@h1` } }, seq: 2 });
  await p.end();
});

test('a blocking synchronous host that keeps to the window never deadlocks, whatever the server writes back', (t) => {
  const pkg = ensureFixtures().calc;
  const host = path.join(repoRoot(), 'test', 'transports', 'pipeline-host.py');
  const result = spawnSync(process.env.JSII_RING_PYTHON ?? 'python3', [host, runtimeScript('ours'), pkg.tarball, '6000'], { encoding: 'utf8', timeout: 120_000 });
  t.is(result.status, 0, `${result.error?.message ?? ''}${result.stderr}`);
  // 6,000 no-reply adds, every third failing with a long error line: 2,000 failures, 4,000 × 1.
  t.deepEqual(JSON.parse(result.stdout), { failures: 2000, value: 4000, exit: 0 });
});
