/**
 * The conformance recordings replayed through the transports in sync mode: the ring to a
 * worker kernel with `pendingCap: 0`, and the stdio transport to our kernel served as a
 * jsii runtime (`jsii-ring serve --stdio`). Both must answer exactly as the recorded
 * reference runtime did, outside the scripts' deliberate differences.
 */
import test from 'ava';
import { assertReplayMatches, recordedScripts } from './replay.js';
import { startRingDriver } from './ring-driver.js';

for (const { script, recording } of recordedScripts()) {
  test(`ring, sync: ${script.name}`, async (t) => {
    await assertReplayMatches(t, script, recording, () => startRingDriver('ring-sync', { pendingCap: 0 }));
  });

  test(`stdio (our kernel): ${script.name}`, async (t) => {
    await assertReplayMatches(t, script, recording, () => startRingDriver('stdio-ours', { transport: 'stdio', stdioKernel: 'ours' }));
  });
}
