/**
 * The watchdog thread starts once the host has slept WATCHDOG_GRACE_MS in one wait on a
 * kernel (host/watchdog.ts, the rings' `beforeSleep`), not with the first client: short
 * sleeps never start it. A kernel that ends before the watchdog starts is still heard: its
 * lifeline waits in the watchdog's inbox, closed, and the blocked host is woken.
 * (One watchdog per thread, and this file has its own: these tests run in order.)
 */
import test from 'ava';
import { once } from 'node:events';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { KernelLostError } from '../../lib/host/kernel-lost.js';
import { setWatchdogGrace, watchdogRunning, watchdogStarts, watchdogThread, WATCHDOG_GRACE_MS } from '../../lib/host/watchdog.js';

/** A safety net: a missed death fails the request after this long instead of hanging the test. */
const SAFETY_TIMEOUT_MS = 30_000;

/** Waits for the worker to run (it is unreferenced: a timer keeps the event loop alive meanwhile). */
async function online(client: KernelClient): Promise<void> {
  const keepAlive = setInterval(() => undefined, 1000);
  await new Promise((resolve) => client.worker.once('online', resolve));
  clearInterval(keepAlive);
}

test.serial('sleeps shorter than the grace do not start the watchdog', async (t) => {
  // A long grace: on a loaded machine even a quick answer can take a sleep of 50 ms.
  const previous = setWatchdogGrace(60_000);
  t.teardown(() => setWatchdogGrace(previous));
  const client = KernelClient.start({ spin: 0 });
  for (let i = 0; i < 20; i++) client.request({ api: 'stats' });
  t.true(client.ringStats.response.sleeps > 0);
  t.false(watchdogRunning());
  await client.close();
});

test.serial('a kernel terminated before the watchdog started is heard once the host has slept the grace', async (t) => {
  t.is(WATCHDOG_GRACE_MS, 50);
  const client = KernelClient.spawn({ requestTimeoutMs: SAFETY_TIMEOUT_MS });
  await online(client);
  t.false(watchdogRunning());
  void client.worker.terminate();
  let lost: unknown;
  try {
    client.request({ api: 'stats' });
  } catch (error) {
    lost = error;
  }
  t.true(lost instanceof KernelLostError, String(lost));
  t.is((lost as KernelLostError).code, 'ERR_PEER_GONE');
  t.regex((lost as KernelLostError).message, /ended without saying why/);
  t.true(watchdogRunning());
  await client.close().catch(() => undefined);
});

test.serial('the watchdog ends with the last watched kernel, and starts again when a later client blocks', async (t) => {
  // The previous test's client is closed: nothing is watched, so the thread was ended then.
  t.false(watchdogRunning());
  const previous = setWatchdogGrace(0);
  t.teardown(() => setWatchdogGrace(previous));
  const first = KernelClient.start({ spin: 0 });
  const second = KernelClient.start({ spin: 0 });
  for (let i = 0; i < 10; i++) first.request({ api: 'stats' });
  const thread = watchdogThread();
  t.not(thread, undefined);
  const exited = once(thread!, 'exit');
  // Still watching the second kernel: the thread stays.
  await first.close();
  t.is(watchdogThread(), thread);
  for (let i = 0; i < 10; i++) second.request({ api: 'stats' });
  await second.close();
  t.false(watchdogRunning());
  // Ended, not merely forgotten: the thread exits (the test would time out otherwise).
  const keepAlive = setInterval(() => undefined, 1000);
  await exited;
  clearInterval(keepAlive);
  // A later client that blocks starts a new one, and a death is still heard through it.
  const starts = watchdogStarts();
  const third = KernelClient.start({ spin: 0, requestTimeoutMs: SAFETY_TIMEOUT_MS });
  third.request({ api: 'stats' });
  t.true(watchdogRunning());
  t.is(watchdogStarts(), starts + 1);
  t.not(watchdogThread(), thread);
  void third.worker.terminate();
  const lost = t.throws(() => {
    for (;;) third.request({ api: 'stats' });
  });
  t.is((lost as KernelLostError).code, 'ERR_PEER_GONE');
  await third.close().catch(() => undefined);
});
