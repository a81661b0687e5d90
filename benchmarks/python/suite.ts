/**
 * `jsii-ring bench python`: an ordinary Python CDK app (`cdk_app.py`: Python stack
 * subclasses overriding `_allocate_logical_id`, a Python aspect, Python-implemented
 * interfaces) run by the official Python jsii client on the reference runtime and on
 * jsii-ring's stdio server, synchronous and pipelined (the jsii_ring Python package,
 * python/), fresh processes in interleaved rounds, every cloud assembly compared byte for
 * byte with the first; medians per phase. Writes benchmarks/results/python.json and the
 * `python` section of benchmarks/RESULTS.md (unless --out or --quick).
 *
 * `app: 'calc'` runs the same code on the calc fixture's small app (the tests' path).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies, summarizeCloudAssembly } from '../../lib/cloud-assembly.js';
import { ensurePythonHost } from '../../test/python-host/python-env.js';
import { describeEnvironment, finishEnvironment, startEnvironment, type RunEnvironment } from '../research/environment.js';
import { Progress, interleaveSteps, roundSummary, summarize, type Summary } from '../research/harness.js';
import { CHARTS_DIR, RESULTS_MD, mergeJson, table, updateMarkdownSection, writeChart } from '../research/output.js';
import { lineChart } from '../research/svg.js';
import { RESULTS_DIR } from '../results.js';
import { ensureCdkVenv } from './cdk-env.js';
import { compareDirectories, runPythonBench, type PythonApp, type PythonRun, type PythonVariant } from './harness.js';

/** benchmarks/python in the source tree (the Python scripts). */
export const PYTHON_BENCH_DIR = path.resolve(__dirname, '..', '..', '..', 'benchmarks', 'python');

/** CloudFormation resources of `cdk_app.py` for a number of service units. */
export function cdkResources(units: number): number {
  const u = Math.max(2, units);
  return 6 + 12 * u + Math.min(5, u) + 1;
}

/** The fewest units that give at least `resources` resources. */
export function unitsForResources(resources: number): number {
  let units = 2;
  while (cdkResources(units) < resources) units++;
  return units;
}

/** Options of {@link runPythonSuite}. */
export interface PythonSuiteOptions {
  /** `cdk` (the benchmark) or `calc` (the fixture app, for tests). @default 'cdk' */
  readonly app?: 'cdk' | 'calc';
  /** CloudFormation resources at least (cdk). @default 2,200 */
  readonly resources?: number;
  /** Steps of the calc app. @default 50 */
  readonly count?: number;
  readonly repeats: number;
  /** Unkept rounds first. @default 1 */
  readonly warmups?: number;
  /**
   * Pending caps of pipelined variants on our server (`Infinity` = unlimited); none: no
   * pipelined variant. @default []
   */
  readonly pendingCaps?: readonly number[];
  /**
   * Pipelined lines per write of the jsii_ring package (JSII_RING_BATCH); several values
   * make one pipelined variant per cap and value. @default the package's default
   */
  readonly batches?: readonly number[];
  /** The CDK's own template validation (`CDK_VALIDATION`): on, as by default, or off. @default false (off) */
  readonly validation?: boolean;
  /** Results folder; RESULTS.md is updated only when this is the committed one. @default benchmarks/results */
  readonly out?: string;
  /** The command line that reproduces the run. */
  readonly command: string;
  readonly silent?: boolean;
}

/** One variant's medians. */
export interface VariantSummary {
  readonly key: string;
  readonly wall: Summary;
  readonly phases: Readonly<Record<string, Summary>>;
  /** jsii_ring's statistics of the last run (pipelined variants). */
  readonly pipelining?: unknown;
}

/** What the suite wrote. */
export interface PythonSuiteResult {
  readonly file: string;
  /** Every file written (results, chart). */
  readonly files: readonly string[];
  readonly markdown: string;
  readonly variants: readonly VariantSummary[];
  readonly identical: boolean;
  readonly runs: readonly PythonRun[];
}

const PHASES = ['import', 'start', 'load', 'build', 'synth'] as const;

/** The variant of a pending cap. */
export function pipelinedVariant(cap: number, batch?: number, keyed = false): PythonVariant {
  const label = cap === Infinity ? 'unlimited' : String(cap);
  return {
    key: `pipelined-${label}${keyed ? `-b${String(batch)}` : ''}`,
    runtime: 'ours',
    env: { JSII_RING_PIPELINE: '1', JSII_RING_PENDING_CAP: label, ...(batch !== undefined ? { JSII_RING_BATCH: String(batch) } : {}) },
  };
}

/** Runs the suite; writes the results file (and the RESULTS.md section for the committed results). */
export async function runPythonSuite(options: PythonSuiteOptions): Promise<PythonSuiteResult> {
  const appKind = options.app ?? 'cdk';
  const progress = new Progress('python', 0, options.silent === true);
  const note = (line: string): void => progress.note(line);
  const environment = startEnvironment(options.command);
  let app: PythonApp;
  let units = 0;
  if (appKind === 'cdk') {
    const host = ensureCdkVenv(note);
    units = unitsForResources(options.resources ?? 2200);
    app = {
      python: host.python,
      script: path.join(PYTHON_BENCH_DIR, 'cdk_app.py'),
      args: ['--units', String(units)],
      compare: (expected, actual) => compareCloudAssemblies(expected, actual),
    };
  } else {
    const host = ensurePythonHost();
    app = {
      python: host.python,
      script: path.join(PYTHON_BENCH_DIR, 'calc_app.py'),
      args: ['--count', String(options.count ?? 50)],
      compare: compareDirectories,
    };
  }
  const validation = options.validation === true;
  const common: Record<string, string> = appKind === 'cdk' && !validation ? { CDK_VALIDATION: 'false' } : {};
  const variants: PythonVariant[] = [
    { key: 'reference', runtime: 'reference' as const },
    { key: 'ours', runtime: 'ours' as const },
    ...(options.pendingCaps ?? []).flatMap((cap) =>
      (options.batches ?? [undefined]).map((batch) => pipelinedVariant(cap, batch, (options.batches ?? []).length > 1))),
  ].map((v) => ({ ...v, env: { ...common, ...v.env } }));
  const warmups = options.warmups ?? 1;
  const steps = interleaveSteps(variants.length, { repeats: options.repeats, warmups });
  const stepProgress = new Progress('python', steps, options.silent === true);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-python-bench-'));
  let expectedSummary: ReturnType<typeof summarizeCloudAssembly> | undefined;
  let measured;
  try {
    measured = await runPythonBench(app, variants, { repeats: options.repeats, warmups, progress: stepProgress, scratch });
    if (appKind === 'cdk') expectedSummary = summarizeCloudAssembly(path.join(scratch, 'expected'));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const finished = finishEnvironment(environment);

  const summaries: VariantSummary[] = variants.map((variant) => {
    const runs = measured.runs.get(variant.key) ?? [];
    const phases: Record<string, Summary> = {};
    for (const phase of PHASES) {
      const values = runs.map((r) => r.phases[phase]).filter((v): v is number => typeof v === 'number');
      if (values.length > 0) phases[phase] = roundSummary(summarize(values), 3);
    }
    const last = runs[runs.length - 1];
    return {
      key: variant.key,
      wall: roundSummary(summarize(runs.map((r) => r.wall)), 3),
      phases,
      ...(last?.report.pipelining !== undefined ? { pipelining: last.report.pipelining } : {}),
    };
  });
  const allRuns = [...measured.runs.values()].flat();
  const identical = measured.mismatches.length === 0;
  const sample = allRuns[0]?.report ?? {};
  const appFacts = appKind === 'cdk'
    ? {
      units,
      resources: expectedSummary?.resources,
      templates: expectedSummary?.templates,
      stacks: expectedSummary?.stacks.length,
      aspectVisits: sample.aspect_visits,
      aspectResources: sample.aspect_resources,
      logicalIdAllocations: sample.logical_id_allocations,
    }
    : { count: options.count ?? 50 };

  const resultsDir = options.out !== undefined ? path.resolve(options.out) : RESULTS_DIR;
  const chartsDir = options.out !== undefined ? path.resolve(options.out, 'charts') : CHARTS_DIR;
  const caps = options.pendingCaps ?? [];
  const sweep = caps.length >= 3;
  const batchSweep = (options.batches ?? []).length > 1;
  const key = sweep ? `${appKind}-sweep` : batchSweep ? `${appKind}-batch` : appKind;
  const traceOnly = Math.max(0, ...allRuns.map((r) => r.traceOnly));
  const files: string[] = [];
  if (sweep) {
    files.push(writeChart(chartsDir, 'python-sweep.svg', sweepChart(summaries, caps)));
  }
  const markdown = renderMarkdown({
    appKind, facts: appFacts, summaries, identical, traceOnly, env: finished, repeats: options.repeats, warmups, validation,
    sweep, batchSweep, batches: options.batches,
  });
  const file = mergeJson(resultsDir, 'python.json', {
    [key]: {
      environment: finished,
      settings: { repeats: options.repeats, warmups, pendingCaps: caps, validation, batches: options.batches ?? 'default' },
      app: appFacts,
      identical,
      mismatches: measured.mismatches.map((r) => ({ variant: r.variant, differences: r.differences })),
      variants: Object.fromEntries(summaries.map((v) => [v.key, v])),
      runs: allRuns.map((r) => ({ variant: r.variant, wall: round3(r.wall), phases: r.phases, identical: r.identical, traceOnlyFiles: r.traceOnly })),
    },
  });
  files.unshift(file);
  if (resultsDir === RESULTS_DIR && appKind === 'cdk') {
    updateMarkdownSection(RESULTS_MD, sweep ? 'python-sweep' : batchSweep ? 'python-batch' : 'python', markdown);
  }
  return { file, files, markdown, variants: summaries, identical, runs: allRuns };
}

/** Medians of the pipelined variants by pending cap, with ours (sync) and the reference for scale. */
function sweepChart(summaries: readonly VariantSummary[], caps: readonly number[]): string {
  const byKey = new Map(summaries.map((v) => [v.key, v]));
  const categories = caps.map((c) => (c === Infinity ? '∞' : String(c)));
  const pipelined = caps.map((c) => byKey.get(pipelinedVariant(c).key));
  const flat = (v: number | undefined): (number | null)[] => caps.map(() => v ?? null);
  return lineChart({
    id: 'python-sweep',
    title: 'Python CDK app: seconds vs pending cap (jsii_ring package on our stdio server)',
    categories,
    series: [
      { name: 'wall, pipelined', values: pipelined.map((v) => v?.wall.median ?? null) },
      { name: 'wall, ours sync', values: flat(byKey.get('ours')?.wall.median) },
      { name: 'wall, reference', values: flat(byKey.get('reference')?.wall.median) },
      { name: 'build, pipelined', values: pipelined.map((v) => v?.phases.build?.median ?? null) },
      { name: 'build, ours sync', values: flat(byKey.get('ours')?.phases.build?.median) },
      { name: 'synth, pipelined', values: pipelined.map((v) => v?.phases.synth?.median ?? null) },
      { name: 'synth, ours sync', values: flat(byKey.get('ours')?.phases.synth?.median) },
    ],
    xLabel: 'pending cap (0 = the package on, nothing pipelined)',
    yLabel: 'seconds (median)',
  });
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function seconds(s: Summary | undefined): string {
  if (s === undefined) return '—';
  return s.n > 1 ? `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : s.median.toFixed(2);
}

function ratio(a: Summary | undefined, b: Summary | undefined): string {
  return a !== undefined && b !== undefined && b.median > 0 ? `${(a.median / b.median).toFixed(2)}×` : '—';
}

interface MarkdownInput {
  readonly appKind: string;
  readonly facts: Record<string, unknown>;
  readonly summaries: readonly VariantSummary[];
  readonly identical: boolean;
  readonly traceOnly: number;
  readonly env: RunEnvironment;
  readonly repeats: number;
  readonly warmups: number;
  readonly validation: boolean;
  readonly sweep: boolean;
  readonly batchSweep: boolean;
  readonly batches: readonly number[] | undefined;
}

/** Percent change from `base` to `value` (negative: less time). */
function change(value: Summary | undefined, base: Summary | undefined): string {
  if (value === undefined || base === undefined || base.median <= 0) return '—';
  const pct = ((value.median - base.median) / base.median) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

interface PipeliningStats {
  readonly requests?: number;
  readonly pipelined?: number;
  readonly pipelined_share?: number;
  readonly by_api?: Record<string, { sync: number; pipelined: number }>;
  readonly callbacks?: number;
  readonly window_syncs?: number;
  readonly cap_syncs?: number;
  readonly aliases?: number;
  readonly failures?: number;
}

function renderMarkdown(input: MarkdownInput): string {
  const { appKind, facts, summaries, identical, traceOnly, env, repeats, warmups, validation, sweep } = input;
  const reference = summaries.find((v) => v.key === 'reference');
  const ours = summaries.find((v) => v.key === 'ours');
  const rows = summaries.map((v) => [
    v.key,
    seconds(v.wall),
    ratio(v.wall, reference?.wall),
    ...PHASES.map((p) => seconds(v.phases[p])),
  ]);
  const what = appKind === 'cdk'
    ? `${String(facts.resources)} CloudFormation resources in ${String(facts.stacks)} stacks (${String(facts.units)} service units); ` +
      `the Python aspect ran ${String(facts.aspectVisits)} visits, the kernel called the Python \`_allocate_logical_id\` override ${String(facts.logicalIdAllocations)} times`
    : `the calc fixture app, ${String(facts.count)} steps`;
  const lines = [
    sweep ? '### Python pipelining: pending-cap sweep' : input.batchSweep ? '### Python pipelining: lines per write' : '## Python CDK app on the official Python client',
    '',
    `\`benchmarks/python/cdk_app.py\`, an ordinary Python CDK app (Python \`Stack\` subclasses overriding \`_allocate_logical_id\`, Python \`Construct\` subclasses, a Python \`IAspect\`, a Python \`IAlarmAction\`), run by the official Python jsii client (\`jsii\` 1.140.0) with bindings generated by \`jsii-pacmak\` for the repository's \`aws-cdk-lib\`: ${what}. ` +
      '`reference`: `JSII_RUNTIME` = `@jsii/runtime` 1.140.0; `ours`: `JSII_RUNTIME` = `bin/jsii-runtime.js` (synchronous, the client unchanged); `pipelined-N`: ours with the jsii_ring Python package on (`JSII_RING_PIPELINE=1`, pending cap N' +
      `${input.batches !== undefined ? (input.batchSweep ? '; `-bK`: K pipelined lines per write' : `, ${String(input.batches[0])} pipelined line(s) per write`) : ''}). ` +
      `The CDK's template validation ${validation ? 'on (as by default)' : 'off (`CDK_VALIDATION=false`: the same library work on every runtime)'}. ` +
      `Each run is a fresh Python process; ${repeats} interleaved round(s) after ${warmups} warm-up round(s), medians (min–max), seconds. ` +
      `Every file of every run's cloud assembly byte-identical to the first run's (a reference run): **${identical ? 'yes' : 'NO'}**` +
      (traceOnly > 0 ? ` (up to ${traceOnly} metadata files per run differ only in stack traces, which name each runtime's own frames and paths).` : '.'),
    '',
    table(['variant', 'wall', 'vs reference', ...PHASES], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    'Phases, as the app measures them: `import` the jsii client (with the package on, Python imports it at start-up, before the app\'s clock: it is in `wall` only); `start` the runtime program and its hello; `load` importing `aws_cdk` and `constructs` (the kernel loads five assemblies); `build` constructing the app (until the kernel has served every request); `synth` `app.synth()` (likewise). `wall` is the whole process, Python start-up and the runtime\'s exit included.',
  ];
  const pipelined = summaries.filter((v) => v.key.startsWith('pipelined-') && v.key !== 'pipelined-0');
  if (pipelined.length > 0 && ours !== undefined) {
    const best = [...pipelined].sort((a, b) => a.wall.median - b.wall.median)[0] as VariantSummary;
    lines.push(
      '',
      `Pipelining (${best.key}, the fastest pipelined variant here) against ours synchronous: wall ${change(best.wall, ours.wall)}, build ${change(best.phases.build, ours.phases.build)}, synth ${change(best.phases.synth, ours.phases.synth)}; ` +
        `against the reference: wall ${change(best.wall, reference?.wall)}. The proof of concept (aws/jsii PR #5168) reported −17–20% wall time for its ~2,200-resource Python app, pipelining against the reference kernel.`,
    );
    const stats = (best.pipelining ?? {}) as PipeliningStats;
    const byApi = Object.entries(stats.by_api ?? {});
    if (byApi.length > 0) {
      lines.push(
        '',
        `Requests of one ${best.key} run by kind: ${String(stats.requests)} in all, ${String(stats.pipelined)} pipelined (${((stats.pipelined_share ?? 0) * 100).toFixed(1)}%); ${String(stats.callbacks)} callbacks into Python; flow control waited ${String(stats.window_syncs)} times for the window and ${String(stats.cap_syncs)} times for the cap; ${String(stats.aliases)} alias notices.`,
        '',
        table(
          ['request', 'sync', 'pipelined', 'pipelined share'],
          byApi.map(([api, n]) => [api, n.sync, n.pipelined, n.sync + n.pipelined > 0 ? `${((n.pipelined / (n.sync + n.pipelined)) * 100).toFixed(1)}%` : '—']),
          ['l', 'r', 'r', 'r'],
        ),
      );
    }
  }
  if (sweep) {
    lines.push('', '![Python CDK app: seconds vs pending cap](charts/python-sweep.svg)');
  }
  lines.push('', describeEnvironment(env));
  return lines.join('\n');
}

/** Parses a pending-cap list (`0,1,4,unlimited`). */
export function parseCaps(text: string): number[] {
  const items = text.split(',').map((s) => s.trim());
  const caps = items.map((s) => (s === 'unlimited' || s === 'Infinity' ? Infinity : Number(s)));
  if (items.length === 0 || items.some((s) => s === '') || caps.some((n) => !(n === Infinity || (Number.isInteger(n) && n >= 0)))) {
    throw new RangeError(`pending caps must be non-negative integers or 'unlimited', comma-separated (got ${JSON.stringify(text)})`);
  }
  return caps;
}
