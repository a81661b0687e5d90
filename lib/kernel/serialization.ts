/**
 * Converting values between the wire and the library: `deserialize` (wire → library) and
 * `serialize` (library → wire) for a declared type; and the serialization classes, how
 * one candidate (date, scalar, json, enum, array, map, struct, reference, any) converts a
 * value in each direction, with the reference kernel's acceptance rules and failure
 * reasons. A class returns `FAIL` (reason in `host.failure`) to reject a value; errors
 * thrown by nested conversions or lookups become reasons too.
 *
 * Deliberate differences (COMPATIBILITY.md): a `__proto__` key in any by-value object, and
 * a `constructor` key in a map or struct, is rejected (the reference corrupts the prototype
 * of the object it builds, or crashes); an enum token must name an own member.
 */
import { inspect } from 'node:util';
import {
  isObjRef, isWireDate, isWireEnum, isWireMap, isWireStruct, TOKEN_DATE, TOKEN_ENUM, TOKEN_MAP, TOKEN_STRUCT,
} from '../protocol/api.js';
import {
  ANY_CONVERTER, type Candidate, Cls, type ConversionHost, type Converter, FAIL, JSON_CONVERTER, MAX_VALUE_DEPTH, NULLABLE_JSON_CONVERTER,
} from './converters.js';
import { DependencyFault } from './kernel-errors.js';
import { type ContextFn, type FailureCause, TooDeep, Unconvertible, withContext } from './serialization-error.js';
import { describeType, EMPTY_OBJECT_FQN, hasNoKeys, hasOwnKey, isByReferenceOnly, isDate, isScalar } from './values.js';

/** Marks a map that came in as `$jsii.map`, so returning it as `any` keeps it a map. */
export const SYMBOL_WIRE_TYPE = Symbol.for('$jsii$wireType$');

const INDEX_CONTEXT: ContextFn = (i) => `index ${String(i)}`;
const KEY_CONTEXT: ContextFn = (key) => `key ${inspect(key)}`;
const JSON_INDEX_CONTEXT: ContextFn = (i) => `index ${String(i)}`;
/** Contexts of nested elements: a too-deep value is rendered by the outermost context, not these. */
const ELEMENT_CONTEXTS: ReadonlySet<unknown> = new Set([INDEX_CONTEXT, KEY_CONTEXT, JSON_INDEX_CONTEXT]);

type Out = Record<string, unknown>;

function fail(host: ConversionHost, reason: string): typeof FAIL {
  host.failure = reason;
  return FAIL;
}

/** `null`/`undefined`: fine (→ undefined) if optional, else a failure. */
function nullValue(host: ConversionHost, c: Candidate): unknown {
  return c.optional ? undefined : fail(host, 'A value is required (type is non-optional)');
}

function forbiddenKey(key: string, strict: boolean): boolean {
  return key === '__proto__' || (strict && key === 'constructor');
}

function forbiddenKeyReason(key: string): string {
  return `Key ${inspect(key)} is not allowed (it would tamper with the prototype of the value built from it)`;
}

/**
 * Converts a wire value to the library's value for `conv`'s declared type. On failure,
 * throws the reference's SerializationError for the given context (rendered only then).
 */
export function deserialize(host: ConversionHost, conv: Converter, value: unknown, context: string | ContextFn, a?: unknown, b?: unknown): unknown {
  try {
    return convert(host, conv, value, true);
  } catch (e) {
    throw contextualize(e, host, context, a, b);
  }
}

/** Converts a library value to its wire form for `conv`'s declared type (see `deserialize`). */
export function serialize(host: ConversionHost, conv: Converter, value: unknown, context: string | ContextFn, a?: unknown, b?: unknown): unknown {
  try {
    return convert(host, conv, value, false);
  } catch (e) {
    throw contextualize(e, host, context, a, b);
  }
}

function contextualize(e: unknown, host: ConversionHost, context: string | ContextFn, a: unknown, b: unknown): unknown {
  return e instanceof TooDeep && ELEMENT_CONTEXTS.has(context) ? e : withContext(e, host.types, context, a, b);
}

/**
 * Tries each candidate in order; throws an `Unconvertible` listing every candidate's
 * reason if none accepts the value. Faults compiling the type propagate as they are, and so
 * does a `DependencyFault` (a reference to an object whose creation failed): the request
 * is wrong, not the value. A value nested past MAX_VALUE_DEPTH (or past the stack) throws a
 * `TooDeep` that every level passes on untouched, so refusing it is linear in the depth.
 */
export function convert(host: ConversionHost, conv: Converter, value: unknown, toJs: boolean): unknown {
  const depth = host.depth;
  if (depth > MAX_VALUE_DEPTH) {
    throw new TooDeep(toJs ? 'deserialize' : 'serialize', MAX_VALUE_DEPTH);
  }
  // One function, not a wrapper around the loop: every frame per level costs reachable depth.
  host.depth = depth + 1;
  try {
    const candidates = conv.candidates(host.types);
    let causes: FailureCause[] | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      let result: unknown;
      try {
        result = toJs ? deserializeValue(host, c, value) : serializeValue(host, c, value);
      } catch (e) {
        if (e instanceof DependencyFault || e instanceof TooDeep) {
          throw e;
        }
        if (e instanceof RangeError && e.message === STACK_OVERFLOW) {
          // Out of stack (library frames or callbacks below took most of it): no other
          // candidate can do better, and trying the next one at every level is what made deep
          // values take forever.
          throw new TooDeep(toJs ? 'deserialize' : 'serialize', undefined);
        }
        (causes ??= []).push({ context: contextOf(c), message: messageOf(e) });
        continue;
      }
      if (result !== FAIL) {
        return result;
      }
      (causes ??= []).push({ context: contextOf(c), message: host.failure });
    }
    throw new Unconvertible(toJs ? 'deserialize' : 'serialize', conv.declared, value, causes ?? []);
  } finally {
    host.depth = depth;
  }
}

const STACK_OVERFLOW = 'Maximum call stack size exceeded';

function contextOf(c: Candidate): string {
  return `as ${c.cls === Cls.VOID ? 'void' : describeType(c.type)}`;
}

function messageOf(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(e);
}


// ---------------------------------------------------------------------------------------
// Wire → library
// ---------------------------------------------------------------------------------------

/** Converts a wire value to the library's value as candidate `c`, or returns `FAIL`. */
export function deserializeValue(host: ConversionHost, c: Candidate, v: unknown): unknown {
  switch (c.cls) {
    case Cls.VOID:
      return undefined;
    case Cls.DATE:
      if (v == null) return nullValue(host, c);
      if (!isWireDate(v)) return fail(host, `Value does not have the "${TOKEN_DATE}" key`);
      return new Date(v[TOKEN_DATE]);
    case Cls.SCALAR:
      if (v == null) return nullValue(host, c);
      return typeof v === c.primitive ? v : fail(host, `Value is not a ${c.primitive}`);
    case Cls.JSON:
      if (v == null) return nullValue(host, c);
      return jsonToJs(host, v);
    case Cls.ENUM:
      if (v == null) return nullValue(host, c);
      if (!isWireEnum(v)) return fail(host, `Value does not have the "${TOKEN_ENUM}" key`);
      return enumToJs(host, v[TOKEN_ENUM]);
    case Cls.ARRAY: {
      if (v == null) return nullValue(host, c);
      if (!Array.isArray(v)) return fail(host, 'Value is not an array');
      const elem = c.elem!;
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        out[i] = deserialize(host, elem, v[i], INDEX_CONTEXT, i);
      }
      return out;
    }
    case Cls.MAP:
      if (v == null) return nullValue(host, c);
      return mapToJs(host, v, c.elem!);
    case Cls.STRUCT:
      return structToJs(host, c, v);
    case Cls.REF: {
      if (v == null) return nullValue(host, c);
      if (!isObjRef(v)) {
        // js-values: a program may pass plain data where a type is declared (structural
        // typing, `blockPublicAccess: { blockPublicAcls: true }`); natively the library
        // gets that object, so it gets it here too.
        if (host.jsValues && typeof v === 'object' && !isWireDate(v) && !isWireEnum(v)) return anyToJs(host, v);
        return fail(host, 'Value does not have the "$jsii.byref" key');
      }
      const found = host.objects.find(v);
      // Only classes are checked: a host object may implement an interface privately.
      if (c.isClass && !isAssignable(host, found.fqn, c.fqn!)) {
        return fail(host, `Object of type '${found.fqn}' is not convertible to ${c.fqn!}`);
      }
      return found.instance;
    }
    default:
      return anyToJs(host, v);
  }
}

function jsonToJs(host: ConversionHost, v: unknown): unknown {
  if (isWireMap(v)) {
    return mapToJs(host, v, NULLABLE_JSON_CONVERTER);
  }
  if (typeof v !== 'object') {
    return v;
  }
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      out[i] = e == null ? e : deserialize(host, JSON_CONVERTER, e, JSON_INDEX_CONTEXT, i);
    }
    return out;
  }
  return objectValuesToJs(host, v as object, JSON_CONVERTER, false, true);
}

function enumToJs(host: ConversionHost, token: unknown): unknown {
  const sep = typeof token === 'string' ? token.lastIndexOf('/') : -1;
  if (sep === -1) {
    return fail(host, `Invalid enum token value ${inspect(token)}`);
  }
  const locator = token as string;
  const member = locator.slice(sep + 1);
  const enumObject = host.types.symbol(locator.slice(0, sep)) as Record<string, unknown>;
  const value = hasOwnKey(enumObject, member) ? enumObject[member] : undefined;
  return value === undefined ? fail(host, `No such enum member: ${inspect(member)}`) : value;
}

function mapToJs(host: ConversionHost, v: unknown, elem: Converter): unknown {
  if (!isWireMap(v)) {
    // Bare objects are accepted as maps, as older runtimes sent them.
    return objectValuesToJs(host, v, elem, true, false);
  }
  const out = objectValuesToJs(host, v[TOKEN_MAP], elem, true, false);
  if (out !== FAIL) {
    Object.defineProperty(out, SYMBOL_WIRE_TYPE, { configurable: false, enumerable: false, value: TOKEN_MAP, writable: false });
  }
  return out;
}

/** The reference's `mapValues` for incoming objects: converts own values, drops undefined. */
function objectValuesToJs(host: ConversionHost, v: unknown, elem: Converter, strict: boolean, keepNull: boolean): Out | typeof FAIL {
  if (typeof v !== 'object' || v === null) return fail(host, 'Value is not an object');
  if (Array.isArray(v)) return fail(host, 'Value is an array');
  const out: Out = {};
  for (const key in v) {
    if (!hasOwnKey(v, key)) continue;
    if (forbiddenKey(key, strict)) return fail(host, forbiddenKeyReason(key));
    const raw: unknown = (v as Out)[key];
    // json keeps nested nulls (they are valid JSON); other element types convert them.
    const converted = keepNull && raw == null ? raw : deserialize(host, elem, raw, KEY_CONTEXT, key);
    if (converted !== undefined) {
      out[key] = converted;
    }
  }
  return out;
}

function structToJs(host: ConversionHost, c: Candidate, input: unknown): unknown {
  let v = input;
  // An empty object stands for "no struct" (aws/jsii#411).
  if (typeof v === 'object' && (v === null || hasNoKeys(v))) v = undefined;
  if (v == null) return nullValue(host, c);
  if (typeof v !== 'object') return fail(host, 'Value is not an object');
  const type = host.types.type(c.fqn!);
  const shape = type.structShape();
  if (Array.isArray(v)) return fail(host, 'Value is an array (varargs may have been incorrectly supplied)');
  if (isObjRef(v)) {
    // A reference where a struct is expected: accepted (aws/jsii#400), the same instance.
    const instance = host.objects.find(v).instance as object;
    return missingRequired(host, instance, type.fqn, shape.required) ? FAIL : instance;
  }
  if (isWireStruct(v)) {
    const { fqn, data } = v[TOKEN_STRUCT];
    if (!isAssignable(host, fqn, type.fqn)) {
      return fail(host, `Wired struct has type '${String(fqn)}', which does not match expected type`);
    }
    v = data;
  }
  if (isWireMap(v)) v = v[TOKEN_MAP];
  if (typeof v !== 'object' || v === null) return fail(host, 'Value is not an object');
  if (missingRequired(host, v, type.fqn, shape.required)) return FAIL;
  if (Array.isArray(v)) return fail(host, 'Value is an array');
  const out: Out = {};
  for (const key in v) {
    if (!hasOwnKey(v, key)) continue;
    if (forbiddenKey(key, true)) return fail(host, forbiddenKeyReason(key));
    const prop = shape.properties.get(key);
    // Unknown fields are dropped, as the reference does; js-values keeps them, as they came.
    if (prop === undefined && !host.jsValues) continue;
    const converted = deserialize(host, prop?.converter ?? ANY_CONVERTER, (v as Out)[key], KEY_CONTEXT, key);
    if (converted !== undefined) {
      out[key] = converted;
    }
  }
  return out;
}

function missingRequired(host: ConversionHost, obj: object, fqn: string, required: readonly string[]): boolean {
  let missing: string[] | undefined;
  for (const name of required) {
    if (!(name in obj)) (missing ??= []).push(name);
  }
  if (missing === undefined) return false;
  fail(host, `Missing required properties for ${fqn}: ${missing.map((p) => inspect(p)).join(', ')}`);
  return true;
}

/** The reference's `isAssignable`: plain objects fit anything; else the type's ancestry. */
function isAssignable(host: ConversionHost, actual: unknown, required: string): boolean {
  if (actual === EMPTY_OBJECT_FQN || actual === required) return true;
  return host.types.type(actual as string).isAssignableTo(required);
}

function anyToJs(host: ConversionHost, v: unknown): unknown {
  if (v == null) return undefined;
  if (isWireDate(v)) return new Date(v[TOKEN_DATE]);
  if (isScalar(v)) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      out[i] = deserialize(host, ANY_CONVERTER, v[i], INDEX_CONTEXT, i);
    }
    return out;
  }
  if (isWireEnum(v)) return enumToJs(host, v[TOKEN_ENUM]);
  if (isWireMap(v)) return mapToJs(host, v, ANY_CONVERTER);
  if (isObjRef(v)) return host.objects.find(v).instance;
  if (isWireStruct(v)) {
    // Typed by the sender, but the target is `any`: convert it as that struct.
    const { fqn, data } = v[TOKEN_STRUCT];
    return structToJs(host, structCandidate(fqn), data);
  }
  return objectValuesToJs(host, v, ANY_CONVERTER, false, false);
}

function structCandidate(fqn: string): Candidate {
  return { cls: Cls.STRUCT, optional: false, type: { fqn }, primitive: undefined, fqn, isClass: false, interfaces: undefined, elem: undefined };
}

// ---------------------------------------------------------------------------------------
// Library → wire
// ---------------------------------------------------------------------------------------

/** Converts a library value to its wire form as candidate `c`, or returns `FAIL`. */
export function serializeValue(host: ConversionHost, c: Candidate, v: unknown): unknown {
  switch (c.cls) {
    case Cls.VOID:
      return undefined;
    case Cls.DATE:
      if (v == null) return nullValue(host, c);
      if (!isDate(v)) return fail(host, 'Value is not an instance of Date');
      return { [TOKEN_DATE]: v.toISOString() };
    case Cls.SCALAR:
      if (v == null) return nullValue(host, c);
      return typeof v === c.primitive ? v : fail(host, `Value is not a ${c.primitive}`);
    case Cls.JSON:
      // Nested nulls stay (valid JSON); dates serialize themselves as strings.
      return v == null ? nullValue(host, c) : v;
    case Cls.ENUM: {
      if (v == null) return nullValue(host, c);
      if (typeof v !== 'string' && typeof v !== 'number') return fail(host, 'Value is not a string or number');
      const key = host.types.type(c.fqn!).enumKeyOf(v);
      return key === undefined ? fail(host, `Value is not present in enum ${c.fqn!}`) : { [TOKEN_ENUM]: `${c.fqn!}/${key}` };
    }
    case Cls.ARRAY: {
      if (v == null) return nullValue(host, c);
      if (!Array.isArray(v)) return fail(host, 'Value is not an array');
      const elem = c.elem!;
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        out[i] = serialize(host, elem, v[i], INDEX_CONTEXT, i);
      }
      return out;
    }
    case Cls.MAP: {
      if (v == null) return nullValue(host, c);
      const out = objectValuesToWire(host, v, c.elem!);
      return out === FAIL ? FAIL : { [TOKEN_MAP]: out };
    }
    case Cls.STRUCT:
      if (v == null) return nullValue(host, c);
      if (typeof v !== 'object' || v instanceof Date) return fail(host, 'Value is not an object');
      if (Array.isArray(v)) return fail(host, 'Value is an array');
      // Structs go back by reference: clients may not understand by-value interface types,
      // and a union of structs could not be told apart (aws/jsii#400).
      return host.objects.register(v, EMPTY_OBJECT_FQN, [c.fqn!]);
    case Cls.REF: {
      if (v == null) return nullValue(host, c);
      if (typeof v !== 'object' || Array.isArray(v)) return fail(host, 'Value is not an object');
      if (v instanceof Date) return fail(host, 'Value is a Date');
      const fqn = host.types.jsiiTypeFqn(v) ?? (c.isClass ? c.fqn! : EMPTY_OBJECT_FQN);
      return host.objects.register(v, fqn, c.interfaces);
    }
    default:
      return anyToWire(host, v);
  }
}

/** The reference's `mapValues` for outgoing objects. */
function objectValuesToWire(host: ConversionHost, v: unknown, elem: Converter): Out | typeof FAIL {
  if (typeof v !== 'object' || v === null) return fail(host, 'Value is not an object');
  if (Array.isArray(v)) return fail(host, 'Value is an array');
  const out: Out = {};
  for (const key in v) {
    // `__proto__` cannot be an own data key of the wire object; the reference drops it too.
    if (!hasOwnKey(v, key) || key === '__proto__') continue;
    const converted = serialize(host, elem, (v as Out)[key], KEY_CONTEXT, key);
    if (converted !== undefined) {
      out[key] = converted;
    }
  }
  return out;
}

function anyToWire(host: ConversionHost, v: unknown): unknown {
  if (v == null) return undefined;
  if (isDate(v)) return { [TOKEN_DATE]: v.toISOString() };
  if (isScalar(v)) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      out[i] = serialize(host, ANY_CONVERTER, v[i], INDEX_CONTEXT, i);
    }
    return out;
  }
  // No enum case: without a declared type, an enum member is just its value.
  if (typeof v === 'function') return fail(host, 'Functions cannot be passed across language boundaries');
  if (typeof v !== 'object') return fail(host, 'A jsii kernel assumption was violated: value is not an object');
  if ((v as { [SYMBOL_WIRE_TYPE]?: unknown })[SYMBOL_WIRE_TYPE] === TOKEN_MAP) {
    const out = objectValuesToWire(host, v, ANY_CONVERTER);
    return out === FAIL ? FAIL : { [TOKEN_MAP]: out };
  }
  if (v instanceof Set || v instanceof Map) {
    return fail(host, 'Set and Map instances cannot be sent across the language boundary');
  }
  // An object already known keeps its reference (identity), whatever its type.
  const known = host.objects.wireRefOf(v);
  if (known !== undefined) return known;
  const fqn = host.types.jsiiTypeFqn(v) ?? (isByReferenceOnly(v) ? EMPTY_OBJECT_FQN : undefined);
  if (fqn !== undefined) return host.objects.register(v, fqn, undefined);
  // A literal object or an instance of a private class: by value, members as `any`.
  return objectValuesToWire(host, v, ANY_CONVERTER);
}
