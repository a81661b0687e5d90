/** The chart writers and the figures they draw, on fixed inputs. */
import test from 'ava';
import { timeByModeChart, PART_LABELS } from '../../benchmarks/cdk/compare-modes.js';
import type { ModeFigures } from '../../benchmarks/cdk/compare-modes.js';
import { APP_MODES } from '../../benchmarks/research/app-run.js';
import { groupedBarChart, lineChart, stackedBarChart } from '../../benchmarks/research/svg.js';
import { parseXml, seriesOf } from './xml.js';

const spec = {
  id: 'demo',
  title: 'A <demo> & "quotes"',
  categories: ['a', 'b & c', '∞'],
  series: [{ name: 'first <1>', values: [1, 2.5, null] }, { name: 'second', values: [10, 0.5, 3] }],
  xLabel: 'x',
  yLabel: 'y',
};

for (const [name, draw] of [['line', lineChart], ['stacked bar', stackedBarChart], ['grouped bar', groupedBarChart]] as const) {
  test(`${name} chart: well-formed SVG whose marks carry every non-null value`, (t) => {
    const svg = draw(spec);
    const root = parseXml(svg);
    t.is(root.name, 'svg');
    t.is(root.attributes['data-chart'], 'demo');
    const series = seriesOf(svg);
    t.deepEqual([...series.keys()], ['first <1>', 'second']);
    t.deepEqual(series.get('first <1>'), [{ x: 'a', value: 1 }, { x: 'b & c', value: 2.5 }]);
    t.deepEqual(series.get('second')?.map((p) => p.value), [10, 0.5, 3]);
  });
}

test('log-scale grouped bars keep values below the first tick inside the plot', (t) => {
  const svg = groupedBarChart({ ...spec, series: [{ name: 's', values: [0.2, 3000, 40] }], logScale: true });
  t.deepEqual(seriesOf(svg).get('s')?.map((p) => p.value), [0.2, 3000, 40]);
  t.notRegex(svg, /height="-/);
});

test('the XML checker rejects what is not well-formed', (t) => {
  t.throws(() => parseXml('<svg><g></svg>'), { instanceOf: SyntaxError, message: /closes/ });
  t.throws(() => parseXml('<svg a=1/>'), { instanceOf: SyntaxError, message: /unquoted/ });
  t.throws(() => parseXml('<svg>a & b</svg>'), { instanceOf: SyntaxError, message: /bare '&'/ });
  t.throws(() => parseXml('<svg a="1" a="2"/>'), { instanceOf: SyntaxError, message: /duplicate/ });
  t.throws(() => parseXml('<svg/><svg/>'), { instanceOf: SyntaxError, message: /more than one root/ });
});

function figures(wall: number, hostBusy: number, kernelBusy: number | null, overlapMs: number | null): ModeFigures {
  const s = { median: wall, min: wall, max: wall, n: 1 };
  return {
    buildMs: s, totalMs: s, processMs: s, loadMs: 0, synthMs: 0, closeMs: 0, synthCallbacks: 0, kernelShare: { build: null, synth: null, whole: null }, heap: { hostMb: null, kernelMb: null },
    build: { requests: 1, syncRequests: 1, pipelinedRequests: 0, hostWaitMs: wall - hostBusy, hostBusyMs: hostBusy, kernelBusyMs: kernelBusy, overlapMs, overlap: overlapMs === null ? null : overlapMs / wall, readSleeps: 0 },
  };
}

test('time-by-mode chart: one stacked bar per mode, parts summing to its build time', (t) => {
  const map = new Map<string, ModeFigures>([
    ['native:off', figures(100, 100, null, null)],
    ['reference:off', figures(400, 150, null, null)],
    ['stdioOurs:off', figures(300, 120, null, null)],
    ['inThread:off', figures(180, 180, null, null)],
    ['ringSync:off', figures(200, 60, 120, 0)],
    ['ringPipelined:off', figures(150, 70, 110, 30)],
  ]);
  map.set('ringPipelined:off', { ...(map.get('ringPipelined:off') as ModeFigures), split: { hostOnly: 0.2, both: 0.2, kernelOnly: 0.5, waiting: 0.1 } });
  const series = seriesOf(timeByModeChart(map, { subject: 'test' }));
  t.deepEqual([...series.keys()], Object.values(PART_LABELS));
  for (const [i, mode] of APP_MODES.entries()) {
    const total = [...series.values()].reduce((sum, points) => sum + (points.find((p) => p.x === mode)?.value ?? 0), 0);
    t.is(Math.round(total), (map.get(`${mode}:off`) as ModeFigures).buildMs.median, `${mode} (#${i})`);
  }
  const both = series.get(PART_LABELS.both) ?? [];
  // The measured split (20 % of 150 ms), not the totals' lower bound.
  t.is(both.find((p) => p.x === 'ringPipelined')?.value, 30);
  t.is(both.find((p) => p.x === 'ringSync')?.value, 0);
  // Without any measured split the part is not drawn at all (it would be 0 in every bar).
  map.delete('ringPipelined:off');
  map.set('ringPipelined:off', figures(150, 70, 110, 30));
  t.false(seriesOf(timeByModeChart(map, { subject: 'test' })).has(PART_LABELS.both));
  t.is(series.get(PART_LABELS.hostOnly)?.find((p) => p.x === 'native')?.value, 100);
});
