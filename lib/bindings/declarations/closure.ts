/**
 * The transitive closure of the types a set of types refers to, within one assembly: base
 * classes, implemented and extended interfaces, and every type in a property, parameter or
 * return type. Declarations generated for a closure compile on their own.
 */
import type * as spec from '@jsii/spec';

/**
 * Returns `seeds` plus every type of assembly `assembly` reachable from them, sorted.
 * References to other assemblies are not followed (their own declarations provide them).
 */
export function typeClosure(
  seeds: Iterable<string>,
  getType: (fqn: string) => spec.Type | undefined,
  assembly: string,
): string[] {
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (fqn: string): void => {
    if (seen.has(fqn) || !fqn.startsWith(`${assembly}.`)) return;
    seen.add(fqn);
    queue.push(fqn);
  };
  for (const fqn of seeds) visit(fqn);
  while (queue.length > 0) {
    const type = getType(queue.pop() ?? '');
    if (type !== undefined) forEachReference(type, visit);
  }
  return [...seen].sort();
}

/** Calls `visit` with the fqn of every named type `type` refers to. */
export function forEachReference(type: spec.Type, visit: (fqn: string) => void): void {
  const walk = (ref: spec.TypeReference | undefined): void => {
    if (ref === undefined) return;
    if ('fqn' in ref) visit(ref.fqn);
    else if ('collection' in ref) walk(ref.collection.elementtype);
    else if ('union' in ref) ref.union.types.forEach(walk);
    else if ('intersection' in ref) ref.intersection.types.forEach(walk);
  };
  const callable = (c: spec.Callable | undefined): void => {
    for (const param of c?.parameters ?? []) walk(param.type);
    if (c !== undefined && 'returns' in c) walk((c as spec.Method).returns?.type);
  };
  if (type.kind === 'class') {
    const cls = type as spec.ClassType;
    if (cls.base !== undefined) visit(cls.base);
    for (const fqn of cls.interfaces ?? []) visit(fqn);
    callable(cls.initializer);
    for (const property of cls.properties ?? []) walk(property.type);
    for (const method of cls.methods ?? []) callable(method);
  } else if (type.kind === 'interface') {
    const iface = type as spec.InterfaceType;
    for (const fqn of iface.interfaces ?? []) visit(fqn);
    for (const property of iface.properties ?? []) walk(property.type);
    for (const method of iface.methods ?? []) callable(method);
  }
}
