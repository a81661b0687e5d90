/**
 * One jsii type, with every derived fact the kernel needs cached on first use. Lookups
 * follow the reference kernel's rules exactly (they decide which member a request reaches
 * and which errors it gets):
 * - methods: the type's own, then depth-first through the base class and then the
 *   interfaces it declares;
 * - properties: a class's own then its base chain only (not its interfaces); an
 *   interface's own then its parent interfaces; an enum has none (a Fault).
 */
import type * as spec from '@jsii/spec';
import { JsiiFault } from '../errors.js';
import type { CallableInfo, PropertyInfo } from './member-info.js';
import type { LoadedAssembly, TypeRegistry } from './type-registry.js';

/** The properties of a struct (or class/interface), inherited ones included. */
export interface StructShape {
  readonly properties: ReadonlyMap<string, PropertyInfo>;
  /** Names of the non-optional properties, in declaration order. */
  readonly required: readonly string[];
}

/** The members any kind of type may have (a class, interface or enum spec seen as one). */
interface AnyType {
  readonly base?: string;
  readonly interfaces?: readonly string[];
  readonly methods?: readonly spec.Method[];
  readonly properties?: readonly spec.Property[];
}

const UNRESOLVED = Symbol('unresolved');

/** A type of a loaded assembly. */
export class TypeInfo {
  public readonly fqn: string;
  public readonly spec: spec.Type;
  public readonly assembly: LoadedAssembly;
  public readonly kind: spec.TypeKind;
  /** An interface with `datatype: true`: passed by value. */
  public readonly isStruct: boolean;

  readonly #registry: TypeRegistry;
  #symbol: unknown = UNRESOLVED;
  #ownMethods: Map<string, spec.Method> | undefined;
  #ownProperties: Map<string, spec.Property> | undefined;
  readonly #methods = new Map<string, CallableInfo | null>();
  readonly #properties = new Map<string, PropertyInfo | null>();
  #initializer: CallableInfo | null | undefined;
  #shape: StructShape | undefined;
  #closure: ReadonlySet<string> | undefined;
  #assignable: Map<string, boolean> | undefined;
  #enumKeys: Map<unknown, string> | undefined;

  public constructor(fqn: string, declared: spec.Type, assembly: LoadedAssembly, registry: TypeRegistry) {
    this.fqn = fqn;
    this.spec = declared;
    this.assembly = assembly;
    this.kind = declared.kind;
    this.isStruct = declared.kind === 'interface' && (declared as spec.InterfaceType).datatype === true;
    this.#registry = registry;
  }

  get #t(): AnyType {
    return this.spec as unknown as AnyType;
  }

  /** True once `symbol()` has found the value (its module is loaded). */
  public get symbolResolved(): boolean {
    return this.#symbol !== UNRESOLVED;
  }

  /** The constructor (classes) or enum object (enums), found in the module exports. */
  public symbol(): unknown {
    if (this.#symbol !== UNRESOLVED) {
      return this.#symbol;
    }
    // The fqn is `<assembly>.<namespace...>.<name>`; the namespace segments are submodule
    // exports or enclosing types, walked from the package's exports.
    let curr: unknown = this.assembly.exports;
    for (const part of this.fqn.slice(this.assembly.name.length + 1).split('.')) {
      curr = curr == null ? undefined : (curr as Record<string, unknown>)[part];
    }
    if (!curr) {
      throw new JsiiFault(`Could not find symbol ${this.fqn}`);
    }
    this.#symbol = curr;
    return curr;
  }

  /** The method named `name` here or inherited (reference lookup order), if any. */
  public method(name: string): CallableInfo | undefined {
    const cached = this.#methods.get(name);
    if (cached !== undefined) {
      return cached ?? undefined;
    }
    this.#ownMethods ??= byName(this.#t.methods);
    const own = this.#ownMethods.get(name);
    let found: CallableInfo | undefined;
    if (own !== undefined) {
      found = this.#registry.callable(own, this);
    } else {
      const bases = this.#t.base !== undefined ? [this.#t.base, ...(this.#t.interfaces ?? [])] : (this.#t.interfaces ?? []);
      for (const base of bases) {
        found = this.#registry.type(base).method(name);
        if (found !== undefined) {
          break;
        }
      }
    }
    this.#methods.set(name, found ?? null);
    return found;
  }

  /** The property named `name` here or inherited (reference lookup order), if any. */
  public property(name: string): PropertyInfo | undefined {
    const cached = this.#properties.get(name);
    if (cached !== undefined) {
      return cached ?? undefined;
    }
    let bases: readonly string[];
    if (this.kind === 'class') {
      bases = this.#t.base !== undefined ? [this.#t.base] : [];
    } else if (this.kind === 'interface') {
      bases = this.#t.interfaces ?? [];
    } else {
      throw new JsiiFault(`Type of kind ${this.kind} does not have properties`);
    }
    this.#ownProperties ??= byName(this.#t.properties);
    const own = this.#ownProperties.get(name);
    let found: PropertyInfo | undefined;
    if (own !== undefined) {
      found = this.#registry.property(own);
    } else {
      for (const base of bases) {
        found = this.#registry.type(base).property(name);
        if (found !== undefined) {
          break;
        }
      }
    }
    this.#properties.set(name, found ?? null);
    return found;
  }

  /** The class's initializer (`undefined` if it declares none). */
  public initializer(): CallableInfo | undefined {
    if (this.#initializer === undefined) {
      const declared = (this.spec as spec.ClassType).initializer;
      this.#initializer = declared === undefined ? null : this.#registry.callable(declared, this);
    }
    return this.#initializer ?? undefined;
  }

  /** All properties of this class or interface, inherited ones first (reference `propertiesOf`). */
  public structShape(): StructShape {
    if (this.#shape !== undefined) {
      return this.#shape;
    }
    const properties = new Map<string, PropertyInfo>();
    if (this.kind === 'class' || this.kind === 'interface') {
      for (const iface of this.#t.interfaces ?? []) {
        for (const [name, prop] of this.#registry.type(iface).structShape().properties) {
          properties.set(name, prop);
        }
      }
      if (this.kind === 'class' && this.#t.base !== undefined) {
        for (const [name, prop] of this.#registry.type(this.#t.base).structShape().properties) {
          properties.set(name, prop);
        }
      }
      for (const prop of this.#t.properties ?? []) {
        properties.set(prop.name, this.#registry.property(prop));
      }
    }
    const required: string[] = [];
    for (const [name, prop] of properties) {
      if (!prop.optional) {
        required.push(name);
      }
    }
    this.#shape = { properties, required };
    return this.#shape;
  }

  /**
   * Interfaces this type already implies: for a class, every interface it or its bases
   * declare, transitively; for an interface, its ancestors. The reference's
   * `InterfaceCollection`, with its Faults for a type of the wrong kind.
   */
  public impliedInterfaces(asClass: boolean): ReadonlySet<string> {
    if (asClass ? this.kind !== 'class' : this.kind !== 'interface') {
      throw new JsiiFault(`Expected ${asClass ? 'a class' : 'an interface'}, but received ${this.fqn}`);
    }
    if (this.#closure === undefined) {
      const out = new Set<string>();
      if (asClass && this.#t.base !== undefined) {
        for (const iface of this.#registry.type(this.#t.base).impliedInterfaces(true)) {
          out.add(iface);
        }
      }
      for (const iface of this.#t.interfaces ?? []) {
        if (!out.has(iface)) {
          out.add(iface);
          for (const parent of this.#registry.type(iface).impliedInterfaces(false)) {
            out.add(parent);
          }
        }
      }
      this.#closure = out;
    }
    return this.#closure;
  }

  /** True if a value of this type can be used where `required` is declared (reference `isAssignable`). */
  public isAssignableTo(required: string): boolean {
    if (required === this.fqn) {
      return true;
    }
    this.#assignable ??= new Map();
    const cached = this.#assignable.get(required);
    if (cached !== undefined) {
      return cached;
    }
    let result = false;
    if (this.kind === 'class' && this.#t.base !== undefined && this.#registry.type(this.#t.base).isAssignableTo(required)) {
      result = true;
    } else if (this.kind !== 'enum') {
      for (const iface of this.#t.interfaces ?? []) {
        if (this.#registry.type(iface).isAssignableTo(required)) {
          result = true;
          break;
        }
      }
    }
    this.#assignable.set(required, result);
    return result;
  }

  /** The enum member name holding `value` (the first one, in the enum object's key order). */
  public enumKeyOf(value: unknown): string | undefined {
    if (this.#enumKeys === undefined) {
      const keys = new Map<unknown, string>();
      for (const [key, member] of Object.entries(this.symbol() as object)) {
        if (!keys.has(member)) {
          keys.set(member, key);
        }
      }
      this.#enumKeys = keys;
    }
    return this.#enumKeys.get(value);
  }
}

function byName<T extends { readonly name: string }>(members: readonly T[] | undefined): Map<string, T> {
  const out = new Map<string, T>();
  for (const member of members ?? []) {
    out.set(member.name, member);
  }
  return out;
}
