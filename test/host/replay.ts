/**
 * Replays the reference runtime's recorded transcripts (`test/conformance/recordings`)
 * through a transport driver and judges the result exactly as
 * `test/conformance/replay.test.ts` does for the in-process kernel: same comparator, same
 * verdict, same script expectations.
 */
import type { ExecutionContext } from 'ava';
import { formatDifferences } from '../conformance/comparator.js';
import type { Difference } from '../conformance/comparator.js';
import { readRecording, recordingNames } from '../conformance/recording.js';
import type { Recording } from '../conformance/recording.js';
import { runScript } from '../conformance/runner.js';
import type { Transcript } from '../conformance/runner.js';
import type { ConformanceScript } from '../conformance/script.js';
import { scriptNamed } from '../conformance/scripts/index.js';
import { saveTranscript } from '../conformance/transcript-files.js';
import { judge } from '../conformance/verdict.js';
import { ensureFixtures } from '../helpers/fixture.js';
import type { FixturePaths } from '../helpers/fixture.js';
import type { ProtocolDriver } from '../helpers/protocol-driver.js';
import { repoRoot } from '../helpers/repo-root.js';

/** A driver under replay; `afterRun` may amend the transcript (pipelined failures). */
export interface ReplayDriver extends ProtocolDriver {
  /** Called once the script ran, before `close()`: settle what is still in flight. */
  afterRun?(transcript: Transcript): void;
}

/** Every recorded script, with its recording. */
export function recordedScripts(): { script: ConformanceScript; recording: Recording }[] {
  const out: { script: ConformanceScript; recording: Recording }[] = [];
  for (const name of recordingNames()) {
    const script = scriptNamed(name);
    const recording = readRecording(name);
    if (script === undefined || recording === undefined) {
      throw new Error(`recording ${name} has no script`);
    }
    out.push({ script, recording });
  }
  return out;
}

let fixtures: FixturePaths | undefined;

/**
 * Replays running at once in this process. ava starts every test of a file together; a
 * kernel worker (or a stdio child and its relay) per script, all at once, would only make
 * two busy cores thrash.
 */
const MAX_RUNNING = 4;
let running = 0;
const queue: (() => void)[] = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) {
    await new Promise<void>((resolve) => queue.push(resolve));
  } else {
    running++;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter (or give it back).
    const next = queue.shift();
    if (next !== undefined) next();
    else running--;
  }
}

/**
 * A difference a transport mode is known to show for a script, with the reason. It must
 * occur exactly (step, path and note), so a stale allowance fails the test.
 */
export interface KnownDifference {
  readonly step: string;
  readonly path: string;
  readonly note: string;
  readonly reason: string;
}

/**
 * Runs `script` on a fresh driver and asserts it matches the recorded reference, apart from
 * `known` differences, each of which must be seen.
 */
export async function assertReplayMatches(
  t: ExecutionContext,
  script: ConformanceScript,
  recording: Recording,
  start: () => ReplayDriver,
  known: readonly KnownDifference[] = [],
): Promise<Transcript> {
  const paths = fixtures ??= ensureFixtures();
  const ours = await slot(async () => {
    const driver = start();
    try {
      const transcript = await runScript(script, driver, paths);
      driver.afterRun?.(transcript);
      return { transcript, label: driver.label };
    } finally {
      await driver.close();
    }
  });
  const verdict = judge(script, recording.transcript, ours.transcript, repoRoot());
  const isKnown = (d: Difference, k: KnownDifference): boolean => d.step === k.step && d.path === k.path && d.note.startsWith(k.note);
  const unexpected = verdict.unexpected.filter((d) => !known.some((k) => isKnown(d, k)));
  const problems = verdict.oursProblems.length > 0 || unexpected.length > 0;
  const path = problems ? saveTranscript(ours.transcript) : '(not saved)';
  t.deepEqual(verdict.oursProblems, [], `${verdict.oursProblems.join('\n')}\ntranscript: ${path}`);
  t.true(unexpected.length === 0,
    `${ours.label} differs from the recorded reference:\n${formatDifferences(unexpected)}\ntranscript: ${path}`);
  for (const k of known) {
    t.true(verdict.unexpected.some((d) => isKnown(d, k)), `known difference not seen (stale?): [${k.step}] ${k.path}: ${k.note}`);
    t.log(`known ${ours.label} difference at [${k.step}] ${k.path}: ${k.reason}`);
  }
  return ours.transcript;
}
