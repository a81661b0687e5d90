/**
 * How each call is made, decided once per member from its **declared** types (DESIGN.md,
 * "Pipelining semantics"); never from the values seen at run time.
 *
 * - `void`: nothing to read back. Pipelined (`send`).
 * - `handle`: the result is a non-optional reference to a class or a (non-struct)
 *   interface. Pipelined with a client-allocated `objid` when the connection supports it;
 *   the host hands out a proxy of the declared type right away.
 * - `value`: anything the program reads (primitives, structs, enums, collections, unions,
 *   `any`, optional results). A sync point (`request`).
 */
import * as spec from '@jsii/spec';
import type { TypeSystem } from './type-system.js';

/** How a call's result is obtained. */
export type ResultKind = 'void' | 'handle' | 'value';

/**
 * The kind of a method's result, or of a property read (pass the property itself: it is
 * an `OptionalValue`). `undefined` means the method returns nothing.
 */
export function resultKind(returns: spec.OptionalValue | undefined, types: TypeSystem): ResultKind {
  if (returns === undefined) return 'void';
  if (returns.optional === true) return 'value';
  return isHandleType(returns.type, types) ? 'handle' : 'value';
}

/** True if values of this declared type are object references the host never reads. */
export function isHandleType(type: spec.TypeReference, types: TypeSystem): boolean {
  if (!spec.isNamedTypeReference(type)) return false;
  const target = types.tryFindType(type.fqn);
  if (target === undefined) return false;
  if (spec.isClassType(target)) return true;
  return spec.isInterfaceType(target) && target.datatype !== true;
}

/** The kind of an async method's call: always a sync `begin`, then an awaited `end`. */
export function isAsyncMethod(method: spec.Method): boolean {
  return method.async === true;
}
