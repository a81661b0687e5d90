/**
 * The split of a build phase by the timeline of both threads (what the mode chart draws):
 * clipping to the phase, kernel time inside and outside the host's waits, and a real run
 * of the example app that records it.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AppRunResult } from '../../benchmarks/research/app-run.js';
import { runChild } from '../../benchmarks/research/child.js';
import { buildTimelineOf, measuredBreakdown } from '../../benchmarks/research/metrics.js';
import { splitShares } from '../../benchmarks/cdk/compare-modes.js';
import type { Timeline } from '../../lib/transports/timeline.js';

/** A timeline from host records [seq, issued, answered, pipelined] and kernel records [seq, read, end] (ms). */
function timeline(host: [number, number, number, 0 | 1][], kernel: [number, number, number][]): Timeline {
  return {
    host: host.flatMap(([seq, issued, answered, pipelined]) => [seq, issued, answered, pipelined, 0]),
    kernel: kernel.flatMap(([seq, read, end]) => [seq, read, read, read, end, 1]),
  };
}

test('the timeline of a phase: kernel busy clipped to it, sync waits and their idle part', (t) => {
  // A load running 0–30 (issued before the phase), a pipelined create 40–50, a sync get
  // issued at 50, served 55–60, answered at 62; a sync read served 80–90 after the phase.
  const tl = timeline(
    [[1, 0, 0, 1], [2, 40, 0, 1], [3, 50, 62, 0], [4, 78, 92, 0]],
    [[1, 0, 30], [2, 40, 50], [3, 55, 60], [4, 80, 90]],
  );
  const phase = buildTimelineOf(tl, 20, 70);
  // 20–30 of the load, the create, the get: 10 + 10 + 5.
  t.is(phase.kernelBusyMs, 25);
  t.is(phase.hostSyncWaitMs, 12);
  // The get's wait 50–62: the kernel was idle 50–55 and 60–62.
  t.is(phase.hostWaitKernelIdleMs, 7);
  // Nothing of a window before everything.
  t.deepEqual(buildTimelineOf(tl, -10, -5), { kernelBusyMs: 0, hostSyncWaitMs: 0, hostWaitKernelIdleMs: 0 });
});

test('measured breakdown: sync requests overlap nothing, pipelined kernel work beside host work does', (t) => {
  // Sync: 100 ms, the host waits 60 of it on sync requests, the kernel busy 50 inside them.
  const sync = measuredBreakdown({ wallMs: 100, hostWaitMs: 58 }, { kernelBusyMs: 50, hostSyncWaitMs: 60, hostWaitKernelIdleMs: 10 });
  t.deepEqual(sync, { hostOnly: 40, both: 0, kernelOnly: 50, waiting: 10 });
  // Pipelined: the kernel busy 70, of which 20 inside the host's sync waits and 10 while it
  // waited for a flush; the other 40 ran while the host worked.
  const pipelined = measuredBreakdown({ wallMs: 100, hostWaitMs: 35 }, { kernelBusyMs: 70, hostSyncWaitMs: 25, hostWaitKernelIdleMs: 5 });
  t.deepEqual(pipelined, { hostOnly: 25, both: 40, kernelOnly: 30, waiting: 5 });
  for (const parts of [sync, pipelined]) t.is(parts.hostOnly + parts.both + parts.kernelOnly + parts.waiting, 100);
  // As shares of the wall time.
  t.deepEqual(splitShares({ wallMs: 100, hostWaitMs: 35 } as never, { kernelBusyMs: 70, hostSyncWaitMs: 25, hostWaitKernelIdleMs: 5 }), { hostOnly: 0.25, both: 0.4, kernelOnly: 0.3, waiting: 0.05 });
});

test('an example app run that records the timeline reports its build phase split; a native run has none', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-timeline-'));
  t.teardown(() => fs.rmSync(out, { recursive: true, force: true }));
  const child = path.resolve(__dirname, '..', '..', 'benchmarks', 'research', 'app-child.js');
  const ring = (await runChild<AppRunResult>(child, { mode: 'ringSync', outdir: path.join(out, 'ring'), scale: 0.02, validation: false, buildOnly: true, timeline: true })).result;
  const split = ring.buildTimeline;
  t.truthy(split);
  t.true((split?.kernelBusyMs ?? 0) > 0 && (split?.hostSyncWaitMs ?? 0) > 0);
  t.true((split?.hostSyncWaitMs ?? 0) <= ring.phases.build.wallMs + 1);
  const shares = splitShares(ring.phases.build, split as NonNullable<typeof split>);
  t.true(Math.abs(shares.hostOnly + shares.both + shares.kernelOnly + shares.waiting - 1) < 0.001);
  const native = (await runChild<AppRunResult>(child, { mode: 'native', outdir: path.join(out, 'native'), scale: 0.02, validation: false, buildOnly: true, timeline: true })).result;
  t.is(native.buildTimeline, undefined);
});
