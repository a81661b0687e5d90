/**
 * `KernelPool`: kernels started ahead of time with chosen packages already loaded, handed
 * out one client at a time, so a test suite that synthesizes many stacks skips start-up
 * and `load` on each.
 *
 * What survives between leases: nothing. A released kernel is closed and never handed out
 * again, because library code keeps module-level state (token counters, caches, static
 * properties) that would otherwise leak from one lease into the next. The pool instead
 * starts the replacement right away, so the next `acquire()` finds it warm.
 */
import * as path from 'node:path';
import { dependencyClosure } from '../kernel/assemblies/index.js';
import { ErrorCode, JsiiRingError } from '../errors.js';
import { KernelClient } from './kernel-client.js';
import type { KernelClientOptions } from './options.js';

/** Options of `KernelPool`. */
export interface KernelPoolOptions extends KernelClientOptions {
  /** Kernels kept warm. @default 1 */
  readonly size?: number;
  /**
   * Packages loaded into every kernel before it is handed out (with their jsii
   * dependencies, in order), resolved from `resolveFrom`. @default []
   */
  readonly preload?: readonly string[];
  /** Directory package names are resolved from. @default process.cwd() */
  readonly resolveFrom?: string;
}

export class KernelPool {
  readonly #options: KernelPoolOptions;
  readonly #ready: KernelClient[] = [];
  readonly #leased = new Set<KernelClient>();
  readonly #loads: { name: string; version: string; path: string }[];
  #closed = false;

  public constructor(options: KernelPoolOptions = {}) {
    const size = options.size ?? 1;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`options.size must be a positive integer (got ${String(size)})`);
    }
    this.#options = { ...options, size };
    this.#loads = resolvePreloads(options.preload ?? [], options.resolveFrom ?? process.cwd());
    for (let i = 0; i < size; i++) {
      this.#ready.push(this.#startWarm());
    }
  }

  /** A warm client, exclusively yours until `release()`. */
  public acquire(): KernelClient {
    this.#assertOpen();
    const client = this.#ready.shift() ?? this.#startWarm();
    this.#leased.add(client);
    return client;
  }

  /** Closes a leased client (reporting its deferred failures) and warms its replacement. */
  public async release(client: KernelClient): Promise<void> {
    if (!this.#leased.delete(client)) {
      throw new JsiiRingError(ErrorCode.INVALID_OPTION, 'This client was not leased from this pool (or was already released)');
    }
    try {
      await client.close();
    } finally {
      if (!this.#closed && this.#ready.length < (this.#options.size as number)) {
        this.#ready.push(this.#startWarm());
      }
    }
  }

  /** Closes every kernel, leased or not. */
  public async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#ready, ...this.#leased];
    this.#ready.length = 0;
    this.#leased.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }

  /** Number of warm kernels waiting. */
  public get warm(): number {
    return this.#ready.length;
  }

  #startWarm(): KernelClient {
    const client = KernelClient.start(this.#options);
    for (const load of this.#loads) {
      client.request({ api: 'load', name: load.name, version: load.version, path: load.path });
    }
    return client;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new JsiiRingError(ErrorCode.CLOSED, 'This kernel pool is closed');
    }
  }
}

function resolvePreloads(names: readonly string[], from: string): { name: string; version: string; path: string }[] {
  const seen = new Set<string>();
  const loads: { name: string; version: string; path: string }[] = [];
  for (const name of names) {
    const manifest = require.resolve(`${name}/package.json`, { paths: [from] });
    for (const entry of dependencyClosure(path.dirname(manifest))) {
      if (!seen.has(entry.name)) {
        seen.add(entry.name);
        loads.push({ name: entry.name, version: entry.version, path: entry.packageDir });
      }
    }
  }
  return loads;
}
