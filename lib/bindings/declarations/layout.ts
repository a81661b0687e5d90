/**
 * Where each jsii type lands in the generated declarations.
 *
 * One declaration file per module: the assembly root is `index.d.ts`, the submodule
 * `<assembly>.aws_sqs` is `aws_sqs.d.ts`, a nested submodule `<assembly>.aws_ecs.mixins` is
 * `aws_ecs.mixins.d.ts`. Each module file re-exports its direct child submodules as
 * namespaces (`export * as aws_sqs from './aws_sqs.js'`), so `import('aws-cdk-lib')` has the
 * shape of the package (`cdk.aws_sqs.Queue`). A type nested in another type
 * (`aws_s3.CfnBucket.RuleProperty`) lives in a namespace merged with its parent.
 */

/** The module (root or submodule) of an assembly a type belongs to, and its path in it. */
export interface TypeLocation {
  /** Assembly name (`aws-cdk-lib`). */
  readonly assembly: string;
  /** Submodule path relative to the assembly: `''` for the root, `aws_sqs`, `aws_ecs.mixins`. */
  readonly module: string;
  /** Path of the type inside its module: `Queue`, `CfnBucket.RuleProperty`. */
  readonly path: readonly string[];
}

/** Maps fully-qualified names to modules, for one assembly and the assemblies it depends on. */
export class AssemblyLayout {
  readonly #assembly: string;
  /** Submodule fqns per assembly (own and dependencies). */
  readonly #submodules = new Map<string, Set<string>>();
  /** Locations already computed: every type is referred to many times. */
  readonly #cache = new Map<string, TypeLocation>();

  /**
   * @param assembly name of the assembly being generated.
   * @param submodules submodule fqns per assembly (this one and each dependency), from the
   *   assembly's `submodules` and `dependencyClosure[dep].submodules`.
   */
  public constructor(assembly: string, submodules: ReadonlyMap<string, Iterable<string>>) {
    this.#assembly = assembly;
    for (const [name, fqns] of submodules) this.#submodules.set(name, new Set(fqns));
    if (!this.#submodules.has(assembly)) this.#submodules.set(assembly, new Set());
  }

  /** Name of the assembly being generated. */
  public get assembly(): string {
    return this.#assembly;
  }

  /** Submodule paths of the generated assembly (relative, e.g. `aws_sqs`), sorted. */
  public ownModules(): string[] {
    const prefix = `${this.#assembly}.`;
    return [...(this.#submodules.get(this.#assembly) ?? [])].map((fqn) => fqn.slice(prefix.length)).sort();
  }

  /**
   * Locates a type by fqn: its assembly is the longest known assembly name prefixing it, its
   * module the longest submodule of that assembly prefixing it.
   */
  public locate(fqn: string): TypeLocation {
    const cached = this.#cache.get(fqn);
    if (cached !== undefined) return cached;
    const segments = fqn.split('.');
    // Assembly names may contain dots; try the longest prefix first.
    let assemblySegments = 1;
    for (let n = segments.length - 1; n >= 1; n--) {
      if (this.#submodules.has(segments.slice(0, n).join('.'))) {
        assemblySegments = n;
        break;
      }
    }
    const assembly = segments.slice(0, assemblySegments).join('.');
    const submodules = this.#submodules.get(assembly);
    let moduleSegments = assemblySegments;
    for (let n = segments.length - 1; n > assemblySegments; n--) {
      if (submodules?.has(segments.slice(0, n).join('.'))) {
        moduleSegments = n;
        break;
      }
    }
    const location: TypeLocation = {
      assembly,
      module: segments.slice(assemblySegments, moduleSegments).join('.'),
      path: segments.slice(moduleSegments),
    };
    this.#cache.set(fqn, location);
    return location;
  }
}

/** File (relative to the package's declaration directory) of a module. */
export function moduleFile(module: string): string {
  return module === '' ? 'index.d.ts' : `${module}.d.ts`;
}

/** Import specifier of `target`'s file from another module file of the same assembly. */
export function moduleSpecifier(target: string): string {
  return `./${moduleFile(target).replace(/\.d\.ts$/, '.js')}`;
}

/** The parent module of a submodule path (`aws_ecs.mixins` → `aws_ecs`, `aws_sqs` → `''`). */
export function parentModule(module: string): string {
  const dot = module.lastIndexOf('.');
  return dot < 0 ? '' : module.slice(0, dot);
}

/** The last segment of a submodule path: the namespace name its parent re-exports it under. */
export function moduleLeaf(module: string): string {
  return module.slice(module.lastIndexOf('.') + 1);
}
