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
import { RESULTS_MD, mergeJson, table, updateMarkdownSection } from '../research/output.js';
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
  readonly markdown: string;
  readonly variants: readonly VariantSummary[];
  readonly identical: boolean;
  readonly runs: readonly PythonRun[];
}

const PHASES = ['import', 'start', 'load', 'build', 'synth'] as const;

/** The variant of a pending cap. */
export function pipelinedVariant(cap: number): PythonVariant {
  const label = cap === Infinity ? 'unlimited' : String(cap);
  return { key: `pipelined-${label}`, runtime: 'ours', env: { JSII_RING_PIPELINE: '1', JSII_RING_PENDING_CAP: label } };
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
    ...(options.pendingCaps ?? []).map(pipelinedVariant),
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
  const traceOnly = Math.max(0, ...allRuns.map((r) => r.traceOnly));
  const markdown = renderMarkdown(appKind, appFacts, summaries, identical, traceOnly, finished, options.repeats, warmups, validation);
  const file = mergeJson(resultsDir, 'python.json', {
    [appKind]: {
      environment: finished,
      settings: { repeats: options.repeats, warmups, pendingCaps: options.pendingCaps ?? [], validation },
      app: appFacts,
      identical,
      mismatches: measured.mismatches.map((r) => ({ variant: r.variant, differences: r.differences })),
      variants: Object.fromEntries(summaries.map((s) => [s.key, s])),
      runs: allRuns.map((r) => ({ variant: r.variant, wall: round3(r.wall), phases: r.phases, identical: r.identical, traceOnlyFiles: r.traceOnly })),
    },
  });
  if (resultsDir === RESULTS_DIR && appKind === 'cdk') {
    updateMarkdownSection(RESULTS_MD, 'python', markdown);
  }
  return { file, markdown, variants: summaries, identical, runs: allRuns };
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

function renderMarkdown(
  appKind: string,
  facts: Record<string, unknown>,
  summaries: readonly VariantSummary[],
  identical: boolean,
  traceOnly: number,
  env: RunEnvironment,
  repeats: number,
  warmups: number,
  validation: boolean,
): string {
  const reference = summaries.find((s) => s.key === 'reference');
  const rows = summaries.map((s) => [
    s.key,
    seconds(s.wall),
    ratio(s.wall, reference?.wall),
    ...PHASES.map((p) => seconds(s.phases[p])),
  ]);
  const what = appKind === 'cdk'
    ? `${String(facts.resources)} CloudFormation resources in ${String(facts.stacks)} stacks (${String(facts.units)} service units); ` +
      `the Python aspect ran ${String(facts.aspectVisits)} visits, the kernel called the Python \`_allocate_logical_id\` override ${String(facts.logicalIdAllocations)} times`
    : `the calc fixture app, ${String(facts.count)} steps`;
  return [
    '## Python CDK app on the official Python client',
    '',
    `\`benchmarks/python/cdk_app.py\`, an ordinary Python CDK app (Python \`Stack\` subclasses overriding \`_allocate_logical_id\`, Python \`Construct\` subclasses, a Python \`IAspect\`, a Python \`IAlarmAction\`), run by the official Python jsii client (\`jsii\` 1.140.0) with bindings generated by \`jsii-pacmak\` for the repository's \`aws-cdk-lib\`: ${what}. ` +
      '`reference`: `JSII_RUNTIME` = `@jsii/runtime` 1.140.0; `ours`: `JSII_RUNTIME` = `bin/jsii-runtime.js` (synchronous, the client unchanged); `pipelined-N`: ours with the jsii_ring Python package (`python/`, pending cap N). ' +
      `The CDK's template validation ${validation ? 'on (as by default)' : 'off (`CDK_VALIDATION=false`; the same library work on every runtime, about 12 s here)'}. ` +
      `Each run is a fresh Python process; ${repeats} interleaved round(s) after ${warmups} warm-up round(s), medians (min–max), seconds. ` +
      `Every file of every run's cloud assembly byte-identical to the first run's (a reference run): **${identical ? 'yes' : 'NO'}**` +
      (traceOnly > 0 ? ` (up to ${traceOnly} metadata files per run differ only in construct creation stacks, which name the runtime's own frames: \`...jsii runtime...\` vs \`...@jsii/runtime, node internals...\`).` : '.'),
    '',
    table(['variant', 'wall', 'vs reference', ...PHASES], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
    '',
    'Phases, as the app measures them: `import` the jsii client; `start` the runtime program and its hello; `load` importing `aws_cdk` and `constructs` (the kernel loads five assemblies); `build` constructing the app (until the kernel has served every request); `synth` `app.synth()`. `wall` is the whole process, Python start-up and the runtime\'s exit included.',
    '',
    describeEnvironment(env),
  ].join('\n');
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
