/**
 * 250,000 requests through the ring: pipelined sets, creates and deletes, sync reads,
 * callbacks and injected failures, in a fixed mix. Every request is counted on both sides
 * of the assertion, every failure reported once, every read answers the value last
 * written; and neither thread's stack nor heap grows with the number of requests (a
 * recursion probe and a post-GC heap reading taken inside the kernel thread by a probe
 * library, and the same on the host inside a callback handler).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { PipelinedRequestError } from '../../lib/host/pipeline.js';
import { calcFqn, loadCalc, refOf } from './calc.js';
import { PROBE_CLASS, loadProbe, tempRoot, writeProbePackage } from './probe-package.js';

const TOTAL = 250_000;
const MIB = 1024 * 1024;
/** Heap growth allowed between the middle and the end of the run (post-GC, per thread). */
const HEAP_SLACK = 16 * MIB;

/** Frames this thread can still push from here. */
function hostStackDepth(): number {
  let depth = 0;
  const dive = (): void => {
    depth++;
    dive();
  };
  try {
    dive();
  } catch {
    // RangeError: the bottom of the stack.
  }
  return depth;
}

let collect: (() => void) | undefined;
function hostHeapUsed(): number {
  if (collect === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  return process.memoryUsage().heapUsed;
}

test(`${TOTAL.toLocaleString('en')} requests through the ring: all counted, stacks and heaps flat`, async (t) => {
  const { root, remove } = tempRoot();
  t.teardown(remove);
  const client = KernelClient.start();
  t.teardown(() => client.terminate());
  loadCalc(client);
  loadProbe(client, writeProbePackage(root));

  const calcId = client.allocateId();
  const calc = refOf(calcFqn('Calculator'), calcId);
  client.send({ api: 'create', fqn: calcFqn('Calculator'), args: [], objid: calcId });
  const formatterId = client.allocateId();
  const formatter = refOf('Object', formatterId);
  client.send({ api: 'create', fqn: 'Object', args: [], interfaces: [calcFqn('IFormatter')], overrides: [{ property: 'suffix' }], objid: formatterId });
  const baseObjects = 2;

  let hostDepthInCallback = 0;
  let callbacks = 0;
  const suffixes: unknown[] = [];
  client.setCallbackHandler((cb) => {
    callbacks++;
    suffixes.push(cb.set?.value);
    hostDepthInCallback = hostStackDepth();
    return undefined;
  });
  const probe = (): { kernelDepth: number; kernelHeap: number; hostDepth: number; hostHeap: number } => {
    client.send({ api: 'sinvoke', fqn: calcFqn('Pipeline'), method: 'decorate', args: [formatter, 'probe'] });
    client.flush();
    return {
      kernelDepth: client.request({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'stackDepth', args: [] }).result as number,
      kernelHeap: client.request({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'heapUsed', args: [] }).result as number,
      hostDepth: hostDepthInCallback,
      hostHeap: hostHeapUsed(),
    };
  };
  // Warm up the probes (their own code gets compiled and optimized), then take the baseline.
  probe();
  probe();
  const before = probe();
  const startCount = client.stats.pipelinedTotal + client.stats.syncPoints;

  let issued = 0;
  let lastValue = 0;
  let injected = 0;
  let reported = 0;
  let reads = 0;
  let middle: ReturnType<typeof probe> | undefined;
  const read = (): number => {
    issued++;
    reads++;
    try {
      return client.request({ api: 'get', objref: calc, property: 'value' }).value as number;
    } catch (error) {
      if (!(error instanceof PipelinedRequestError)) throw error;
      reported += 1 + error.others.length;
      // The read was served; its answer gave way to the deferred failures. Ask again.
      issued++;
      return client.request({ api: 'get', objref: calc, property: 'value' }).value as number;
    }
  };

  for (let block = 0; issued < TOTAL; block++) {
    for (let i = 0; i < 80; i++) {
      lastValue = block * 100 + i;
      client.send({ api: 'set', objref: calc, property: 'value', value: lastValue });
    }
    for (let i = 0; i < 5; i++) {
      const id = client.allocateId();
      client.send({ api: 'create', fqn: 'Object', objid: id });
      client.send({ api: 'del', objref: refOf('Object', id) });
    }
    issued += 90;
    if (block % 7 === 0) {
      client.send({ api: 'del', objref: refOf('Object', 'h999999999') });
      issued++;
      injected++;
    }
    if (block % 50 === 0) {
      client.send({ api: 'sinvoke', fqn: calcFqn('Pipeline'), method: 'decorate', args: [formatter, `b${block}`] });
      issued++;
    }
    // A sync read every fourth block: the pipeline runs past the default cap (64) between
    // reads, so the host also waits for room.
    if (block % 4 === 3 && read() !== lastValue) {
      t.fail(`block ${block}: read ${String(lastValue)} back wrong`);
      break;
    }
    if (middle === undefined && issued >= TOTAL / 2) {
      middle = probe();
    }
  }
  client.flush();
  const after = probe();

  t.true(issued >= TOTAL);
  // The client counted exactly the requests issued (plus the probes' own).
  const probesIssued = (client.stats.pipelinedTotal + client.stats.syncPoints) - startCount - issued;
  t.is(probesIssued, 2 * 3, 'two probes during and after the loop, three requests each');
  t.is(reported, injected, 'every injected failure was reported once');
  t.is(client.stats.pipelinedFailures, injected);
  t.true(callbacks > TOTAL / 5000, `callbacks served: ${callbacks}`);
  t.is(client.request({ api: 'stats' }).objectCount, baseObjects);
  t.is(client.request({ api: 'get', objref: calc, property: 'value' }).value, lastValue);
  // Callbacks came in the order their requests were issued.
  const blocks = suffixes.filter((s) => s !== 'probe').map((s) => Number(String(s).slice(1)));
  t.deepEqual(blocks, [...blocks].sort((a, b) => a - b));
  t.is(suffixes.length, callbacks);

  // Stacks: the frames still available inside a library call (kernel thread) and inside a
  // callback handler (host thread) must not shrink with the requests served.
  const mid = middle as NonNullable<typeof middle>;
  t.true(after.kernelDepth >= before.kernelDepth * 0.9, `kernel stack: ${before.kernelDepth} frames free before, ${after.kernelDepth} after`);
  t.true(after.hostDepth >= before.hostDepth * 0.9, `host stack: ${before.hostDepth} frames free before, ${after.hostDepth} after`);
  // Heaps (post-GC): bounded between the middle and the end of the run.
  t.true(after.kernelHeap - mid.kernelHeap < HEAP_SLACK, `kernel heap: ${mb(mid.kernelHeap)} in the middle, ${mb(after.kernelHeap)} after`);
  t.true(after.hostHeap - mid.hostHeap < HEAP_SLACK, `host heap: ${mb(mid.hostHeap)} in the middle, ${mb(after.hostHeap)} after`);
  t.log(`${issued} requests (${reads} sync reads, ${injected} failures, ${callbacks} callbacks, ${client.stats.capWaits} cap waits); `
    + `kernel stack ${before.kernelDepth} → ${after.kernelDepth} frames, host stack ${before.hostDepth} → ${after.hostDepth}; `
    + `kernel heap ${mb(before.kernelHeap)} → ${mb(mid.kernelHeap)} → ${mb(after.kernelHeap)}, host heap ${mb(before.hostHeap)} → ${mb(mid.hostHeap)} → ${mb(after.hostHeap)}`);
  await client.close();
});

function mb(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}
