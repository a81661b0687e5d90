/**
 * The runner gives the same transcript whether the driver calls back asynchronously (like
 * the reference over stdio) or synchronously (like an in-process kernel). Tested with a toy
 * kernel behind both kinds of driver.
 */
import test from 'ava';
import type { Callback, KernelRequest } from '../../lib/protocol/api.js';
import type { FixturePaths } from '../helpers/fixture.js';
import {
  unexpectedCallbackAnswer, type CallbackAnswer, type Envelope, type ProtocolDriver, type SyncProtocolDriver,
} from '../helpers/protocol-driver.js';
import { runScript } from './runner.js';
import type { ConformanceScript } from './script.js';

const FIXTURES: FixturePaths = { calc: { name: 'calc', version: '1', packageDir: '/x', tarball: '/x.tgz', sourceHash: 'h' } };

/**
 * A toy kernel: `sinvoke T.callTwice(x)` calls back `twice` and returns the answer plus 1;
 * `sinvoke T.add(a, b)` adds; anything else fails. Written as a generator of callbacks so
 * the same logic serves the sync and the async driver.
 */
function* toyKernel(req: KernelRequest): Generator<Callback, Envelope, CallbackAnswer> {
  if (req.api === 'sinvoke' && req.method === 'add') {
    const [a, b] = (req.args ?? []) as number[];
    return { ok: { result: (a ?? 0) + (b ?? 0) } };
  }
  if (req.api === 'sinvoke' && req.method === 'callTwice') {
    const answer = yield { cbid: `cb${String(req.args?.[0])}`, invoke: { objref: { '$jsii.byref': 'T@1' }, method: 'twice', args: [req.args?.[0]] } };
    if ('err' in answer) return { error: answer.err, name: '@jsii/kernel.RuntimeError' };
    return { ok: { result: (answer.result as number) + 1 } };
  }
  return { error: `toy kernel cannot ${req.api}`, name: '@jsii/kernel.Fault' };
}

class AsyncToy implements ProtocolDriver {
  public readonly label = 'async-toy';
  public onCallback: (cb: Callback, driver: ProtocolDriver) => Promise<CallbackAnswer> = async (cb) => unexpectedCallbackAnswer(cb);
  public async request(req: KernelRequest): Promise<Envelope> {
    const run = toyKernel(req);
    let step = run.next();
    while (!step.done) {
      await new Promise<void>((resolve) => setImmediate(resolve)); // a wire hop
      step = run.next(await this.onCallback(step.value, this));
    }
    return step.value;
  }
  public async close(): Promise<void> {}
}

class SyncToy implements SyncProtocolDriver {
  public readonly label = 'sync-toy';
  public onCallback: (cb: Callback, driver: ProtocolDriver) => Promise<CallbackAnswer> = async (cb) => unexpectedCallbackAnswer(cb);
  public onCallbackSync: (cb: Callback, driver: SyncProtocolDriver) => CallbackAnswer = (cb) => unexpectedCallbackAnswer(cb);
  public requestSync(req: KernelRequest): Envelope {
    const run = toyKernel(req);
    let step = run.next();
    while (!step.done) step = run.next(this.onCallbackSync(step.value, this));
    return step.value;
  }
  public async request(req: KernelRequest): Promise<Envelope> {
    return this.requestSync(req);
  }
  public async close(): Promise<void> {}
}

const SCRIPT: ConformanceScript = {
  name: 'toy',
  description: 'callbacks answered by value, by nested request (which itself calls back), and by error',
  steps: [
    { label: 'add', request: { api: 'sinvoke', fqn: 'T', method: 'add', args: [2, 3] }, expect: 'ok', expectOk: { result: 5 }, capture: { five: 'result' } },
    { label: 'by value', request: { api: 'sinvoke', fqn: 'T', method: 'callTwice', args: ['${five}'] }, expect: 'ok',
      expectOk: { result: 11 }, callbacks: [{ answers: [{ return: 10 }] }] },
    { label: 'nested', request: { api: 'sinvoke', fqn: 'T', method: 'callTwice', args: [1] }, expect: 'ok', expectOk: { result: 102 },
      callbacks: [
        { match: { member: 'twice' }, answers: [
          { nested: [{ api: 'sinvoke', fqn: 'T', method: 'callTwice', args: [7] }], return: 101 },
          { return: 50 },
        ] },
      ] },
    { label: 'error', request: { api: 'sinvoke', fqn: 'T', method: 'callTwice', args: [1] }, expect: 'error',
      errorName: '@jsii/kernel.RuntimeError', callbacks: [{ answers: [{ throw: 'no' }] }] },
    { label: 'expectation that fails', request: { api: 'stats' }, expect: 'ok' },
  ],
};

test('sync and async drivers produce identical transcripts', async (t) => {
  const viaAsync = await runScript(SCRIPT, new AsyncToy(), FIXTURES);
  const viaSync = await runScript(SCRIPT, new SyncToy(), FIXTURES);
  t.deepEqual(viaSync.entries, viaAsync.entries);
  t.deepEqual(viaSync.expectationFailures, viaAsync.expectationFailures);
});

test('the transcript records nesting depth and every callback answer', async (t) => {
  const result = await runScript(SCRIPT, new SyncToy(), FIXTURES);
  const nested = result.entries.filter((e) => e.step === 'nested').map((e) => `${e.kind}@${e.depth}`);
  t.deepEqual(nested, [
    'request@0', 'callback@0', 'request@1', 'callback@1', 'complete@1', 'response@1', 'complete@0', 'response@0',
  ]);
  t.deepEqual(result.expectationFailures.length, 1);
  t.regex(result.expectationFailures[0] ?? '', /^expectation that fails: expected ok, got error/);
  t.deepEqual(result.failedSteps, ['expectation that fails']);
});
