/**
 * The differential conformance suite: every script runs on the reference `@jsii/runtime`
 * (a fresh process per script) and on our kernel (a fresh in-process kernel per script);
 * the transcripts must match, except at steps the script marks as deliberate differences.
 * The reference must also meet each script's own expectations (that validates the script).
 */
import test from 'ava';
import { ensureFixtures } from '../helpers/fixture.js';
import { startOurKernel } from '../helpers/our-kernel.js';
import { startReferenceRuntime } from '../helpers/reference-runtime.js';
import { repoRoot } from '../helpers/repo-root.js';
import { formatDifferences } from './comparator.js';
import { runScript } from './runner.js';
import { ALL_SCRIPTS } from './scripts/index.js';
import { saveTranscript } from './transcript-files.js';
import { judge } from './verdict.js';

const fixtures = ensureFixtures();

for (const script of ALL_SCRIPTS) {
  // Serial: one reference process at a time keeps the suite light on a shared machine.
  test.serial(script.name, async (t) => {
    const reference = startReferenceRuntime();
    const theirs = await runScript(script, reference, fixtures).finally(() => reference.close());
    const ourDriver = startOurKernel();
    const ours = await runScript(script, ourDriver, fixtures).finally(() => ourDriver.close());
    const paths = [saveTranscript(theirs), saveTranscript(ours)];

    t.deepEqual(theirs.expectationFailures, [], 'the reference no longer does what the script expects');
    const verdict = judge(script, theirs, ours, repoRoot());
    for (const d of verdict.allowed) t.log(`deliberate difference at [${d.step}] ${d.path}: ${d.reason}`);
    for (const step of verdict.unusedMarks) t.log(`step "${step}" is marked as a deliberate difference but matched the reference`);
    t.deepEqual(verdict.oursProblems, [], verdict.oursProblems.join('\n'));
    t.true(verdict.unexpected.length === 0,
      `our kernel differs from the reference:\n${formatDifferences(verdict.unexpected)}\ntranscripts: ${paths.join(' ')}`);
  });
}
