/**
 * Loads, while the kernel has nothing to serve, the library modules a program is expected
 * to use: the classes it named the last time it ran (host/type-preload.ts keeps that list).
 *
 * A library such as aws-cdk-lib loads each module when one of its classes is first used,
 * so a small app spends much of its kernel time on module loading (reading, compiling and
 * running each module's top level), at the point of first use. Natively that is on the
 * program's own thread, after its start-up. In the worker it can happen while the host is
 * still loading and transpiling the app: the kernel is otherwise idle then.
 *
 * Rules: one type per step, and the server reads the request ring between steps, so a
 * request waits at most for one module load (which the program is likely to need anyway).
 * Types are loaded in the order the last run first used them, so the library's modules
 * load in their usual order, only earlier. A type whose assembly is not loaded yet waits
 * for it; a type the assembly does not declare, or whose module throws, is dropped silently
 * (its first real use reports what it would have).
 */
import type { Kernel } from '../kernel/kernel.js';
import { PRELOAD_MS_STAT, PRELOADED_STAT } from '../transports/channel.js';

export class TypePreloader {
  readonly #kernel: Kernel;
  readonly #stats: Float64Array;
  /** Types not loaded yet, in order. */
  #queue: string[];
  /** The kernel's assembly count when every queued type was last found waiting. */
  #stalledAt = -1;

  public constructor(kernel: Kernel, types: readonly string[], stats: Float64Array) {
    this.#kernel = kernel;
    this.#queue = [...types];
    this.#stats = stats;
  }

  /** True while types are queued (some may be waiting for their assembly). */
  public get pending(): boolean {
    return this.#queue.length > 0;
  }

  /**
   * Loads the next type that can be loaded now. Returns false when there is nothing to do
   * until another assembly loads (or nothing at all), so the caller can wait for requests.
   */
  public step(): boolean {
    const assemblies = this.#kernel.assemblyCount;
    if (this.#queue.length === 0 || assemblies === this.#stalledAt) {
      return false;
    }
    for (let i = 0; i < this.#queue.length; i++) {
      const fqn = this.#queue[i]!;
      const started = performance.now();
      const outcome = this.#kernel.preloadType(fqn);
      if (outcome === 'waiting') {
        continue;
      }
      this.#queue.splice(i, 1);
      if (outcome === 'loaded') {
        this.#stats[PRELOADED_STAT] = (this.#stats[PRELOADED_STAT] as number) + 1;
        this.#stats[PRELOAD_MS_STAT] = (this.#stats[PRELOAD_MS_STAT] as number) + performance.now() - started;
      }
      return true;
    }
    this.#stalledAt = assemblies;
    return false;
  }
}
