/**
 * The two-thread timeline: the summary's arithmetic on a hand-made timeline, and a real
 * client recording both halves (the kernel's arrives with close()).
 */
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { resolveClientOptions } from '../../lib/host/options.js';
import { HOST_TIMELINE_FIELDS, KERNEL_TIMELINE_FIELDS, summarizeTimeline } from '../../lib/transports/timeline.js';

test('summary of a hand-made timeline: every figure from its definition', (t) => {
  // Host: #1 pipelined at 10; #2 sync issued at 12, answered at 30; #3 issued inside a
  // callback (depth 1, not counted); #4 sync issued at 40, answered at 45.
  const host = [1, 10, 0, 1, 0, 2, 12, 30, 0, 0, 3, 20, 0, 1, 1, 4, 40, 45, 0, 0];
  // Kernel: #1 waited from 5, read 11, served 12–20; #2 was already there: read 20, served
  // 21–26; #4 waited from 26, read 41, served 42–44.
  const kernel = [1, 5, 11, 12, 20, 1, 2, 20, 20, 21, 26, 0, 4, 26, 41, 42, 44, 1];
  const s = summarizeTimeline({ host, kernel });
  t.is(s.requests, 3);
  t.is(s.syncRequests, 2);
  t.is(s.wallMs, 44 - 10);
  t.is(s.kernelServeMs, 8 + 5 + 2);
  t.is(s.kernelDecodeMs, 1 + 1 + 1);
  // From the first request on: #1's wait before it was issued is not the host's doing.
  t.is(s.kernelWaitedForHostMs, 0 + (40 - 26));
  t.is(s.handoverMs, (11 - 10) + (41 - 40));
  t.is(s.hostSyncWaitMs, 18 + 5);
  // #2's wait 12–30: kernel busy 12–20 and 20–26 (read to end): idle 26–30 = 4. #4's 40–45:
  // busy 41–44: idle 2.
  t.is(s.hostWaitKernelIdleMs, 4 + 2);
  // A window of seqs: only #4.
  const late = summarizeTimeline({ host, kernel }, 3);
  t.is(late.requests, 1);
  t.is(late.kernelServeMs, 2);
  t.is(late.hostSyncWaitMs, 5);
});

test('an empty timeline summarizes to zeros', (t) => {
  const s = summarizeTimeline({ host: [], kernel: [] });
  t.deepEqual(Object.values(s), Object.values(s).map(() => 0));
});

test('a client with timeline on records every request on both threads, in order', async (t) => {
  const client = KernelClient.start({ timeline: true });
  for (let i = 0; i < 50; i++) {
    client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
    client.request({ api: 'stats' });
  }
  t.is(client.timeline?.kernel.length, 0, "the kernel's half arrives when the client closes");
  await client.close();
  const timeline = client.timeline;
  if (timeline === undefined) return t.fail('no timeline');
  const H = HOST_TIMELINE_FIELDS.length;
  const K = KERNEL_TIMELINE_FIELDS.length;
  t.is(timeline.host.length, 100 * H);
  t.is(timeline.kernel.length, 100 * K);
  const issued = new Map<number, number>();
  for (let i = 0; i < timeline.host.length; i += H) {
    const [seq, at, answered, pipelined] = timeline.host.slice(i, i + H) as number[];
    issued.set(seq as number, at as number);
    if (pipelined === 0) t.true((answered as number) >= (at as number));
  }
  let previousEnd = -Infinity;
  for (let i = 0; i < timeline.kernel.length; i += K) {
    const [seq, idleSince, read, start, end] = timeline.kernel.slice(i, i + K) as number[];
    t.true(issued.has(seq as number), `kernel record ${seq} has a host record`);
    t.true((idleSince as number) >= previousEnd && (read as number) >= (idleSince as number) && (start as number) >= (read as number) && (end as number) >= (start as number), `record ${seq} is in order`);
    t.true((read as number) >= (issued.get(seq as number) as number), `request ${seq} was read after it was issued`);
    previousEnd = end as number;
  }
  const summary = summarizeTimeline(timeline);
  t.is(summary.requests, 100);
  t.is(summary.syncRequests, 50);
  t.true(summary.kernelServeMs > 0 && summary.kernelServeMs <= summary.wallMs);
});

test('a client without the option records nothing; the option needs the ring transport', (t) => {
  const client = KernelClient.start();
  t.teardown(() => client.close());
  client.request({ api: 'stats' });
  t.is(client.timeline, undefined);
  t.is(t.throws(() => resolveClientOptions({ timeline: true, transport: 'stdio' }), { instanceOf: TypeError })?.message,
    "options.timeline needs transport 'ring' (got \"stdio\")");
  t.throws(() => resolveClientOptions({ timeline: 'yes' as never }), { instanceOf: TypeError });
});
