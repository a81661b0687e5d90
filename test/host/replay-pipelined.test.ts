/**
 * The conformance recordings replayed through the ring in pipelined mode, at pending caps 1,
 * 16 and unlimited (see pipelined-driver.ts for what is pipelined and how failures are
 * mapped back to their steps). The transcripts must match the recorded reference exactly as
 * the sync replay does.
 *
 * Not pipelined, by construction (they run as sync requests in these replays, so their
 * comparison still holds):
 * - steps during which the reference made callbacks (the callback would be served while
 *   the runner is at a later step and answered by that step's rules);
 * - `create` with `interfaces` (its answer lists the interfaces the class does not already
 *   declare, which the host cannot know without asking);
 * - `get`/`sget`/`invoke`/`sinvoke` with a result: the runner reads every result;
 * - requests made by callback handlers (the runner reads each nested answer).
 */
import test from 'ava';
import { ensureFixtures } from '../helpers/fixture.js';
import { startPipelinedDriver, VoidMethods } from './pipelined-driver.js';
import type { PipelineReport } from './pipelined-driver.js';
import { assertReplayMatches, recordedScripts } from './replay.js';
import type { KnownDifference } from './replay.js';

const CAPS = [1, 16, Infinity] as const;

/**
 * Steps that cannot match the plain-protocol recording once their script's creates carry
 * host ids. Each must show exactly this difference (so the list cannot go stale).
 */
const KNOWN: Record<string, readonly KnownDifference[]> = {
  'malformed-args': [{
    step: 'byref with the wrong type name',
    path: 'entry 0 (request).request.objref.$jsii.byref',
    note: 'object identity differs',
    reason: 'the script hard-codes the kernel-minted id 10000 (given to "create c" by the reference); '
      + 'pipelined, that create took a host id, so 10000 names nothing on our side. Both sides still fail with a Fault.',
  }],
  'override-errors': [{
    step: 'stats',
    path: 'entry 1 (response).envelope.ok.objectCount',
    note: 'different values',
    reason: 'a create whose overrides are invalid leaves the object registered in the reference (it shows in stats); '
      + 'with a host id our kernel removes it, so the failed id names nothing (lib/kernel/object-requests.ts, create)',
  }],
};
const voids = new VoidMethods(ensureFixtures().calc);

/** What a known script must pipeline and see fail (so the mapping is proven, not assumed). */
const EXPECTED: Record<string, { readonly pipelined: readonly string[]; readonly failed: readonly string[] }> = {
  'create-and-del': {
    pipelined: ['create c', 'create c2', 'del c', 'del twice', 'del unknown'],
    failed: ['del twice', 'del unknown'],
  },
  'create-errors': {
    pipelined: ['unknown fqn', 'unknown assembly', 'interface fqn', 'enum fqn', 'struct fqn', 'too many args',
      'missing required arg', 'wrong arg type', 'struct arg with wrong field type'],
    failed: ['unknown fqn', 'unknown assembly', 'interface fqn', 'enum fqn', 'struct fqn', 'too many args',
      'missing required arg', 'wrong arg type', 'struct arg with wrong field type'],
  },
};

for (const { script, recording } of recordedScripts()) {
  for (const cap of CAPS) {
    test(`ring, pipelined (cap ${cap}): ${script.name}`, async (t) => {
      let report: PipelineReport | undefined;
      let counts: { sent: number; failed: number } | undefined;
      await assertReplayMatches(t, script, recording, () => {
        const driver = startPipelinedDriver(`ring-cap${cap}`, { pendingCap: cap }, script, recording, voids);
        report = driver.report;
        const close = driver.close.bind(driver);
        driver.close = async () => {
          counts = { sent: driver.client.stats.pipelinedTotal, failed: driver.client.stats.pipelinedFailures };
          await close();
        };
        return driver;
      }, KNOWN[script.name]);
      // Every step the driver pipelined went out with send(), and every failure the client
      // counted was mapped back to exactly one step: nothing dropped, nothing invented.
      t.is(counts?.sent, report?.pipelined.length);
      t.is(counts?.failed, report?.failed.length);
      const expected = EXPECTED[script.name];
      if (expected !== undefined) {
        t.deepEqual(report?.pipelined, expected.pipelined);
        t.deepEqual(report?.failed, expected.failed);
      }
    });
  }
}
