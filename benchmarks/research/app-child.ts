/**
 * Child entry: one run of the example app in a fresh process (see child.ts).
 *
 *   node dist/benchmarks/research/app-child.js '<AppRunOptions JSON>' <result file>
 */
import { runAppOnce } from './app-run.js';
import type { AppRunOptions } from './app-run.js';
import { childMain } from './child.js';

/** JSON has no Infinity: the parent sends an unlimited cap as null. */
type WireOptions = Omit<AppRunOptions, 'pendingCap'> & { readonly pendingCap?: number | null };

childMain<WireOptions, unknown>(async (config) => {
  const { pendingCap, ...rest } = config;
  return runAppOnce({ ...rest, ...(pendingCap === null ? { pendingCap: Infinity } : pendingCap !== undefined ? { pendingCap } : {}) });
});
