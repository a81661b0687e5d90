/**
 * The macro-benchmark harness: variants run in interleaved rounds (the order alternates
 * every round, so drift in the machine's load hits every variant alike), warm-ups that are
 * not kept, medians with min–max, and progress on stderr.
 */
import * as fs from 'node:fs';
import { median } from '../results.js';

/** Median and spread of repeated measurements. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** Summarizes a non-empty list of measurements. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    throw new RangeError('summarize needs at least one value');
  }
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Rounds to `digits` decimals (results files keep figures readable). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A summary with its figures rounded to `digits` decimals. */
export function roundSummary(s: Summary, digits = 1): Summary {
  return { median: round(s.median, digits), min: round(s.min, digits), max: round(s.max, digits), n: s.n };
}

/** Progress lines on stderr: `[suite] 3/40 label`. Quiet when `silent`. */
export class Progress {
  readonly #suite: string;
  readonly #total: number;
  readonly #silent: boolean;
  readonly #started = Date.now();
  #done = 0;

  public constructor(suite: string, total: number, silent = false) {
    this.#suite = suite;
    this.#total = total;
    this.#silent = silent;
  }

  /** Reports that one more step starts. */
  public step(label: string): void {
    this.#done++;
    if (this.#silent) return;
    const elapsed = (Date.now() - this.#started) / 1000;
    const eta = this.#done > 1 ? ` (about ${Math.round((elapsed / (this.#done - 1)) * (this.#total - this.#done + 1))} s left)` : '';
    process.stderr.write(`[${this.#suite}] ${this.#done}/${this.#total} ${label}${eta}\n`);
  }

  /** A free-form note. */
  public note(text: string): void {
    if (!this.#silent) process.stderr.write(`[${this.#suite}] ${text}\n`);
  }
}

/** One thing to measure: a key and a function that performs one measured run. */
export interface Variant<T> {
  readonly key: string;
  readonly run: () => Promise<T>;
}

/** Options of {@link interleave}. */
export interface InterleaveOptions {
  /** Measured rounds. */
  readonly repeats: number;
  /** Unkept rounds first (each variant once per warm-up round). @default 0 */
  readonly warmups?: number;
  readonly progress?: Progress;
  /**
   * When given, a run that fails because a kernel did not start (see {@link isStartFailure})
   * is run again once, and a line saying so is added here (suites record these lines in
   * their results). Nothing else is retried.
   */
  readonly retries?: string[];
}

/** True for the error of a kernel worker or child process that did not start in time. */
export function isStartFailure(error: unknown): boolean {
  return error instanceof Error && /did not start within/.test(error.message);
}

/**
 * Runs every variant once per round, alternating the order between rounds (forward, then
 * backward), and returns each variant's measured results in round order.
 */
export async function interleave<T>(variants: readonly Variant<T>[], options: InterleaveOptions): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(variants.map((v) => [v.key, []]));
  const warmups = options.warmups ?? 0;
  for (let round = 0; round < warmups + options.repeats; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const label = round < warmups ? `warm-up ${variant.key}` : `${variant.key} (round ${round - warmups + 1}/${options.repeats})`;
      options.progress?.step(label);
      let result: T;
      try {
        result = await variant.run();
      } catch (error) {
        if (options.retries === undefined || !isStartFailure(error)) throw error;
        const line = `${label}: ${(error as Error).message.split('\n')[0] ?? ''}; run again`;
        options.retries.push(line);
        options.progress?.note(line);
        result = await variant.run();
      }
      if (round >= warmups) (results.get(variant.key) as T[]).push(result);
    }
  }
  return results;
}

/** Steps {@link interleave} will report for these variants (for a Progress total). */
export function interleaveSteps(variants: number, options: InterleaveOptions): number {
  return variants * (options.repeats + (options.warmups ?? 0));
}

/**
 * A suite's usual measurement: its variants interleaved, by default with one unkept
 * warm-up round (none when quick), progress under the suite's name, a start failure
 * retried once and noted; `scratch` (the runs' output folder) is removed afterwards,
 * whatever happened.
 */
export async function runSuiteVariants<T>(
  suite: string,
  variants: readonly Variant<T>[],
  ctx: { readonly repeats: number; readonly quick: boolean; readonly silent?: boolean },
  { scratch, warmups = ctx.quick ? 0 : 1 }: { readonly scratch?: string; readonly warmups?: number } = {},
): Promise<{ runs: Map<string, T[]>; retries: string[] }> {
  const retries: string[] = [];
  const options = { repeats: ctx.repeats, warmups, retries };
  const progress = new Progress(suite, interleaveSteps(variants.length, options), ctx.silent === true);
  try {
    return { runs: await interleave(variants, { ...options, progress }), retries };
  } finally {
    if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Markdown lines (with a blank line after) saying which runs were repeated, or none. */
export function retryNote(retries: readonly string[]): string[] {
  return retries.length === 0 ? [] : [`${retries.length} run(s) were repeated because a kernel did not start in time (listed under \`retries\` in the results file).`, ''];
}
