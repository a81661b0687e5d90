/**
 * Finding the method or property a request names on an object: its class first, then the
 * interfaces it is known (or claimed) to implement, in order, as the reference does.
 */
import { JsiiFault } from '../errors.js';
import type { CallableInfo, PropertyInfo } from './member-info.js';
import type { TypeInfo } from './type-info.js';
import type { TypeRegistry } from './type-registry.js';
import { EMPTY_OBJECT_FQN } from './values.js';

/**
 * The first member `lookup` finds on the class `fqn`, then on each of `interfaces` in order
 * (`Object`, the fqn of a plain object, declares nothing).
 */
function searchTypes<T>(types: TypeRegistry, fqn: string, interfaces: readonly string[] | undefined, lookup: (type: TypeInfo) => T | undefined): T | undefined {
  if (fqn !== EMPTY_OBJECT_FQN) {
    const found = lookup(types.type(fqn));
    if (found !== undefined) {
      return found;
    }
  }
  if (interfaces !== undefined) {
    for (const iface of interfaces) {
      if (iface !== EMPTY_OBJECT_FQN) {
        const found = lookup(types.type(iface));
        if (found !== undefined) {
          return found;
        }
      }
    }
  }
  return undefined;
}

/** The method `name` of `fqn` or of one of `interfaces`, if any. */
export function tryMethod(types: TypeRegistry, name: string, fqn: string, interfaces: readonly string[] | undefined): CallableInfo | undefined {
  return searchTypes(types, fqn, interfaces, (type) => type.method(name));
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
  return searchTypes(types, fqn, interfaces, (type) => type.property(name));
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
