/**
 * The objects the kernel has handed out, by id, and the ids of objects.
 *
 * Ids: the kernel mints `<fqn>@<n>` with n counting from 10000, as the reference does. With
 * the `objid` extension the host allocates ids of its own, `h<digits>`, a namespace the
 * kernel never mints in; such an id either names a fresh object (its canonical id) or is an
 * alias of an object the kernel already knew. An id whose creating request failed is
 * remembered with the reason, so later uses fail with a Fault naming the root cause.
 *
 * Lookup: by the id after the last `@`. A kernel id must come with its exact ref (as in the
 * reference, `a.B@10000` does not find `a.C@10000`); a host id may come with any fqn, since
 * the host may send the declared type before it knows the runtime class.
 *
 * An object is tagged through a WeakMap, not a property on the object, so library objects
 * keep their shape and several kernels in one process never see each other's tags.
 *
 * Hot path: ids are parsed from a ref's digits in place and looked up as numbers (host ids
 * as negative numbers): no substring, no string hashing. Wire refs are fresh objects each
 * time, so a caller that mutates one cannot corrupt the table.
 *
 * Host ids in use (live, or failed) cannot be claimed again; the ids of a deleted object
 * can, so the table stays bounded however many objects come and go.
 */
import { JsiiFault } from '../errors.js';
import { HOST_ID_PREFIX, type ObjRef, TOKEN_INTERFACES, TOKEN_REF } from '../protocol/api.js';
import { DependencyFault } from './kernel-errors.js';
import type { TypeRegistry } from './type-registry.js';
import { EMPTY_OBJECT_FQN } from './values.js';

/** One registered object. */
export interface ObjectEntry {
  readonly instance: object;
  /** The fqn it was registered with (its class, or `Object`). */
  readonly fqn: string;
  /** Canonical id: `10000`, or a host id such as `h7`. */
  readonly id: string;
  /** Canonical ref: `<fqn>@<id>`. */
  readonly ref: string;
  /** Interfaces it implements beyond those its class declares (sorted, frozen), if any. */
  interfaces: readonly string[] | undefined;
  /** Host ids (as numbers, see `parseId`) that alias it. */
  aliases: number[] | undefined;
}

const FIRST_KERNEL_ID = 10000;
const H = HOST_ID_PREFIX.charCodeAt(0);
const AT = '@'.charCodeAt(0);

/** The object table of one kernel. */
export class ObjectTable {
  readonly #types: TypeRegistry;
  /** Entries by kernel id (as a number). */
  readonly #byNumber = new Map<number, ObjectEntry>();
  /** Entries by host id number (`h7` → -8; canonical ids and aliases). */
  readonly #byHostNumber = new Map<number, ObjectEntry>();
  readonly #byInstance = new WeakMap<object, ObjectEntry>();
  /** Host id number → why the request that was to produce it failed. */
  readonly #failed = new Map<number, string>();
  #nextId = FIRST_KERNEL_ID;
  #count = 0;
  // The next object minted, if it is this one, takes this host id (see `reserve`).
  #reservedFor: object | undefined;
  #reservedId = 0;

  public constructor(types: TypeRegistry) {
    this.#types = types;
  }

  /** Number of live objects (aliases not counted). */
  public get count(): number {
    return this.#count;
  }

  /**
   * The reference's `registerObject`: a known object keeps its ref (its interfaces grow by
   * `interfaces`, redundant ones removed); a new one gets a fresh id. Returns the wire ref.
   */
  public register(obj: object, fqn: string, interfaces: readonly string[] | undefined): ObjRef {
    const known = this.#byInstance.get(obj);
    if (known !== undefined) {
      if (interfaces !== undefined) {
        this.#growInterfaces(known, fqn, interfaces);
      }
      return wireRef(known);
    }
    const reduced = interfaces === undefined || interfaces.length === 0 ? undefined : this.#removeRedundant(interfaces, fqn);
    let entry: ObjectEntry;
    if (this.#reservedFor === obj) {
      const n = this.#reservedId;
      this.#reservedFor = undefined;
      const id = `${HOST_ID_PREFIX}${-n - 1}`;
      entry = { instance: obj, fqn, id, ref: `${fqn}@${id}`, interfaces: reduced, aliases: undefined };
      this.#byHostNumber.set(n, entry);
    } else {
      const n = this.#nextId++;
      const id = String(n);
      entry = { instance: obj, fqn, id, ref: `${fqn}@${id}`, interfaces: reduced, aliases: undefined };
      this.#byNumber.set(n, entry);
    }
    this.#byInstance.set(obj, entry);
    this.#count++;
    return wireRef(entry);
  }

  /** The wire ref of an already registered object, if it is one. */
  public wireRefOf(obj: object): ObjRef | undefined {
    const entry = this.#byInstance.get(obj);
    return entry === undefined ? undefined : wireRef(entry);
  }

  /** The entry of an already registered object, if it is one. */
  public entryOf(obj: object): ObjectEntry | undefined {
    return this.#byInstance.get(obj);
  }

  /** The object an `ObjRef` names, or a Fault (malformed, unknown, or failed id). */
  public find(objref: unknown): ObjectEntry {
    if (typeof objref !== 'object' || objref === null || !(TOKEN_REF in objref)) {
      throw new JsiiFault(`Malformed object reference: ${JSON.stringify(objref)}`);
    }
    return this.findRef((objref as ObjRef)[TOKEN_REF]);
  }

  /** The object a ref string names (`fqn@id`), or a Fault. */
  public findRef(ref: unknown): ObjectEntry {
    if (typeof ref === 'string') {
      const n = parseId(ref);
      if (n >= FIRST_KERNEL_ID) {
        const entry = this.#byNumber.get(n);
        // A kernel id must come with its exact ref, as in the reference.
        if (entry !== undefined && entry.ref === ref) {
          return entry;
        }
      } else if (n < 0) {
        const entry = this.#byHostNumber.get(n);
        if (entry !== undefined) {
          return entry;
        }
        const failure = this.#failed.get(n);
        if (failure !== undefined) {
          throw new DependencyFault(`Object ${ref} cannot be used: ${failure}`);
        }
      }
    }
    throw new JsiiFault(`Object ${String(ref)} not found`);
  }

  /**
   * The interfaces to search members in for a request on `entry`: its own, then those the
   * request's ref declares (client-side down-casting; appended, never registered, so a
   * wrong claim cannot poison the table).
   */
  public requestedInterfaces(entry: ObjectEntry, objref: unknown): readonly string[] | undefined {
    const extra = (objref as { [TOKEN_INTERFACES]?: unknown })[TOKEN_INTERFACES];
    if (extra == null || (Array.isArray(extra) && extra.length === 0)) {
      return entry.interfaces;
    }
    if (!Array.isArray(extra) || !extra.every((i) => typeof i === 'string')) {
      throw new JsiiFault(`Malformed object reference: "${TOKEN_INTERFACES}" must be a list of interface names`);
    }
    return [...(entry.interfaces ?? []), ...(extra as string[])];
  }

  /** Removes an object (and its aliases); a Fault if the ref names none. */
  public delete(objref: unknown): void {
    const entry = this.find(objref);
    this.#byInstance.delete(entry.instance);
    this.#count--;
    const n = parseId(entry.id);
    if (n < 0) {
      this.#byHostNumber.delete(n);
    } else {
      this.#byNumber.delete(n);
    }
    for (const alias of entry.aliases ?? []) {
      this.#byHostNumber.delete(alias);
    }
  }

  // -------------------------------------------------------------------------------------
  // Host ids (extension `objid`)
  // -------------------------------------------------------------------------------------

  /**
   * Checks that `id` is a host id (`h<digits>`, no leading zeros) that names no live object
   * and no failed request; returns its number, or throws a Fault. The id of a deleted object
   * may be used again.
   */
  public checkHostId(id: unknown): number {
    const n = typeof id === 'string' ? parseId(id) : NaN;
    if (!(n < 0) || (id as string).charCodeAt(0) !== H) {
      throw new JsiiFault(`Invalid objid ${JSON.stringify(id)}: host object ids are 'h' followed by digits (no leading zeros)`);
    }
    if (this.#byHostNumber.has(n) || this.#failed.has(n)) {
      throw new JsiiFault(`Invalid objid '${id as string}': this id is already in use`);
    }
    return n;
  }

  /** The next object registered, if it is `obj`, takes host id `n` instead of a kernel id. */
  public reserve(obj: unknown, n: number): void {
    if (typeof obj === 'object' && obj !== null) {
      this.#reservedFor = obj;
      this.#reservedId = n;
    }
  }

  /** Drops a reservation that was not used. */
  public clearReservation(): void {
    this.#reservedFor = undefined;
  }

  /**
   * Settles host id `id` after its request succeeded with wire value `result`: nothing to do
   * if the object took the id; an alias if it already had another id (returns the canonical
   * ref, for the alias notice); a failed id if the request produced no object.
   */
  public settleHostId(n: number, result: unknown, what: () => string): string | undefined {
    if (typeof result !== 'object' || result === null || !(TOKEN_REF in result)) {
      const produced = result == null ? 'no object' : 'a value that is not an object reference';
      this.markFailed(n, `${what()} returned ${produced}`);
      return undefined;
    }
    const entry = this.findRef((result as ObjRef)[TOKEN_REF]);
    if (this.#byHostNumber.get(n) === entry) {
      return undefined; // the object took the id
    }
    this.#byHostNumber.set(n, entry);
    (entry.aliases ??= []).push(n);
    return entry.ref;
  }

  /** Remembers that the request meant to produce host id `n` failed, and why. */
  public markFailed(n: number, reason: string): void {
    if (!this.#byHostNumber.has(n)) {
      this.#failed.set(n, reason);
    }
  }

  // -------------------------------------------------------------------------------------
  // $jsii.interfaces
  // -------------------------------------------------------------------------------------

  #growInterfaces(entry: ObjectEntry, fqn: string, interfaces: readonly string[]): void {
    const current = entry.interfaces;
    // Common case: nothing new (already listed, or one the class implies).
    if (interfaces.length === 1 && fqn === entry.fqn) {
      const only = interfaces[0]!;
      if (current?.includes(only) === true) {
        return;
      }
      if (current === undefined && fqn !== EMPTY_OBJECT_FQN && this.#types.type(fqn).impliedInterfaces(true).has(only)) {
        return;
      }
    }
    const all = new Set(interfaces);
    for (const iface of current ?? []) {
      all.add(iface);
    }
    const reduced = this.#removeRedundant([...all], fqn);
    if (!sameList(reduced, current)) {
      entry.interfaces = reduced;
    }
  }

  /**
   * The reference's `removeRedundant`: drops the interfaces that the class (unless `Object`)
   * or another listed interface already implies; sorted, or `undefined` if none is left.
   */
  #removeRedundant(interfaces: readonly string[], fqn: string): readonly string[] | undefined {
    const implied = fqn === EMPTY_OBJECT_FQN ? undefined : this.#types.type(fqn).impliedInterfaces(true);
    const ancestors: ReadonlySet<string>[] = [];
    for (const iface of interfaces) {
      ancestors.push(this.#types.type(iface).impliedInterfaces(false));
    }
    const kept = new Set<string>();
    for (const iface of interfaces) {
      if (implied?.has(iface) !== true && !ancestors.some((a) => a.has(iface))) {
        kept.add(iface);
      }
    }
    return kept.size === 0 ? undefined : Object.freeze([...kept].sort());
  }
}

/**
 * The id at the end of a ref (after the last `@`, or the whole string), parsed in place:
 * a kernel id `10000` → 10000; a host id `h7` → -8 (negative, so both live in numbers);
 * anything else → NaN. Host ids with leading zeros (`h07`) are not ids.
 */
export function parseId(ref: string): number {
  let n = 0;
  let scale = 1;
  let i = ref.length - 1;
  for (; i >= 0; i--) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n += (c - 48) * scale;
    scale *= 10;
  }
  const digits = ref.length - 1 - i;
  if (digits === 0 || digits > 15) {
    return NaN;
  }
  if (i >= 0 && ref.charCodeAt(i) === H && (i === 0 || ref.charCodeAt(i - 1) === AT)) {
    // A host id: canonical digits only (`h0`, `h7`, not `h07`).
    return digits > 1 && ref.charCodeAt(i + 1) === 48 ? NaN : -n - 1;
  }
  return i < 0 || ref.charCodeAt(i) === AT ? n : NaN;
}

/**
 * A fresh wire ref for an entry (its interface list is frozen and may be shared). The keys
 * are written out, not computed (`[TOKEN_REF]`): V8 builds a literal with plain keys from a
 * template, and one with computed keys a property at a time (about 85 ns more a ref).
 */
export function wireRef(entry: ObjectEntry): ObjRef {
  return entry.interfaces === undefined
    ? { '$jsii.byref': entry.ref }
    : { '$jsii.byref': entry.ref, '$jsii.interfaces': entry.interfaces };
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
