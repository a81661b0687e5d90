/**
 * Host code inside the kernel's objects: which members a host subclass or a host object
 * overrides, and serving the kernel's callbacks into them.
 *
 * Subclasses: the overrides of `class MyStack extends cdk.Stack` are the methods and
 * accessors that some prototype between `MyStack.prototype` and the binding's prototype
 * defines (computed once per subclass): typed where the class hierarchy declares them,
 * `any` otherwise, so a subclass that also implements an interface its jsii class does not
 * (`class Principal extends Construct implements IGrantable`) answers the library as it
 * would natively. (The kernel skips an undeclared name the object already has: a private
 * member of the library's class.) Abstract members the prototypes do not define are
 * overridden too: a subclass sets them as instance fields in its constructor, after the
 * kernel object was created in `super()`, and the callback finds the field by then. Other
 * members a subclass sets as instance fields are not seen (define them as methods or
 * accessors).
 *
 * Host objects (`{ visit(node) { … } }` passed where an interface is declared): every
 * string-keyed member of the object and of its prototypes up to `Object.prototype`,
 * typed by the declared interfaces when they declare it, `any` otherwise (so library code
 * that duck-types across interfaces sees what it would see natively).
 */
import type { Callback, MethodOverride, Override, PropertyOverride } from '../protocol/api.js';
import { FAULT_NAME, RUNTIME_ERROR_NAME, TOKEN_REF } from '../protocol/api.js';
import { ErrorCode, JsiiRingError } from '../errors.js';
import type * as spec from '@jsii/spec';
import { acceptsNothing } from './calls.js';
import type { CallHost } from './calls.js';
import { ConversionError } from './convert.js';
import type { FromWire, ToWire } from './convert.js';
import { isBindingClass } from './class-binding.js';
import { stateOf } from './object-table.js';
import { idOfRef, OBJECT_FQN } from './type-system.js';

/**
 * True when reading `key` on a host object would reach a binding's own member (which
 * forwards to the kernel) rather than host code: for an abstract member the host has not
 * set yet, that would call the kernel, which calls back here, forever.
 */
function reachesBinding(obj: object, key: string): boolean {
  for (let proto: object | null = obj; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.prototype.hasOwnProperty.call(proto, key)) {
      return proto !== obj && isBindingClass((proto as { constructor?: unknown }).constructor);
    }
  }
  return false;
}
import type { Member, MemberTable } from './type-system.js';

const SUBCLASS_OVERRIDES = new WeakMap<object, WeakMap<object, readonly Override[]>>();

/**
 * The overrides of a host subclass `ctor` of the binding class `binding` (whose jsii
 * members are `members`), cached per pair.
 */
export function subclassOverrides(ctor: { prototype: object }, binding: { prototype: object }, members: MemberTable): readonly Override[] {
  let byBinding = SUBCLASS_OVERRIDES.get(ctor);
  const cached = byBinding?.get(binding);
  if (cached !== undefined) return cached;
  const out: Override[] = [];
  const seen = new Set<string>();
  for (let proto: object | null = ctor.prototype; proto !== null && proto !== binding.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const member = members.get(key);
      out.push(member !== undefined ? overrideOf(member.kind, key) : untypedOverride(proto, key));
    }
  }
  // Abstract members no prototype implements: the subclass sets them as instance fields in
  // its constructor (`this.startState = …`), after the kernel object was made in `super()`.
  // Overriding them now makes the library's reads call back and find the field.
  for (const [name, member] of members) {
    if (member.spec.abstract === true && !seen.has(name)) out.push(overrideOf(member.kind, name));
  }
  Object.freeze(out);
  if (byBinding === undefined) {
    byBinding = new WeakMap();
    SUBCLASS_OVERRIDES.set(ctor, byBinding);
  }
  byBinding.set(binding, out);
  return out;
}

/** The overrides of a plain host object passed as an implementation of interfaces. */
export function hostObjectOverrides(obj: object, members: MemberTable): Override[] {
  const out: Override[] = [];
  const seen = new Set<string>();
  for (let proto: object | null = obj; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const member = members.get(key);
      if (member !== undefined) {
        out.push(overrideOf(member.kind, key));
        continue;
      }
      out.push(untypedOverride(proto, key));
    }
  }
  return out;
}

/** An override for a member no declared type knows: a method if it is a function value. */
function untypedOverride(holder: object, key: string): Override {
  const descriptor = Object.getOwnPropertyDescriptor(holder, key);
  const isMethod = descriptor !== undefined && 'value' in descriptor && typeof descriptor.value === 'function';
  return overrideOf(isMethod ? 'method' : 'property', key);
}

function overrideOf(kind: 'method' | 'property', name: string): Override {
  return kind === 'method' ? ({ method: name } satisfies MethodOverride) : ({ property: name } satisfies PropertyOverride);
}

/** The converters of one member for callbacks (cached per spec object). */
interface CallbackPlan {
  readonly params: ReadonlyArray<{ readonly variadic: boolean; readonly conv: FromWire }>;
  readonly result: ToWire | undefined;
  readonly optionalResult: boolean;
  readonly label: string;
}

const PLANS = new WeakMap<object, WeakMap<object, CallbackPlan>>();

function callbackPlan(host: CallHost, member: Member | undefined, name: string, owner: string): CallbackPlan {
  if (member === undefined) {
    return { params: [{ variadic: true, conv: host.converters.anyFromWire }], result: host.converters.anyToWire, optionalResult: true, label: `${owner}.${name}` };
  }
  let byHost = PLANS.get(host);
  if (byHost === undefined) {
    byHost = new WeakMap();
    PLANS.set(host, byHost);
  }
  let plan = byHost.get(member.spec);
  if (plan === undefined) {
    const label = `${member.owner}.${name}`;
    if (member.kind === 'method') {
      const m: spec.Method = member.spec;
      plan = {
        params: (m.parameters ?? []).map((p) => ({ variadic: p.variadic === true, conv: host.converters.fromWire(p.type) })),
        result: m.returns === undefined ? undefined : host.converters.toWire(m.returns.type),
        optionalResult: m.returns === undefined || m.returns.optional === true || acceptsNothing(m.returns.type),
        label,
      };
    } else {
      const p: spec.Property = member.spec;
      plan = { params: [{ variadic: false, conv: host.converters.fromWire(p.type) }], result: host.converters.toWire(p.type), optionalResult: p.optional === true || acceptsNothing(p.type), label };
    }
    byHost.set(member.spec, plan);
  }
  return plan;
}

function argsFromWire(plan: CallbackPlan, args: readonly unknown[] | undefined): unknown[] {
  const out: unknown[] = [];
  if (args === undefined) return out;
  const params = plan.params;
  for (let i = 0; i < args.length; i++) {
    const param = params[Math.min(i, params.length - 1)];
    const value = args[i];
    // Extra arguments beyond the declared parameters (not variadic) are passed as-is.
    const conv = param === undefined || (i >= params.length && !param.variadic) ? undefined : param.conv;
    out.push(value === undefined || value === null || conv === undefined ? value : conv(value));
  }
  return out;
}

function resultToWire(plan: CallbackPlan, value: unknown): unknown {
  if (plan.result === undefined) return undefined;
  if (value === undefined || value === null) {
    if (plan.optionalResult) return undefined;
    throw new TypeError(`${plan.label}: the host implementation returned ${String(value)}, but a value is required`);
  }
  try {
    return plan.result(value);
  } catch (e) {
    if (e instanceof ConversionError) {
      throw new TypeError(`${plan.label}: the host implementation returned a value that ${e.message}${e.path ? ` (at ${e.path})` : ''}`, { cause: e });
    }
    throw e;
  }
}

/** The host object a callback targets, and the member table it is known by. */
function callbackTarget(host: CallHost, ref: string): { obj: Record<string, unknown>; members: MemberTable; owner: string } {
  const obj = host.table.lookup(idOfRef(ref));
  const state = stateOf(obj);
  if (obj === undefined || state === undefined) {
    throw new JsiiRingError(ErrorCode.CALLBACK_FAILED, `Callback for ${ref}, which is not an object this host made`);
  }
  return { obj: obj as Record<string, unknown>, members: host.types.membersOf(state.fqn, state.interfaces), owner: state.fqn === OBJECT_FQN ? (state.interfaces[0] ?? OBJECT_FQN) : state.fqn };
}

/**
 * Serves one callback: finds the host object, converts the arguments by the member's
 * declared types, runs the host code, converts its result. A host error propagates (the
 * connection completes the callback with it). Returns a promise when the host member
 * did (async overrides).
 */
export function serveCallback(host: CallHost, callback: Callback): unknown {
  if (callback.invoke !== undefined) {
    const { objref, method, args } = callback.invoke;
    const { obj, members, owner } = callbackTarget(host, objref[TOKEN_REF]);
    const member = members.get(method);
    const plan = callbackPlan(host, member?.kind === 'method' ? member : undefined, method, owner);
    const fn = member?.spec.abstract === true && reachesBinding(obj, method) ? undefined : obj[method];
    if (typeof fn !== 'function') {
      throw new JsiiRingError(ErrorCode.CALLBACK_FAILED, `${plan.label}: the host object has no method '${method}'`);
    }
    const result: unknown = (fn as (...a: unknown[]) => unknown).apply(obj, argsFromWire(plan, args));
    if (result instanceof Promise) return result.then((v) => resultToWire(plan, v));
    return resultToWire(plan, result);
  }
  if (callback.get !== undefined) {
    const { objref, property } = callback.get;
    const { obj, members, owner } = callbackTarget(host, objref[TOKEN_REF]);
    const member = members.get(property);
    const plan = callbackPlan(host, member?.kind === 'property' ? member : undefined, property, owner);
    // An abstract property the subclass has not set yet reads as undefined, as natively.
    if (member?.spec.abstract === true && reachesBinding(obj, property)) return resultToWire(plan, undefined);
    return resultToWire(plan, obj[property]);
  }
  if (callback.set !== undefined) {
    const { objref, property, value } = callback.set;
    const { obj, members, owner } = callbackTarget(host, objref[TOKEN_REF]);
    const member = members.get(property);
    const plan = callbackPlan(host, member?.kind === 'property' ? member : undefined, property, owner);
    obj[property] = argsFromWire(plan, [value])[0];
    return undefined;
  }
  throw new JsiiRingError(ErrorCode.CALLBACK_FAILED, `Callback ${callback.cbid} names no invoke, get or set`);
}

/** The `complete` fields for a failed callback. */
export function failureOf(error: unknown): { readonly err: string; readonly name: string } {
  if (error instanceof Error) {
    return { err: error.message, name: error.name === FAULT_NAME ? FAULT_NAME : RUNTIME_ERROR_NAME };
  }
  return { err: String(error), name: RUNTIME_ERROR_NAME };
}
