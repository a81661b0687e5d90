/**
 * Starting the kernel worker before its client (launch.ts, what `jsii-ring synth` does before
 * loading its modules): the first client with the same worker options takes it over; any
 * other client, or a worker that ended before it was taken, gets a fresh worker, and the
 * prelaunched one is ended. A taken-over worker serves exactly as a fresh one.
 */
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { DEFAULT_WORKER_LAUNCH, discardPrelaunched, hasPrelaunched, prelaunchKernel, takePrelaunched } from '../../lib/host/launch.js';
import { calcFqn, loadCalc, refOf } from './calc.js';

// One prelaunched worker per process: these tests must not interleave.
test.afterEach.always(() => discardPrelaunched());

/** A pipelined create and a sync invoke: the worker serves. */
function add(client: KernelClient): unknown {
  const id = client.allocateId();
  client.send({ api: 'create', fqn: calcFqn('Calculator'), args: [{ initialValue: 2 }], objid: id });
  return client.request({ api: 'invoke', objref: refOf(calcFqn('Calculator'), id), method: 'add', args: [3] });
}

test.serial('a client with the same worker options takes the prelaunched worker over', async (t) => {
  const launched = prelaunchKernel();
  t.true(hasPrelaunched());
  const client = KernelClient.start();
  try {
    t.true(client.prelaunched);
    t.is(client.worker, launched.worker);
    t.false(hasPrelaunched());
    loadCalc(client);
    t.deepEqual(add(client), { result: 5 });
  } finally {
    await client.close();
  }
  // The next client starts its own.
  const next = KernelClient.start();
  t.false(next.prelaunched);
  await next.close();
});

test.serial('a client with other worker options ends the prelaunched worker and starts its own', async (t) => {
  const launched = prelaunchKernel();
  const client = KernelClient.start({ spin: 1234 });
  try {
    t.false(client.prelaunched);
    t.not(client.worker, launched.worker);
    t.false(hasPrelaunched());
    loadCalc(client);
    t.deepEqual(add(client), { result: 5 });
  } finally {
    await client.close();
  }
  // Ended, not left running.
  t.is(typeof (await launched.exited), 'number');
});

test.serial('a prelaunched worker that ended before it was taken is not taken', async (t) => {
  const launched = prelaunchKernel();
  await launched.worker.terminate();
  t.not(launched.exitCode, undefined);
  const client = KernelClient.start();
  try {
    t.false(client.prelaunched);
    loadCalc(client);
    t.deepEqual(add(client), { result: 5 });
  } finally {
    await client.close();
  }
});

test.serial('the worker options that must match: ring sizes, spin, call deadline, cache directory, types to preload', (t) => {
  for (const other of [{ requestRingBytes: 2 << 20 }, { callbackRingBytes: 1 << 20 }, { responseRingBytes: 2 << 20 }, { spin: 0 }, { callTimeoutMs: 1000 }, { cacheDir: '/tmp/elsewhere' }, { preloadTypes: ['a.B'] }]) {
    prelaunchKernel();
    t.is(takePrelaunched({ ...DEFAULT_WORKER_LAUNCH, ...other }), undefined, JSON.stringify(other));
    t.false(hasPrelaunched());
  }
  prelaunchKernel();
  const same = takePrelaunched({ ...DEFAULT_WORKER_LAUNCH });
  t.not(same, undefined);
  void same?.worker.terminate();
});
