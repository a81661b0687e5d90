/**
 * Reads a bench chart back, the way a reader's eye does: the value axis from its tick
 * labels and their positions, each mark's plotted value from its geometry, and, after
 * rendering the SVG to PNG (resvg), each bar's height and each point from the pixels.
 * Every check throws an Error naming the mark, so a chart whose drawing disagrees with
 * the numbers it carries (or that renders empty) fails.
 */
import { Resvg } from '@resvg/resvg-js';
import { findAll, parseXml } from '../benchmarks/xml.js';
import type { XmlElement } from '../benchmarks/xml.js';

/** One mark of a series: a bar (rect) or a point (circle), with what it claims and where it is. */
export interface Mark {
  readonly series: string;
  readonly x: string;
  readonly value: number;
  readonly element: 'rect' | 'circle';
  readonly fill: string;
  /** rect: x, y, width, height; circle: cx, cy (width and height 0). */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A spread bar (min–max) of a point or bar. */
export interface Spread {
  readonly series: string;
  readonly x: string;
  readonly min: number;
  readonly max: number;
  readonly xPixel: number;
  readonly y1: number;
  readonly y2: number;
}

/** What a chart holds. */
export interface Chart {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly kind: 'line' | 'stacked' | 'grouped';
  /** The value axis read from the tick labels: value → y pixel, and back. */
  readonly axis: { readonly log: boolean; readonly toY: (v: number) => number; readonly toValue: (y: number) => number; readonly floor: number; readonly top: number };
  readonly categories: readonly string[];
  readonly series: ReadonlyMap<string, readonly Mark[]>;
  readonly spreads: readonly Spread[];
  /** Categories marked by a dashed line, with the line's x. */
  readonly markers: ReadonlyMap<string, number>;
}

const num = (e: XmlElement, name: string): number => {
  const v = Number(e.attributes[name]);
  if (!Number.isFinite(v)) throw new Error(`<${e.name}> has no numeric ${name}`);
  return v;
};

/** A tick label back to its number: 0, 0.5, 200, 1k, 1.5k. */
export function tickValue(label: string): number {
  const m = /^(-?[\d.]+)(k?)$/.exec(label.trim());
  if (m === null) throw new Error(`tick label '${label}' is not a number`);
  return Number(m[1]) * (m[2] === 'k' ? 1000 : 1);
}

/** Parses a chart and its value axis. */
export function readChart(svg: string): Chart {
  const root = parseXml(svg);
  if (root.name !== 'svg') throw new Error(`root is <${root.name}>`);
  const axisGroup = findAll(root, (e) => e.name === 'g' && e.attributes['class'] === 'axis')[0];
  if (axisGroup === undefined) throw new Error('no axis group');
  const ticks = axisGroup.children.filter((e) => e.name === 'text' && e.attributes['text-anchor'] === 'end').map((e) => ({ value: tickValue(e.text), y: num(e, 'y') }));
  if (ticks.length < 2) throw new Error('fewer than two ticks on the value axis');
  const categoryLabels = axisGroup.children.filter((e) => e.name === 'text' && e.attributes['text-anchor'] === 'middle' && e.attributes['transform'] === undefined);
  // The last middle-anchored text is the axis title; the rest are the categories.
  const categories = categoryLabels.slice(0, -1).map((e) => e.text);
  const positive = ticks.every((t) => t.value > 0);
  const ratios = ticks.slice(1).map((t, i) => t.value / (ticks[i] as { value: number }).value);
  const log = positive && ratios.every((r) => Math.abs(r - 10) < 1e-9);
  const f = (v: number): number => (log ? Math.log10(v) : v);
  const first = ticks[0] as { value: number; y: number };
  const last = ticks[ticks.length - 1] as { value: number; y: number };
  const slope = (last.y - first.y) / (f(last.value) - f(first.value));
  const toY = (v: number): number => first.y + slope * (f(Math.max(v, log ? 1e-12 : -Infinity)) - f(first.value));
  const toValue = (y: number): number => {
    const fv = f(first.value) + (y - first.y) / slope;
    return log ? 10 ** fv : fv;
  };
  for (const t of ticks) {
    if (Math.abs(toY(t.value) - t.y) > 0.15) throw new Error(`tick ${t.value} at y ${t.y} is off the axis through the first and last tick (expected ${toY(t.value).toFixed(1)})`);
  }
  const series = new Map<string, Mark[]>();
  let kind = 'grouped' as Chart['kind'];
  const spreads: Spread[] = [];
  for (const group of findAll(root, (e) => e.name === 'g' && e.attributes['class'] === 'series')) {
    const name = group.attributes['data-series'] ?? '';
    const marks = findAll(group, (e) => e.attributes['data-value'] !== undefined).map((e): Mark => {
      if (e.name === 'circle') {
        kind = 'line';
        return { series: name, x: e.attributes['data-x'] ?? '', value: num(e, 'data-value'), element: 'circle', fill: e.attributes['fill'] ?? '', left: num(e, 'cx'), top: num(e, 'cy'), width: 0, height: 0 };
      }
      if (e.name !== 'rect') throw new Error(`a <${e.name}> carries data-value`);
      return { series: name, x: e.attributes['data-x'] ?? '', value: num(e, 'data-value'), element: 'rect', fill: e.attributes['fill'] ?? '', left: num(e, 'x'), top: num(e, 'y'), width: num(e, 'width'), height: num(e, 'height') };
    });
    series.set(name, marks);
    for (const e of findAll(group, (x) => x.attributes['class'] === 'spread')) {
      spreads.push({ series: name, x: e.attributes['data-x'] ?? '', min: num(e, 'data-min'), max: num(e, 'data-max'), xPixel: num(e, 'x1'), y1: num(e, 'y1'), y2: num(e, 'y2') });
    }
  }
  if (kind !== 'line') {
    // Stacked bars of one category share their x; grouped bars do not.
    const lefts = [...series.values()].flat().map((m) => `${m.x}@${m.left}`);
    if (series.size > 1 && new Set(lefts).size < lefts.length) kind = 'stacked';
  }
  const markers = new Map<string, number>();
  for (const g of findAll(root, (e) => e.name === 'g' && e.attributes['class'] === 'marker')) {
    const line = g.children.find((e) => e.name === 'line');
    if (line === undefined) throw new Error(`marker ${g.attributes['data-x']} has no line`);
    markers.set(g.attributes['data-x'] ?? '', num(line, 'x1'));
  }
  const floor = log ? first.y : toY(0);
  return { id: root.attributes['data-chart'] ?? '', width: num(root, 'width'), height: num(root, 'height'), kind, axis: { log, toY, toValue, floor, top: Math.min(...ticks.map((t) => t.y)) }, categories, series, spreads, markers };
}

/** Coordinates are written with one decimal: a mark may be off by rounding, no more. */
const GEOMETRY_SLACK = 0.16;

/** Checks that every mark is drawn where its value says: bar tops and heights, point heights, spread ends. */
export function checkGeometry(chart: Chart): void {
  const { toY, floor } = chart.axis;
  const stacks = new Map<string, number>();
  for (const [name, marks] of chart.series) {
    for (const m of marks) {
      const where = `${chart.id}: ${name} at ${m.x} (${m.value})`;
      if (!chart.categories.includes(m.x)) throw new Error(`${where}: not a category of the chart`);
      if (m.element === 'circle') {
        if (Math.abs(m.top - toY(m.value)) > GEOMETRY_SLACK) throw new Error(`${where}: point at y ${m.top}, its value is at ${toY(m.value).toFixed(1)}`);
      } else if (chart.kind === 'stacked') {
        const below = stacks.get(m.x) ?? 0;
        const bottom = toY(below);
        const top = toY(below + m.value);
        stacks.set(m.x, below + m.value);
        if (Math.abs(m.top - top) > GEOMETRY_SLACK || Math.abs(m.top + m.height - bottom) > 2 * GEOMETRY_SLACK) {
          throw new Error(`${where}: segment ${m.top}..${(m.top + m.height).toFixed(1)}, its value spans ${top.toFixed(1)}..${bottom.toFixed(1)}`);
        }
      } else {
        const top = Math.min(floor, toY(m.value));
        if (Math.abs(m.top - top) > GEOMETRY_SLACK || Math.abs(m.top + m.height - floor) > 2 * GEOMETRY_SLACK) {
          throw new Error(`${where}: bar ${m.top}..${(m.top + m.height).toFixed(1)}, its value spans ${top.toFixed(1)}..${floor.toFixed(1)}`);
        }
      }
    }
  }
  for (const s of chart.spreads) {
    const where = `${chart.id}: spread of ${s.series} at ${s.x}`;
    const mark = chart.series.get(s.series)?.find((m) => m.x === s.x);
    if (mark === undefined) throw new Error(`${where}: no mark of its own`);
    if (!(s.min <= mark.value && mark.value <= s.max)) throw new Error(`${where}: ${s.min}–${s.max} does not hold the value ${mark.value}`);
    const lo = Math.min(floor, toY(s.min));
    const hi = Math.min(floor, toY(s.max));
    if (Math.abs(s.y1 - lo) > GEOMETRY_SLACK || Math.abs(s.y2 - hi) > GEOMETRY_SLACK) throw new Error(`${where}: drawn ${s.y1}..${s.y2}, its values are at ${lo.toFixed(1)}..${hi.toFixed(1)}`);
  }
  for (const [category, x] of chart.markers) {
    if (!chart.categories.includes(category)) throw new Error(`${chart.id}: marker at '${category}', not a category`);
    const points = [...chart.series.values()].flat().filter((m) => m.x === category && m.element === 'circle');
    if (points.some((p) => Math.abs(p.left - x) > GEOMETRY_SLACK)) throw new Error(`${chart.id}: marker of '${category}' at x ${x} is not where its points are`);
  }
}

/** A rendered chart: RGBA pixels. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
  readonly png: Uint8Array;
}

/** Renders the SVG to PNG with resvg (system fonts for the labels). */
export function render(svg: string): Raster {
  const image = new Resvg(svg, { font: { loadSystemFonts: true } }).render();
  return { width: image.width, height: image.height, pixels: image.pixels, png: image.asPng() };
}

function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-fA-F]{6})$/.exec(hex);
  if (m === null) throw new Error(`colour '${hex}' is not #rrggbb`);
  const n = parseInt(m[1] as string, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The pixel at (x, y) is `colour` (within a little anti-aliasing). */
function pixelIs(r: Raster, x: number, y: number, colour: [number, number, number]): boolean {
  const px = Math.round(x);
  const py = Math.round(y);
  if (px < 0 || py < 0 || px >= r.width || py >= r.height) return false;
  const i = (py * r.width + px) * 4;
  return Math.abs((r.pixels[i] as number) - colour[0]) <= 24 && Math.abs((r.pixels[i + 1] as number) - colour[1]) <= 24 && Math.abs((r.pixels[i + 2] as number) - colour[2]) <= 24;
}

/**
 * Reads the values back from the pixels: each bar's (or segment's) height is found by
 * scanning a column of its colour upward from its bottom, and turned into a value through
 * the axis; it must match the mark's value to the pixel. Each point must be painted in
 * its series' colour; each marker's dashed line must be painted. Returns the values read.
 */
export function checkPixels(chart: Chart, raster: Raster): Map<string, number> {
  if (raster.width !== chart.width || raster.height !== chart.height) throw new Error(`${chart.id}: rendered ${raster.width}×${raster.height}, not ${chart.width}×${chart.height}`);
  const { toY, toValue, floor } = chart.axis;
  const read = new Map<string, number>();
  const stacks = new Map<string, number>();
  for (const [name, marks] of chart.series) {
    for (const m of marks) {
      const where = `${chart.id}: ${name} at ${m.x}`;
      const colour = rgb(m.fill);
      if (m.element === 'circle') {
        if (!pixelIs(raster, m.left, m.top, colour)) throw new Error(`${where}: no point painted at (${m.left}, ${m.top})`);
        read.set(`${name}|${m.x}`, toValue(m.top));
        continue;
      }
      const below = chart.kind === 'stacked' ? (stacks.get(m.x) ?? 0) : 0;
      const bottom = chart.kind === 'stacked' ? toY(below) : floor;
      if (chart.kind === 'stacked') stacks.set(m.x, below + m.value);
      const expectedTop = chart.kind === 'stacked' ? toY(below + m.value) : Math.min(floor, toY(m.value));
      if (bottom - expectedTop < 3) continue; // too thin to measure in pixels
      // A quarter into the bar: clear of an error bar drawn at its middle.
      const column = m.left + m.width / 4;
      let y = Math.floor(bottom - 1);
      if (!pixelIs(raster, column, y, colour)) throw new Error(`${where}: the bar's bottom pixel (${column.toFixed(0)}, ${y}) is not its colour ${m.fill}`);
      while (y > 0 && pixelIs(raster, column, y - 1, colour)) y--;
      // y is the top row painted in the bar's colour; the edge lies within a pixel of it.
      const measuredTop = y;
      if (Math.abs(measuredTop - expectedTop) > 1.5) {
        throw new Error(`${where}: painted from y ${measuredTop} (${toValue(measuredTop).toPrecision(4)}), its value ${m.value} is at ${expectedTop.toFixed(1)}`);
      }
      const value = chart.kind === 'stacked' ? toValue(measuredTop) - below : toValue(measuredTop);
      read.set(`${name}|${m.x}`, value);
    }
  }
  for (const [category, x] of chart.markers) {
    // The dashed line runs the plot's height (5 on, 4 off): over half its rows are painted;
    // the points and bars at that x alone paint far fewer.
    let painted = 0;
    for (let y = Math.round(chart.axis.top); y < floor; y++) {
      // A 1-px line at x.5 covers the pixel column below x.
      if (!pixelIs(raster, Math.floor(x), y, [255, 255, 255]) || !pixelIs(raster, Math.ceil(x), y, [255, 255, 255])) painted++;
    }
    if (painted < 100) throw new Error(`${chart.id}: the marker of '${category}' is not painted (${painted} rows)`);
  }
  return read;
}
