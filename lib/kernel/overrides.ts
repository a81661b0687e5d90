/**
 * Host overrides installed by `create`: each overridden method or property of the new
 * object is replaced by one that calls back into the host.
 *
 * The reference's rules, kept: an override is either `method` or `property`; a name may be
 * overridden once; overriding a property as a method (or the reverse) is a Fault; a name
 * the type does not declare but the object has (a private member) is silently skipped; an
 * undeclared name the object lacks is overridden as `any`. A property override keeps the
 * original under `$jsii$super$<name>$`, which `get`/`set` requests reach (the host's
 * `super.prop`).
 *
 * Sync overrides call the host through the kernel's callback handler; async ones queue a
 * callback for `callbacks`/`complete` and return a promise.
 */
import type * as spec from '@jsii/spec';
import { JsiiFault } from '../errors.js';
import type { Callback, ObjRef, Override } from '../protocol/api.js';
import type { KernelCore } from './kernel-core.js';
import { CallableInfo, PropertyInfo } from './member-info.js';
import { tryMethod, tryProperty } from './members.js';
import { deserialize, serialize } from './serialization.js';

const OVERRIDE_KIND = 'Override can either be "method" or "property"';
const ANY: spec.TypeReference = { primitive: 'any' as spec.PrimitiveType };

/** Name of the slot keeping a property's original descriptor. */
export function superPropertyName(name: string): string {
  return `$jsii$super$${name}$`;
}

/** Installs `overrides` on the freshly created `obj` (registered as `objref`). */
export function applyOverrides(
  core: KernelCore, obj: object, objref: ObjRef, fqn: string, interfaces: readonly string[] | undefined, overrides: unknown,
): void {
  if (!Array.isArray(overrides)) {
    throw new JsiiFault(`${OVERRIDE_KIND} (overrides must be a list)`);
  }
  const methods = new Set<string>();
  const properties = new Set<string>();
  for (const override of overrides as unknown[]) {
    const o = (typeof override === 'object' && override !== null ? override : {}) as Partial<Override> & { method?: unknown; property?: unknown };
    const isMethod = o.method != null;
    const isProperty = o.property != null;
    if (isMethod === isProperty) {
      throw new JsiiFault(OVERRIDE_KIND);
    }
    const name = isMethod ? o.method : o.property;
    if (typeof name !== 'string' || (o.cookie !== undefined && typeof o.cookie !== 'string')) {
      throw new JsiiFault(`${OVERRIDE_KIND}, named by a string (with an optional string cookie): ${JSON.stringify(override)}`);
    }
    const seen = isMethod ? methods : properties;
    if (seen.has(name)) {
      throw new JsiiFault(`Duplicate override for ${isMethod ? 'method' : 'property'} '${name}'`);
    }
    seen.add(name);
    if (isMethod) {
      overrideMethod(core, obj, objref, fqn, interfaces, name, o.cookie);
    } else {
      overrideProperty(core, obj, objref, fqn, interfaces, name, o.cookie);
    }
  }
}

function overrideMethod(
  core: KernelCore, obj: object, objref: ObjRef, fqn: string, interfaces: readonly string[] | undefined, name: string, cookie: string | undefined,
): void {
  if (tryProperty(core.types, name, fqn, interfaces) !== undefined) {
    throw new JsiiFault(`Trying to override property '${name}' as a method`);
  }
  let method = tryMethod(core.types, name, fqn, interfaces);
  if (method === undefined && (obj as Record<string, unknown>)[name]) {
    return; // a private method of the object: not overridable
  }
  // No type information (e.g. a host object with no interface declaring it): `(...any) => any`.
  method ??= new CallableInfo(
    { name, returns: { type: ANY }, parameters: [{ name: 'args', type: ANY, variadic: true }], variadic: true } as spec.Method,
    undefined,
  );
  const runtimeFqn = core.types.jsiiTypeFqn(obj);
  // The reference's wording, missing space included: it appears in error messages.
  const callContext = `${method.isAsync ? 'async ' : ''}method${runtimeFqn !== undefined ? `${runtimeFqn}#` : name}`;
  const describe = (): string => callContext;
  const info = method;
  const value = info.isAsync
    ? (...args: unknown[]): Promise<unknown> => {
      // Unlike the reference (which runs the arguments through the wire → library
      // conversion), the arguments go out in wire form, like those of sync overrides.
      const wireArgs = core.convertArgs(info, args, false, describe, undefined, undefined);
      return new Promise((succeed, fail) => {
        core.queuedCallbacks.set(core.nextCallbackId(), {
          objref, cookie, method: name, args: wireArgs, returns: info.returns, succeed, fail,
        });
      });
    }
    : (...args: unknown[]): unknown => {
      const callback: Callback = withCookie(cookie, {
        cbid: core.nextCallbackId(),
        invoke: { objref, method: name, args: core.convertArgs(info, args, false, describe, undefined, undefined) },
      });
      const result = core.callHost(callback);
      return deserialize(core, info.returns, result, `returned by callback method ${name}`);
    };
  Object.defineProperty(obj, name, { enumerable: false, configurable: false, writable: false, value });
}

function overrideProperty(
  core: KernelCore, obj: object, objref: ObjRef, fqn: string, interfaces: readonly string[] | undefined, name: string, cookie: string | undefined,
): void {
  if (tryMethod(core.types, name, fqn, interfaces) !== undefined) {
    throw new JsiiFault(`Trying to override method '${name}' as a property`);
  }
  let property = tryProperty(core.types, name, fqn, interfaces);
  if (property === undefined && name in obj) {
    return; // a private property of the object: not overridable
  }
  // No type information: pretend it is `prop: any`.
  property ??= new PropertyInfo({ name, type: ANY } as spec.Property);
  const info = property;

  // Keep the original under `$jsii$super$<name>$`, so requests can still reach it (`super`).
  const previous = findDescriptor(obj, name) ?? {
    value: (obj as Record<string, unknown>)[name], writable: true, enumerable: true, configurable: true,
  };
  const enumerable = previous.enumerable;
  Object.defineProperty(obj, superPropertyName(name), { ...previous, enumerable: false });
  // Both accessors, even for a readonly property: setting one fails in the library anyway.
  Object.defineProperty(obj, name, {
    enumerable,
    configurable: previous.configurable,
    get: (): unknown => {
      const result = core.callHost(withCookie(cookie, { cbid: core.nextCallbackId(), get: { objref, property: name } }));
      return deserialize(core, info.converter, result, `returned by callback property ${name}`);
    },
    set: (value: unknown): void => {
      const wire = serialize(core, info.converter, value, `assigned to callback property ${name}`);
      core.callHost(withCookie(cookie, { cbid: core.nextCallbackId(), set: { objref, property: name, value: wire } }));
    },
  });
}

/** The descriptor of `name` on `obj` or the nearest prototype that has it. */
function findDescriptor(obj: object, name: string): PropertyDescriptor | undefined {
  for (let curr: object | null = obj; curr !== null; curr = Object.getPrototypeOf(curr) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(curr, name);
    if (descriptor !== undefined) {
      return descriptor;
    }
  }
  return undefined;
}

/** A callback with its cookie first (as the reference orders it), or none when absent. */
function withCookie(cookie: string | undefined, callback: Omit<Callback, 'cookie'>): Callback {
  return cookie === undefined ? callback : { cookie, ...callback };
}
