/** The transcript comparator: what it forgives (numbering, stacks, messages) and what it never does. */
import test from 'ava';
import type { Envelope } from '../helpers/protocol-driver.js';
import { compareTranscripts, splitRef } from './comparator.js';
import type { Transcript, TranscriptEntry } from './runner.js';

function transcript(entries: TranscriptEntry[]): Transcript {
  return { script: 's', driver: 'd', entries, expectationFailures: [], failedSteps: [], skippedSteps: [] };
}
function response(step: string, envelope: Envelope): TranscriptEntry {
  return { kind: 'response', step, depth: 0, envelope };
}
const ref = (id: string) => ({ '$jsii.byref': id });

test('splitRef handles scoped type names', (t) => {
  t.deepEqual(splitRef('@jsii-ring/calc.Calculator@10000'), { fqn: '@jsii-ring/calc.Calculator', id: '10000' });
  t.deepEqual(splitRef('Object@7'), { fqn: 'Object', id: '7' });
  t.is(splitRef('garbage'), undefined);
});

test('object ids that differ only by numbering match', (t) => {
  const a = transcript([response('1', { ok: ref('A@10000') }), response('2', { ok: { result: ref('A@10000') } })]);
  const b = transcript([response('1', { ok: ref('A@20') }), response('2', { ok: { result: ref('A@20') } })]);
  t.deepEqual(compareTranscripts(a, b), []);
});

test('an identity difference is reported even when numbering differs', (t) => {
  // Expected: the second answer is the same object as the first; actual: a fresh object.
  const a = transcript([response('1', { ok: ref('A@10000') }), response('2', { ok: { result: ref('A@10000') } })]);
  const b = transcript([response('1', { ok: ref('A@10000') }), response('2', { ok: { result: ref('A@10001') } })]);
  const diffs = compareTranscripts(a, b);
  t.is(diffs.length, 1);
  t.is(diffs[0]?.step, '2');
  t.regex(diffs[0]?.note ?? '', /identity/);
});

test('two distinct objects on one side cannot match one object on the other', (t) => {
  const a = transcript([response('1', { ok: [ref('A@1'), ref('A@2')] })]);
  const b = transcript([response('1', { ok: [ref('A@5'), ref('A@5')] })]);
  t.is(compareTranscripts(a, b).length, 1);
});

test('malformed refs compare as plain strings', (t) => {
  const a = transcript([response('1', { ok: ref('garbage') })]);
  t.deepEqual(compareTranscripts(a, transcript([response('1', { ok: ref('garbage') })])), []);
  t.is(compareTranscripts(a, transcript([response('1', { ok: ref('other') })])).length, 1);
});

test('type names in refs must be equal', (t) => {
  const a = transcript([response('1', { ok: ref('A@1') })]);
  const b = transcript([response('1', { ok: ref('Object@1') })]);
  t.regex(compareTranscripts(a, b)[0]?.note ?? '', /object types/);
});

test('error messages and stacks are not compared, error names are', (t) => {
  const a = transcript([response('1', { error: 'one message', name: 'N', stack: 'x' })]);
  const same = transcript([response('1', { error: 'another message', name: 'N', stack: 'y' })]);
  const other = transcript([response('1', { error: 'one message', name: 'M' })]);
  const empty = transcript([response('1', { error: '', name: 'N' })]);
  t.deepEqual(compareTranscripts(a, same), []);
  t.regex(compareTranscripts(a, other)[0]?.note ?? '', /error names/);
  t.regex(compareTranscripts(a, empty)[0]?.note ?? '', /empty error message/);
});

test('ok versus error is reported', (t) => {
  const a = transcript([response('1', { ok: {} })]);
  const b = transcript([response('1', { error: 'x', name: 'N' })]);
  t.regex(compareTranscripts(a, b)[0]?.note ?? '', /one side failed/);
});

test('promise and callback ids pair up like object ids', (t) => {
  const a = transcript([response('1', { ok: { promiseid: 'p1' } }), response('2', { ok: { cbid: 'c1' } })]);
  const b = transcript([response('1', { ok: { promiseid: 'q9' } }), response('2', { ok: { cbid: 'd9' } })]);
  t.deepEqual(compareTranscripts(a, b), []);
  const c = transcript([response('1', { ok: { promiseid: 'p1' } }), response('2', { ok: { promiseid: 'p1' } })]);
  const d = transcript([response('1', { ok: { promiseid: 'q1' } }), response('2', { ok: { promiseid: 'q2' } })]);
  t.is(compareTranscripts(c, d).length, 1);
});

test('interface lists compare as sets; other arrays in order', (t) => {
  const a = transcript([response('1', { ok: { '$jsii.byref': 'Object@1', '$jsii.interfaces': ['I1', 'I2'] } })]);
  const b = transcript([response('1', { ok: { '$jsii.byref': 'Object@1', '$jsii.interfaces': ['I2', 'I1'] } })]);
  t.deepEqual(compareTranscripts(a, b), []);
  const c = transcript([response('1', { ok: { result: [1, 2] } })]);
  const d = transcript([response('1', { ok: { result: [2, 1] } })]);
  t.is(compareTranscripts(c, d).length, 2);
});

test('missing and extra keys and entries are reported per step', (t) => {
  const a = transcript([response('1', { ok: { value: 1 } }), response('2', { ok: {} })]);
  const b = transcript([response('1', { ok: {} }), response('2', { ok: {} }), response('2', { ok: {} })]);
  const notes = compareTranscripts(a, b).map((d) => `${d.step}:${d.note}`);
  t.deepEqual(notes, ['1:missing key', '2:extra entry']);
});

test('the repository path is normalised', (t) => {
  const a = transcript([{ kind: 'request', step: '1', depth: 0, request: { tarball: '<root>/x.tgz' } }]);
  const b = transcript([{ kind: 'request', step: '1', depth: 0, request: { tarball: '/somewhere/repo/x.tgz' } }]);
  t.deepEqual(compareTranscripts(a, b, '/somewhere/repo'), []);
  t.is(compareTranscripts(a, b, '/elsewhere').length, 1);
});
