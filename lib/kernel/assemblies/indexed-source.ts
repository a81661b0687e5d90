/**
 * An `AssemblySource` read through an assembly index (see `index-format.ts`): opening it
 * decodes the names and the small metadata members only; each type is read from disk and
 * `JSON.parse`d the first time it is asked for, then cached.
 */
import type * as spec from '@jsii/spec';
import { JsiiFault } from '../../errors.js';
import { IndexCorruptError, type IndexReader } from './index-format.js';
import { SUBMODULES_KEY } from './index-builder.js';
import type { AssemblySource } from './types.js';

/** How the index behind a source was obtained (for tests, benchmarks and diagnostics). */
export type IndexOrigin = 'hit' | 'built' | 'rebuilt' | 'memory';

/**
 * Metadata members at most this long are decoded at open; longer ones (`readme`,
 * `submodules`, ...) on first access, through a getter that then replaces itself.
 */
const EAGER_METADATA_BYTES = 4096;

/**
 * Defines `object[key]` as decoded on first read, after which it is a plain data property
 * (in place: redefining a key keeps its position in the object's key order).
 */
function lazyProperty(object: Record<string, unknown>, key: string, decode: () => unknown): void {
  const settle = (target: Record<string, unknown>, value: unknown): void => {
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  };
  Object.defineProperty(object, key, {
    enumerable: true,
    configurable: true,
    get(this: Record<string, unknown>): unknown {
      const value = decode();
      settle(this, value);
      return value;
    },
    set(this: Record<string, unknown>, value: unknown): void {
      settle(this, value);
    },
  });
}

/** Holds the current reader, shared with the finaliser so a dropped source closes its fd. */
interface ReaderCell {
  reader: IndexReader;
}

const CLOSE_ON_COLLECT = new FinalizationRegistry<ReaderCell>((cell) => cell.reader.close());

/** A lazily-read assembly. Not shared between kernels: callers may keep what it returns. */
export class IndexedAssemblySource implements AssemblySource {
  public readonly name: string;
  public readonly version: string;
  public readonly metadata: Omit<spec.Assembly, 'types'>;
  public readonly typeCount: number;
  /** Where the index came from: found valid, built now, rebuilt after a bad read, or memory only. */
  public origin: IndexOrigin;
  readonly #cell: ReaderCell;
  readonly #rebuild: () => IndexReader;
  /** fqn → position, for indexes whose names are not sorted (sorted ones are binary-searched). */
  readonly #byName: Map<string, number> | undefined;
  readonly #sortedNames: readonly string[] | undefined;
  readonly #decoded = new Map<string, spec.Type>();
  readonly #label: string;

  /**
   * @param reader  a validated index
   * @param rebuild builds a fresh index from the assembly when a read finds corruption
   * @param label   names the assembly in errors (e.g. its directory)
   */
  public constructor(reader: IndexReader, origin: IndexOrigin, rebuild: () => IndexReader, label: string) {
    this.#cell = { reader };
    this.#rebuild = rebuild;
    this.#label = label;
    this.origin = origin;
    const names = reader.typeNames;
    if (reader.typeNamesSorted) {
      // aws-cdk-lib declares 23k types: a map of them costs more than the few hundred lookups a program makes.
      this.#sortedNames = names;
    } else {
      this.#byName = new Map();
      for (let i = 0; i < names.length; i++) {
        this.#byName.set(names[i] as string, i);
      }
    }
    this.typeCount = names.length;
    this.metadata = this.#decodeMetadata();
    const { name, version } = this.metadata as { name?: unknown; version?: unknown };
    if (typeof name !== 'string' || typeof version !== 'string') {
      throw new JsiiFault(`Cannot open the assembly in ${label}: it has no 'name' or 'version'`);
    }
    this.name = name;
    this.version = version;
    CLOSE_ON_COLLECT.register(this, this.#cell, this.#cell);
  }

  public hasType(fqn: string): boolean {
    return this.#position(fqn) !== undefined;
  }

  /** True: `typeNames()` is strictly ascending in code-unit order. */
  public get typeNamesSorted(): boolean {
    return this.#sortedNames !== undefined;
  }

  #position(fqn: string): number | undefined {
    const sorted = this.#sortedNames;
    if (sorted === undefined) return this.#byName!.get(fqn);
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const name = sorted[mid]!;
      if (name === fqn) return mid;
      if (name < fqn) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  public getType(fqn: string): spec.Type | undefined {
    const cached = this.#decoded.get(fqn);
    if (cached !== undefined) {
      return cached;
    }
    const i = this.#position(fqn);
    if (i === undefined) {
      return undefined;
    }
    const type = this.#decode(i, `type ${fqn}`) as spec.Type;
    this.#decoded.set(fqn, type);
    return type;
  }

  public typeNames(): Iterable<string> {
    return this.#cell.reader.typeNames;
  }

  /** Closes the index file now rather than when the source is collected. Reads after this throw. */
  public close(): void {
    CLOSE_ON_COLLECT.unregister(this.#cell);
    this.#cell.reader.close();
  }

  #decodeMetadata(): Omit<spec.Assembly, 'types'> {
    const reader = this.#cell.reader;
    const metadata: Record<string, unknown> = {};
    reader.metadataNames.forEach((key, j) => {
      const i = this.typeCount + j;
      if (reader.blobLength(i) <= EAGER_METADATA_BYTES) {
        metadata[key] = this.#decode(i, `metadata '${key}'`);
        return;
      }
      lazyProperty(metadata, key, () =>
        key === SUBMODULES_KEY ? this.#decodeSubmodules(i) : this.#decode(i, `metadata '${key}'`),
      );
    });
    return metadata as unknown as Omit<spec.Assembly, 'types'>;
  }

  /** The submodules, with each split-out readme behind a lazy getter at its original place. */
  #decodeSubmodules(i: number): unknown {
    const submodules = this.#decode(i, 'metadata \'submodules\'') as Record<string, Record<string, unknown>>;
    const first = this.typeCount + this.#cell.reader.metadataNames.length;
    this.#cell.reader.readmeNames.forEach((fqn, k) => {
      const submodule = submodules[fqn];
      if (submodule !== undefined) {
        lazyProperty(submodule, 'readme', () => this.#decode(first + k, `the readme of ${fqn}`));
      }
    });
    return submodules;
  }

  /** Reads and parses blob `i`; on a checksum failure rebuilds the index once and retries. */
  #decode(i: number, what: string): unknown {
    let text: string;
    try {
      text = this.#cell.reader.readBlob(i);
    } catch (e) {
      if (!(e instanceof IndexCorruptError)) {
        throw e;
      }
      this.#recover(e);
      text = this.#cell.reader.readBlob(i);
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new JsiiFault(`Cannot read ${what} of the assembly in ${this.#label}: ${(e as Error).message}`, { cause: e });
    }
  }

  #recover(cause: IndexCorruptError): void {
    const old = this.#cell.reader;
    const fresh = this.#rebuild();
    // Same source hash, same scanner: the names must match one for one, or the assembly
    // changed under us and positions would point at the wrong types.
    const same =
      fresh.typeNames.length === old.typeNames.length &&
      fresh.metadataNames.length === old.metadataNames.length &&
      fresh.typeNames.every((n, k) => n === old.typeNames[k]);
    if (!same) {
      fresh.close();
      throw new JsiiFault(`The assembly index of ${this.#label} changed while in use`, { cause });
    }
    this.#cell.reader = fresh;
    this.origin = 'rebuilt';
    old.close();
  }
}
