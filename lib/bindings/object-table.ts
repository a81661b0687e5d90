/**
 * Identity: one host object per kernel object, where the host can know it.
 *
 * Every proxy and every host object the kernel knows has an `ObjectState` (its ref). The
 * table maps a kernel object id to the host object:
 * - proxies are held weakly (the kernel keeps the object alive; a dropped proxy is simply
 *   made again if the kernel returns the object later, and nobody can tell);
 * - host objects (instances of host subclasses, host implementations of interfaces) are
 *   held strongly: the kernel may call back into them, and they carry host state a new
 *   proxy would not have.
 *
 * Aliases: a pipelined `get`/`invoke` names its result with a fresh id before the host
 * knows which object it is. When the kernel reports that the id is an alias of an object
 * already known under another id, later references to either id resolve to the first
 * host object, and `sameObject()` says the two are the same. A proxy already handed out
 * for the alias stays a distinct JavaScript object (`!==`), usable as before.
 */
import type { ObjRef } from '../protocol/api.js';
import { idOfRef } from './type-system.js';

/** What the bindings know about one host-side object that stands for a kernel object. */
export interface ObjectState {
  /** The kernel object id (the part of the ref after the last `@`). */
  readonly id: string;
  /** The wire ref sent in requests (frozen, reused). */
  readonly ref: ObjRef;
  /** Class fqn (or the declared type for a pipelined handle, or `Object`). */
  readonly fqn: string;
  /** Interfaces beyond the class's own (from `$jsii.interfaces`, or a host object's). */
  interfaces: readonly string[];
  /** True when the kernel may call back into this object (held strongly). */
  readonly host: boolean;
  /** The table it belongs to (one per connection). */
  readonly table: ObjectTable;
  /**
   * For the proxy of a pipelined result: the table's sync epoch when it was made (until a
   * sync point passes, the kernel may still report its id as an alias). -1 otherwise.
   */
  readonly epoch: number;
}

/**
 * Where states live. Instances of binding classes (proxies, host subclass instances) carry
 * theirs in a non-enumerable, non-writable symbol property: faster to attach and read than
 * a WeakMap entry, and invisible to `Object.keys`, spread and JSON. Other host objects
 * (plain objects implementing interfaces) are the program's own: they are not touched, and
 * their states are in a WeakMap.
 */
const STATE: unique symbol = Symbol('jsii-ring.state');
const STATES = new WeakMap<object, ObjectState>();

/** The state of a proxy or registered host object, or `undefined`. */
export function stateOf(value: unknown): ObjectState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [STATE]?: ObjectState })[STATE] ?? STATES.get(value);
}

/** True for objects whose state may be stored on them (see `STATE`). */
export type OwnsStateSlot = (obj: object) => boolean;

/**
 * True if `a` and `b` stand for the same kernel object: the same host object, or two
 * proxies of one object (one made for a pipelined result before the kernel said it was
 * an alias). False for anything that is not a jsii object unless `a === b`.
 */
export function sameObject(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const sa = stateOf(a);
  const sb = stateOf(b);
  if (sa === undefined || sb === undefined || sa.table !== sb.table) return false;
  const table = sa.table;
  if (table.canonicalId(sa.id) === table.canonicalId(sb.id)) return true;
  // A pipelined result may be an alias the kernel has not reported yet: this is a read,
  // so it is a sync point (only when the answer could still change).
  if (!table.isUnsettled(sa) && !table.isUnsettled(sb)) return false;
  table.settle();
  return table.canonicalId(sa.id) === table.canonicalId(sb.id);
}

/** Sweeps dead weak entries when the map has grown this much since the last sweep. */
const SWEEP_MIN = 1024;

/**
 * How long a new proxy's entry is held strongly before it becomes a `WeakRef` (ms). A
 * `WeakRef` keeps its target alive until the job that made it ends anyway, so holding the
 * entries of one job strongly until shortly after it changes nothing a program can see;
 * it keeps `new WeakRef` (and V8's list of targets to keep for the job) out of every
 * `create` and pipelined result, and a short-lived program never pays for it at all.
 */
export const PROXY_HOLD_MS = 200;

/** The id → host object table of one connection. */
export class ObjectTable {
  readonly #weak = new Map<string, WeakRef<object>>();
  /** Proxies registered since the last `#age()`: weak entries still held strongly (see PROXY_HOLD_MS). */
  readonly #young = new Map<string, object>();
  #ageTimer: NodeJS.Timeout | undefined;
  readonly #strong = new Map<string, object>();
  /** alias id → canonical id (the id the kernel first knew the object by). */
  readonly #aliases = new Map<string, string>();
  #sweepAt = SWEEP_MIN;
  /** Counts sync points; alias notices of earlier requests have arrived by the next one. */
  #epoch = 0;
  readonly #flush: () => void;
  readonly #ownsSlot: OwnsStateSlot;

  /**
   * `flush` waits until every pipelined request is served (the connection's `flush`);
   * `ownsSlot` says which objects are the bindings' own (instances of binding classes).
   */
  public constructor(flush: () => void = () => undefined, ownsSlot: OwnsStateSlot = () => false) {
    this.#flush = flush;
    this.#ownsSlot = ownsSlot;
  }

  /** Records that a sync point passed (a request was answered). */
  public syncPoint(): void {
    this.#epoch++;
  }

  /** True if the kernel may still report this pipelined result's id as an alias. */
  public isUnsettled(state: ObjectState): boolean {
    return state.epoch === this.#epoch;
  }

  /** Makes every alias notice arrive (a sync point). */
  public settle(): void {
    this.#flush();
    this.#epoch++;
  }

  /**
   * Makes a state for `ref` and attaches it to `obj` (which must not have one).
   * `provisional`: the proxy of a pipelined result, which may yet turn out to be an alias.
   * `id`: the id at the end of `ref`, when the caller has it.
   */
  public register(obj: object, ref: string, fqn: string, interfaces: readonly string[], host: boolean, provisional = false, id = idOfRef(ref)): ObjectState {
    const state: ObjectState = {
      id,
      // Written-out key, not `[TOKEN_REF]`: see wireRef in kernel/object-table.ts.
      ref: Object.freeze({ '$jsii.byref': ref }),
      fqn,
      interfaces,
      host,
      table: this,
      epoch: provisional ? this.#epoch : -1,
    };
    if (this.#ownsSlot(obj)) {
      Object.defineProperty(obj, STATE, { value: state, configurable: true });
    } else {
      STATES.set(obj, state);
    }
    this.#put(state.id, obj, host);
    // The alias notice may have come first (a same-thread kernel reports it during the
    // request): the object it names is met for the first time through this id.
    const root = this.#aliases.get(state.id);
    if (root !== undefined && this.#get(root) === undefined) this.#put(root, obj, host);
    return state;
  }

  /** Forgets an object whose creation failed. */
  public unregister(obj: object): void {
    const state = stateOf(obj);
    if (state === undefined || state.table !== this) return;
    if (Object.prototype.hasOwnProperty.call(obj, STATE)) delete (obj as { [STATE]?: ObjectState })[STATE];
    else STATES.delete(obj);
    if (this.#strong.get(state.id) === obj) this.#strong.delete(state.id);
    if (this.#young.get(state.id) === obj) this.#young.delete(state.id);
    if (this.#weak.get(state.id)?.deref() === obj) this.#weak.delete(state.id);
  }

  /**
   * The object an id allocated for a pipelined result already stands for: only possible
   * if its alias notice came first (a same-thread kernel reports it during the request).
   * Cheaper than `lookup`: the id itself cannot be in the table yet.
   */
  public lookupFresh(id: string): object | undefined {
    const canonical = this.#aliases.get(id);
    return canonical === undefined ? undefined : this.#get(canonical);
  }

  /** The host object for a kernel id (following aliases), if still alive. */
  public lookup(id: string): object | undefined {
    const direct = this.#get(id);
    if (direct !== undefined) return direct;
    const canonical = this.#aliases.get(id);
    return canonical === undefined ? undefined : this.#get(canonical);
  }

  /**
   * Records that `objid` names the object the kernel knows as `target` (a full ref).
   * Later lookups of either id return the first host object known for it.
   */
  public alias(objid: string, target: string): void {
    const root = this.canonicalId(idOfRef(target));
    if (root === objid) return;
    this.#aliases.set(objid, root);
    const first = this.#get(root);
    const second = this.#get(objid);
    if (first !== undefined) {
      // The object was already known: references through the alias resolve to it. A
      // strong entry for the alias (a host object registered under it) is left alone.
      if (!this.#strong.has(objid)) this.#put(objid, first, false);
    } else if (second !== undefined) {
      // First time the host meets this object: the alias's proxy becomes its proxy.
      this.#put(root, second, this.#strong.get(objid) === second);
    }
  }

  /** The id an object was first known by (itself if it is not an alias). */
  public canonicalId(id: string): string {
    let current = id;
    for (let next = this.#aliases.get(current); next !== undefined && next !== current; next = this.#aliases.get(current)) {
      current = next;
    }
    return current;
  }

  /** Number of live entries (for tests and diagnostics). */
  public get size(): { readonly weak: number; readonly strong: number; readonly aliases: number } {
    return { weak: this.#weak.size + this.#young.size, strong: this.#strong.size, aliases: this.#aliases.size };
  }

  #get(id: string): object | undefined {
    return this.#strong.get(id) ?? this.#young.get(id) ?? this.#weak.get(id)?.deref();
  }

  #put(id: string, obj: object, strong: boolean): void {
    if (strong) {
      this.#strong.set(id, obj);
      return;
    }
    this.#young.set(id, obj);
    if (this.#ageTimer === undefined) {
      // Unref'd: a program that is done does not wait for it.
      this.#ageTimer = setTimeout(() => this.#age(), PROXY_HOLD_MS);
      this.#ageTimer.unref();
    }
  }

  /** Turns the entries held since the last call into weak ones. */
  #age(): void {
    this.#ageTimer = undefined;
    for (const [id, obj] of this.#young) this.#weak.set(id, new WeakRef(obj));
    this.#young.clear();
    if (this.#weak.size >= this.#sweepAt) this.#sweep();
  }

  /**
   * Drops entries whose proxy was collected. Amortized: runs when the map has doubled
   * since the last sweep, so each entry is visited O(1) times on average. An alias whose
   * only proxy died is dropped too: nothing on the host can still ask about it.
   */
  #sweep(): void {
    for (const [id, ref] of this.#weak) {
      if (ref.deref() === undefined) {
        this.#weak.delete(id);
        if (!this.#strong.has(id) && !this.#young.has(id)) this.#aliases.delete(id);
      }
    }
    this.#sweepAt = Math.max(SWEEP_MIN, this.#weak.size * 2);
  }
}
