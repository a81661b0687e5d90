/**
 * Judges our transcript of a script against the reference's: which differences are bugs,
 * which are deliberate (marked in the script with a reason), and whether our kernel met the
 * checks that apply to it alone (no driver failure, library frames in error stacks).
 */
import { compareTranscripts, type Difference } from './comparator.js';
import type { Transcript } from './runner.js';
import { stepLabel, type ConformanceScript } from './script.js';

/** A deliberate difference that was observed. */
export interface AllowedDifference extends Difference {
  readonly reason: string;
}

/** The outcome of one comparison. */
export interface Verdict {
  /** Differences at steps not marked as deliberate: bugs. */
  readonly unexpected: Difference[];
  /** Differences at steps marked as deliberate, with the script's reason. */
  readonly allowed: AllowedDifference[];
  /** Steps marked as deliberately different that did not differ (the mark may be stale). */
  readonly unusedMarks: string[];
  /** Problems with our side alone: driver failures, stacks missing library frames. */
  readonly oursProblems: string[];
}

/** Which steps may differ, and why. */
export function allowedSteps(script: ConformanceScript): Map<string, string> {
  const allowed = new Map<string, string>();
  for (const mark of script.differences ?? []) allowed.set(mark.step, mark.reason);
  let crashed: string | undefined;
  script.steps.forEach((step, index) => {
    const label = stepLabel(step, index);
    if (crashed !== undefined) {
      allowed.set(label, `the reference runtime is gone since step "${crashed}"`);
    } else if (step.referenceCrashes !== undefined) {
      crashed = label;
      allowed.set(label, `${step.referenceCrashes}; our kernel answers with an error instead`);
    }
  });
  return allowed;
}

/** Compares `ours` against `reference` for `script`. */
export function judge(script: ConformanceScript, reference: Transcript, ours: Transcript, root = ''): Verdict {
  const allowed = allowedSteps(script);
  const verdict: Verdict = { unexpected: [], allowed: [], unusedMarks: [], oursProblems: [] };
  const differing = new Set<string>();
  for (const difference of compareTranscripts(reference, ours, root)) {
    const reason = allowed.get(difference.step);
    differing.add(difference.step);
    if (reason === undefined) verdict.unexpected.push(difference);
    else verdict.allowed.push({ ...difference, reason });
  }
  for (const mark of script.differences ?? []) {
    if (!differing.has(mark.step)) verdict.unusedMarks.push(mark.step);
  }
  verdict.oursProblems.push(...oursOnlyProblems(script, ours));
  // A second line of defence behind the comparison: outside deliberate differences, our
  // kernel must also meet the script's own expectations.
  ours.failedSteps.forEach((label) => {
    if (allowed.has(label)) return;
    const messages = ours.expectationFailures.filter((m) => m.startsWith(`${label}: `));
    verdict.oursProblems.push(...messages.map((m) => `[${label}] expectation not met: ${m.slice(label.length + 2)}`));
  });
  return verdict;
}

function oursOnlyProblems(script: ConformanceScript, ours: Transcript): string[] {
  const problems: string[] = [];
  for (const entry of ours.entries) {
    if (entry.kind === 'driver-failure') problems.push(`[${entry.step}] driver failure: ${entry.message}`);
  }
  script.steps.forEach((step, index) => {
    if (step.oursStackMentions === undefined) return;
    const label = stepLabel(step, index);
    const response = ours.entries.find((e) => e.kind === 'response' && e.step === label && e.depth === 0);
    if (response?.kind !== 'response' || !('error' in response.envelope)) {
      problems.push(`[${label}] expected an error whose stack shows the library's frames`);
      return;
    }
    const stack = response.envelope.stack ?? '';
    const missing = step.oursStackMentions.filter((frame) => !stack.includes(frame));
    if (missing.length > 0) {
      problems.push(`[${label}] error stack lacks the library frames ${missing.join(', ')}:\n${stack}`);
    }
  });
  return problems;
}
