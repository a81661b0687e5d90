/**
 * Conversion of values between the wire and the library, for one declared type.
 *
 * A declared type compiles (once, on first use) to its candidate serialization classes, in
 * the reference's order of preference (void, date, scalar, json, enum, array, map, struct,
 * reference, any); a union has several and the first that accepts the value wins. Nested
 * converters (array and map elements) compile lazily too, so a missing type surfaces where
 * the reference reports it.
 *
 * Fast path: a class that rejects a value returns `FAIL` with the reason in
 * `host.failure` instead of throwing, so trying the members of a union in turn costs no
 * exceptions; only a complete failure builds an `Unconvertible`, rendered by the caller.
 */
import type * as spec from '@jsii/spec';
import type { ObjectTable } from './object-table.js';
import type { TypeRegistry } from './type-registry.js';

/** What conversions need from the kernel. */
export interface ConversionHost {
  readonly types: TypeRegistry;
  readonly objects: ObjectTable;
  /** Scratch: the reason of the last class-level failure (read right after a `FAIL`). */
  failure: string;
  /**
   * Extension `js-values`: values keep the shape a JavaScript program gave them: a struct
   * keeps keys it does not declare, and by-value data is accepted where a class or
   * interface is declared (the library gets it as the program wrote it).
   */
  readonly jsValues: boolean;
  /** Nesting depth of the conversion in progress (see MAX_VALUE_DEPTH); 0 between conversions. */
  depth: number;
}

/**
 * The deepest nesting of arrays and objects a value may have, either way (`[[1]]` nests 2).
 * Far beyond any real value (a CloudFormation template nests a few dozen levels), and
 * shallow enough that conversion (recursive, four or five frames per level) never runs out
 * of stack in any thread that runs a kernel: a main thread's stack (about 1 MB: `serve
 * --stdio`, an in-process kernel) ran out near 1,000 object levels under a test runner, a
 * worker's (4 MB) far later. So the answer for a value does not depend on the thread. A
 * deeper value is refused with one clear error, in time linear in the levels walked.
 */
export const MAX_VALUE_DEPTH = 512;

/** A declared type: `void` or an optional value (parameter, property, return type). */
export type Declared = spec.OptionalValue | 'void';

/** Serialization classes, numbered in the reference's order of preference. */
export const Cls = {
  VOID: 0, DATE: 1, SCALAR: 2, JSON: 3, ENUM: 4, ARRAY: 5, MAP: 6, STRUCT: 7, REF: 8, ANY: 9,
} as const;

/** One way a declared type can be converted. */
export interface Candidate {
  readonly cls: number;
  readonly optional: boolean;
  /** The candidate's own type (for `[as <type>]` in messages); `undefined` for void. */
  readonly type: spec.TypeReference | undefined;
  /** `string` / `number` / `boolean` for scalars. */
  readonly primitive: string | undefined;
  /** Enum, struct or reference type. */
  readonly fqn: string | undefined;
  /** Whether `fqn` is a class (references) or an interface. */
  readonly isClass: boolean;
  /** `[fqn]` for an interface reference, registered with the objects it serializes. */
  readonly interfaces: readonly string[] | undefined;
  /** Array and map elements. */
  readonly elem: Converter | undefined;
}

/** Marker a serialization class returns when it rejects a value. */
export const FAIL: unique symbol = Symbol('fail');

/** The converter of one declared type. */
export class Converter {
  public readonly declared: Declared;
  #candidates: readonly Candidate[] | undefined;

  public constructor(declared: Declared) {
    this.declared = declared;
  }

  /** The candidate classes, compiled on first use (may throw a Fault for a missing type). */
  public candidates(types: TypeRegistry): readonly Candidate[] {
    if (this.#candidates === undefined) {
      this.#candidates = compile(this.declared, types);
    }
    return this.#candidates;
  }
}

/** The `void` converter (no value either way). */
export const VOID_CONVERTER = new Converter('void');
/** `any`, not optional (elements of `any` arrays and maps, values of `any` objects). */
export const ANY_CONVERTER = new Converter({ type: { primitive: 'any' as spec.PrimitiveType } });
/** `json`, not optional (elements of json arrays and objects). */
export const JSON_CONVERTER = new Converter({ type: { primitive: 'json' as spec.PrimitiveType } });
/** `json`, nullable (values of a `$jsii.map` passed as json). */
export const NULLABLE_JSON_CONVERTER = new Converter({ optional: true, type: { primitive: 'json' as spec.PrimitiveType } });

function compile(declared: Declared, types: TypeRegistry): readonly Candidate[] {
  if (declared === 'void') {
    return [candidate(Cls.VOID, false, undefined)];
  }
  const optional = declared.optional === true;
  const type = declared.type as Partial<spec.PrimitiveTypeReference & spec.CollectionTypeReference &
    spec.UnionTypeReference & spec.IntersectionTypeReference & spec.NamedTypeReference>;
  if (type.primitive !== undefined) {
    switch (type.primitive) {
      case 'any': return [candidate(Cls.ANY, optional, declared.type)];
      case 'date': return [candidate(Cls.DATE, optional, declared.type)];
      case 'json': return [candidate(Cls.JSON, optional, declared.type)];
      case 'string': case 'number': case 'boolean':
        return [candidate(Cls.SCALAR, optional, declared.type, { primitive: type.primitive })];
      default: throw new Error(`Unknown primitive type: ${String(type.primitive)}`);
    }
  }
  if (type.collection !== undefined) {
    const elem = new Converter({ type: type.collection.elementtype });
    return [candidate(type.collection.kind === 'array' ? Cls.ARRAY : Cls.MAP, optional, declared.type, { elem })];
  }
  if (type.union !== undefined) {
    const all: Candidate[] = [];
    for (const member of type.union.types) {
      for (const c of compile({ type: member }, types)) {
        all.push({ ...c, optional });
      }
    }
    // Array.prototype.sort is stable: members of the same class keep the union's order.
    return all.sort((l, r) => l.cls - r.cls);
  }
  if (type.intersection !== undefined) {
    const first = type.intersection.types[0];
    if (first === undefined) {
      throw new Error('Empty intersection type');
    }
    return compile({ optional, type: first }, types);
  }
  const fqn = type.fqn as string;
  const info = types.type(fqn);
  if (info.kind === 'enum') {
    return [candidate(Cls.ENUM, optional, declared.type, { fqn })];
  }
  if (info.isStruct) {
    return [candidate(Cls.STRUCT, optional, declared.type, { fqn })];
  }
  const isClass = info.kind === 'class';
  return [candidate(Cls.REF, optional, declared.type, { fqn, isClass, interfaces: isClass ? undefined : Object.freeze([fqn]) })];
}

function candidate(cls: number, optional: boolean, type: spec.TypeReference | undefined, extra: Partial<Candidate> = {}): Candidate {
  return {
    cls, optional, type,
    primitive: extra.primitive, fqn: extra.fqn, isClass: extra.isClass ?? false,
    interfaces: extra.interfaces, elem: extra.elem,
  };
}

