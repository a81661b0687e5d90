/**
 * The host's view of the loaded assemblies: type lookup by fqn and the member tables the
 * bindings are built from (a class's own members, its bases' and its interfaces'), each
 * computed once per type and cached.
 */
import * as spec from '@jsii/spec';
import { ErrorCode, JsiiRingError } from '../errors.js';
import type { AssemblySource } from '../kernel/assemblies/types.js';

/** The fqn the kernel gives plain objects (host-implemented interfaces, by-ref structs). */
export const OBJECT_FQN = 'Object';

/** A method as seen from one type: its spec and the type that declared it. */
export interface MethodMember {
  readonly kind: 'method';
  readonly name: string;
  readonly spec: spec.Method;
  /** The type whose spec declares it. */
  readonly owner: string;
}

/** A property as seen from one type. */
export interface PropertyMember {
  readonly kind: 'property';
  readonly name: string;
  readonly spec: spec.Property;
  readonly owner: string;
}

export type Member = MethodMember | PropertyMember;

/** Instance members by name, most derived declaration first. */
export type MemberTable = ReadonlyMap<string, Member>;

/** Every type of every assembly loaded on one connection. */
export class TypeSystem {
  readonly #assemblies = new Map<string, AssemblySource>();
  readonly #types = new Map<string, spec.Type | null>();
  readonly #members = new Map<string, MemberTable>();
  readonly #supertypes = new Map<string, ReadonlySet<string>>();
  readonly #fields = new Map<string, readonly spec.Property[]>();

  /** Adds an assembly (a second one under the same name must be the same version). */
  public addAssembly(source: AssemblySource): void {
    const known = this.#assemblies.get(source.name);
    if (known !== undefined) {
      if (known.version !== source.version) {
        throw new JsiiRingError(
          ErrorCode.LOAD,
          `Assembly ${source.name} is already loaded at version ${known.version}; cannot also load ${source.version}`,
        );
      }
      return;
    }
    this.#assemblies.set(source.name, source);
    // A type looked up before its assembly arrived was cached as missing.
    for (const [fqn, type] of this.#types) {
      if (type === null) this.#types.delete(fqn);
    }
  }

  /** The loaded assembly of that name, if any. */
  public assembly(name: string): AssemblySource | undefined {
    return this.#assemblies.get(name);
  }

  /** The type's spec, or `undefined` if no loaded assembly declares it. */
  public tryFindType(fqn: string): spec.Type | undefined {
    const cached = this.#types.get(fqn);
    if (cached !== undefined) return cached ?? undefined;
    let found: spec.Type | undefined;
    for (const [name, source] of this.#assemblies) {
      if (fqn.length > name.length && fqn.startsWith(name) && fqn.charCodeAt(name.length) === 0x2e /* . */) {
        found = source.getType(fqn);
        if (found !== undefined) break;
      }
    }
    this.#types.set(fqn, found ?? null);
    return found;
  }

  /** The type's spec; throws `JsiiRingError` (`ERR_LOAD`) naming the fqn if it is unknown. */
  public findType(fqn: string): spec.Type {
    const type = this.tryFindType(fqn);
    if (type === undefined) {
      throw new JsiiRingError(ErrorCode.LOAD, `Type ${fqn} is not declared by any loaded assembly`);
    }
    return type;
  }

  /** True for a struct (a data-type interface). */
  public isStruct(fqn: string): boolean {
    const type = this.tryFindType(fqn);
    return type !== undefined && spec.isInterfaceType(type) && type.datatype === true;
  }

  /**
   * The fqn itself, its base classes and every interface it (transitively) extends or
   * implements. Unknown fqns (such as `Object`) have only themselves.
   */
  public supertypes(fqn: string): ReadonlySet<string> {
    let set = this.#supertypes.get(fqn);
    if (set === undefined) {
      const out = new Set<string>([fqn]);
      const type = this.tryFindType(fqn);
      if (type !== undefined && spec.isClassOrInterfaceType(type)) {
        const parents: string[] = [...(type.interfaces ?? [])];
        if (spec.isClassType(type) && type.base !== undefined) parents.push(type.base);
        for (const parent of parents) {
          for (const s of this.supertypes(parent)) out.add(s);
        }
      }
      set = out;
      this.#supertypes.set(fqn, set);
    }
    return set;
  }

  /**
   * Instance (non-static) members of a class or interface, including inherited ones: a
   * class's own declarations win over its base's, which win over its interfaces'.
   */
  public instanceMembers(fqn: string): MemberTable {
    let table = this.#members.get(fqn);
    if (table === undefined) {
      const out = new Map<string, Member>();
      const type = this.tryFindType(fqn);
      if (type !== undefined && spec.isClassOrInterfaceType(type)) {
        addOwnMembers(out, type);
        if (spec.isClassType(type) && type.base !== undefined) addAll(out, this.instanceMembers(type.base));
        for (const iface of type.interfaces ?? []) addAll(out, this.instanceMembers(iface));
      }
      table = out;
      this.#members.set(fqn, table);
    }
    return table;
  }

  /**
   * Members of an object the kernel knows as `fqn` plus `interfaces` (a `$jsii.interfaces`
   * list, or the interfaces a host object was created with).
   */
  public membersOf(fqn: string, interfaces: readonly string[]): MemberTable {
    if (interfaces.length === 0) return this.instanceMembers(fqn);
    const key = `${fqn}|${interfaces.join('|')}`;
    let table = this.#members.get(key);
    if (table === undefined) {
      const out = new Map<string, Member>(this.instanceMembers(fqn));
      for (const iface of interfaces) addAll(out, this.instanceMembers(iface));
      table = out;
      this.#members.set(key, table);
    }
    return table;
  }

  /** Every field of a struct, its own first, then its bases' (each name once). */
  public structFields(fqn: string): readonly spec.Property[] {
    let fields = this.#fields.get(fqn);
    if (fields === undefined) {
      fields = [...this.instanceMembers(fqn).values()]
        .filter((m): m is PropertyMember => m.kind === 'property')
        .map((m) => m.spec);
      this.#fields.set(fqn, fields);
    }
    return fields;
  }
}

function addOwnMembers(out: Map<string, Member>, type: spec.ClassType | spec.InterfaceType): void {
  for (const method of type.methods ?? []) {
    if (method.static !== true && !out.has(method.name)) {
      out.set(method.name, { kind: 'method', name: method.name, spec: method, owner: type.fqn });
    }
  }
  for (const property of type.properties ?? []) {
    if (property.static !== true && !out.has(property.name)) {
      out.set(property.name, { kind: 'property', name: property.name, spec: property, owner: type.fqn });
    }
  }
}

function addAll(out: Map<string, Member>, from: MemberTable): void {
  for (const [name, member] of from) {
    if (!out.has(name)) out.set(name, member);
  }
}

/**
 * The id part of a ref string (`fqn@id`). Fqns may start with `@` (scoped packages), so the
 * id follows the last `@`.
 */
export function idOfRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('@') + 1);
}

/** The fqn part of a ref string (`fqn@id`). */
export function fqnOfRef(ref: string): string {
  return ref.slice(0, ref.lastIndexOf('@'));
}
