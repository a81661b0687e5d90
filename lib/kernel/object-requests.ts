/**
 * Requests on objects and types: `create`, `del`, `get`, `set`, `sget`, `sset`, `invoke`,
 * `sinvoke`, and the informational `naming` and `stats`.
 *
 * Each follows the reference step by step, because the order decides which error a bad
 * request gets: look the object and member up (Faults), then run the library code with
 * the arguments converted inside the sync guard (errors become RuntimeErrors), then convert
 * the result outside it (a failure keeps the name `@jsii/kernel.SerializationError`).
 */
import type * as spec from '@jsii/spec';
import { JsiiFault } from '../errors.js';
import type {
  BeginRequest, CreateRequest, CreateResponse, DelRequest, GetRequest, GetResponse, InvokeRequest, InvokeResponse, NamingRequest,
  NamingResponse, SetRequest, StaticGetRequest, StaticInvokeRequest, StaticSetRequest, StatsResponse,
} from '../protocol/api.js';
import { TOKEN_REF } from '../protocol/api.js';
import { type KernelCore, SyncKind } from './kernel-core.js';
import { passThroughError } from './kernel-errors.js';
import type { CallableInfo } from './member-info.js';
import { findMethod, findProperty } from './members.js';
import { applyOverrides, superPropertyName } from './overrides.js';
import { argsField, hostIdOf, stringField, stringListField, withHostId, resultOf, valueOf } from './requests.js';
import { deserialize, serialize } from './serialization.js';
import type { ContextFn } from './serialization-error.js';
import { describeType, EMPTY_OBJECT_FQN } from './values.js';

type Fn = (...args: unknown[]) => unknown;

const NEW_CONTEXT: ContextFn = (fqn) => `new ${String(fqn)}`;
const METHOD_CONTEXT: ContextFn = (fqn, method) => `method ${fqn !== undefined ? `${String(fqn)}#` : ''}${String(method)}`;
const STATIC_CONTEXT: ContextFn = (fqn, method) => `static method ${String(fqn)}.${String(method)}`;
const RETURNED_CONTEXT: ContextFn = (fqn, method) => `returned by method ${fqn !== undefined ? `${String(fqn)}#` : ''}${String(method)}`;

/**
 * The reference's argument checks: no more arguments than parameters unless variadic, and
 * every required parameter present (`null` passes here and fails conversion instead).
 */
export function checkArguments(callable: CallableInfo | undefined, args: readonly unknown[]): void {
  const params: readonly spec.Parameter[] = callable?.parameters ?? [];
  if (args.length > params.length && callable?.variadic !== true) {
    throw new JsiiFault(`Too many arguments (method accepts ${params.length} parameters, got ${args.length} arguments)`);
  }
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    if (!param.variadic && param.optional !== true && args[i] === undefined) {
      throw new JsiiFault(`Not enough arguments. Missing argument for the required parameter '${param.name}' of type '${describeParam(param)}'`);
    }
  }
}

function describeParam(param: spec.Parameter): string {
  return describeType(param.type);
}

// ---------------------------------------------------------------------------------------
// create / del
// ---------------------------------------------------------------------------------------

/** `create`: instantiates a class (or `Object`), registers it, installs overrides. */
export function create(core: KernelCore, req: CreateRequest): CreateResponse {
  const hostId = hostIdOf(core, req);
  if (hostId === undefined) {
    return createObject(core, req, undefined);
  }
  return withHostId(core, hostId, () => `create ${String(req.fqn)}`, () => createObject(core, req, hostId), (r) => r);
}

function createObject(core: KernelCore, req: CreateRequest, hostId: number | undefined): CreateResponse {
  const fqn = stringField(req, 'fqn');
  const args = argsField(req);
  let ctor: new (...a: unknown[]) => object;
  let initializer: CallableInfo | undefined;
  if (fqn === EMPTY_OBJECT_FQN) {
    ctor = Object as unknown as typeof ctor;
  } else {
    const type = core.types.type(fqn);
    if (type.kind === 'interface') {
      throw new JsiiFault(`Cannot create an object with an FQN of an interface: ${fqn}`);
    }
    if (type.kind !== 'class') {
      throw new JsiiFault(`Unexpected FQN kind: ${fqn}`);
    }
    initializer = type.initializer();
    checkArguments(initializer, args);
    ctor = type.symbol() as typeof ctor;
  }
  const interfaces = stringListField(req, 'interfaces');
  const overrides = (req as { overrides?: unknown }).overrides;
  // Not inside the sync guard, as in the reference: conversion failures keep the name
  // `@jsii/kernel.SerializationError`, a throwing constructor its own name and stack.
  const jsArgs = core.convertArgs(initializer, args, true, NEW_CONTEXT, fqn, undefined);
  let obj: object;
  try {
    obj = new ctor(...jsArgs);
  } catch (e) {
    throw passThroughError(e);
  }
  if (hostId !== undefined) {
    core.objects.reserve(obj, hostId);
  }
  const objref = core.objects.register(obj, fqn, interfaces ?? []);
  if (overrides != null) {
    try {
      applyOverrides(core, obj, objref, fqn, interfaces, overrides);
    } catch (e) {
      // The object was registered before the overrides were checked, as in the reference
      // (which keeps it: it stays in `stats`). A host id must not name it, though: the
      // request failed, so the id is recorded as failed.
      if (hostId !== undefined) {
        core.objects.delete(objref);
      }
      throw passThroughError(e);
    }
  }
  return objref;
}

/** `del`: forgets an object. */
export function del(core: KernelCore, req: DelRequest): Record<string, never> {
  core.objects.delete(req.objref);
  return {};
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/** The property to access: the original of an overridden one (`super`), or the property. */
function propertyTarget(obj: object, name: string): string {
  const superName = superPropertyName(name);
  return superName in obj ? superName : name;
}

/** `get`: reads an instance property. */
export function get(core: KernelCore, req: GetRequest): GetResponse {
  const hostId = hostIdOf(core, req);
  if (hostId === undefined) {
    return getProperty(core, req, undefined);
  }
  return withHostId(core, hostId, () => `get ${String(req.objref?.[TOKEN_REF])}.${String(req.property)}`,
    () => getProperty(core, req, hostId), (r) => r.value);
}

function getProperty(core: KernelCore, req: GetRequest, hostId: number | undefined): GetResponse {
  const entry = core.objects.find(req.objref);
  const name = stringField(req, 'property');
  const property = findProperty(core.types, name, entry.fqn, core.objects.requestedInterfaces(entry, req.objref));
  const target = propertyTarget(entry.instance, name);
  const value = core.inSync(SyncKind.PROPERTY, entry.ref, target, () => (entry.instance as Record<string, unknown>)[target]);
  if (hostId !== undefined) {
    core.objects.reserve(value, hostId);
  }
  return valueOf(serialize(core, property.converter, value, `of property ${entry.fqn}.${name}`));
}

/** `set`: writes an instance property. */
export function set(core: KernelCore, req: SetRequest): Record<string, never> {
  const entry = core.objects.find(req.objref);
  const name = stringField(req, 'property');
  const property = findProperty(core.types, name, entry.fqn, core.objects.requestedInterfaces(entry, req.objref));
  if (property.immutable) {
    throw new JsiiFault(`Cannot set value of immutable property ${name} to ${safeString(req.value)}`);
  }
  const target = propertyTarget(entry.instance, name);
  core.inSync(SyncKind.PROPERTY, entry.ref, target, () => {
    (entry.instance as Record<string, unknown>)[target] = deserialize(core, property.converter, req.value, `assigned to property ${entry.fqn}.${name}`);
  });
  return {};
}

/** `sget`: reads a static property. */
export function sget(core: KernelCore, req: StaticGetRequest): GetResponse {
  const hostId = hostIdOf(core, req);
  if (hostId === undefined) {
    return getStatic(core, req, undefined);
  }
  return withHostId(core, hostId, () => `sget ${String(req.fqn)}.${String(req.property)}`,
    () => getStatic(core, req, hostId), (r) => r.value);
}

function getStatic(core: KernelCore, req: StaticGetRequest, hostId: number | undefined): GetResponse {
  const fqn = stringField(req, 'fqn');
  const name = stringField(req, 'property');
  const property = findProperty(core.types, name, fqn, undefined);
  if (!property.isStatic) {
    throw new JsiiFault(`property ${fqn}.${name} is not static`);
  }
  const owner = core.types.symbol(fqn) as Record<string, unknown>;
  const value = core.inSync(SyncKind.STATIC_PROPERTY, fqn, name, () => owner[name]);
  if (hostId !== undefined) {
    core.objects.reserve(value, hostId);
  }
  return valueOf(serialize(core, property.converter, value, `of static property ${fqn}.${name}`));
}

/** `sset`: writes a static property. */
export function sset(core: KernelCore, req: StaticSetRequest): Record<string, never> {
  const fqn = stringField(req, 'fqn');
  const name = stringField(req, 'property');
  const property = findProperty(core.types, name, fqn, undefined);
  if (!property.isStatic) {
    throw new JsiiFault(`property ${fqn}.${name} is not static`);
  }
  if (property.immutable) {
    throw new JsiiFault(`static property ${fqn}.${name} is readonly`);
  }
  const owner = core.types.symbol(fqn) as Record<string, unknown>;
  core.inSync(SyncKind.STATIC_PROPERTY, fqn, name, () => {
    owner[name] = deserialize(core, property.converter, req.value, `assigned to static property ${fqn}.${name}`);
  });
  return {};
}

// ---------------------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------------------

/**
 * The function `invoke`/`begin` call: looked up on the class prototype first, so that a
 * host override of `method` calling `super.method()` reaches the library's, then on the
 * object (host objects). `toString` is looked up on the object first (an object literal's
 * own `toString` would otherwise lose to `Object.prototype.toString`).
 */
export function methodOf(instance: object, name: string): Fn {
  let fn: unknown;
  if (name !== 'toString') {
    fn = (instance.constructor as { prototype?: Record<string, unknown> } | undefined)?.prototype?.[name];
  }
  fn ??= (instance as Record<string, unknown>)[name];
  if (!fn) {
    throw new JsiiFault(`Cannot find ${name} on object`);
  }
  return fn as Fn;
}

/**
 * The instance method a request (`invoke`, `begin`) names, resolved and checked the same
 * way for both: the object, the declared method, the argument count, and the function.
 */
export function instanceMethodOf(core: KernelCore, req: InvokeRequest | BeginRequest) {
  const entry = core.objects.find(req.objref);
  const name = stringField(req, 'method');
  const args = argsField(req);
  const method = findMethod(core.types, name, entry.fqn, core.objects.requestedInterfaces(entry, req.objref));
  checkArguments(method, args);
  return { entry, name, args, method, fn: methodOf(entry.instance, name) };
}

/** `invoke`: calls an instance method. */
export function invoke(core: KernelCore, req: InvokeRequest): InvokeResponse {
  const hostId = hostIdOf(core, req);
  if (hostId === undefined) {
    return invokeMethod(core, req, undefined);
  }
  return withHostId(core, hostId, () => `invoke ${String(req.objref?.[TOKEN_REF])}.${String(req.method)}`,
    () => invokeMethod(core, req, hostId), (r) => r.result);
}

function invokeMethod(core: KernelCore, req: InvokeRequest, hostId: number | undefined): InvokeResponse {
  const { entry, name, args, method, fn } = instanceMethodOf(core, req);
  if (method.isAsync) {
    throw new JsiiFault(`${name} is an async method, use "begin" instead`);
  }
  const instance = entry.instance;
  const typeFqn = core.types.jsiiTypeFqn(instance);
  const ret = core.inSync(SyncKind.METHOD, entry.ref, name,
    () => fn.apply(instance, core.convertArgs(method, args, true, METHOD_CONTEXT, typeFqn, name)));
  if (hostId !== undefined) {
    core.objects.reserve(ret, hostId);
  }
  return resultOf(serialize(core, method.returns, ret, RETURNED_CONTEXT, typeFqn, name));
}

/** `sinvoke`: calls a static method. */
export function sinvoke(core: KernelCore, req: StaticInvokeRequest): InvokeResponse {
  const hostId = hostIdOf(core, req);
  if (hostId === undefined) {
    return invokeStatic(core, req, undefined);
  }
  return withHostId(core, hostId, () => `sinvoke ${String(req.fqn)}.${String(req.method)}`,
    () => invokeStatic(core, req, hostId), (r) => r.result);
}

function invokeStatic(core: KernelCore, req: StaticInvokeRequest, hostId: number | undefined): InvokeResponse {
  const fqn = stringField(req, 'fqn');
  const name = stringField(req, 'method');
  const args = argsField(req);
  const method = findMethod(core.types, name, fqn, undefined);
  if (!method.isStatic) {
    throw new JsiiFault(`${fqn}.${name} is not a static method`);
  }
  if (method.isAsync) {
    throw new JsiiFault(`${name} is an async method, use "begin" instead`);
  }
  // Deliberate difference: the reference does not check static calls' arguments at all.
  checkArguments(method, args);
  const owner = core.types.symbol(fqn) as Record<string, unknown>;
  const ret = core.inSync(SyncKind.STATIC_METHOD, fqn, name,
    () => (owner[name] as Fn).apply(owner, core.convertArgs(method, args, true, STATIC_CONTEXT, fqn, name)));
  if (hostId !== undefined) {
    core.objects.reserve(ret, hostId);
  }
  return resultOf(serialize(core, method.returns, ret, `returned by static method ${fqn}.${name}`));
}

// ---------------------------------------------------------------------------------------
// naming / stats
// ---------------------------------------------------------------------------------------

/** `naming`: the assembly's target names (`targets` of the `.jsii`). */
export function naming(core: KernelCore, req: NamingRequest): NamingResponse {
  const name = (req as { assembly?: unknown }).assembly;
  const assembly = core.types.requireAssembly(String(name));
  const targets = assembly.source.metadata.targets;
  if (!targets) {
    throw new JsiiFault(`Unexpected - "targets" for ${String(name)} is missing!`);
  }
  return { naming: targets as NamingResponse['naming'] };
}

/** `stats`: the number of live objects. */
export function stats(core: KernelCore): StatsResponse {
  return { objectCount: core.objects.count };
}

function safeString(value: unknown): string {
  try {
    return `${value as string}`;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
