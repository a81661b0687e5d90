/**
 * Small facts about JavaScript values and jsii type references that serialization and the
 * error messages need. Pure functions; nothing here holds state.
 */
import type * as spec from '@jsii/spec';

/** Where the jsii compiler stores runtime type information on exported classes. */
export const JSII_RTTI = Symbol.for('jsii.rtti');

/** The fqn used to create plain objects (host implementations of interfaces). */
export const EMPTY_OBJECT_FQN = 'Object';

const toStringTag = Object.prototype.toString;
const hasOwn = Object.prototype.hasOwnProperty;

/** True for Date objects (also from other realms), as the reference tests it. */
export function isDate(x: unknown): x is Date {
  return typeof x === 'object' && x !== null && toStringTag.call(x) === '[object Date]';
}

/** True for strings, numbers and booleans. */
export function isScalar(x: unknown): x is string | number | boolean {
  const t = typeof x;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/** `Object.hasOwn`, without the lib requirement. */
export function hasOwnKey(obj: object, key: string): boolean {
  return hasOwn.call(obj, key);
}

/** True if the object has no own enumerable string keys (without allocating a key list). */
export function hasNoKeys(obj: object): boolean {
  for (const key in obj) {
    if (hasOwn.call(obj, key)) {
      return false;
    }
  }
  return true;
}

/**
 * Renders a type reference the way `@jsii/spec`'s `describeTypeReference` does
 * (`string`, `array<number>`, `map<a.B>`, `a | b`), plus intersections (`a & b`), which the
 * spec's version rejects.
 */
export function describeType(type: spec.TypeReference | undefined): string {
  if (type === undefined) {
    return 'void';
  }
  const t = type as Partial<spec.NamedTypeReference & spec.PrimitiveTypeReference & spec.CollectionTypeReference &
    spec.UnionTypeReference & spec.IntersectionTypeReference>;
  if (t.fqn !== undefined) {
    return t.fqn;
  }
  if (t.primitive !== undefined) {
    return t.primitive;
  }
  if (t.collection !== undefined) {
    return `${t.collection.kind}<${describeType(t.collection.elementtype)}>`;
  }
  if (t.union !== undefined) {
    return t.union.types.map(describeType).join(' | ');
  }
  if (t.intersection !== undefined) {
    return t.intersection.types.map(describeType).join(' & ');
  }
  return 'unknown type';
}

/**
 * True if `obj` must go by reference even without jsii type information: it (or a prototype
 * below `Object.prototype`) has a getter, a setter or a method. Serializing such an object
 * by value would freeze dynamic values other languages expect to see live.
 */
export function isByReferenceOnly(obj: object): boolean {
  if (Array.isArray(obj)) {
    return false;
  }
  let curr: object | null = obj;
  // Stops before the root prototype (`Object.prototype` or a null-prototype root).
  while (curr !== null && Object.getPrototypeOf(curr) !== null) {
    for (const prop of Object.getOwnPropertyNames(curr)) {
      const descriptor = Object.getOwnPropertyDescriptor(curr, prop);
      if (descriptor !== undefined && (descriptor.get !== undefined || descriptor.set !== undefined || typeof descriptor.value === 'function')) {
        return true;
      }
    }
    curr = Object.getPrototypeOf(curr) as object | null;
  }
  return false;
}
