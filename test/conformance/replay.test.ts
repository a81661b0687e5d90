/**
 * The fast regression suite: the reference runtime's recorded transcripts
 * (`recordings/*.json`, made by `record.ts`) replayed against our kernel only.
 */
import test from 'ava';
import { ensureFixtures } from '../helpers/fixture.js';
import { startOurKernel } from '../helpers/our-kernel.js';
import { repoRoot } from '../helpers/repo-root.js';
import { formatDifferences } from './comparator.js';
import { readRecording, recordingNames, referenceRuntimeVersion, scriptHash, RECORDING_FORMAT } from './recording.js';
import { runScript } from './runner.js';
import { ALL_SCRIPTS, scriptNamed } from './scripts/index.js';
import { saveTranscript } from './transcript-files.js';
import { judge } from './verdict.js';

const RECORD_COMMAND = 'node dist/test/conformance/record.js';
const fixtures = ensureFixtures();

test('every script has a recording and every recording a script', (t) => {
  const recorded = new Set(recordingNames());
  const missing = ALL_SCRIPTS.map((s) => s.name).filter((name) => !recorded.has(name));
  const orphans = [...recorded].filter((name) => scriptNamed(name) === undefined);
  t.deepEqual(missing, [], `scripts without a recording: run ${RECORD_COMMAND} ${missing.join(' ')}`);
  t.deepEqual(orphans, [], `recordings without a script (delete them): ${orphans.join(', ')}`);
});

for (const name of recordingNames()) {
  test(`replay ${name}`, async (t) => {
    const recording = readRecording(name);
    const script = scriptNamed(name);
    if (recording === undefined || script === undefined) {
      t.fail(`recording ${name} has no script`);
      return;
    }
    t.is(recording.format, RECORDING_FORMAT, `recording format changed: run ${RECORD_COMMAND} ${name}`);
    t.is(recording.scriptHash, scriptHash(script), `the script changed since it was recorded: run ${RECORD_COMMAND} ${name}`);
    t.is(recording.runtime, referenceRuntimeVersion(), `recorded with another reference runtime: run ${RECORD_COMMAND} ${name}`);
    t.is(recording.fixtureHash, fixtures.calc.sourceHash, `the fixture library changed since it was recorded: run ${RECORD_COMMAND}`);

    const driver = startOurKernel({ label: 'ours-replay' });
    const ours = await runScript(script, driver, fixtures).finally(() => driver.close());
    const path = saveTranscript(ours);
    const verdict = judge(script, recording.transcript, ours, repoRoot());
    for (const d of verdict.allowed) t.log(`deliberate difference at [${d.step}] ${d.path}: ${d.reason}`);
    t.deepEqual(verdict.oursProblems, [], verdict.oursProblems.join('\n'));
    t.true(verdict.unexpected.length === 0,
      `our kernel differs from the recorded reference:\n${formatDifferences(verdict.unexpected)}\ntranscript: ${path}`);
  });
}
