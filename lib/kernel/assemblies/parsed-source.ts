/**
 * An `AssemblySource` over an assembly that is already fully parsed in memory. Used for
 * assemblies the index cannot hold (a read-only cache with no room to write one) and as the
 * reference the index is tested against.
 */
import type * as spec from '@jsii/spec';
import type { AssemblySource } from './types.js';

/** Wraps a parsed assembly; `getType` returns the parsed objects themselves. */
export class ParsedAssemblySource implements AssemblySource {
  public readonly name: string;
  public readonly version: string;
  public readonly metadata: Omit<spec.Assembly, 'types'>;
  public readonly typeCount: number;
  readonly #types: Readonly<Record<string, spec.Type>>;

  public constructor(assembly: spec.Assembly) {
    const { types, ...metadata } = assembly;
    this.name = assembly.name;
    this.version = assembly.version;
    this.metadata = metadata;
    this.#types = types ?? {};
    this.typeCount = Object.keys(this.#types).length;
  }

  public hasType(fqn: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.#types, fqn);
  }

  public getType(fqn: string): spec.Type | undefined {
    return this.hasType(fqn) ? this.#types[fqn] : undefined;
  }

  public typeNames(): Iterable<string> {
    return Object.keys(this.#types);
  }
}
