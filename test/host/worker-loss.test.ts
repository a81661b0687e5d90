/**
 * The kernel is lost while the host is blocked, in ways the kernel cannot report itself:
 * its worker is terminated, runs out of memory, or a library call never returns. The host
 * must be woken (by the watchdog thread, host/watchdog.ts), never hang, and be told what it
 * lost: the request being served, the pipelined requests never served, every pipelined
 * failure reported before, and (once heard) how the worker ended.
 *
 * `requestTimeoutMs` is only a safety net: without the watchdog a blocked host would fail
 * with ERR_RING_TIMEOUT after it, which these tests refuse; no assertion depends on time.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { KernelLostError } from '../../lib/host/kernel-lost.js';
import { DEFAULT_CALL_TIMEOUT_MS, resolveClientOptions } from '../../lib/host/options.js';
import { calcFqn, loadCalc, refOf } from './calc.js';
import { PROBE_CLASS, STUCK_CLASS, loadProbe, tempRoot, writeProbePackage } from './probe-package.js';

const SAFETY_TIMEOUT_MS = 30_000;
const { root, remove } = tempRoot();
const probe = writeProbePackage(root);
test.after.always(remove);

function start(options: Parameters<typeof KernelClient.start>[0] = {}): KernelClient {
  const client = KernelClient.start({ pendingCap: Infinity, requestTimeoutMs: SAFETY_TIMEOUT_MS, ...options });
  loadProbe(client, probe);
  return client;
}

function catchLoss(run: () => void): KernelLostError {
  try {
    run();
  } catch (error) {
    if (error instanceof KernelLostError) return error;
    throw error;
  }
  throw new Error('the loss did not surface');
}

const sleep = (ms: number) => ({ api: 'sinvoke' as const, fqn: PROBE_CLASS, method: 'sleep', args: [ms] });
const create = (client: KernelClient) => ({ api: 'create' as const, fqn: 'Object', objid: client.allocateId() });

test('terminate() while the host waits in a sync request gives ERR_PEER_GONE naming the request', async (t) => {
  const client = start();
  void client.worker.terminate();
  const lost = catchLoss(() => client.request(sleep(50)));
  t.is(lost.code, 'ERR_PEER_GONE', lost.stack);
  t.regex(lost.message, /ended without saying why/);
  t.is(client.pending, 0);
  t.throws(() => client.request({ api: 'stats' }), { is: lost });
  await client.close();
  t.is(lost.workerEnd?.exitCode, 1);
  t.regex(lost.message, /exited with code 1/);
});

test('terminate() while the host waits in flush() counts the pipelined requests never served', async (t) => {
  const client = start();
  // The kernel is busy in the first sleep when it is terminated: the rest are never served.
  client.send(sleep(200));
  for (let i = 0; i < 99; i++) client.send(create(client));
  void client.worker.terminate();
  const lost = catchLoss(() => client.flush());
  t.is(lost.code, 'ERR_PEER_GONE', lost.stack);
  t.true(lost.unserved > 0 && lost.unserved <= 100, `unserved ${lost.unserved}`);
  t.is(client.pending, lost.unserved, 'pending says what was never served');
  t.regex(lost.message, new RegExp(`${lost.unserved} pipelined requests? (was|were) never served`));
  await client.close();
});

test('terminate() while the host waits for room in a full request ring gives ERR_PEER_GONE', async (t) => {
  // A small request ring the dead kernel never drains: the host's write must not wait forever.
  const client = start({ requestRingBytes: 4096 });
  void client.worker.terminate();
  const big = 'x'.repeat(1000);
  const lost = catchLoss(() => {
    for (let i = 0; i < 1000; i++) client.send({ api: 'create', fqn: 'Object', args: [big], objid: client.allocateId() });
  });
  t.is(lost.code, 'ERR_PEER_GONE', lost.stack);
  t.is(client.pending, lost.unserved);
  await client.close();
});

test('a failure at request 200 and a death at request 500 are both reported, with what was never served', async (t) => {
  const client = start();
  for (let i = 1; i <= 1000; i++) {
    if (i === 200) client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'fail', args: ['failed at 200'] });
    else if (i === 500) client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'exitNow', args: [3] });
    else client.send(create(client));
  }
  const lost = catchLoss(() => client.flush());
  t.is(lost.code, 'ERR_PEER_GONE', lost.stack);
  t.is(lost.failures.length, 1);
  t.regex(lost.failures[0]?.message ?? '', /failed at 200/);
  t.regex(lost.message, /1 pipelined request failed before .*failed at 200/);
  t.regex(lost.message, /exited \(code 3\)/);
  t.like(lost.serving, { api: 'sinvoke', target: PROBE_CLASS, member: 'exitNow', pipelined: true });
  t.is(lost.unserved, 501, 'the exiting request and the 500 after it');
  t.is(client.pending, 501);
  t.is(client.stats.pipelinedFailures, 1);
  // Reported once, in the loss: later calls and close() do not throw it again.
  t.throws(() => client.flush(), { is: lost });
  await t.notThrowsAsync(client.close());
});

test('a library call that never returns is ended at the call deadline, naming the call', async (t) => {
  const client = start({ callTimeoutMs: 1000 });
  const lost = catchLoss(() => client.request({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'spinForever', args: [] }));
  t.is(lost.code, 'ERR_RING_TIMEOUT', lost.stack);
  t.regex(lost.message, /past the call deadline of 1000 ms \(options\.callTimeoutMs\)/);
  t.like(lost.serving, { api: 'sinvoke', target: PROBE_CLASS, member: 'spinForever', pipelined: false });
  t.throws(() => client.request({ api: 'stats' }), { is: lost });
  await client.close();
  t.truthy(lost.workerEnd, 'the worker was ended');
});

test('a class module that never finishes loading ahead of its use (type preloading) is ended at the call deadline', async (t) => {
  // The kernel starts loading the listed class once the probe package is loaded and no
  // request is waiting: give it that moment, then keep asking until a request is stuck behind it.
  const client = start({ callTimeoutMs: 1000, preloadTypes: [STUCK_CLASS] });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const lost = catchLoss(() => {
    for (let i = 0; i < 1000; i++) client.request({ api: 'stats' });
  });
  t.is(lost.code, 'ERR_RING_TIMEOUT', lost.stack);
  t.regex(lost.message, /loading a class's module ahead of its first use \(options\.preloadTypes\) ran for \d+ ms, past the call deadline of 1000 ms/);
  t.is(lost.serving, undefined);
  await client.close().catch(() => undefined);
  t.truthy(lost.workerEnd, 'the worker was ended');
});

test('close() is bounded by the call deadline when a pipelined call never returns', async (t) => {
  const client = start({ callTimeoutMs: 1000 });
  client.send(create(client));
  client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'spinForever', args: [] });
  client.send(create(client));
  const error = await t.throwsAsync(client.close());
  t.true(error instanceof KernelLostError);
  t.is((error as KernelLostError).code, 'ERR_RING_TIMEOUT');
  t.like((error as KernelLostError).serving, { member: 'spinForever', pipelined: true });
  t.is((error as KernelLostError).unserved, 2);
});

test('time in a host callback does not count against the call deadline; the kernel keeps serving', async (t) => {
  // A deadline loading the fixture cannot reach even on a loaded machine, and a handler that outlasts it.
  const client = start({ callTimeoutMs: 2000 });
  loadCalc(client);
  const id = client.allocateId();
  client.send({ api: 'create', fqn: 'Object', args: [], interfaces: [calcFqn('IFormatter')], overrides: [{ property: 'suffix' }], objid: id });
  let handled = 0;
  client.setCallbackHandler(() => {
    // The host takes more than twice the deadline; the kernel call waiting on it is not stuck.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    handled++;
    return undefined;
  });
  client.request({ api: 'sinvoke', fqn: calcFqn('Pipeline'), method: 'decorate', args: [refOf('Object', id), 'x'] });
  t.is(handled, 1);
  t.is(client.request({ api: 'stats' }).objectCount, 1);
  await client.close();
});

test('the call deadline is finite by default, and Infinity turns it off', (t) => {
  t.true(Number.isFinite(resolveClientOptions().callTimeoutMs));
  t.is(resolveClientOptions().callTimeoutMs, DEFAULT_CALL_TIMEOUT_MS);
  t.is(resolveClientOptions({ callTimeoutMs: Infinity }).callTimeoutMs, Infinity);
  t.throws(() => resolveClientOptions({ callTimeoutMs: 0 }), { instanceOf: RangeError, message: /options\.callTimeoutMs must be a positive number/ });
});

for (const where of ['sync', 'flush', 'ring']) {
  test(`running out of memory while the host waits (${where}) gives ERR_PEER_GONE, then the worker's own error`, (t) => {
    const child = path.join(__dirname, 'loss-child.js');
    const out = execFileSync(process.execPath, ['--max-old-space-size=96', child, where], { encoding: 'utf8', timeout: 120_000 });
    const result = JSON.parse(out.trim().split('\n').pop() as string) as Record<string, unknown>;
    t.is(result.code, 'ERR_PEER_GONE', JSON.stringify(result));
    t.like(result.serving as object, { member: 'hogMemory' });
    t.is(result.pending, result.unserved);
    t.is(result.workerErrorCode, 'ERR_WORKER_OUT_OF_MEMORY');
    t.regex(result.finalMessage as string, /ERR_WORKER_OUT_OF_MEMORY/);
  });
}
