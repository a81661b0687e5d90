/**
 * Interface bindings. A jsii interface (or struct) is exposed as a class that cannot be
 * instantiated directly but:
 * - is the class of proxies of kernel objects known only by that interface (it has every
 *   member of the interface and of the interfaces it extends);
 * - answers `instanceof` for any jsii object whose class or `$jsii.interfaces` implements
 *   it, and for host objects created as its implementations;
 * - can be extended by a host class (`class MyAspect extends cdk.IAspect { visit(n) {…} }`),
 *   whose instances are created in the kernel as `Object`s implementing it, with the
 *   redefined members as overrides. Plain objects (`{ visit(n) {…} }`) work too, wherever
 *   the interface is declared.
 */
import * as spec from '@jsii/spec';
import { BINDING_FQN, defineInstanceMembers, defineNestedTypes, finishBinding, JsiiObject, SKIP_CREATE } from './class-binding.js';
import type { BindingClass, BindingHost } from './class-binding.js';
import { stateOf } from './object-table.js';
import type { ObjectState } from './object-table.js';
import type { TypeSystem } from './type-system.js';

/** True if the object behind `state` implements (or is) `fqn`, as far as the host knows. */
export function implementsType(types: TypeSystem, state: ObjectState, fqn: string): boolean {
  if (types.supertypes(state.fqn).has(fqn)) return true;
  for (const iface of state.interfaces) {
    if (types.supertypes(iface).has(fqn)) return true;
  }
  return false;
}

/** Builds the binding of an interface or struct. */
export function buildInterfaceBinding(host: BindingHost, type: spec.InterfaceType): BindingClass {
  const fqn = type.fqn;
  const binding: BindingClass = class extends JsiiObject {
    public constructor(...args: unknown[]) {
      super(SKIP_CREATE);
      if (args[0] === SKIP_CREATE) return;
      if (new.target === binding) {
        throw new TypeError(
          `${type.name} is a jsii ${type.datatype === true ? 'struct: pass a plain object' : 'interface: pass an object that implements it, or extend it with a class'}`,
        );
      }
      host.implement(this, new.target, binding, type);
    }

    public static [Symbol.hasInstance](value: unknown): boolean {
      if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
      if (this !== binding) return false;
      const state = stateOf(value);
      return state !== undefined && state.table === host.table && implementsType(host.types, state, fqn);
    }
  };
  finishBinding(binding, type);
  const members = [...host.types.instanceMembers(fqn).values()];
  defineInstanceMembers(
    host,
    binding.prototype,
    members.flatMap((m) => (m.kind === 'method' ? [m.spec] : [])),
    members.flatMap((m) => (m.kind === 'property' ? [m.spec] : [])),
    type.name,
  );
  defineNestedTypes(host, binding, fqn);
  return binding;
}

/**
 * A proxy class for an object the kernel reports with extra interfaces
 * (`$jsii.interfaces`): `base` plus the members of `interfaces` that `base` lacks.
 */
export function buildProxyClass(host: BindingHost, base: BindingClass, interfaces: readonly string[]): BindingClass {
  const derived: BindingClass = class extends base {};
  const shortNames = interfaces.map((i) => host.types.tryFindType(i)?.name ?? i);
  const name = base[BINDING_FQN] === undefined ? shortNames.join('&') : [base.name, ...shortNames].join('&');
  Object.defineProperty(derived, 'name', { value: name, configurable: true });
  const proto = derived.prototype as object;
  for (const iface of interfaces) {
    const type = host.types.tryFindType(iface);
    if (type === undefined || !spec.isInterfaceType(type)) continue;
    const missing = [...host.types.instanceMembers(iface).values()].filter((m) => !(m.name in proto));
    defineInstanceMembers(
      host,
      proto,
      missing.flatMap((m) => (m.kind === 'method' ? [m.spec] : [])),
      missing.flatMap((m) => (m.kind === 'property' ? [m.spec] : [])),
      type.name,
    );
  }
  return derived;
}
