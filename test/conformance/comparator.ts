/**
 * Compares two transcripts of the same script and reports every difference precisely.
 *
 * Normalised, because it may legitimately differ:
 * - error stacks (ignored) and error messages (only "non-empty" is compared; both are kept
 *   in the transcripts for reading);
 * - object ids, promise ids and callback ids, but only by numbering: the comparison builds
 *   a one-to-one map between the two sides' ids as it meets them, so `A@10003` may stand for
 *   `A@10005` everywhere, but one object on one side can never match two on the other (an
 *   identity bug still shows). Type names in refs must be equal;
 * - the order of `$jsii.interfaces` lists;
 * - the text of a callback's `err` (it may carry a kernel's message along): only non-empty;
 * - the repository's absolute path (recordings are made elsewhere).
 * Everything else must be equal.
 */
import type { Transcript, TranscriptEntry } from './runner.js';

/** One difference, located. */
export interface Difference {
  /** The step it occurred in. */
  readonly step: string;
  /** Where: `entry 3 (response).envelope.ok.result` and so on. */
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly note: string;
}

const REF_KEY = '$jsii.byref';
const INTERFACES_KEY = '$jsii.interfaces';
const ID_KEYS: Record<string, string> = { promiseid: 'promise', cbid: 'callback' };

/** Bijection between the two sides' ids, per id kind. */
class IdMatcher {
  readonly #forward = new Map<string, string>();
  readonly #backward = new Map<string, string>();

  /** True if `a` (expected side) and `b` (actual side) can be the same id. */
  public pair(kind: string, a: string, b: string): boolean {
    const ka = `${kind}:${a}`;
    const kb = `${kind}:${b}`;
    const fa = this.#forward.get(ka);
    const bb = this.#backward.get(kb);
    if (fa === undefined && bb === undefined) {
      this.#forward.set(ka, kb);
      this.#backward.set(kb, ka);
      return true;
    }
    return fa === kb && bb === ka;
  }
}

/** Splits `fqn@id` (the fqn itself may start with `@scope/`). */
export function splitRef(ref: string): { fqn: string; id: string } | undefined {
  const at = ref.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { fqn: ref.slice(0, at), id: ref.slice(at + 1) };
}

/** Replaces the repository path in every string, so transcripts made elsewhere compare. */
export function normalizePaths<T>(value: T, root: string): T {
  if (root === '') return value;
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'string' ? v.split(root).join('<root>') : v))) as T;
}

/**
 * Differences between `expected` (usually the reference) and `actual` (usually ours),
 * compared step by step so one divergence does not hide the rest of the script.
 */
export function compareTranscripts(expected: Transcript, actual: Transcript, root = ''): Difference[] {
  const ids = new IdMatcher();
  const out: Difference[] = [];
  const left = groupBySteps(normalizePaths(expected.entries, root));
  const right = groupBySteps(normalizePaths(actual.entries, root));
  const steps = [...new Set([...left.keys(), ...right.keys()])];
  for (const step of steps) {
    const a = left.get(step) ?? [];
    const b = right.get(step) ?? [];
    const count = Math.max(a.length, b.length);
    for (let i = 0; i < count; i++) {
      const ea = a[i];
      const eb = b[i];
      const where = `entry ${i} (${ea?.kind ?? eb?.kind})`;
      if (ea === undefined || eb === undefined) {
        out.push({ step, path: where, expected: ea, actual: eb, note: ea === undefined ? 'extra entry' : 'missing entry' });
        continue;
      }
      compareEntry(step, where, ea, eb, ids, out);
    }
  }
  return out;
}

function groupBySteps(entries: readonly TranscriptEntry[]): Map<string, TranscriptEntry[]> {
  const groups = new Map<string, TranscriptEntry[]>();
  for (const entry of entries) {
    const list = groups.get(entry.step) ?? [];
    list.push(entry);
    groups.set(entry.step, list);
  }
  return groups;
}

function compareEntry(step: string, where: string, a: TranscriptEntry, b: TranscriptEntry, ids: IdMatcher, out: Difference[]): void {
  if (a.kind !== b.kind || a.depth !== b.depth) {
    out.push({ step, path: where, expected: summary(a), actual: summary(b), note: 'different event' });
    return;
  }
  if (a.kind === 'response' && b.kind === 'response') {
    const ea = a.envelope;
    const eb = b.envelope;
    if ('error' in ea || 'error' in eb) {
      if (!('error' in ea) || !('error' in eb)) {
        out.push({ step, path: `${where}.envelope`, expected: withoutStack(ea), actual: withoutStack(eb), note: 'one side failed' });
        return;
      }
      if (ea.name !== eb.name) {
        out.push({ step, path: `${where}.envelope.name`, expected: ea.name, actual: eb.name,
          note: `different error names (messages: ${JSON.stringify(ea.error)} vs ${JSON.stringify(eb.error)})` });
      }
      if (typeof eb.error !== 'string' || eb.error.trim() === '') {
        out.push({ step, path: `${where}.envelope.error`, expected: ea.error, actual: eb.error, note: 'empty error message' });
      }
      return;
    }
  }
  compareValues(step, where, stripStack(a), stripStack(b), ids, out);
}

function withoutStack(envelope: object): object {
  const { stack: _stack, ...rest } = envelope as { stack?: unknown };
  return rest;
}

function stripStack(entry: TranscriptEntry): unknown {
  if (entry.kind === 'driver-failure') return { kind: entry.kind };
  return entry;
}

function compareValues(step: string, path: string, a: unknown, b: unknown, ids: IdMatcher, out: Difference[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({ step, path, expected: a, actual: b, note: `array lengths ${a.length} vs ${b.length}` });
      return;
    }
    a.forEach((item, i) => compareValues(step, `${path}[${i}]`, item, b[i], ids, out));
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const at = `${path}.${key}`;
      const hasA = Object.prototype.hasOwnProperty.call(a, key);
      const hasB = Object.prototype.hasOwnProperty.call(b, key);
      if (!hasA || !hasB) {
        out.push({ step, path: at, expected: a[key], actual: b[key], note: hasA ? 'missing key' : 'extra key' });
        continue;
      }
      compareKey(step, at, key, a[key], b[key], ids, out);
    }
    return;
  }
  if (!Object.is(a, b)) {
    out.push({ step, path, expected: a, actual: b, note: 'different values' });
  }
}

function compareKey(step: string, path: string, key: string, a: unknown, b: unknown, ids: IdMatcher, out: Difference[]): void {
  if (key === REF_KEY && typeof a === 'string' && typeof b === 'string') {
    const ra = splitRef(a);
    const rb = splitRef(b);
    if (ra === undefined || rb === undefined) {
      // Not a well-formed ref (a deliberately malformed request): compare as plain text.
      if (a !== b) out.push({ step, path, expected: a, actual: b, note: 'different values' });
    } else if (ra.fqn !== rb.fqn) {
      out.push({ step, path, expected: a, actual: b, note: 'different object types' });
    } else if (!ids.pair('object', ra.id, rb.id)) {
      out.push({ step, path, expected: a, actual: b, note: 'object identity differs (the ids were already paired with other objects)' });
    }
    return;
  }
  const idKind = ID_KEYS[key];
  if (idKind !== undefined && typeof a === 'string' && typeof b === 'string') {
    if (!ids.pair(idKind, a, b)) {
      out.push({ step, path, expected: a, actual: b, note: `${idKind} id pairing differs` });
    }
    return;
  }
  if (key === INTERFACES_KEY && Array.isArray(a) && Array.isArray(b)) {
    compareValues(step, path, [...a].sort(), [...b].sort(), ids, out);
    return;
  }
  if (key === 'stack') return;
  if (key === 'err' && typeof a === 'string' && typeof b === 'string') {
    // A callback completed with an error: the text may be a kernel's message passed along.
    if (b.trim() === '') out.push({ step, path, expected: a, actual: b, note: 'empty error message' });
    return;
  }
  compareValues(step, path, a, b, ids, out);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function summary(entry: TranscriptEntry): string {
  return JSON.stringify(entry).slice(0, 300);
}

/** A readable report of differences, one per line. */
export function formatDifferences(differences: readonly Difference[]): string {
  return differences.map((d) => `[${d.step}] ${d.path}: ${d.note}\n    expected ${fmt(d.expected)}\n    actual   ${fmt(d.actual)}`).join('\n');
}

function fmt(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
