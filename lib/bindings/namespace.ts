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

const EMPTY: NamespaceChildren = new Map();

/** The tree of names of one assembly, keyed by dotted path (`aws-cdk-lib.aws_s3`). */
export class NamespaceIndex {
  readonly #children = new Map<string, Map<string, string | null>>();

  public constructor(assembly: AssemblySource) {
    const root = assembly.name;
    this.#children.set(root, new Map());
    for (const submodule of Object.keys(assembly.metadata.submodules ?? {})) {
      if (submodule.startsWith(`${root}.`)) this.#add(root, submodule.slice(root.length + 1).split('.'), null);
    }
    for (const fqn of assembly.typeNames()) {
      if (fqn.startsWith(`${root}.`)) this.#add(root, fqn.slice(root.length + 1).split('.'), fqn);
    }
  }

  /** The names directly under `path` (a namespace or a type with nested types). */
  public children(path: string): NamespaceChildren {
    return this.#children.get(path) ?? EMPTY;
  }

  /** Types nested in the type `fqn`: name → fqn. */
  public nestedTypes(fqn: string): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const [name, child] of this.children(fqn)) {
      if (child !== null) out.set(name, child);
    }
    return out;
  }

  #add(root: string, segments: readonly string[], fqn: string | null): void {
    let path = root;
    for (let i = 0; i < segments.length; i++) {
      const name = segments[i]!;
      let children = this.#children.get(path);
      if (children === undefined) {
        children = new Map();
        this.#children.set(path, children);
      }
      const last = i === segments.length - 1;
      // A type wins over a namespace of the same name (its nested types hang off it).
      if (last && fqn !== null) children.set(name, fqn);
      else if (!children.has(name)) children.set(name, null);
      path = `${path}.${name}`;
    }
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
