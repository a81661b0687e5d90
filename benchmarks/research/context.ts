/** What every suite of `jsii-ring bench` receives, and what it hands back. */

/** The settings of one bench invocation. */
export interface BenchContext {
  /** The CI smoke settings: small app, one repeat, short micro runs. */
  readonly quick: boolean;
  /** Folder of the results JSON files. */
  readonly resultsDir: string;
  /** Folder of the SVG charts. */
  readonly chartsDir: string;
  /** The Markdown file whose bench sections are updated, or undefined to leave it alone. */
  readonly resultsMd: string | undefined;
  /** Example app scale (1 = 2,196 resources). */
  readonly scale: number;
  /** Measured rounds of every macro variant. */
  readonly repeats: number;
  /** Calls per synthetic run. */
  readonly syntheticCalls: number;
  /** Pending caps of the sweep (Infinity = unlimited). */
  readonly caps: readonly number[];
  /** Host work settings (µs per call) of the pending-cap sweep. */
  readonly sweepHostWork: readonly number[];
  /** Host work settings (µs per call) of the overlap suite; 'equal' is added by the suite. */
  readonly hostWork: readonly number[];
  /** Seconds per benchmark.js case. */
  readonly microSeconds: number;
  /** No progress on stderr. */
  readonly silent: boolean;
  /** The command line that reproduces the run (recorded in results). */
  readonly command: string;
}

/** What a suite produced. */
export interface SuiteReport {
  /** Section id in RESULTS.md. */
  readonly id: string;
  /** The section's Markdown. */
  readonly markdown: string;
  /** Files written (results and charts). */
  readonly files: readonly string[];
}

/** A suite of the bench. */
export type Suite = (ctx: BenchContext) => Promise<SuiteReport>;
