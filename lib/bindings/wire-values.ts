/**
 * Small pieces of wire conversion shared by the converters: the conversion error with its
 * path, value descriptions for messages, and safe map building.
 */
import { ErrorCode, JsiiRingError } from '../errors.js';
import { isWireMap, TOKEN_MAP } from '../protocol/api.js';
import { stateOf } from './object-table.js';

/** Where jsii-compiled classes keep their run-time type info (`{ fqn, version }`). */
const JSII_RTTI = Symbol.for('jsii.rtti');

/**
 * The fqn of a jsii library object that was made natively (its class carries jsii's
 * run-time type info but it is not a kernel proxy), else `undefined`.
 */
export function nativeJsiiFqn(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || stateOf(value) !== undefined) return undefined;
  const rtti = (value as { constructor?: Record<symbol, unknown> }).constructor?.[JSII_RTTI] as { fqn?: unknown } | undefined;
  return typeof rtti?.fqn === 'string' ? rtti.fqn : undefined;
}

/**
 * Refuses a natively made library object where the kernel's objects are expected: both
 * object models in one program cannot work (the kernel cannot see into the native one).
 * Not a `ConversionError`, so no union alternative swallows it.
 */
export function refuseNativeObject(value: unknown): void {
  const fqn = nativeJsiiFqn(value);
  if (fqn === undefined) return;
  throw new JsiiRingError(
    ErrorCode.NATIVE_OBJECT,
    `got a ${fqn} made natively, outside the kernel: some module loaded '${fqn.split('.')[0]!}' by itself `
    + '(a copy in a nested node_modules, an absolute path, or an import the redirection does not see) '
    + 'while the program runs through the kernel. Load every jsii library through jsii-ring '
    + '(jsii-ring synth, or node --require jsii-ring/register), and dedupe nested copies (npm dedupe)',
  );
}

/**
 * A value of the wrong type. `path` locates it inside the value (`[2].name`); callers
 * prefix where the value was given.
 */
export class ConversionError extends TypeError {
  public path = '';
  public constructor(message: string) {
    super(message);
    this.name = 'TypeError';
  }
}

/** Short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string': return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number': case 'boolean': case 'bigint': return `${typeof value} ${String(value)}`;
    case 'function': return `function ${(value as { name?: string }).name ?? ''}`.trimEnd();
    default: break;
  }
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  const state = stateOf(value);
  if (state !== undefined) return `an instance of ${state.fqn}`;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor !== undefined && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
}

export function mismatch(expected: string, value: unknown): ConversionError {
  return new ConversionError(`must be ${expected}, got ${describeValue(value)}`);
}

/** Prefixes the location of a failure inside a value (`[2]`, `.name`) and rethrows it. */
export function prefixPath(e: unknown, segment: string): never {
  if (e instanceof ConversionError) e.path = `${segment}${e.path}`;
  throw e;
}

/** A plain data object: an object literal (or null-prototype object). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `value` converted, or a ConversionError if it is missing. */
export function requireValue(value: unknown, conv: (value: unknown) => unknown): unknown {
  if (value === undefined || value === null) throw new ConversionError(`must not be ${String(value)}`);
  return conv(value);
}

export function mapFromWire(v: unknown, element: (value: unknown) => unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const entries = isWireMap(v) ? v[TOKEN_MAP] : (v as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(entries)) {
    const value = entries[key];
    defineEntry(out, key, value == null ? value : element(value));
  }
  return out;
}

/** Sets an own data property even for `__proto__`. */
export function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
