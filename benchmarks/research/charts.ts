/**
 * Every chart of the bench drawn again from its results file, measuring nothing
 * (`jsii-ring bench charts [--out DIR]`): the committed charts are exactly what their
 * results files say, and a test checks that they still are.
 *
 *   results/sweep.json      → charts/sweep.svg         (sweep.ts `sweepChart`)
 *   results/bench-micro.json → charts/round-trip.svg   (micro.ts `roundTripChart`)
 *   results/cdk.json        → charts/time-by-mode.svg  (compare-modes.ts `timeByModeChart`)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS_DIR } from '../results.js';
import { timeByModeChart } from '../cdk/compare-modes.js';
import type { ModeFigures } from '../cdk/compare-modes.js';
import { APP_MODES } from './app-run.js';
import type { AppMode } from './app-run.js';
import { roundTripChart } from './micro.js';
import type { RoundTripCase } from './micro.js';
import { CHARTS_DIR, writeChart } from './output.js';
import { SWEEP_CAPS, capKey, sweepChart } from './sweep.js';
import type { SweepPoint } from './sweep.js';

/** A chart and the results file it is drawn from. */
export interface ChartSource {
  readonly chart: string;
  readonly results: string;
  /** The SVG text for the parsed results file. */
  readonly draw: (results: unknown) => string;
}

/** A cap from a results key ('unlimited' → Infinity). */
function capOf(key: string): number {
  return key === 'unlimited' ? Infinity : Number(key);
}

interface SweepJson {
  readonly caps?: readonly string[];
  readonly scale?: number;
  readonly subject?: string;
  readonly repeats: number;
  readonly points: Record<string, Record<string, SweepPoint>>;
}

interface MicroJson {
  readonly roundTrip: Record<string, RoundTripCase[]>;
  readonly environment?: { readonly loadAverageBefore?: readonly number[] };
}

interface CdkJson {
  readonly scale?: number;
  readonly subject?: string;
  readonly modeList?: readonly AppMode[];
  readonly modes: Record<string, ModeFigures>;
}

/** The bench's charts and how each is drawn from its results file. */
export const CHART_SOURCES: readonly ChartSource[] = [
  {
    chart: 'sweep.svg',
    results: 'sweep.json',
    draw: (json) => {
      const r = json as SweepJson;
      const caps = r.caps?.map(capOf) ?? SWEEP_CAPS;
      const points = new Map(Object.entries(r.points).map(([hw, byCap]) => [Number(hw), new Map(caps.filter((c) => byCap[capKey(c)] !== undefined).map((c) => [c, byCap[capKey(c)] as SweepPoint]))]));
      return sweepChart(points, caps, r.subject ?? `the example app (scale ${r.scale ?? 1})`, r.repeats);
    },
  },
  {
    chart: 'round-trip.svg',
    results: 'bench-micro.json',
    draw: (json) => {
      const r = json as MicroJson;
      return roundTripChart(r.roundTrip, Object.keys(r.roundTrip), r.environment?.loadAverageBefore?.[0]);
    },
  },
  {
    chart: 'time-by-mode.svg',
    results: 'cdk.json',
    draw: (json) => {
      const r = json as CdkJson;
      const modes = r.modeList ?? APP_MODES.filter((m) => r.modes[`${m}:off`] !== undefined);
      return timeByModeChart(new Map(Object.entries(r.modes)), { subject: r.subject ?? `example app, scale ${r.scale ?? 1}`, modes });
    },
  },
];

/**
 * Draws every chart whose results file exists in `out` (default: the committed results)
 * into `out/charts` (default: benchmarks/charts); returns the files written.
 */
export function redrawCharts({ out }: { readonly out?: string } = {}): string[] {
  const resultsDir = out !== undefined ? path.resolve(out) : RESULTS_DIR;
  const chartsDir = out !== undefined ? path.join(resultsDir, 'charts') : CHARTS_DIR;
  const written: string[] = [];
  for (const source of CHART_SOURCES) {
    const file = path.join(resultsDir, source.results);
    if (!fs.existsSync(file)) continue;
    written.push(writeChart(chartsDir, source.chart, source.draw(JSON.parse(fs.readFileSync(file, 'utf8')))));
  }
  return written;
}
