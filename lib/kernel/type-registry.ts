/**
 * Loaded assemblies and what the kernel knows about their types.
 *
 * Every lookup the hot path makes is cached: fqn → `TypeInfo`, and per type, member name →
 * member info (inheritance already resolved), interface closures, assignability, the
 * JavaScript symbol (constructor or enum object). A lookup that fails is not cached (the
 * type may arrive with a later `load`), except the constructor → fqn negative cache, which
 * is invalidated by every load.
 */
import type * as spec from '@jsii/spec';
import { JsiiFault } from '../errors.js';
import type { AssemblySource } from './assemblies/types.js';
import { CallableInfo, PropertyInfo } from './member-info.js';
import { TypeInfo } from './type-info.js';
import { JSII_RTTI } from './values.js';

/** One loaded assembly. */
export interface LoadedAssembly {
  /** The assembly (and npm package) name. */
  readonly name: string;
  readonly version: string;
  readonly source: AssemblySource;
  /** The package's module exports (`require` of its entry point). */
  readonly exports: unknown;
  /** What `load` answered (a repeated load answers the same). */
  readonly response: { readonly assembly: string; readonly types: number };
}

interface RttiCarrier {
  readonly [JSII_RTTI]?: { readonly fqn?: unknown };
}

/** The assemblies of one kernel, and the type information derived from them. */
export class TypeRegistry {
  readonly #assemblies = new Map<string, LoadedAssembly>();
  readonly #types = new Map<string, TypeInfo>();
  readonly #callables = new WeakMap<spec.Callable, CallableInfo>();
  readonly #properties = new WeakMap<spec.Property, PropertyInfo>();
  /** Constructor → visible jsii fqn (positive results; stable once found). */
  readonly #ctorFqn = new WeakMap<object, string>();
  /** Constructor → registry generation at which it was found to have no visible fqn. */
  readonly #ctorNoFqn = new WeakMap<object, number>();
  #generation = 0;

  /** Registers a freshly loaded assembly. */
  public add(assembly: LoadedAssembly): void {
    this.#assemblies.set(assembly.name, assembly);
    // A type that was invisible may be visible now.
    this.#generation++;
  }

  /** The loaded assembly with this name, if any. */
  public assembly(name: string): LoadedAssembly | undefined {
    return this.#assemblies.get(name);
  }

  /** The loaded assembly with this name, or the reference's Fault. */
  public requireAssembly(name: string): LoadedAssembly {
    const assembly = this.#assemblies.get(name);
    if (assembly === undefined) {
      throw new JsiiFault(`Could not find assembly: ${name}`);
    }
    return assembly;
  }

  /** The type, or `undefined` if no loaded assembly declares it. */
  public tryType(fqn: string): TypeInfo | undefined {
    const cached = this.#types.get(fqn);
    if (cached !== undefined) {
      return cached;
    }
    if (typeof fqn !== 'string') {
      return undefined;
    }
    const assembly = this.#assemblyDeclaring(fqn);
    const declared = assembly?.source.getType(fqn);
    if (assembly === undefined || declared === undefined) {
      return undefined;
    }
    const info = new TypeInfo(fqn, declared, assembly, this);
    this.#types.set(fqn, info);
    return info;
  }

  /** The type, or the reference's Fault (`Module 'x' not found` / `Type 'x' not found`). */
  public type(fqn: string): TypeInfo {
    const info = this.tryType(fqn);
    if (info !== undefined) {
      return info;
    }
    if (!this.#hasAssemblyPrefixing(fqn)) {
      throw new JsiiFault(`Module '${String(fqn).split('.')[0] ?? ''}' not found`);
    }
    throw new JsiiFault(`Type '${String(fqn)}' not found`);
  }

  /** True if the assembly `fqn` would belong to is loaded (whether or not it declares it). */
  public hasAssemblyFor(fqn: string): boolean {
    return this.#hasAssemblyPrefixing(fqn);
  }

  /** How many assemblies are loaded. */
  public get assemblyCount(): number {
    return this.#assemblies.size;
  }

  /** True if a loaded assembly declares `fqn`. */
  public isVisible(fqn: string): boolean {
    return this.tryType(fqn) !== undefined;
  }

  /**
   * The JavaScript value behind an fqn (a constructor or an enum object), or the reference's
   * Faults: `Could not find assembly: x` when no assembly matches, else `Could not find
   * symbol x`.
   */
  public symbol(fqn: string): unknown {
    const info = this.tryType(fqn);
    if (info !== undefined) {
      return info.symbol();
    }
    if (!this.#hasAssemblyPrefixing(fqn)) {
      this.requireAssembly(String(fqn).split('.')[0] ?? '');
    }
    throw new JsiiFault(`Could not find symbol ${fqn}`);
  }

  /** Member info for a method or initializer spec, created once per spec object. */
  public callable(declared: spec.Callable, owner: TypeInfo | undefined): CallableInfo {
    let info = this.#callables.get(declared);
    if (info === undefined) {
      info = new CallableInfo(declared, owner);
      this.#callables.set(declared, info);
    }
    return info;
  }

  /** Member info for a property spec, created once per spec object. */
  public property(declared: spec.Property): PropertyInfo {
    let info = this.#properties.get(declared);
    if (info === undefined) {
      info = new PropertyInfo(declared);
      this.#properties.set(declared, info);
    }
    return info;
  }

  /**
   * The jsii fqn of an object's class, from the runtime type information the compiler puts
   * on exported constructors, walking up to the nearest exported ancestor that a loaded
   * assembly declares. `undefined` for plain objects and classes with no such ancestor.
   */
  public jsiiTypeFqn(obj: object): string | undefined {
    const ctor = (obj as { constructor?: unknown }).constructor;
    if (typeof ctor !== 'function') {
      return undefined;
    }
    const known = this.#ctorFqn.get(ctor);
    if (known !== undefined) {
      return known;
    }
    if (this.#ctorNoFqn.get(ctor) === this.#generation) {
      return undefined;
    }
    let curr: unknown = ctor;
    while (typeof curr === 'function') {
      const fqn = (curr as RttiCarrier)[JSII_RTTI]?.fqn;
      if (typeof fqn !== 'string') {
        break;
      }
      if (this.isVisible(fqn)) {
        this.#ctorFqn.set(ctor, fqn);
        return fqn;
      }
      curr = Object.getPrototypeOf(curr);
    }
    this.#ctorNoFqn.set(ctor, this.#generation);
    return undefined;
  }

  /**
   * Tags a constructor with its fqn, for assemblies compiled before jsii 1.19 (their classes
   * carry no runtime type information).
   */
  public tagConstructor(ctor: object, fqn: string): void {
    if (!this.#ctorFqn.has(ctor)) {
      this.#ctorFqn.set(ctor, fqn);
    }
  }

  /** True if `fqn`'s first segment names a loaded assembly, or an assembly name (and a dot) starts it. */
  #hasAssemblyPrefixing(fqn: unknown): boolean {
    if (typeof fqn !== 'string') {
      return false;
    }
    if (this.#assemblies.has(fqn.split('.')[0] ?? '')) {
      return true;
    }
    for (const name of this.#assemblies.keys()) {
      if (fqn.startsWith(`${name}.`)) {
        return true;
      }
    }
    return false;
  }

  /** The loaded assembly that declares `fqn` (the longest assembly name prefixing it). */
  #assemblyDeclaring(fqn: string): LoadedAssembly | undefined {
    const dot = fqn.indexOf('.');
    if (dot > 0) {
      const first = this.#assemblies.get(fqn.slice(0, dot));
      if (first !== undefined && first.source.hasType(fqn)) {
        return first;
      }
    }
    // Assembly names may contain dots: try every assembly that prefixes the fqn.
    let best: LoadedAssembly | undefined;
    for (const assembly of this.#assemblies.values()) {
      if (fqn.startsWith(`${assembly.name}.`) && assembly.source.hasType(fqn)) {
        if (best === undefined || assembly.name.length > best.name.length) {
          best = assembly;
        }
      }
    }
    return best;
  }
}
