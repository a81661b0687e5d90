/** The benchmarks' own error: a run that failed or produced what the harness cannot use. */

/** Stable code of {@link BenchmarkError}. */
export const BENCHMARK_FAILED = 'ERR_BENCHMARK_FAILED';

/** A benchmark run failed (a child exited non-zero, outputs differ where they must not, ...). */
export class BenchmarkError extends Error {
  public readonly code = BENCHMARK_FAILED;

  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchmarkError';
  }
}
