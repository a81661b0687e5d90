/**
 * Binding classes: a JavaScript class per jsii class, built on first access from the
 * assembly. It can be used with `new` (a kernel `create`), extended by host classes
 * (whose redefined members become overrides), and has the library's static members.
 * Instance members live on the prototype as methods and accessors that forward to the
 * kernel; nothing is stored on instances but the ref (in a side table).
 *
 * What `instanceof` means: a proxy is an instance of the binding class of the type it was
 * made for. Values the kernel returned through a sync point carry their run-time class
 * (the most derived exported class). A pipelined result is made before its run-time class
 * is known, so it is an instance of the **declared** type (and its bases) only.
 */
import type * as spec from '@jsii/spec';
import { inspect } from 'node:util';
import type { CallHost, MethodPlan, PropertyPlan } from './calls.js';
import { getProperty, getStatic, invokeMethod, invokeStatic, setProperty, setStatic } from './calls.js';
import { stateOf } from './object-table.js';

/** Passed up the constructor chain so only the most derived binding makes the `create`. */
export const SKIP_CREATE: unique symbol = Symbol('jsii-ring.skip-create');

/** Own static property of every binding class and interface: its fqn. */
export const BINDING_FQN: unique symbol = Symbol.for('jsii-ring.fqn');

/** A binding class (or interface binding): a constructor of jsii objects. */
export type BindingClass = (new (...args: any[]) => JsiiObject) & { readonly [BINDING_FQN]?: string };

/** The root of every binding class. Holds nothing: an object's ref is in a side table. */
export class JsiiObject {
  /** @internal binding constructors pass `SKIP_CREATE`. */
  public constructor(..._args: unknown[]) {}

  /** `Name <fqn@id>` in `console.log`. */
  public [inspect.custom](): string {
    const state = stateOf(this);
    const name = (this.constructor as { name?: string }).name ?? 'JsiiObject';
    return state === undefined ? `${name} <no kernel object>` : `${name} <${state.fqn}@${state.id}>`;
  }
}

/** What binding builders need from the runtime. */
export interface BindingHost extends CallHost {
  /** The binding of a class. */
  classBinding(fqn: string): BindingClass;
  /** The binding of any type (class, interface or enum). */
  bindingFor(fqn: string): unknown;
  /** Types declared inside a type (`CfnBucket.CorsRuleProperty`): name → fqn. */
  nestedTypes(fqn: string): ReadonlyMap<string, string>;
  /** Runs a binding class's constructor: creates the kernel object for `self`. */
  construct(self: object, newTarget: object, binding: BindingClass, type: spec.ClassType, args: unknown[]): void;
  /** A host class extending an interface binding: creates an `Object` implementing it. */
  implement(self: object, newTarget: object, binding: BindingClass, type: spec.InterfaceType): void;
  methodPlan(method: spec.Method, typeName: string): MethodPlan;
  propertyPlan(property: spec.Property, typeName: string): PropertyPlan;
}

/** Builds the binding class of a jsii class. */
export function buildClassBinding(host: BindingHost, type: spec.ClassType): BindingClass {
  const Base: BindingClass = type.base !== undefined ? host.classBinding(type.base) : JsiiObject;
  const binding: BindingClass = class extends Base {
    public constructor(...args: unknown[]) {
      super(SKIP_CREATE);
      if (args[0] === SKIP_CREATE) return;
      host.construct(this, new.target, binding, type, args);
    }
  };
  finishBinding(binding, type);
  defineInstanceMembers(host, binding.prototype, type.methods ?? [], type.properties ?? [], type.name);
  defineStaticMembers(host, binding, type);
  defineNestedTypes(host, binding, type.fqn);
  return binding;
}

/** Names the binding and marks it with its fqn. */
export function finishBinding(binding: BindingClass, type: spec.Type): void {
  Object.defineProperty(binding, 'name', { value: type.name, configurable: true });
  Object.defineProperty(binding, BINDING_FQN, { value: type.fqn });
}

/** Defines forwarding methods and accessors on a prototype for the given members. */
export function defineInstanceMembers(
  host: BindingHost,
  proto: object,
  methods: readonly spec.Method[],
  properties: readonly spec.Property[],
  typeName: string,
): void {
  for (const method of methods) {
    if (method.static === true) continue;
    let plan: MethodPlan | undefined;
    const fn = function (this: unknown, ...args: unknown[]): unknown {
      plan ??= host.methodPlan(method, typeName);
      return invokeMethod(host, plan, this, args);
    };
    Object.defineProperty(fn, 'name', { value: method.name });
    Object.defineProperty(proto, method.name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
  for (const property of properties) {
    if (property.static === true) continue;
    let plan: PropertyPlan | undefined;
    const descriptor: PropertyDescriptor = {
      configurable: true,
      enumerable: false,
      get(this: unknown): unknown {
        plan ??= host.propertyPlan(property, typeName);
        return getProperty(host, plan, this);
      },
    };
    if (property.immutable !== true) {
      descriptor.set = function (this: unknown, value: unknown): void {
        plan ??= host.propertyPlan(property, typeName);
        setProperty(host, plan, this, value);
      };
    }
    Object.defineProperty(proto, property.name, descriptor);
  }
}

function defineStaticMembers(host: BindingHost, binding: BindingClass, type: spec.ClassType): void {
  const fqn = type.fqn;
  for (const method of type.methods ?? []) {
    if (method.static !== true || !canDefineStatic(binding, method.name)) continue;
    let plan: MethodPlan | undefined;
    const fn = function (...args: unknown[]): unknown {
      plan ??= host.methodPlan(method, type.name);
      return invokeStatic(host, plan, fqn, args);
    };
    Object.defineProperty(fn, 'name', { value: method.name });
    Object.defineProperty(binding, method.name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
  for (const property of type.properties ?? []) {
    if (property.static !== true || !canDefineStatic(binding, property.name)) continue;
    let plan: PropertyPlan | undefined;
    // A `const` never changes: read once, on first use, then kept.
    let constant: { value: unknown } | undefined;
    const descriptor: PropertyDescriptor = {
      configurable: true,
      enumerable: true,
      get(): unknown {
        if (constant !== undefined) return constant.value;
        plan ??= host.propertyPlan(property, type.name);
        const value = getStatic(host, plan, fqn);
        if (property.const === true) constant = { value };
        return value;
      },
    };
    if (property.immutable !== true) {
      descriptor.set = (value: unknown): void => {
        plan ??= host.propertyPlan(property, type.name);
        setStatic(host, plan, fqn, value);
      };
    }
    Object.defineProperty(binding, property.name, descriptor);
  }
}

/** Types nested in this one become lazy static properties (unless a member has the name). */
export function defineNestedTypes(host: BindingHost, binding: object, fqn: string): void {
  for (const [name, nestedFqn] of host.nestedTypes(fqn)) {
    if (!canDefineStatic(binding, name)) continue;
    Object.defineProperty(binding, name, {
      configurable: true,
      enumerable: true,
      get(): unknown {
        const value = host.bindingFor(nestedFqn);
        Object.defineProperty(binding, name, { value, configurable: true, enumerable: true, writable: false });
        return value;
      },
    });
  }
}

/** `prototype` and other non-configurable own properties of functions cannot be shadowed. */
function canDefineStatic(binding: object, name: string): boolean {
  const own = Object.getOwnPropertyDescriptor(binding, name);
  return own === undefined || (own.configurable === true && (name === 'name' || name === 'length'));
}

/** True if `value` is a binding class or interface binding. */
export function isBindingClass(value: unknown): value is BindingClass {
  return typeof value === 'function' && Object.prototype.hasOwnProperty.call(value, BINDING_FQN);
}
