/**
 * Runs a conformance script on any `ProtocolDriver` and returns the transcript: every
 * request, callback, callback answer and response, in the order they happened, with the
 * nesting depth of each. The runner never throws for what a kernel does: failures of the
 * kernel or the driver end up in the transcript, failed expectations in `expectationFailures`.
 */
import type { Callback, KernelRequest } from '../../lib/protocol/api.js';
import type { FixturePaths } from '../helpers/fixture.js';
import {
  isSyncDriver, type CallbackAnswer, type Envelope, type ProtocolDriver,
} from '../helpers/protocol-driver.js';
import { stepLabel, type CallbackAction, type CallbackRule, type ConformanceScript, type Step } from './script.js';
import { lookupPath, substitute, type Captures } from './templates.js';

/** One event of a conversation. */
export type TranscriptEntry =
  | { readonly kind: 'request'; readonly step: string; readonly depth: number; readonly request: unknown }
  | { readonly kind: 'response'; readonly step: string; readonly depth: number; readonly envelope: Envelope }
  | { readonly kind: 'callback'; readonly step: string; readonly depth: number; readonly callback: Callback }
  | { readonly kind: 'complete'; readonly step: string; readonly depth: number; readonly answer: CallbackAnswer }
  | { readonly kind: 'driver-failure'; readonly step: string; readonly depth: number; readonly message: string };

/** The record of one script run on one driver. */
export interface Transcript {
  readonly script: string;
  readonly driver: string;
  readonly entries: TranscriptEntry[];
  /** Steps whose outcome differed from the script's `expect`/`errorName`/`expectOk`. */
  readonly expectationFailures: string[];
  /** Labels of the steps with an entry in `expectationFailures` (labels may contain ':'). */
  readonly failedSteps: string[];
  /** Step labels not run because the driver failed earlier. */
  readonly skippedSteps: string[];
}

/** A nested-request program: yields requests, receives their envelopes, returns the answer. */
type AnswerProgram = Generator<KernelRequest, CallbackAnswer, Envelope>;

interface RunState {
  readonly captures: Captures;
  readonly transcript: Transcript;
  /** Next answer index per rule (answers are used in order, the last repeats). */
  readonly ruleUses: Map<CallbackRule, number>;
  step: Step;
  label: string;
  depth: number;
}

/** Initial captures every script can use. */
export function baseCaptures(fixtures: FixturePaths): Captures {
  return new Map<string, unknown>([['calc', { ...fixtures.calc }]]);
}

/** Runs `script` on `driver` (which should be fresh: ids and statics depend on history). */
export async function runScript(script: ConformanceScript, driver: ProtocolDriver, fixtures: FixturePaths): Promise<Transcript> {
  const transcript: Transcript = { script: script.name, driver: driver.label, entries: [], expectationFailures: [], failedSteps: [], skippedSteps: [] };
  const first = script.steps[0];
  if (first === undefined) return transcript;
  const state: RunState = {
    captures: baseCaptures(fixtures), transcript, ruleUses: new Map(), step: first, label: stepLabel(first, 0), depth: 0,
  };
  installCallbackHandlers(driver, state);

  for (const [index, step] of script.steps.entries()) {
    // As over a wire, the kernel's event loop turns between two requests: work the library
    // scheduled (promise continuations, timers of 0 ms) has run before the next request.
    await new Promise<void>((resolve) => setImmediate(resolve));
    state.step = step;
    state.label = stepLabel(step, index);
    state.depth = 0;
    const request = substitute(step.request, state.captures) as KernelRequest;
    record(state, { kind: 'request', step: state.label, depth: 0, request });
    let envelope: Envelope;
    try {
      envelope = await driver.request(request);
    } catch (error) {
      record(state, { kind: 'driver-failure', step: state.label, depth: 0, message: (error as Error).message });
      transcript.skippedSteps.push(...script.steps.slice(index + 1).map((s, i) => stepLabel(s, index + 1 + i)));
      if (step.referenceCrashes === undefined) {
        fail(transcript, state.label, `driver failed: ${(error as Error).message}`);
      }
      break;
    }
    record(state, { kind: 'response', step: state.label, depth: 0, envelope });
    checkExpectation(state, envelope);
    captureFrom(state, envelope);
  }
  return transcript;
}

function installCallbackHandlers(driver: ProtocolDriver, state: RunState): void {
  driver.onCallback = async (cb, self) => {
    const program = answerProgram(state, cb);
    let next = program.next();
    while (!next.done) {
      let envelope: Envelope;
      try {
        envelope = await self.request(next.value);
      } catch (error) {
        envelope = { error: `driver failure: ${(error as Error).message}`, name: 'driver.Failure' };
      }
      next = program.next(envelope);
    }
    return next.value;
  };
  if (isSyncDriver(driver)) {
    driver.onCallbackSync = (cb, self) => {
      const program = answerProgram(state, cb);
      let next = program.next();
      while (!next.done) {
        next = program.next(self.requestSync(next.value));
      }
      return next.value;
    };
  }
}

/** Answers one callback as the step's rules say, recording everything it does. */
function* answerProgram(state: RunState, cb: Callback): AnswerProgram {
  const depth = state.depth;
  record(state, { kind: 'callback', step: state.label, depth, callback: cb });
  const action = chooseAction(state, cb);
  const scope: Captures = new Map(state.captures);
  scope.set('$cb', cb);
  scope.set('$args', cb.invoke?.args ?? []);
  scope.set('$value', cb.set?.value);
  scope.set('$objref', (cb.invoke ?? cb.get ?? cb.set)?.objref);

  let answer: CallbackAnswer;
  if (action === undefined) {
    answer = { err: `no rule of step ${state.label} answers callback ${describeCallback(cb)}`, name: '@jsii/kernel.Fault' };
  } else if ('return' in action && !('nested' in action)) {
    answer = { result: substitute(action.return, scope) };
  } else if ('throw' in action) {
    answer = action.name === undefined ? { err: action.throw } : { err: action.throw, name: action.name };
  } else {
    answer = yield* nestedRequests(state, action, scope, depth + 1);
  }
  record(state, { kind: 'complete', step: state.label, depth, answer });
  return answer;
}

function* nestedRequests(
  state: RunState,
  action: Extract<CallbackAction, { nested: readonly unknown[] }>,
  scope: Captures,
  depth: number,
): AnswerProgram {
  for (const [i, template] of action.nested.entries()) {
    const request = substitute(template, scope) as KernelRequest;
    record(state, { kind: 'request', step: state.label, depth, request });
    state.depth = depth;
    const envelope: Envelope = yield request;
    state.depth = depth - 1;
    record(state, { kind: 'response', step: state.label, depth, envelope });
    if ('error' in envelope) {
      if (!action.ignoreErrors) {
        return envelope.name === undefined ? { err: envelope.error } : { err: envelope.error, name: envelope.name };
      }
      scope.set(`$n${i}`, envelope);
    } else {
      scope.set(`$n${i}`, envelope.ok);
    }
  }
  return { result: substitute(action.return, scope) };
}

function chooseAction(state: RunState, cb: Callback): CallbackAction | undefined {
  for (const rule of state.step.callbacks ?? []) {
    if (!matches(rule, cb)) continue;
    const used = state.ruleUses.get(rule) ?? 0;
    state.ruleUses.set(rule, used + 1);
    return rule.answers[Math.min(used, rule.answers.length - 1)];
  }
  return undefined;
}

function matches(rule: CallbackRule, cb: Callback): boolean {
  const m = rule.match;
  if (m === undefined) return true;
  const kind = cb.invoke ? 'invoke' : cb.get ? 'get' : 'set';
  const member = cb.invoke?.method ?? cb.get?.property ?? cb.set?.property;
  return (m.kind === undefined || m.kind === kind)
    && (m.member === undefined || m.member === member)
    && (m.cookie === undefined || m.cookie === cb.cookie);
}

function describeCallback(cb: Callback): string {
  if (cb.invoke) return `invoke ${cb.invoke.method}`;
  if (cb.get) return `get ${cb.get.property}`;
  if (cb.set) return `set ${cb.set.property}`;
  return JSON.stringify(cb);
}

function checkExpectation(state: RunState, envelope: Envelope): void {
  const { step, label, transcript } = state;
  const got = 'ok' in envelope ? 'ok' : 'error';
  if (got !== step.expect) {
    const detail = 'error' in envelope ? `${envelope.name}: ${envelope.error}` : JSON.stringify(envelope.ok);
    fail(transcript, label, `expected ${step.expect}, got ${got} (${detail})`);
    return;
  }
  if ('error' in envelope) {
    if (step.errorName !== undefined && envelope.name !== step.errorName) {
      fail(transcript, label, `expected error ${step.errorName}, got ${envelope.name}: ${envelope.error}`);
    }
    if (typeof envelope.error !== 'string' || envelope.error === '') {
      fail(transcript, label, 'error without a message');
    }
  } else if (step.expectOk !== undefined && JSON.stringify(envelope.ok) !== JSON.stringify(step.expectOk)) {
    fail(transcript, label, `expected ok ${JSON.stringify(step.expectOk)}, got ${JSON.stringify(envelope.ok)}`);
  }
}

function captureFrom(state: RunState, envelope: Envelope): void {
  if (!('ok' in envelope) || state.step.capture === undefined) return;
  for (const [name, path] of Object.entries(state.step.capture)) {
    const found = lookupPath(envelope.ok, path);
    if (found.found) {
      state.captures.set(name, found.value);
    } else {
      fail(state.transcript, state.label, `nothing at '${path}' to capture as '${name}' in ${JSON.stringify(envelope.ok)}`);
    }
  }
}

function fail(transcript: Transcript, label: string, message: string): void {
  transcript.expectationFailures.push(`${label}: ${message}`);
  if (!transcript.failedSteps.includes(label)) transcript.failedSteps.push(label);
}

function record(state: RunState, entry: TranscriptEntry): void {
  state.transcript.entries.push(entry);
}
