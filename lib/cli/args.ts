/** Command-line parsing shared by the commands: `node:util` parseArgs with usage errors. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { ErrorCode, JsiiRingError } from '../errors.js';

/** A command-line mistake: printed without a stack, exit code 2. */
export class UsageError extends JsiiRingError {
  public readonly help: string | undefined;

  public constructor(message: string, help?: string) {
    super(ErrorCode.USAGE, message);
    this.name = 'UsageError';
    this.help = help;
  }
}

/** Parses `argv` with the given options; unknown flags become a UsageError carrying `help`. */
export function parseCommandLine(argv: string[], options: NonNullable<ParseArgsConfig['options']>, help: string): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    // node's "argument is ambiguous" for `--pending-cap -1`: say what to write instead.
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(message);
    throw new UsageError(ambiguous !== null ? `${ambiguous[1]} needs a value; for one that starts with '-', write ${ambiguous[1]}=<value>` : message, help);
  }
}

/** Reads a non-negative integer flag; with `unlimited` (the default) also `Infinity`/`unlimited`. */
export function integerFlag(value: string | boolean | undefined, name: string, help: string, { unlimited = true } = {}): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (unlimited && (value === 'Infinity' || value === 'unlimited')) {
    return Infinity;
  }
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`--${name} must be a non-negative integer${unlimited ? " or 'unlimited'" : ''} (got ${JSON.stringify(value)})`, help);
  }
  return n;
}
