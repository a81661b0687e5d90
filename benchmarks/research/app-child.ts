/**
 * Child entry: one run of the example app in a fresh process (see child.ts).
 *
 *   node dist/benchmarks/research/app-child.js '<AppRunOptions JSON>' <result file>
 *
 * The process runs under `jsii-ring synth`'s JIT policy (lib/host/jit-policy.ts) unless the
 * options name another interrupt budget.
 */
import { setFlagsFromString } from 'node:v8';
import { applyJitPolicy, KERNEL_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';
import { runAppOnce } from './app-run.js';
import type { AppRunOptions } from './app-run.js';
import { childMain } from './child.js';

/** JSON has no Infinity: the parent sends an unlimited cap as null. */
type WireOptions = Omit<AppRunOptions, 'pendingCap'> & { readonly pendingCap?: number | null };

childMain<WireOptions, unknown>(async (config) => {
  // Every mode runs under the JIT policy `jsii-ring synth` uses, unless the suite varies it.
  applyJitPolicy(config.interruptBudget ?? KERNEL_INTERRUPT_BUDGET);
  // A gc to call (this thread's and, set before the kernel starts, the worker's) for the
  // heap figures taken after the timed phases. Like any V8 flag it also costs Node's built-in
  // modules their code cache in the threads that load them afterwards: this thread in every
  // mode, and in the ring modes the kernel worker's bootstrap as well (as under `jsii-ring
  // synth`, whose JIT policy sets a flag too).
  setFlagsFromString('--expose-gc');
  const { pendingCap, ...rest } = config;
  return runAppOnce({ ...rest, ...(pendingCap === null ? { pendingCap: Infinity } : pendingCap !== undefined ? { pendingCap } : {}) });
});
