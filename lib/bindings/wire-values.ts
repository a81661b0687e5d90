/**
 * Small pieces of wire conversion shared by the converters: the conversion error with its
 * path, value descriptions for messages, and safe map building.
 */
import { isWireMap, TOKEN_MAP } from '../protocol/api.js';
import { stateOf } from './object-table.js';

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
