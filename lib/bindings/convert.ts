/**
 * Wire conversion by declared type, both ways. A converter is compiled once per type
 * reference (cached by the spec object, which assembly sources return stably) so the hot
 * path is one closure call per value.
 *
 * Host → wire checks what it converts (a wrong value is a `TypeError` naming where it was
 * found); wire → host trusts the kernel, which has already checked its side.
 */
import * as spec from '@jsii/spec';
import {
  isObjRef, isWireDate, isWireEnum, isWireMap, isWireStruct,
  TOKEN_DATE, TOKEN_MAP, TOKEN_STRUCT,
} from '../protocol/api.js';
import type { ObjRef, WireEnum } from '../protocol/api.js';
import { JsiiEnumValue } from './enum-binding.js';
import { stateOf } from './object-table.js';
import { ConversionError, defineEntry, isPlainObject, mapFromWire, mismatch, prefixPath, refuseNativeObject, requireValue } from './wire-values.js';
import type { ObjectTable } from './object-table.js';
import type { TypeSystem } from './type-system.js';

/** Converts a host value (never `null`/`undefined`) to its wire form, or throws. */
export type ToWire = (value: unknown) => unknown;
/** Converts a wire value to the host value. */
export type FromWire = (value: unknown) => unknown;

/** What converters need from the runtime that owns them. */
export interface ConversionHost {
  readonly types: TypeSystem;
  readonly table: ObjectTable;
  /** The ref of a host object the kernel does not know yet, creating it as `Object`. */
  hostObjectRef(value: object, iface: string | undefined): ObjRef;
  /** The host object for a wire ref (`declared`: the declared type, if any). */
  objectFromRef(ref: ObjRef, declared: string | undefined): unknown;
  /** A by-reference struct, read field by field into a frozen plain object. */
  readStruct(ref: ObjRef, fqn: string): unknown;
  /** The member of an enum named on the wire. */
  enumValue(wire: WireEnum): JsiiEnumValue;
  /** The kernel takes values as JavaScript wrote them (extension `js-values`). */
  readonly jsValues: boolean;
}

const STRING: ToWire = (v) => { if (typeof v !== 'string') throw mismatch('a string', v); return v; };
const NUMBER: ToWire = (v) => { if (typeof v !== 'number') throw mismatch('a number', v); return v; };
const BOOLEAN: ToWire = (v) => { if (typeof v !== 'boolean') throw mismatch('a boolean', v); return v; };
const DATE: ToWire = (v) => {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw mismatch('a valid Date', v);
  return { [TOKEN_DATE]: v.toISOString() };
};
const JSON_TO_WIRE: ToWire = (v) => {
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw mismatch('JSON data', v);
  return v;
};
const IDENTITY: FromWire = (v) => v;
const DATE_FROM_WIRE: FromWire = (v) => (isWireDate(v) ? new Date(v[TOKEN_DATE]) : v);

/** One declared field of a struct, with its converter. */
interface StructField {
  readonly name: string;
  readonly optional: boolean;
  readonly conv: ToWire;
}

/** Converts one struct field into `data` (absent values are left out). */
function putField(data: Record<string, unknown>, key: string, value: unknown, conv: ToWire): void {
  if (value === undefined || value === null) return;
  try {
    defineEntry(data, key, conv(value));
  } catch (e) {
    prefixPath(e, `.${key}`);
  }
}

/** The converters of one connection. */
export class Converters {
  readonly #host: ConversionHost;
  readonly #toWire = new WeakMap<spec.TypeReference, ToWire>();
  readonly #fromWire = new WeakMap<spec.TypeReference, FromWire>();
  readonly #namedTo = new Map<string, ToWire>();
  readonly #namedFrom = new Map<string, FromWire>();
  /** Host → wire for `any`. */
  public readonly anyToWire: ToWire;
  /** Wire → host for `any` (and unions, whose wire form says what it is). */
  public readonly anyFromWire: FromWire;

  public constructor(host: ConversionHost) {
    this.#host = host;
    this.anyToWire = (v) => this.#anyToWire(v);
    this.anyFromWire = (v) => this.#anyFromWire(v);
  }

  /** Host → wire converter for a declared type. */
  public toWire(type: spec.TypeReference): ToWire {
    let fn = this.#toWire.get(type);
    if (fn === undefined) {
      fn = this.#compileToWire(type);
      this.#toWire.set(type, fn);
    }
    return fn;
  }

  /** Wire → host converter for a declared type. */
  public fromWire(type: spec.TypeReference): FromWire {
    let fn = this.#fromWire.get(type);
    if (fn === undefined) {
      fn = this.#compileFromWire(type);
      this.#fromWire.set(type, fn);
    }
    return fn;
  }

  #compileToWire(type: spec.TypeReference): ToWire {
    if (spec.isPrimitiveTypeReference(type)) {
      switch (type.primitive) {
        case spec.PrimitiveType.String: return STRING;
        case spec.PrimitiveType.Number: return NUMBER;
        case spec.PrimitiveType.Boolean: return BOOLEAN;
        case spec.PrimitiveType.Date: return DATE;
        case spec.PrimitiveType.Json: return JSON_TO_WIRE;
        default: return this.anyToWire;
      }
    }
    if (spec.isNamedTypeReference(type)) return this.#namedToWire(type.fqn);
    if (spec.isCollectionTypeReference(type)) {
      const element = (v: unknown): unknown => this.toWire(type.collection.elementtype)(v);
      if (type.collection.kind === spec.CollectionKind.Array) {
        return (v) => {
          if (!Array.isArray(v)) throw mismatch('an array', v);
          const out = new Array<unknown>(v.length);
          for (let i = 0; i < v.length; i++) {
            try {
              out[i] = requireValue(v[i], element);
            } catch (e) {
              prefixPath(e, `[${i}]`);
            }
          }
          return out;
        };
      }
      return (v) => {
        if (!isPlainObject(v) || stateOf(v) !== undefined) throw mismatch('a map (plain object)', v);
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(v)) {
          try {
            defineEntry(out, key, requireValue(v[key], element));
          } catch (e) {
            prefixPath(e, `[${JSON.stringify(key)}]`);
          }
        }
        return { [TOKEN_MAP]: out };
      };
    }
    if (spec.isUnionTypeReference(type)) return this.#unionToWire(type.union.types);
    return this.anyToWire; // intersections: the kernel checks them
  }

  #namedToWire(fqn: string): ToWire {
    let fn = this.#namedTo.get(fqn);
    if (fn !== undefined) return fn;
    const types = this.#host.types;
    const type = types.findType(fqn);
    if (spec.isEnumType(type)) {
      fn = (v) => {
        if (!(v instanceof JsiiEnumValue) || v.fqn !== fqn) throw mismatch(`a member of enum ${fqn}`, v);
        return v.toWire();
      };
    } else if (spec.isInterfaceType(type) && type.datatype === true) {
      fn = this.#structToWire(fqn);
    } else if (spec.isClassType(type)) {
      fn = (v) => {
        const state = stateOf(v);
        if (state === undefined) {
          refuseNativeObject(v);
          // Structural typing: natively the library gets the program's object literal.
          if (this.#host.jsValues && isPlainObject(v)) return this.#anyToWire(v);
          throw mismatch(`an instance of ${fqn}`, v);
        }
        this.#checkTable(state.table, v);
        return state.ref;
      };
    } else {
      fn = (v) => {
        const state = stateOf(v);
        if (state !== undefined) {
          this.#checkTable(state.table, v);
          return state.ref;
        }
        if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) {
          throw mismatch(`an object implementing ${fqn}`, v);
        }
        refuseNativeObject(v);
        return this.#host.hostObjectRef(v, fqn);
      };
    }
    this.#namedTo.set(fqn, fn);
    return fn;
  }

  #structToWire(fqn: string): ToWire {
    let fields: StructField[] | undefined;
    let byName: Map<string, StructField> | undefined;
    return (v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) {
        throw mismatch(`a ${fqn} struct (plain object)`, v);
      }
      const jsValues = this.#host.jsValues;
      if (stateOf(v) !== undefined) {
        // A kernel object where a struct is declared: natively the library reads its
        // properties; the kernel does the same with the object itself.
        if (jsValues) return this.anyToWire(v);
        throw mismatch(`a ${fqn} struct (plain object)`, v);
      }
      refuseNativeObject(v);
      fields ??= this.#host.types.structFields(fqn).map((p) => ({
        name: p.name, optional: p.optional === true, conv: this.toWire(p.type),
      }));
      const record = v as Record<string, unknown>;
      for (const field of fields) {
        const value = record[field.name];
        if ((value === undefined || value === null) && !field.optional) {
          const e = new ConversionError(`is required by ${fqn}`);
          e.path = `.${field.name}`;
          throw e;
        }
      }
      const data: Record<string, unknown> = {};
      if (!jsValues) {
        // The kernel keeps only declared fields: send those, in declared order.
        for (const field of fields) putField(data, field.name, record[field.name], field.conv);
        return { [TOKEN_STRUCT]: { fqn, data } };
      }
      // js-values: the program's own keys in its order (the library may serialize the
      // whole object), declared ones by their type, the rest as `any`; then declared
      // fields the object has but not as own keys (getters of a class instance).
      byName ??= new Map(fields.map((f) => [f.name, f]));
      for (const key of Object.keys(record)) {
        putField(data, key, record[key], byName.get(key)?.conv ?? this.anyToWire);
      }
      for (const field of fields) {
        if (!Object.prototype.hasOwnProperty.call(data, field.name)) putField(data, field.name, record[field.name], field.conv);
      }
      return { [TOKEN_STRUCT]: { fqn, data } };
    };
  }

  #unionToWire(alternatives: readonly spec.TypeReference[]): ToWire {
    const types = this.#host.types;
    // Class and interface alternatives take a plain object only when nothing else does: a
    // struct or map is what such an object most likely is.
    const isInterface = alternatives.map((t) => {
      if (!spec.isNamedTypeReference(t)) return false;
      const target = types.tryFindType(t.fqn);
      return target !== undefined && (spec.isClassType(target) || (spec.isInterfaceType(target) && target.datatype !== true));
    });
    const described = alternatives.map((t) => spec.describeTypeReference(t)).join(' | ');
    return (v) => {
      // First pass: every alternative that can take the value as it is. A plain object is
      // only made into a kernel object (second pass) when no struct or map accepted it.
      const hasState = stateOf(v) !== undefined;
      for (let i = 0; i < alternatives.length; i++) {
        if (isInterface[i] === true && !hasState) continue;
        try {
          return this.toWire(alternatives[i]!)(v);
        } catch (e) {
          if (!(e instanceof ConversionError)) throw e;
        }
      }
      for (let i = 0; i < alternatives.length; i++) {
        if (isInterface[i] !== true || hasState) continue;
        try {
          return this.toWire(alternatives[i]!)(v);
        } catch (e) {
          if (!(e instanceof ConversionError)) throw e;
        }
      }
      throw mismatch(`one of ${described}`, v);
    };
  }

  #anyToWire(v: unknown): unknown {
    if (v === null || v === undefined) return undefined;
    switch (typeof v) {
      case 'string': case 'number': case 'boolean': return v;
      case 'object': break;
      default: throw mismatch('a value that can cross to the kernel', v);
    }
    if (v instanceof Date) return DATE(v);
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        try {
          out[i] = this.#anyToWire(v[i]);
        } catch (e) {
          prefixPath(e, `[${i}]`);
        }
      }
      return out;
    }
    if (v instanceof JsiiEnumValue) return v.toWire();
    const state = stateOf(v);
    if (state !== undefined) {
      this.#checkTable(state.table, v);
      return state.ref;
    }
    if (v instanceof Map || v instanceof Set) throw mismatch('a plain object or array (not a Map or Set)', v);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        try {
          defineEntry(out, key, this.#anyToWire(v[key]));
        } catch (e) {
          prefixPath(e, `[${JSON.stringify(key)}]`);
        }
      }
      return { [TOKEN_MAP]: out };
    }
    // An instance of a host class: the kernel gets an object that calls back into it.
    refuseNativeObject(v);
    return this.#host.hostObjectRef(v, undefined);
  }

  #checkTable(table: ObjectTable, v: unknown): void {
    if (table !== this.#host.table) throw mismatch('an object of this connection', v);
  }

  #compileFromWire(type: spec.TypeReference): FromWire {
    if (spec.isPrimitiveTypeReference(type)) {
      switch (type.primitive) {
        case spec.PrimitiveType.Date: return DATE_FROM_WIRE;
        case spec.PrimitiveType.String: case spec.PrimitiveType.Number: case spec.PrimitiveType.Boolean: return IDENTITY;
        default: return this.anyFromWire;
      }
    }
    if (spec.isNamedTypeReference(type)) return this.#namedFromWire(type.fqn);
    if (spec.isCollectionTypeReference(type)) {
      const element = (v: unknown): unknown => this.fromWire(type.collection.elementtype)(v);
      if (type.collection.kind === spec.CollectionKind.Array) {
        return (v) => (Array.isArray(v) ? v.map((e: unknown) => (e == null ? e : element(e))) : v);
      }
      return (v) => mapFromWire(v, element);
    }
    return this.anyFromWire;
  }

  #namedFromWire(fqn: string): FromWire {
    let fn = this.#namedFrom.get(fqn);
    if (fn !== undefined) return fn;
    const host = this.#host;
    const type = host.types.findType(fqn);
    if (spec.isEnumType(type)) {
      fn = (v) => (isWireEnum(v) ? host.enumValue(v) : v);
    } else if (spec.isInterfaceType(type) && type.datatype === true) {
      fn = (v) => {
        if (isObjRef(v)) return host.readStruct(v, fqn);
        if (isWireStruct(v)) return this.structFromData(v[TOKEN_STRUCT].fqn, v[TOKEN_STRUCT].data);
        if (isWireMap(v)) return this.structFromData(fqn, v[TOKEN_MAP]);
        return isPlainObject(v) ? this.structFromData(fqn, v) : v;
      };
    } else {
      fn = (v) => (isObjRef(v) ? host.objectFromRef(v, fqn) : this.#anyFromWire(v));
    }
    this.#namedFrom.set(fqn, fn);
    return fn;
  }

  /** A frozen struct from its by-value wire data. */
  public structFromData(fqn: string, data: { readonly [key: string]: unknown }): unknown {
    const out: Record<string, unknown> = {};
    for (const field of this.#host.types.structFields(fqn)) {
      const value = data[field.name];
      if (value !== undefined && value !== null) {
        defineEntry(out, field.name, this.fromWire(field.type)(value));
      }
    }
    return Object.freeze(out);
  }

  #anyFromWire(v: unknown): unknown {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map((e: unknown) => this.#anyFromWire(e));
    if (isObjRef(v)) return this.#host.objectFromRef(v, undefined);
    if (isWireDate(v)) return new Date(v[TOKEN_DATE]);
    if (isWireEnum(v)) return this.#host.enumValue(v);
    if (isWireStruct(v)) return this.structFromData(v[TOKEN_STRUCT].fqn, v[TOKEN_STRUCT].data);
    if (isWireMap(v)) return mapFromWire(v, this.anyFromWire);
    return mapFromWire(v, this.anyFromWire);
  }
}

export { ConversionError, describeValue, isPlainObject } from './wire-values.js';
