/**
 * The sweep, overlap and mode suites on the user's own program (`jsii-ring bench
 * sweep|overlap|cdk --app FILE`, or `--script FILE` for any program that uses jsii
 * packages). Every measured run is a fresh child process (user-app-child.ts) running the
 * program unchanged; before the measured rounds, one native run per validation setting
 * gives what every run is compared with: the cloud assembly byte for byte (a CDK app) or
 * what the program printed (a script). A run that differs fails the bench after its
 * results are written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies, summarizeCloudAssembly } from '../../lib/cloud-assembly.js';
import { DEFAULT_PENDING_CAP } from '../../lib/host/options.js';
import { TIMELINE_MODES, boundLine, condense, splitShares, timeByModeChart } from '../cdk/compare-modes.js';
import type { ModeFigures, ModeRun } from '../cdk/compare-modes.js';
import { MODE_LABELS } from './app-run.js';
import type { AppMode, AppRunResult } from './app-run.js';
import { runChild } from './child.js';
import type { SuiteReport } from './context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import { BenchmarkError } from './errors.js';
import { Progress, interleave, interleaveSteps, retryNote, runSuiteVariants } from './harness.js';
import type { TimeBreakdown } from './metrics.js';
import { measureOverlap } from './overlap.js';
import { fmt, table, writeChart, writeJson } from './output.js';
import { capKey, reportSweep, sweepKey } from './sweep.js';
import type { ProgramKind, UserAppRunOptions, UserAppRunResult } from './user-app.js';
import type { UserAppWireOptions } from './user-app-child.js';

const USER_CHILD = path.join(__dirname, 'user-app-child.js');

/** The modes whose kernel is reached over stdio (no before-exit extension there). */
const STDIO_MODES: readonly AppMode[] = ['reference', 'stdioOurs'];

/** The modes `bench cdk --app` runs by default. */
export const USER_APP_MODES: readonly AppMode[] = ['native', 'reference', 'stdioOurs', 'inThread', 'ringSync', 'ringPipelined'];

/** Settings of a bench run on the user's program. */
export interface UserBenchOptions {
  /** The program, absolute. */
  readonly file: string;
  readonly kind: ProgramKind;
  /** Folder for the results JSON and charts/. */
  readonly out: string;
  readonly repeats: number;
  /** Unkept rounds before the measured ones. */
  readonly warmups: number;
  /** Caps of the sweep (Infinity = unlimited). */
  readonly caps: readonly number[];
  /** Host work settings of the sweep, µs per call. */
  readonly sweepHostWork: readonly number[];
  /** Host work settings of the overlap suite, µs per call ('equal work' is added). */
  readonly hostWork: readonly number[];
  /** The pending cap of the pipelined runs of the overlap and mode suites. @default DEFAULT_PENDING_CAP */
  readonly pendingCap?: number;
  /** Modes of the mode suite. */
  readonly modes: readonly AppMode[];
  /** The modes were named on the command line (else a mode the app cannot run in is left out, saying so). */
  readonly modesNamed?: boolean;
  /** Validation settings of the mode suite (the sweep and overlap runs have it off). */
  readonly validation: readonly boolean[];
  readonly silent: boolean;
  /** The command line that reproduces the run. */
  readonly command: string;
}

/** A suite on the user's program. */
export type UserSuite = (options: UserBenchOptions) => Promise<SuiteReport>;

/** How one run compared with the native run. */
interface Checked {
  readonly identical: boolean;
  readonly differences: readonly string[];
}

/** The native runs every other run is compared with, and the comparison. */
class Reference {
  readonly #options: UserBenchOptions;
  readonly #base: string;
  readonly #expected = new Map<boolean, UserAppRunResult>();
  readonly differences: string[] = [];
  runs = 0;
  differing = 0;

  public constructor(options: UserBenchOptions, base: string) {
    this.#options = options;
    this.#base = base;
  }

  /** Runs the program natively once per validation setting (progress steps: one each). */
  public async prepare(validations: readonly boolean[], progress: Progress): Promise<void> {
    for (const validation of validations) {
      progress.step(`native run to compare with (validation ${validation ? 'on' : 'off'})`);
      const { result } = await runUser(this.#options, { mode: 'native', outdir: path.join(this.#base, `expected-${validation ? 'on' : 'off'}`), validation });
      this.#expected.set(validation, result);
    }
  }

  /** Whether the native run of the app called synth() itself (the CDK's synth at exit otherwise). */
  public synthCalled(): boolean {
    return [...this.#expected.values()].every((r) => r.synthCalled);
  }

  /** What the first native run produced, in words ("2 stacks, 14 resources", "12 lines of output"). */
  public describe(): string {
    const first = [...this.#expected.values()][0];
    if (first === undefined) return '';
    if (this.#options.kind === 'script') return `${first.output.split('\n').filter((l) => l !== '').length} lines of output`;
    const summary = summarizeCloudAssembly(first.outdir);
    return `${summary.stacks.length} stack${summary.stacks.length === 1 ? '' : 's'}, ${summary.resources.toLocaleString('en-US')} resources`;
  }

  /** Compares a run with the native run of its validation setting; removes its output. */
  public check(result: UserAppRunResult, validation: boolean, label: string): Checked {
    const expected = this.#expected.get(validation);
    if (expected === undefined) throw new Error(`no native run with validation ${validation ? 'on' : 'off'} to compare with`);
    let checked: Checked;
    if (this.#options.kind === 'cdk') {
      const c = compareCloudAssemblies(expected.outdir, result.outdir);
      checked = { identical: c.identical, differences: c.differences.slice(0, 5).map((d) => `${label}: ${d}`) };
    } else {
      const same = expected.output === result.output;
      checked = { identical: same, differences: same ? [] : [`${label}: the program printed something else than natively (${firstDifference(expected.output, result.output)})`] };
    }
    fs.rmSync(result.outdir, { recursive: true, force: true });
    this.runs++;
    if (!checked.identical) {
      this.differing++;
      this.differences.push(...checked.differences);
    }
    return checked;
  }

  /** Throws if any run differed from native (after the results were written). */
  public assertIdentical(): void {
    if (this.differing === 0) return;
    const what = this.#options.kind === 'cdk' ? 'a cloud assembly' : 'output';
    throw new BenchmarkError(`${this.differing} of ${this.runs} runs produced ${what} that differs from the native run: ${this.differences.slice(0, 3).join('; ')}`);
  }

  /** The Markdown line saying what was compared. */
  public line(): string {
    const what = this.#options.kind === 'cdk' ? 'every file of its cloud assembly byte-identical to the native run' : 'its output identical to the native run';
    return `Checked: each of the ${this.runs} runs had ${what} (${this.#options.kind === 'cdk' ? 'construct stack traces aside' : 'stdout'}): **${this.differing === 0 ? 'yes' : `no, ${this.differing} differed`}**.`;
  }
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  const i = al.findIndex((line, k) => line !== bl[k]);
  const at = i < 0 ? al.length : i;
  return `line ${at + 1}: ${JSON.stringify((al[at] ?? '').slice(0, 60))} natively, ${JSON.stringify((bl[at] ?? '<end>').slice(0, 60))} here`;
}

/** One run of the user's program in a fresh child process; a failed run is an error naming the mode and the reason. */
async function runUser(options: UserBenchOptions, run: Omit<UserAppRunOptions, 'file' | 'kind'>): Promise<{ result: UserAppRunResult; processMs: number }> {
  const { pendingCap, ...rest } = run;
  const wire: UserAppWireOptions = { ...rest, file: options.file, kind: options.kind, ...(pendingCap !== undefined ? { pendingCap: pendingCap === Infinity ? null : pendingCap } : {}) };
  const { result, processMs } = await runChild<UserAppRunResult | { failed: string }>(USER_CHILD, wire);
  if ('failed' in result) {
    const cap = run.mode === 'ringPipelined' && pendingCap !== undefined ? `, pending cap ${capKey(pendingCap)}` : '';
    throw new BenchmarkError(`the ${run.mode}${cap} run of ${displayName(options.file)} failed: ${result.failed}`);
  }
  return { result, processMs };
}

/** The program's path as the user sees it. */
export function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') ? relative : file;
}

function subjectOf(options: UserBenchOptions): string {
  return `${displayName(options.file)}${options.kind === 'script' ? ' (script)' : ''}`;
}

function scratch(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `jsii-ring-bench-${name}-`));
}

/** The pending-cap sweep on the user's program. */
export const userSweepSuite: UserSuite = async (options) => {
  let env = startEnvironment(options.command);
  const base = scratch('sweep');
  try {
    const reference = new Reference(options, base);
    await reference.prepare([false], new Progress('sweep', 1, options.silent));
    const variants = options.sweepHostWork.flatMap((hostWorkUs) => options.caps.map((cap) => ({
      key: sweepKey(hostWorkUs, cap),
      run: async (): Promise<AppRunResult> => {
        const outdir = path.join(base, `run-${hostWorkUs}-${capKey(cap)}`);
        const { result } = await runUser(options, { mode: 'ringPipelined', pendingCap: cap, hostWorkUs, outdir, validation: false });
        reference.check(result, false, `pending cap ${capKey(cap)}, host work ${hostWorkUs} µs`);
        return result;
      },
    })));
    const { runs, retries } = await runSuiteVariants('sweep', variants, { repeats: options.repeats, quick: false, silent: options.silent }, { warmups: options.warmups });
    env = finishEnvironment(env);
    const report = reportSweep({
      runs, retries, env, caps: options.caps, hostWork: options.sweepHostWork, repeats: options.repeats,
      resultsDir: options.out, chartsDir: path.join(options.out, 'charts'),
      subject: subjectOf(options),
      extra: { app: displayName(options.file), kind: options.kind, produced: reference.describe(), identicalToNative: reference.differing === 0, differences: reference.differences.slice(0, 10) },
      notes: [reference.line(), '', `Build phase: ${BUILD_PHASE[options.kind]}`, '', ...capAdvice()],
      explain: false,
    });
    reference.assertIdentical();
    return report;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
};

/** How to use the cap the sweep supports. */
function capAdvice(): string[] {
  return [
    `To run with another cap: \`jsii-ring synth app.ts --pending-cap N\`, or \`pendingCap: N\` in \`KernelClient\` options (the default is ${capKey(DEFAULT_PENDING_CAP)}).`,
    '',
  ];
}

/** What the build phase is, per kind of program. */
const BUILD_PHASE: Readonly<Record<ProgramKind, string>> = {
  cdk: 'from requiring the app (its imports included) until it calls `synth()`, then a flush, so a pipelined run is timed until the kernel has caught up.',
  script: 'the whole program (its imports included), then a flush, so a pipelined run is timed until the kernel has caught up.',
};

/** The overlap study on the user's program. */
export const userOverlapSuite: UserSuite = async (options) => {
  const base = scratch('overlap');
  try {
    const reference = new Reference(options, base);
    await reference.prepare([false], new Progress('overlap', 1, options.silent));
    let n = 0;
    const report = await measureOverlap({
      run: async (mode, hostWorkUs) => {
        const outdir = path.join(base, `run-${++n}`);
        const { result } = await runUser(options, { mode, hostWorkUs, outdir, validation: false, trace: true, ...(options.pendingCap !== undefined ? { pendingCap: options.pendingCap } : {}) });
        reference.check(result, false, `${mode}, host work ${hostWorkUs} µs`);
        return result;
      },
      hostWork: options.hostWork, repeats: options.repeats, silent: options.silent, command: options.command, resultsDir: options.out,
      pendingCap: options.pendingCap ?? DEFAULT_PENDING_CAP,
      subject: subjectOf(options),
      extra: { app: displayName(options.file), kind: options.kind, produced: reference.describe() },
      notes: [reference.line(), '', `Build phase: ${BUILD_PHASE[options.kind]}`, ''],
    });
    reference.assertIdentical();
    return report;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
};

/** The modes compared on the user's program. */
export const userModesSuite: UserSuite = async (options) => {
  let env = startEnvironment(options.command);
  const base = scratch('cdk');
  try {
    const reference = new Reference(options, base);
    const validations = options.validation;
    await reference.prepare(validations, new Progress('cdk', validations.length, options.silent));
    // Over stdio (the reference runtime, our kernel behind the stdio protocol) the kernel
    // has no before-exit extension: it cannot run the CDK's synth at exit.
    const notes: string[] = [];
    let modes = options.modes;
    const unable = modes.filter((m) => STDIO_MODES.includes(m));
    if (options.kind === 'cdk' && unable.length > 0 && !reference.synthCalled()) {
      const why = `${displayName(options.file)} leaves synth to the CDK at exit (no app.synth() call), which a kernel over stdio cannot run`;
      if (options.modesNamed === true) throw new BenchmarkError(`${why}: add app.synth() to the app, or leave ${unable.join(' and ')} out of --modes`);
      modes = modes.filter((m) => !unable.includes(m));
      notes.push(`Left out: ${unable.join(', ')}, because ${why} (add \`app.synth()\` to include them).`, '');
      if (!options.silent) process.stderr.write(`[cdk] ${why}: ${unable.join(' and ')} left out\n`);
    }
    const variants = validations.flatMap((validation) => modes.map((mode) => ({ mode, validation, key: `${mode}:${validation ? 'on' : 'off'}` })));
    const interleaving = { repeats: options.repeats, warmups: options.warmups, retries: [] as string[] };
    const timelineModes = validations.includes(false) ? TIMELINE_MODES.filter((m) => modes.includes(m)) : [];
    const progress = new Progress('cdk', interleaveSteps(variants.length, interleaving) + timelineModes.length, options.silent);
    const pendingCap = options.pendingCap !== undefined ? { pendingCap: options.pendingCap } : {};
    const runs = await interleave(variants.map((v) => ({
      key: v.key,
      run: async (): Promise<ModeRun> => {
        const outdir = path.join(base, v.key.replace(':', '-'));
        const { result, processMs } = await runUser(options, { mode: v.mode, outdir, validation: v.validation, ...pendingCap });
        const checked = reference.check(result, v.validation, `${v.mode}, validation ${v.validation ? 'on' : 'off'}`);
        return { ...result, processMs, identical: checked.identical, differences: checked.differences };
      },
    })), { ...interleaving, progress });
    const splits = new Map<AppMode, TimeBreakdown>();
    for (const mode of timelineModes) {
      progress.step(`${mode}: a run recording the timeline (the split of the build phase; not in the medians)`);
      const { result } = await runUser(options, { mode, outdir: path.join(base, `timeline-${mode}`), validation: false, timeline: true, ...pendingCap });
      reference.check(result, false, `${mode} (timeline run)`);
      if (result.buildTimeline !== undefined) splits.set(mode, splitShares(result.phases.build, result.buildTimeline));
    }
    env = finishEnvironment(env);
    const figures = new Map<string, ModeFigures>(variants.map((v) => {
      const split = v.validation ? undefined : splits.get(v.mode);
      return [v.key, { ...condense(runs.get(v.key) ?? []), ...(split !== undefined ? { split } : {}) }];
    }));
    const byValidation = (validation: boolean, f: (m: ModeFigures) => number): Record<string, number> =>
      Object.fromEntries(modes.map((mode) => [mode, f(figures.get(`${mode}:${validation ? 'on' : 'off'}`) as ModeFigures)]));
    const files = [writeJson(options.out, 'cdk.json', {
      environment: env,
      question: `${subjectOf(options)} in each mode: build phase and whole run, each run a fresh process, compared with the native run`,
      app: displayName(options.file),
      subject: subjectOf(options),
      kind: options.kind,
      produced: reference.describe(),
      modeList: modes,
      repeats: options.repeats,
      retries: interleaving.retries,
      pendingCap: capKey(options.pendingCap ?? DEFAULT_PENDING_CAP),
      identicalToNative: reference.differing === 0,
      differences: reference.differences.slice(0, 10),
      validation: Object.fromEntries(validations.map((v) => [v ? 'on' : 'off', { buildMs: byValidation(v, (m) => m.buildMs.median), totalMs: byValidation(v, (m) => m.totalMs.median) }])),
      modes: Object.fromEntries(figures),
    })];
    if (validations.includes(false)) {
      files.push(writeChart(path.join(options.out, 'charts'), 'time-by-mode.svg', timeByModeChart(figures, { subject: subjectOf(options), modes: modes })));
    }
    const header = ['mode', 'build ms', 'build / native', 'whole run ms', 'whole / native', 'process ms', 'build calls pipelined / sync', 'identical to native'];
    const align = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] as const;
    const rows = (validation: boolean): (string | number)[][] => modes.map((mode) => {
      const key = `${mode}:${validation ? 'on' : 'off'}`;
      const m = figures.get(key) as ModeFigures;
      const native = figures.get(`native:${validation ? 'on' : 'off'}`);
      const same = (runs.get(key) ?? []).every((r) => r.identical);
      return [
        MODE_LABELS[mode],
        `${fmt(m.buildMs.median)} (${fmt(m.buildMs.min)}–${fmt(m.buildMs.max)})`,
        native === undefined ? '–' : `${fmt(m.buildMs.median / native.buildMs.median, 2)}×`,
        `${fmt(m.totalMs.median)} (${fmt(m.totalMs.min)}–${fmt(m.totalMs.max)})`,
        native === undefined ? '–' : `${fmt(m.totalMs.median / native.totalMs.median, 2)}×`,
        fmt(m.processMs.median),
        m.build.requests === 0 ? '–' : `${fmt(m.build.pipelinedRequests)} / ${fmt(m.build.syncRequests)}`,
        same ? 'yes' : '**no**',
      ];
    });
    const markdown = [
      `## ${subjectOf(options)}: modes compared`,
      '',
      `${subjectOf(options)} (natively: ${reference.describe()}) in each mode, each run a fresh child process, modes alternated, ${options.repeats} round${options.repeats === 1 ? '' : 's'}${options.warmups > 0 ? ` after ${options.warmups} warm-up round${options.warmups === 1 ? '' : 's'}` : ''}, median (min–max) ms. ` +
        `Build: ${BUILD_PHASE[options.kind]} Whole run: kernel start, build, synth and close inside the child; process: spawn to exit.`,
      '',
      ...validations.flatMap((v) => [`**Validation ${v ? 'on' : 'off'}**${v ? '' : ' (`CDK_VALIDATION=false`)'}:`, '', table(header, rows(v), align), '']),
      ...(validations.includes(false) ? ['![where the build phase time goes](charts/time-by-mode.svg)', ''] : []),
      ...(validations.includes(false) && modes.includes('inThread') ? [boundLine(figures), ''] : []),
      reference.line(),
      '',
      ...notes,
      ...retryNote(interleaving.retries),
      describeEnvironment(env),
    ].join('\n');
    reference.assertIdentical();
    return { id: 'cdk', markdown, files };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
};

/** The suites that run on the user's program, by command-line name. */
export const USER_SUITES: Readonly<Record<string, UserSuite>> = { sweep: userSweepSuite, overlap: userOverlapSuite, cdk: userModesSuite };
