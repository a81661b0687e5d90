/**
 * The committed charts (benchmarks/charts/*.svg) against their results files
 * (benchmarks/results/*.json): each chart is exactly what `jsii-ring bench charts` draws
 * from its file, every plotted value is the figure the file holds, every mark sits where
 * the axis puts its value, and, rendered to PNG, every bar's height and every point read
 * back from the pixels give the same values. A chart that disagrees with its data, or
 * renders empty, fails here; the same checks are shown to fail on doctored charts.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_PENDING_CAP } from '../../lib/host/options.js';
import { CHART_SOURCES } from '../../benchmarks/research/charts.js';
import { PART_LABELS } from '../../benchmarks/cdk/compare-modes.js';
import { checkGeometry, checkPixels, readChart, render } from './chart-check.js';
import type { Chart } from './chart-check.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHARTS = path.join(ROOT, 'benchmarks', 'charts');
const RESULTS = path.join(ROOT, 'benchmarks', 'results');
const PNG_OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-charts-'));

const svgOf = (file: string): string => fs.readFileSync(path.join(CHARTS, file), 'utf8');
const jsonOf = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(RESULTS, file), 'utf8')) as T;

/** The values a chart plots, by series then category. */
function plotted(chart: Chart): Map<string, Map<string, number>> {
  return new Map([...chart.series].map(([name, marks]) => [name, new Map(marks.map((m) => [m.x, m.value]))]));
}

/** `a` equals `b` to the precision the chart writes values with (6 significant digits). */
function near(a: number | undefined, b: number, digits = 6): boolean {
  return a !== undefined && Math.abs(a - b) <= Math.abs(b) * 10 ** -(digits - 1) + 1e-9;
}

for (const source of CHART_SOURCES) {
  test(`${source.chart} is what its results file ${source.results} draws`, (t) => {
    t.is(svgOf(source.chart), source.draw(jsonOf(source.results)), `run 'jsii-ring bench charts' after changing ${source.results} or the chart code`);
  });

  test(`${source.chart}: marks where the axis puts their values; rendered to PNG, the pixels read back the same values`, (t) => {
    const svg = svgOf(source.chart);
    const chart = readChart(svg);
    t.notThrows(() => checkGeometry(chart));
    const raster = render(svg);
    fs.writeFileSync(path.join(PNG_OUT, source.chart.replace('.svg', '.png')), raster.png);
    t.deepEqual([...raster.png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const read = checkPixels(chart, raster);
    // Every series has marks, and not every one of them is zero: no empty series.
    for (const [name, marks] of chart.series) {
      t.true(marks.length > 0 && marks.some((m) => m.value !== 0), `series '${name}' is empty`);
    }
    // Values read from the pixels agree with the marks' values to the pixel.
    for (const [name, marks] of chart.series) {
      for (const m of marks) {
        const back = read.get(`${name}|${m.x}`);
        if (back === undefined) continue; // a segment too thin to measure
        const pixel = Math.abs(chart.axis.toValue(chart.axis.toY(m.value) - 1) - m.value);
        t.true(Math.abs(back - m.value) <= 1.5 * pixel + 1e-9, `${name} at ${m.x}: read ${back} from the pixels, plotted ${m.value}`);
      }
    }
    t.true(read.size >= [...chart.series.values()].flat().length / 2, 'most marks were read back from the pixels');
  });
}

interface SweepJson { readonly caps?: string[]; readonly points: Record<string, Record<string, { median: number; min: number; max: number }>> }

test('sweep.svg plots sweep.json: a line per host-work setting, medians, min–max spread, the default cap marked', (t) => {
  const json = jsonOf<SweepJson>('sweep.json');
  const chart = readChart(svgOf('sweep.svg'));
  const caps = json.caps ?? ['0', '1', '2', '4', '8', '16', '32', '64', '128', '256', '1024', 'unlimited'];
  const label = (c: string): string => (c === 'unlimited' ? '∞' : c);
  t.deepEqual(chart.categories, caps.map(label));
  t.deepEqual([...chart.series.keys()], Object.keys(json.points).map((hw) => `host work ${hw} µs/call`));
  for (const [hw, byCap] of Object.entries(json.points)) {
    const values = plotted(chart).get(`host work ${hw} µs/call`);
    for (const cap of caps) {
      const point = byCap[cap];
      if (point === undefined) continue;
      t.true(near(values?.get(label(cap)), point.median), `host work ${hw}, cap ${cap}`);
      const spread = chart.spreads.find((s) => s.series === `host work ${hw} µs/call` && s.x === label(cap));
      t.deepEqual([spread?.min, spread?.max], [point.min, point.max], `spread of host work ${hw}, cap ${cap}`);
    }
  }
  t.deepEqual([...chart.markers.keys()], [String(DEFAULT_PENDING_CAP)]);
});

interface MicroJson { readonly roundTrip: Record<string, { name: string; usPerOp: number; minUs?: number; maxUs?: number }[]> }

test('round-trip.svg plots bench-micro.json: a bar per transport and api, the median of the rounds', (t) => {
  const json = jsonOf<MicroJson>('bench-micro.json');
  const chart = readChart(svgOf('round-trip.svg'));
  t.true(chart.axis.log);
  t.deepEqual([...chart.series.keys()], Object.keys(json.roundTrip));
  for (const [transport, cases] of Object.entries(json.roundTrip)) {
    for (const api of chart.categories) {
      const c = cases.find((x) => x.name === `${transport}: ${api}`);
      t.true(c !== undefined && near(plotted(chart).get(transport)?.get(api), c.usPerOp), `${transport} ${api}`);
      const spread = chart.spreads.find((s) => s.series === transport && s.x === api);
      t.deepEqual([spread?.min, spread?.max], [c?.minUs, c?.maxUs]);
    }
  }
});

interface CdkJson { readonly modes: Record<string, { buildMs: { median: number }; split?: Record<keyof typeof PART_LABELS, number> }> }

test('time-by-mode.svg plots cdk.json: a bar per mode as tall as its median build phase, ring modes split as measured', (t) => {
  const json = jsonOf<CdkJson>('cdk.json');
  const chart = readChart(svgOf('time-by-mode.svg'));
  t.is(chart.kind, 'stacked');
  const values = plotted(chart);
  for (const mode of chart.categories) {
    const figures = json.modes[`${mode}:off`];
    t.truthy(figures, mode);
    const total = [...values.values()].reduce((sum, byMode) => sum + (byMode.get(mode) ?? 0), 0);
    t.true(Math.abs(total - (figures?.buildMs.median ?? NaN)) <= 0.05 * values.size + 1e-9, `${mode}: parts add up to ${total}, build ${figures?.buildMs.median}`);
    const split = figures?.split;
    if (split === undefined) continue;
    for (const [part, label] of Object.entries(PART_LABELS) as [keyof typeof PART_LABELS, string][]) {
      const expected = Math.round(split[part] * (figures?.buildMs.median ?? 0) * 10) / 10;
      t.true(near(values.get(label)?.get(mode) ?? 0, expected, 3), `${mode}: ${label}`);
    }
  }
  // The overlap part is drawn only where it was measured, and then it is not zero everywhere.
  const both = values.get(PART_LABELS.both);
  if (both !== undefined) t.true([...both.values()].some((v) => v > 0));
  else t.true(Object.values(json.modes).every((m) => m.split === undefined));
});

test('the checks fail on a doctored chart: a point moved, a bar cut short in paint, a value that is not the data', (t) => {
  const sweep = svgOf('sweep.svg');
  // A point 20 px off its value.
  const moved = sweep.replace(/(<circle cx="[\d.]+" cy=")([\d.]+)/, (_m, head: string, cy: string) => `${head}${(Number(cy) - 20).toFixed(1)}`);
  t.throws(() => checkGeometry(readChart(moved)), { message: /point at y/ });
  // A bar whose drawn height is right but whose paint stops short (a white cover over its top half).
  const bars = svgOf('round-trip.svg');
  const first = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#0072B2"/.exec(bars);
  t.truthy(first);
  const [, x, y, w, h] = (first as RegExpExecArray).map(Number);
  const covered = bars.replace('</svg>', `<rect x="${x}" y="${y}" width="${w}" height="${((h as number) / 2).toFixed(1)}" fill="#ffffff"/>\n</svg>`);
  t.notThrows(() => checkGeometry(readChart(covered)));
  t.throws(() => checkPixels(readChart(covered), render(covered)), { message: /painted from y/ });
  // A chart whose marks carry other numbers than the results file: not what the file draws.
  const source = CHART_SOURCES.find((s) => s.chart === 'sweep.svg');
  const other = sweep.replace(/data-value="([\d.]+)"/, (_m, v: string) => `data-value="${Number(v) + 1}"`);
  t.not(other, source?.draw(jsonOf('sweep.json')));
  t.throws(() => checkGeometry(readChart(other)), { message: /point at y|does not hold the value/ });
  // The default cap unmarked.
  const unmarked = sweep.replace(/<g class="marker"[\s\S]*?<\/g>\n/, '');
  t.is(readChart(unmarked).markers.size, 0);
});
