/**
 * Namespace objects that mirror an assembly: the root for the package, one per submodule
 * (`cdk.aws_s3`), each with the types declared there. Everything is lazy: the name index is
 * built on the first access to the assembly's namespace, each namespace object when it is
 * first reached, and each binding when its property is first read (aws-cdk-lib declares
 * 23k types; a program touches a few hundred).
 */
import type { AssemblySource } from '../kernel/assemblies/types.js';

/** Names declared directly under one path: name → the type's fqn, or `null` for a namespace. */
export type NamespaceChildren = ReadonlyMap<string, string | null>;

const EMPTY: NamespaceChildren = new Map<string, string | null>();

/**
 * The tree of names of one assembly, keyed by dotted path (`aws-cdk-lib.aws_s3`).
 *
 * Built in two lazy steps: the first question groups every declared name under its parent
 * path (one pass, no per-segment work), and each path's children are assembled when that
 * path is first asked for. A program asks for a handful of paths out of thousands.
 */
export class NamespaceIndex {
  readonly #assembly: AssemblySource;
  /** Parent path → the type fqns declared directly under it, in declaration order. */
  #typesUnder: Map<string, string[]> | undefined;
  /** Parent path → the namespace paths directly under it (submodules and intermediate paths). */
  #namespacesUnder: Map<string, Set<string>> | undefined;
  readonly #children = new Map<string, NamespaceChildren>();

  public constructor(assembly: AssemblySource) {
    this.#assembly = assembly;
  }

  /** The names directly under `path` (a namespace or a type with nested types). */
  public children(path: string): NamespaceChildren {
    let children = this.#children.get(path);
    if (children === undefined) {
      children = this.#build(path);
      this.#children.set(path, children);
    }
    return children;
  }

  /** Types nested in the type `fqn`: name → fqn. */
  public nestedTypes(fqn: string): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const [name, child] of this.children(fqn)) {
      if (child !== null) out.set(name, child);
    }
    return out;
  }

  #build(path: string): NamespaceChildren {
    if (this.#assembly.typeNamesSorted === true) return this.#buildFromSorted(path);
    this.#group();
    const namespaces = this.#namespacesUnder!.get(path);
    const types = this.#typesUnder!.get(path);
    if (namespaces === undefined && types === undefined) return EMPTY;
    const children = new Map<string, string | null>();
    const at = path.length + 1;
    // A type wins over a namespace of the same name (its nested types hang off it).
    for (const ns of namespaces ?? []) children.set(ns.slice(at), null);
    for (const fqn of types ?? []) children.set(fqn.slice(at), fqn);
    return children;
  }

  /** The same, from names in ascending order: one binary search per child, no pass over all names. */
  #buildFromSorted(path: string): NamespaceChildren {
    const names = this.#assembly.typeNames() as readonly string[];
    const prefix = `${path}.`;
    const children = new Map<string, string | null>();
    for (const submodule of Object.keys(this.#assembly.metadata.submodules ?? {})) {
      if (submodule.startsWith(prefix) && !submodule.includes('.', prefix.length)) children.set(submodule.slice(prefix.length), null);
    }
    let i = lowerBound(names, prefix);
    while (i < names.length && names[i]!.startsWith(prefix)) {
      const name = names[i]!;
      const dot = name.indexOf('.', prefix.length);
      if (dot === -1) {
        // A type wins over a namespace of the same name (its nested types hang off it).
        children.set(name.slice(prefix.length), name);
        i++;
        continue;
      }
      const segment = name.slice(prefix.length, dot);
      if (!children.has(segment)) children.set(segment, null);
      // Past every name under `<path>.<segment>.` ('/' follows '.').
      i = lowerBound(names, `${prefix}${segment}/`, i);
    }
    return children.size === 0 ? EMPTY : children;
  }

  #group(): void {
    if (this.#typesUnder !== undefined) return;
    const root = this.#assembly.name;
    const prefix = `${root}.`;
    const typesUnder = new Map<string, string[]>();
    const namespacesUnder = new Map<string, Set<string>>();
    // Every path between the root and `path` (exclusive) is a namespace of its parent.
    const linkUp = (path: string): void => {
      let child = path;
      while (child.length > root.length) {
        const parent = child.slice(0, child.lastIndexOf('.'));
        let set = namespacesUnder.get(parent);
        if (set === undefined) {
          set = new Set();
          namespacesUnder.set(parent, set);
        } else if (set.has(child)) {
          return;
        }
        set.add(child);
        child = parent;
      }
    };
    for (const submodule of Object.keys(this.#assembly.metadata.submodules ?? {})) {
      if (submodule.startsWith(prefix)) linkUp(submodule);
    }
    for (const fqn of this.#assembly.typeNames()) {
      if (!fqn.startsWith(prefix)) continue;
      const parent = fqn.slice(0, fqn.lastIndexOf('.'));
      let list = typesUnder.get(parent);
      if (list === undefined) {
        list = [];
        typesUnder.set(parent, list);
        if (parent !== root) linkUp(parent);
      }
      list.push(fqn);
    }
    this.#typesUnder = typesUnder;
    this.#namespacesUnder = namespacesUnder;
  }
}

/**
 * Builds the namespace object for `path`: an object whose enumerable properties are its
 * sub-namespaces and types, each resolved on first read and then kept.
 */
export function buildNamespace(
  index: NamespaceIndex,
  path: string,
  resolveType: (fqn: string) => unknown,
): Record<string, unknown> {
  const ns: Record<string, unknown> = {};
  for (const [name, fqn] of index.children(path)) {
    Object.defineProperty(ns, name, {
      configurable: true,
      enumerable: true,
      get(): unknown {
        const value = fqn === null ? buildNamespace(index, `${path}.${name}`, resolveType) : resolveType(fqn);
        Object.defineProperty(ns, name, { value, configurable: false, enumerable: true, writable: false });
        return value;
      },
    });
  }
  Object.defineProperty(ns, Symbol.toStringTag, { value: path });
  return ns;
}

/** The first position in ascending `names` (from `from`) whose name is not below `key`. */
function lowerBound(names: readonly string[], key: string, from = 0): number {
  let lo = from;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
