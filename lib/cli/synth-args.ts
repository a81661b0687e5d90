/**
 * The command line of `jsii-ring synth`, apart from the command itself so that `main.ts` can
 * read it before loading the command's modules (to start the kernel worker early, see
 * prelaunch.ts).
 */
import type { ParseArgsConfig } from 'node:util';
import { KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../host/jit-policy.js';
import { UsageError } from './args.js';

/** The flags of `jsii-ring synth` (`--help` and `--verbose` are added by parseCommandLine). */
export const SYNTH_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  mode: { type: 'string' },
  'pending-cap': { type: 'string' },
  transport: { type: 'string' },
  codec: { type: 'string' },
  spin: { type: 'string' },
  'interrupt-budget': { type: 'string' },
  outdir: { type: 'string' },
  output: { type: 'string', short: 'o' },
  context: { type: 'string', short: 'c', multiple: true },
  app: { type: 'string' },
  trace: { type: 'string' },
  timeline: { type: 'string' },
  compare: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  exclusively: { type: 'boolean', short: 'e' },
};

/** `--interrupt-budget`: a positive integer, or 'v8' for V8's own; absent: the kernel's policy. */
export function budgetFlag(value: string | boolean | undefined, help: string): number {
  if (value === undefined) return KERNEL_INTERRUPT_BUDGET;
  if (value === 'v8') return V8_DEFAULT_INTERRUPT_BUDGET;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--interrupt-budget must be a positive integer or 'v8' (got ${JSON.stringify(value)})`, help);
  }
  return n;
}
