/**
 * Child entry: one run of the user's program in a fresh process (see child.ts and
 * user-app.ts).
 *
 *   node dist/benchmarks/research/user-app-child.js '<UserAppRunOptions JSON>' <result file>
 *
 * The process runs under `jsii-ring synth`'s JIT policy (lib/host/jit-policy.ts), as every
 * bench child does, native runs included.
 */
import { applyJitPolicy, KERNEL_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';
import { childMain } from './child.js';
import { runUserAppOnce } from './user-app.js';
import type { UserAppRunOptions } from './user-app.js';

/** JSON has no Infinity: the parent sends an unlimited cap as null. */
export type UserAppWireOptions = Omit<UserAppRunOptions, 'pendingCap'> & { readonly pendingCap?: number | null };

childMain<UserAppWireOptions, unknown>(async (config) => {
  applyJitPolicy(KERNEL_INTERRUPT_BUDGET);
  const { pendingCap, ...rest } = config;
  try {
    return await runUserAppOnce({ ...rest, ...(pendingCap === null ? { pendingCap: Infinity } : pendingCap !== undefined ? { pendingCap } : {}) });
  } catch (error) {
    // The program's own failure (or not a CDK app): its message is the bench's error, one
    // line; the stack only with `jsii-ring bench --verbose`.
    if (process.env['JSII_RING_BENCH_VERBOSE'] === '1') process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    const code = (error as { code?: unknown } | null)?.code;
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return { failed: `${first}${typeof code === 'string' && code.startsWith('ERR_') ? ` [${code}]` : ''}` };
  }
});
