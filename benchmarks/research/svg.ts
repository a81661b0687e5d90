/**
 * Hand-written SVG charts for the bench: a line chart, a stacked bar chart and a grouped
 * bar chart. Every series is a `<g class="series" data-series="name">` whose marks carry
 * `data-x` (category) and `data-value` (the number plotted), so a test (or a reader's
 * script) can find the series and their values without guessing from coordinates.
 */

/** A series of a chart: one value per category (null: no point). */
export interface Series {
  readonly name: string;
  readonly values: readonly (number | null)[];
  /**
   * The spread of each value (e.g. min–max over repeats), drawn as an error bar: a
   * `<line class="spread">` carrying `data-x`, `data-min` and `data-max`. Line charts only.
   */
  readonly spread?: readonly (readonly [number, number] | null)[];
  /** Its colour (#rrggbb). @default the palette's next */
  readonly colour?: string;
}

/** A category marked on the chart (a dashed vertical line and a label), e.g. a default setting. */
export interface CategoryMarker {
  /** The category it marks (one of `categories`). */
  readonly category: string;
  readonly label: string;
}

/** What every chart needs. */
export interface ChartSpec {
  /** Short id, written as `data-chart`. */
  readonly id: string;
  readonly title: string;
  /** Category labels along the x axis. */
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Logarithmic value axis (values must be > 0). @default false */
  readonly logScale?: boolean;
  /** Categories to mark, each as a `<g class="marker" data-x="…">`. */
  readonly markers?: readonly CategoryMarker[];
  /** A line under the title (what the marks are: medians, spread, …). */
  readonly subtitle?: string;
}

const WIDTH = 800;
const HEIGHT = 420;
const MARGIN = { left: 78, right: 230, top: 48, bottom: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Colour-blind-safe palette (Okabe–Ito). */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A value axis: maps values to y pixels and lists tick values. */
interface Axis {
  readonly y: (value: number) => number;
  readonly ticks: readonly number[];
}

function linearAxis(max: number): Axis {
  const top = max > 0 ? niceCeil(max) : 1;
  const step = top / 5;
  return { y: (v) => MARGIN.top + PLOT_H * (1 - v / top), ticks: [0, 1, 2, 3, 4, 5].map((i) => i * step) };
}

function logAxis(min: number, max: number): Axis {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, 1e-9))));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
  return { y: (v) => MARGIN.top + PLOT_H * (1 - (Math.log10(Math.max(v, 1e-9)) - lo) / (hi - lo)), ticks };
}

/** 1, 2 or 5 times a power of ten, at least `value`. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1000) return `${Math.round(value / 100) / 10}k`.replace('.0k', 'k');
  return Number(value.toPrecision(3)).toString();
}

function frame(spec: ChartSpec, axis: Axis, body: string[], legend: readonly { name: string; colour: string }[]): string {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" data-chart="${escapeXml(spec.id)}" font-family="sans-serif" font-size="12">`);
  out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${WIDTH / 2}" y="${spec.subtitle === undefined ? 24 : 20}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`);
  if (spec.subtitle !== undefined) out.push(`<text x="${WIDTH / 2}" y="37" text-anchor="middle" font-size="11" fill="#444444">${escapeXml(spec.subtitle)}</text>`);
  out.push('<g class="axis">');
  for (const tick of axis.ticks) {
    const y = axis.y(tick).toFixed(1);
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${y}" y2="${y}" stroke="#dddddd"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(tick))}</text>`);
  }
  out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}" stroke="#333333"/>`);
  out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H}" stroke="#333333"/>`);
  spec.categories.forEach((category, i) => {
    out.push(`<text x="${categoryX(spec, i).toFixed(1)}" y="${MARGIN.top + PLOT_H + 18}" text-anchor="middle">${escapeXml(category)}</text>`);
  });
  out.push(`<text x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 16}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  out.push(`<text x="18" y="${MARGIN.top + PLOT_H / 2}" text-anchor="middle" transform="rotate(-90 18 ${MARGIN.top + PLOT_H / 2})">${escapeXml(spec.yLabel)}</text>`);
  out.push('</g>');
  for (const marker of spec.markers ?? []) {
    const index = spec.categories.indexOf(marker.category);
    if (index < 0) throw new RangeError(`marker for '${marker.category}', which is not a category of chart ${spec.id}`);
    const x = categoryX(spec, index).toFixed(1);
    out.push(`<g class="marker" data-x="${escapeXml(marker.category)}">`);
    out.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}" stroke="#555555" stroke-dasharray="5,4"/>`);
    out.push(`<text x="${(Number(x) + 4).toFixed(1)}" y="${MARGIN.top + 12}" text-anchor="start" font-size="11" fill="#333333">${escapeXml(marker.label)}</text>`);
    out.push('</g>');
  }
  out.push(...body);
  out.push('<g class="legend">');
  legend.forEach((entry, i) => {
    const y = MARGIN.top + 8 + i * 20;
    const x = MARGIN.left + PLOT_W + 16;
    out.push(`<rect x="${x}" y="${y - 6}" width="12" height="12" fill="${entry.colour}"/>`);
    out.push(`<text x="${x + 18}" y="${y}" dominant-baseline="middle">${escapeXml(entry.name)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function categoryX(spec: ChartSpec, index: number): number {
  return MARGIN.left + (PLOT_W * (index + 0.5)) / Math.max(1, spec.categories.length);
}

function axisFor(spec: ChartSpec, values: readonly number[]): Axis {
  if (spec.logScale === true) {
    const positive = values.filter((v) => v > 0);
    return logAxis(Math.min(...positive, 1), Math.max(...positive, 1));
  }
  return linearAxis(Math.max(0, ...values));
}

function legendOf(spec: ChartSpec): { name: string; colour: string }[] {
  return spec.series.map((s, i) => ({ name: s.name, colour: s.colour ?? (COLOURS[i % COLOURS.length] as string) }));
}

function dataAttrs(spec: ChartSpec, index: number, value: number): string {
  return `data-x="${escapeXml(spec.categories[index] ?? '')}" data-value="${Number(value.toPrecision(6))}"`;
}

/** One line (with point marks) per series over the categories. */
export function lineChart(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => [
    ...s.values.filter((v): v is number => v !== null),
    ...(s.spread ?? []).flatMap((r) => (r === null ? [] : [...r])),
  ]);
  const axis = axisFor(spec, all);
  const legend = legendOf(spec);
  const body: string[] = [];
  spec.series.forEach((series, si) => {
    const colour = legend[si]?.colour ?? '#000000';
    body.push(`<g class="series" data-series="${escapeXml(series.name)}">`);
    const points = series.values.map((v, i) => (v === null ? null : ([categoryX(spec, i), axis.y(v)] as const)));
    const d = points
      .map((p, i) => (p === null ? '' : `${i === 0 || points[i - 1] === null ? 'M' : 'L'}${p[0].toFixed(1)},${p[1].toFixed(1)}`))
      .filter((s) => s !== '')
      .join(' ');
    if (d !== '') body.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    series.spread?.forEach((range, i) => {
      if (range === null || series.values[i] === null || series.values[i] === undefined) return;
      // Bars of a series are offset a little sideways, so two series' bars do not overlap.
      const x = categoryX(spec, i) + (si - (spec.series.length - 1) / 2) * 6;
      const [lo, hi] = range;
      const y0 = axis.y(lo).toFixed(1);
      const y1 = axis.y(hi).toFixed(1);
      body.push(`<line class="spread" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${y0}" y2="${y1}" stroke="${colour}" stroke-width="1.5" data-x="${escapeXml(spec.categories[i] ?? '')}" data-min="${Number(lo.toPrecision(6))}" data-max="${Number(hi.toPrecision(6))}"/>`);
      for (const y of [y0, y1]) body.push(`<line x1="${(x - 4).toFixed(1)}" x2="${(x + 4).toFixed(1)}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="1.5"/>`);
    });
    series.values.forEach((v, i) => {
      const p = points[i];
      if (v === null || p === null || p === undefined) return;
      body.push(`<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3.5" fill="${colour}" ${dataAttrs(spec, i, v)}><title>${escapeXml(`${series.name}, ${spec.categories[i] ?? ''}: ${formatTick(v)}`)}</title></circle>`);
    });
    body.push('</g>');
  });
  return frame(spec, axis, body, legend);
}

/** One bar per category, each series a segment stacked on the previous ones. */
export function stackedBarChart(spec: ChartSpec): string {
  const totals = spec.categories.map((_, i) => spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const axis = linearAxis(Math.max(0, ...totals));
  const legend = legendOf(spec);
  const barW = (PLOT_W / Math.max(1, spec.categories.length)) * 0.6;
  const base = spec.categories.map(() => 0);
  const body: string[] = [];
  spec.series.forEach((series, si) => {
    body.push(`<g class="series" data-series="${escapeXml(series.name)}">`);
    series.values.forEach((v, i) => {
      if (v === null) return;
      const below = base[i] ?? 0;
      const y1 = axis.y(below + v);
      const y0 = axis.y(below);
      base[i] = below + v;
      body.push(`<rect x="${(categoryX(spec, i) - barW / 2).toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0, y0 - y1).toFixed(1)}" fill="${legend[si]?.colour ?? '#000000'}" ${dataAttrs(spec, i, v)}><title>${escapeXml(`${series.name}, ${spec.categories[i] ?? ''}: ${formatTick(v)}`)}</title></rect>`);
    });
    body.push('</g>');
  });
  return frame(spec, axis, body, legend);
}

/** Bars side by side: one group per category, one bar per series. */
export function groupedBarChart(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => [
    ...s.values.filter((v): v is number => v !== null),
    ...(s.spread ?? []).flatMap((r) => (r === null ? [] : [...r])),
  ]);
  const axis = axisFor(spec, all);
  const legend = legendOf(spec);
  const groupW = (PLOT_W / Math.max(1, spec.categories.length)) * 0.8;
  const barW = groupW / Math.max(1, spec.series.length);
  const floor = MARGIN.top + PLOT_H;
  const body: string[] = [];
  spec.series.forEach((series, si) => {
    body.push(`<g class="series" data-series="${escapeXml(series.name)}">`);
    series.values.forEach((v, i) => {
      if (v === null) return;
      const x = categoryX(spec, i) - groupW / 2 + si * barW;
      const y = Math.min(floor, axis.y(v));
      body.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW * 0.9).toFixed(1)}" height="${(floor - y).toFixed(1)}" fill="${legend[si]?.colour ?? '#000000'}" ${dataAttrs(spec, i, v)}><title>${escapeXml(`${series.name}, ${spec.categories[i] ?? ''}: ${formatTick(v)}`)}</title></rect>`);
      const range = series.spread?.[i];
      if (range !== null && range !== undefined) {
        const cx = x + (barW * 0.9) / 2;
        const [lo, hi] = range;
        const y0 = Math.min(floor, axis.y(lo)).toFixed(1);
        const y1 = Math.min(floor, axis.y(hi)).toFixed(1);
        body.push(`<line class="spread" x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y0}" y2="${y1}" stroke="#222222" stroke-width="1.2" data-x="${escapeXml(spec.categories[i] ?? '')}" data-min="${Number(lo.toPrecision(6))}" data-max="${Number(hi.toPrecision(6))}"/>`);
      }
    });
    body.push('</g>');
  });
  return frame(spec, axis, body, legend);
}
