/**
 * The errors of failed conversions, rendered exactly as the reference kernel renders them:
 *
 * ```
 * Passed to parameter p of method a.B#m: Unable to deserialize value as a.Point
 * ├── 🛑 Failing value is an object
 * │      { x: 'a', y: 2 }
 * ╰── 🔍 Failure reason(s):
 *     ╰─ Key 'x': Unable to deserialize value as number
 *         ...
 * ```
 *
 * Rendering only happens on failure. While a conversion is in progress, a failure travels
 * as an `Unconvertible` (not an `Error`: no stack is captured) until the code that knows
 * the context ("passed to parameter p of ...") renders it.
 */
import { inspect } from 'node:util';
import type * as spec from '@jsii/spec';
import { PassThroughError, SERIALIZATION_ERROR_NAME } from './kernel-errors.js';
import type { TypeRegistry } from './type-registry.js';
import { describeType, EMPTY_OBJECT_FQN } from './values.js';

/** One reason a candidate serialization class failed. */
export interface FailureCause {
  /** `as <type>`: which candidate of a union failed (shown when there are several). */
  readonly context: string;
  readonly message: string;
}

/** A conversion that failed, waiting for its context to be rendered. */
export class Unconvertible {
  public constructor(
    public readonly serde: 'serialize' | 'deserialize',
    /** The declared type (`void` or an optional value). */
    public readonly declared: spec.OptionalValue | 'void',
    public readonly value: unknown,
    public readonly causes: readonly FailureCause[],
  ) {}
}

/**
 * A value nested deeper than the limit (or than the stack allows). It passes through every
 * level unrendered, never tried as a candidate's failure (which made each level retry, and
 * embed, everything below it: time and message size grew with the square of the depth or
 * worse), and is rendered once, with the outermost context.
 */
export class TooDeep {
  public constructor(
    public readonly serde: 'serialize' | 'deserialize',
    /** The limit, or undefined when the stack ran out first. */
    public readonly limit: number | undefined,
  ) {}

  /** The error for the outermost context. */
  public render(context: string | ContextFn, a?: unknown, b?: unknown): SerializationError {
    const why = this.limit !== undefined
      ? `it nests deeper than ${this.limit} levels of arrays and objects (the kernel's limit)`
      : 'it nests too deep for the kernel thread\'s stack';
    return new SerializationError(`${titleize(renderContext(context, a, b))}: Unable to ${this.serde} value: ${why}`, undefined);
  }
}

/** A rendered conversion failure (wire name `@jsii/kernel.SerializationError`). */
export class SerializationError extends PassThroughError {
  public readonly value: unknown;
  public readonly causes: readonly FailureCause[];

  public constructor(message: string, value: unknown, causes: readonly FailureCause[] = []) {
    super(SERIALIZATION_ERROR_NAME, message);
    this.value = value;
    this.causes = causes;
  }
}

/** A function rendering the context of a conversion from up to two details. */
export type ContextFn = (a: unknown, b: unknown) => string;

/** Renders the context (a string, or a function of the details) of a conversion. */
export function renderContext(context: string | ContextFn, a?: unknown, b?: unknown): string {
  return typeof context === 'string' ? context : context(a, b);
}

/**
 * If `e` is an `Unconvertible` (or a `TooDeep`), renders it as the reference's
 * SerializationError for this context; any other error is returned unchanged (it was not a
 * conversion failure).
 */
export function withContext(e: unknown, types: TypeRegistry, context: string | ContextFn, a?: unknown, b?: unknown): unknown {
  if (e instanceof TooDeep) {
    return e.render(context, a, b);
  }
  if (!(e instanceof Unconvertible)) {
    return e;
  }
  const described = e.declared === 'void' ? 'void' : describeType(e.declared.type);
  const full = e.declared !== 'void' && e.declared.optional ? `${described} | undefined` : described;
  const title = titleize(renderContext(context, a, b));
  return new SerializationError(
    renderLines(`${title}: Unable to ${e.serde} value as ${full}`, e.value, e.causes, types),
    e.value,
    e.causes,
  );
}

function renderLines(message: string, value: unknown, causes: readonly FailureCause[], types: TypeRegistry): string {
  const many = causes.length > 0;
  const lines = [message, `${many ? '\u251C' : '\u2570'}\u2500\u2500 \u{1F6D1} Failing value is ${describeTypeOf(value, types)}`];
  if (value != null) {
    for (const line of inspect(value, false, 0).split('\n')) {
      lines.push(`${many ? '\u2502' : ' '}      ${line}`);
    }
  }
  if (many) {
    lines.push('\u2570\u2500\u2500 \u{1F50D} Failure reason(s):');
    causes.forEach((cause, idx) => {
      const branch = idx < causes.length - 1 ? '\u251C' : '\u2570';
      const label = causes.length > 1 ? ` [${cause.context}]` : '';
      lines.push(`    ${branch}\u2500${label} ${cause.message.split('\n').join('\n        ')}`);
    });
  }
  return lines.join('\n');
}

function titleize(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? trimmed : trimmed[0]!.toUpperCase() + trimmed.slice(1);
}

/** `a string`, `an array`, `an instance of a.B`, `an object`, ... as the reference words it. */
export function describeTypeOf(value: unknown, types: TypeRegistry): string {
  const type = typeof value;
  if (type === 'undefined') {
    return 'undefined';
  }
  if (type !== 'object') {
    return `a ${type}`;
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  const fqn = types.jsiiTypeFqn(value as object);
  if (fqn !== undefined && fqn !== EMPTY_OBJECT_FQN) {
    return `an instance of ${fqn}`;
  }
  const ctorName = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof ctorName === 'string' && ctorName !== '' && ctorName !== 'Object') {
    return `an instance of ${ctorName}`;
  }
  return 'an object';
}
