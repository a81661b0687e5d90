/**
 * Finding the method or property a request names on an object: its class first, then the
 * interfaces it is known (or claimed) to implement, in order, as the reference does.
 */
import { JsiiFault } from '../errors.js';
import type { CallableInfo, PropertyInfo } from './member-info.js';
import type { TypeRegistry } from './type-registry.js';
import { EMPTY_OBJECT_FQN } from './values.js';

/** The method `name` of `fqn` or of one of `interfaces`, if any. */
export function tryMethod(types: TypeRegistry, name: string, fqn: string, interfaces: readonly string[] | undefined): CallableInfo | undefined {
  if (fqn !== EMPTY_OBJECT_FQN) {
    const found = types.type(fqn).method(name);
    if (found !== undefined) {
      return found;
    }
  }
  if (interfaces !== undefined) {
    for (const iface of interfaces) {
      if (iface !== EMPTY_OBJECT_FQN) {
        const found = types.type(iface).method(name);
        if (found !== undefined) {
          return found;
        }
      }
    }
  }
  return undefined;
}

/** Like `tryMethod`, or the reference's Fault. */
export function findMethod(types: TypeRegistry, name: string, fqn: string, interfaces: readonly string[] | undefined): CallableInfo {
  const found = tryMethod(types, name, fqn, interfaces);
  if (found === undefined) {
    throw new JsiiFault(`Class ${fqn}${addendum(interfaces)} doesn't have a method '${name}'`);
  }
  return found;
}

/** The property `name` of `fqn` or of one of `interfaces`, if any. */
export function tryProperty(types: TypeRegistry, name: string, fqn: string, interfaces: readonly string[] | undefined): PropertyInfo | undefined {
  if (fqn !== EMPTY_OBJECT_FQN) {
    const found = types.type(fqn).property(name);
    if (found !== undefined) {
      return found;
    }
  }
  if (interfaces !== undefined) {
    for (const iface of interfaces) {
      if (iface !== EMPTY_OBJECT_FQN) {
        const found = types.type(iface).property(name);
        if (found !== undefined) {
          return found;
        }
      }
    }
  }
  return undefined;
}

/** Like `tryProperty`, or the reference's Fault. */
export function findProperty(types: TypeRegistry, name: string, fqn: string, interfaces: readonly string[] | undefined): PropertyInfo {
  const found = tryProperty(types, name, fqn, interfaces);
  if (found === undefined) {
    throw new JsiiFault(`Type ${fqn}${addendum(interfaces)} doesn't have a property '${name}'`);
  }
  return found;
}

function addendum(interfaces: readonly string[] | undefined): string {
  return interfaces !== undefined && interfaces.length > 0 ? ` or interface(s) ${interfaces.join(', ')}` : '';
}
