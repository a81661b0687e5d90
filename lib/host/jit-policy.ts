/**
 * The JIT policy: how eagerly V8 hands functions to its optimizing compiler (TurboFan).
 *
 * Why it matters here: TurboFan compiles on V8's background threads. A program that runs
 * the library in its own thread has a second core for that work; with the kernel in a
 * worker, the host thread and the kernel thread already occupy both cores of a small
 * machine, so the library's compile jobs (and concurrent GC) take turns with the kernel
 * itself. Measured on 2 vCPUs (benchmarks/RESULTS.md, headlines and "Kernel request
 * replay"): the example app's requests replayed into a kernel in one thread take ~1.35× as
 * long when the process is held to one core and 1.23× beside a busy thread, and most of
 * the difference goes away without TurboFan: it is compile work for library code that
 * runs only a handful of times. Raising V8's interrupt budget (the bytecode a function
 * runs between tier-up checks) optimizes only what is really hot: beside a busy thread
 * the replay is then 1.11× slower instead of 1.23×.
 *
 * V8 flags are per process, so this is the program's choice, not a client option:
 * `jsii-ring synth` applies it at start (`--interrupt-budget`); a program of your own
 * calls `applyJitPolicy()` first thing, or runs `node --interrupt-budget=N`.
 *
 * The V8 of Node 22 and later (12 and later) has no interrupt budget: it tiers up by how
 * often a function was called, and refuses `--interrupt-budget`. There the policy raises
 * the count TurboFan waits for (`--invocation-count-for-turbofan`, 3,000 by default) by the
 * same factor as the budget over V8's (300,000 / 67,584: 13,317); budgets are still what
 * the policy is given and reports, and `node --invocation-count-for-turbofan=N` on the
 * command line wins as `--interrupt-budget` does.
 */
import * as v8 from 'node:v8';

/** The interrupt budget of the V8 in Node 20 (`node --v8-options`): what "default" means. */
export const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;

/** TurboFan's invocation count in the V8 of Node 22 and 24 (`node --v8-options`). */
export const V8_DEFAULT_TURBOFAN_INVOCATIONS = 3_000;

/** True if this V8 tiers up by an interrupt budget (before V8 12, i.e. Node 20). */
export const HAS_INTERRUPT_BUDGET = Number(process.versions.v8.split('.')[0]) < 12;

/** The V8 flag that sets `interruptBudget`'s policy in this V8. */
export function jitFlag(interruptBudget: number): string {
  return HAS_INTERRUPT_BUDGET
    ? `--interrupt-budget=${interruptBudget}`
    : `--invocation-count-for-turbofan=${Math.max(1, Math.round((V8_DEFAULT_TURBOFAN_INVOCATIONS * interruptBudget) / V8_DEFAULT_INTERRUPT_BUDGET))}`;
}

/**
 * The interrupt budget `jsii-ring synth` runs with (~4.4× V8's), chosen by `jsii-ring bench
 * jit` (benchmarks/RESULTS.md, "JIT policy").
 */
export const KERNEL_INTERRUPT_BUDGET = 300_000;

/** What `applyJitPolicy` did. */
export interface JitPolicy {
  /** The interrupt budget in force (bytecode bytes between tier-up checks). */
  readonly interruptBudget: number;
  /**
   * `applied`: set now; `command line`: node was started with `--interrupt-budget`, left
   * alone; `v8`: V8's own budget was asked for and nothing had changed it, so no flag was set.
   */
  readonly source: 'applied' | 'command line' | 'v8';
}

/** Whether `applyJitPolicy` has set the flag in this process. */
let flagSet = false;

/**
 * Sets V8's interrupt budget for the whole process (every thread, the kernel worker
 * included; call it before starting a kernel). A budget given on node's command line
 * (`node --interrupt-budget=N`, seen in `process.execArgv`) wins and is left as it is.
 */
export function applyJitPolicy(interruptBudget: number = KERNEL_INTERRUPT_BUDGET): JitPolicy {
  if (!Number.isSafeInteger(interruptBudget) || interruptBudget < 1) {
    throw new RangeError(`interruptBudget must be a positive integer (got ${String(interruptBudget)})`);
  }
  const fromCommandLine = commandLineBudget(process.execArgv);
  if (fromCommandLine !== undefined) {
    return { interruptBudget: fromCommandLine, source: 'command line' };
  }
  // Setting any V8 flag, even to its default value, makes Node's built-in modules compile
  // without their embedded code cache in every thread that loads them afterwards (a worker's
  // bootstrap among them; benchmarks/RESULTS.md, "Tried this landing, not kept"): V8's own
  // budget, never changed in this process, is left as it is.
  if (interruptBudget === V8_DEFAULT_INTERRUPT_BUDGET && !flagSet) {
    return { interruptBudget, source: 'v8' };
  }
  v8.setFlagsFromString(jitFlag(interruptBudget));
  flagSet = true;
  return { interruptBudget, source: 'applied' };
}

/**
 * The budget node was started with, if any (the last one counts, as in V8): its
 * `--interrupt-budget`, or the budget of its `--invocation-count-for-turbofan`.
 */
export function commandLineBudget(execArgv: readonly string[]): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const match = /^--(interrupt[-_]budget|invocation[-_]count[-_]for[-_]turbofan)(?:=(.*))?$/.exec(arg);
    if (match === null) continue;
    const value = Number(match[2] ?? execArgv[i + 1]);
    if (!Number.isFinite(value)) continue;
    found = match[1]!.startsWith('interrupt') ? value : Math.round((value * V8_DEFAULT_INTERRUPT_BUDGET) / V8_DEFAULT_TURBOFAN_INVOCATIONS);
  }
  return found;
}
