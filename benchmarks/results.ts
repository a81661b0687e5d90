/** Shared helpers of the benchmarks: medians and the results folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** benchmarks/results in the source tree (benchmarks run from dist/benchmarks). */
export const RESULTS_DIR = path.resolve(__dirname, '..', '..', 'benchmarks', 'results');

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Merges `value` into results/<file> (top-level keys replaced), creating it if needed. */
export function mergeResults(file: string, value: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const target = path.join(RESULTS_DIR, file);
  let existing: Record<string, unknown> = {};
  if (fs.existsSync(target)) {
    existing = JSON.parse(fs.readFileSync(target, 'utf8')) as Record<string, unknown>;
  }
  const merged = { ...existing, ...value, updated: new Date().toISOString() };
  fs.writeFileSync(target, `${JSON.stringify(merged, null, 2)}\n`);
  return target;
}
