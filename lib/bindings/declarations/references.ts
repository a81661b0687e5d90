/**
 * Renders jsii type references as TypeScript type expressions from inside one module file,
 * and collects the imports those expressions need.
 *
 * Name resolution rules the renderer guarantees:
 * - a type of another module is written `alias.Path`, where `alias` is an import of that
 *   module's file (same assembly) or of the other assembly's root (`constructs`), chosen so it
 *   collides with no name declared anywhere in this file (so nothing can shadow it);
 * - a type of this module is written by its path (`CfnBucket.RuleProperty`), unless a
 *   namespace enclosing the reference declares a member with the path's first name: then it
 *   goes through an import of this very file, which cannot be shadowed;
 * - `Date` and `Promise` become `globalThis.Date`/`globalThis.Promise` where this file
 *   declares a type of that name.
 */
import type * as spec from '@jsii/spec';
import { type AssemblyLayout, moduleSpecifier } from './layout.js';

/** The type names a module file declares, by enclosing namespace path (`''` = top level). */
export type DeclaredNames = ReadonlyMap<string, ReadonlySet<string>>;

const JSON_TYPE = '{ [key: string]: any }';

/** Renders type references for one module file. */
export class ReferenceRenderer {
  readonly #layout: AssemblyLayout;
  readonly #module: string;
  readonly #declared: DeclaredNames;
  /** Every name declared in the file at any depth: aliases must avoid them all. */
  readonly #allNames = new Set<string>();
  /** Import alias by specifier, in first-use order (which is deterministic). */
  readonly #aliases = new Map<string, string>();
  readonly #usedAliases = new Set<string>();

  public constructor(layout: AssemblyLayout, module: string, declared: DeclaredNames, reservedNames: Iterable<string>) {
    this.#layout = layout;
    this.#module = module;
    this.#declared = declared;
    for (const names of declared.values()) for (const name of names) this.#allNames.add(name);
    for (const name of reservedNames) this.#allNames.add(name);
  }

  /**
   * Renders `ref` as a type expression. `scope` is the namespace path the expression sits
   * in (e.g. `['CfnBucket']` inside `namespace CfnBucket`).
   */
  public render(ref: spec.TypeReference, scope: readonly string[]): string {
    if ('primitive' in ref) return this.#primitive(ref.primitive);
    if ('fqn' in ref) return this.named(ref.fqn, scope);
    if ('collection' in ref) {
      const element = this.render(ref.collection.elementtype, scope);
      if (ref.collection.kind === 'map') return `{ [key: string]: ${element} }`;
      return isCompound(ref.collection.elementtype) ? `(${element})[]` : `${element}[]`;
    }
    if ('union' in ref) {
      return ref.union.types.map((t) => (isIntersection(t) ? `(${this.render(t, scope)})` : this.render(t, scope))).join(' | ');
    }
    if ('intersection' in ref) {
      return ref.intersection.types.map((t) => (isUnion(t) ? `(${this.render(t, scope)})` : this.render(t, scope))).join(' & ');
    }
    throw new TypeError(`unknown jsii type reference ${JSON.stringify(ref)}`);
  }

  /** Renders a reference to a named type (also used for `extends`/`implements` clauses). */
  public named(fqn: string, scope: readonly string[]): string {
    const location = this.#layout.locate(fqn);
    const path = location.path.join('.');
    if (location.assembly !== this.#layout.assembly) {
      const alias = this.#alias(location.assembly, location.assembly);
      return location.module === '' ? `${alias}.${path}` : `${alias}.${location.module}.${path}`;
    }
    if (location.module !== this.#module) {
      return `${this.#alias(moduleSpecifier(location.module), location.module)}.${path}`;
    }
    const first = location.path[0] ?? '';
    if (this.#shadowed(first, scope)) return `${this.#alias(moduleSpecifier(this.#module), this.#module)}.${path}`;
    return path;
  }

  /** `import * as alias from '...'` lines for every module referenced so far. */
  public importLines(): string[] {
    // Plain (not `import type`) imports: a class's `extends` clause is a value position.
    // Other assemblies (bare names) first, then this assembly's files; each sorted.
    const key = (specifier: string): string => `${specifier.startsWith('.') ? 1 : 0}${specifier}`;
    return [...this.#aliases]
      .sort(([a], [b]) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
      .map(([specifier, alias]) => `import * as ${alias} from '${specifier}';`);
  }

  #primitive(primitive: string): string {
    switch (primitive) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'any':
        return primitive;
      case 'date':
        return this.#global('Date');
      case 'json':
        return JSON_TYPE;
      default:
        throw new TypeError(`unknown jsii primitive type ${primitive}`);
    }
  }

  /** A global type name, qualified when this file declares a type of the same name. */
  public globalName(name: 'Date' | 'Promise'): string {
    return this.#global(name);
  }

  #global(name: string): string {
    return this.#allNames.has(name) ? `globalThis.${name}` : name;
  }

  /** True if a namespace enclosing `scope` declares `name`, hiding the top-level one. */
  #shadowed(name: string, scope: readonly string[]): boolean {
    for (let depth = scope.length; depth > 0; depth--) {
      if (this.#declared.get(scope.slice(0, depth).join('.'))?.has(name)) return true;
    }
    return false;
  }

  #alias(specifier: string, modulePath: string): string {
    const known = this.#aliases.get(specifier);
    if (known !== undefined) return known;
    let alias = modulePath === '' ? this.#layout.assembly : modulePath;
    alias = alias.replace(/^@/, '').replace(/[^A-Za-z0-9_$]/g, '_');
    if (/^[0-9]/.test(alias)) alias = `_${alias}`;
    while (this.#allNames.has(alias) || this.#usedAliases.has(alias)) alias = `${alias}_`;
    this.#aliases.set(specifier, alias);
    this.#usedAliases.add(alias);
    return alias;
  }
}

function isUnion(ref: spec.TypeReference): boolean {
  return 'union' in ref;
}

function isIntersection(ref: spec.TypeReference): boolean {
  return 'intersection' in ref;
}

function isCompound(ref: spec.TypeReference): boolean {
  return isUnion(ref) || isIntersection(ref);
}
