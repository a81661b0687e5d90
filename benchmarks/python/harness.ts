/**
 * Runs a Python app through the official Python jsii client on several runtimes (the
 * reference `@jsii/runtime`, jsii-ring's `bin/jsii-runtime.js`, with or without the
 * jsii_ring pipelining package), each run a fresh Python process, interleaved rounds,
 * and checks that every run wrote the same output as the first.
 *
 * An app takes `--outdir DIR --report FILE` (plus its own arguments), writes its output to
 * DIR and a JSON report (phases in seconds, facts) to FILE: `bench_report.py`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runtimeScript, type Runtime } from '../../test/transports/stdio-process.js';
import { QUIET_NODE_CHECKS } from '../../test/python-host/python-env.js';
import { interleave, type Progress } from '../research/harness.js';

/** One way of running the app. */
export interface PythonVariant {
  /** Key in results (`reference`, `ours`, `pipelined-64`, ...). */
  readonly key: string;
  /** The runtime program named in JSII_RUNTIME. */
  readonly runtime: Runtime;
  /** Extra environment (e.g. JSII_RING_PIPELINE=1). */
  readonly env?: Readonly<Record<string, string>>;
}

/** How two output directories compare. */
export interface OutputComparison {
  readonly identical: boolean;
  readonly differences: readonly string[];
  /** Files that differ only in stack traces (see compareCloudAssemblies), not differences. */
  readonly traceOnly?: readonly string[];
}

/** The app and how to judge its output. */
export interface PythonApp {
  /** The venv's interpreter. */
  readonly python: string;
  /** The app script. */
  readonly script: string;
  /** The app's own arguments (besides --outdir and --report). */
  readonly args: readonly string[];
  /** Compares a run's output directory with the expected one. */
  readonly compare: (expected: string, actual: string) => OutputComparison;
  /** A run that takes longer is killed and fails. @default 15 minutes */
  readonly timeoutMs?: number;
}

/** One run's figures. */
export interface PythonRun {
  readonly variant: string;
  /** Seconds from spawning Python to its exit. */
  readonly wall: number;
  /** Seconds per phase, as the app measured them. */
  readonly phases: Readonly<Record<string, number>>;
  /** The app's report (phases included). */
  readonly report: Readonly<Record<string, unknown>>;
  /** The output matched the expected one (the first run's). */
  readonly identical: boolean;
  readonly differences: readonly string[];
  /** Files that differed from the expected output only in stack traces. */
  readonly traceOnly: number;
}

/** A run that failed: the process's exit and the end of its stderr. */
export class PythonRunError extends Error {
  public override readonly name = 'PythonRunError';
  public readonly code = 'ERR_PYTHON_RUN';
}

/** The environment every run gets: the runtime, quiet Node checks, no stack traces of the host. */
function runEnv(variant: PythonVariant): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...QUIET_NODE_CHECKS, JSII_RUNTIME: runtimeScript(variant.runtime) };
  // A variant sets pipelining explicitly; nothing leaks in from the caller's environment.
  for (const name of Object.keys(env)) if (name.startsWith('JSII_RING_PIPELINE') || name === 'JSII_RING_PENDING_CAP') delete env[name];
  delete env.JSII_HOST_STACK_TRACES;
  delete env.JSII_DEBUG;
  return { ...env, ...variant.env };
}

/** Runs the app once with `variant`, output in `outdir`; resolves with its report. */
export async function runPythonApp(app: PythonApp, variant: PythonVariant, outdir: string): Promise<{ wall: number; report: Record<string, unknown>; stderr: string }> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const reportFile = `${outdir}.report.json`;
  fs.rmSync(reportFile, { force: true });
  const started = process.hrtime.bigint();
  const child = spawn(app.python, [app.script, '--outdir', outdir, '--report', reportFile, ...app.args], {
    env: runEnv(variant),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const timeoutMs = app.timeoutMs ?? 15 * 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  clearTimeout(timer);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0 || !fs.existsSync(reportFile)) {
    throw new PythonRunError(
      `${path.basename(app.script)} (${variant.key}) ${timedOut ? `did not finish within ${timeoutMs / 1000} s` : `exited with code ${code}`}:\n${stderr.slice(-4000)}`,
    );
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Record<string, unknown>;
  fs.rmSync(reportFile, { force: true });
  return { wall, report, stderr };
}

/** Options of {@link runPythonBench}. */
export interface PythonBenchOptions {
  readonly repeats: number;
  /** Unkept rounds first. @default 0 */
  readonly warmups?: number;
  readonly progress?: Progress;
  /** Where runs write (removed afterwards). @default a fresh temporary directory */
  readonly scratch?: string;
}

/** What {@link runPythonBench} measured. */
export interface PythonBenchResult {
  /** Kept runs per variant, in round order. */
  readonly runs: ReadonlyMap<string, readonly PythonRun[]>;
  /** The runs whose output differed from the expected output (none when all is well). */
  readonly mismatches: readonly PythonRun[];
}

/**
 * Runs every variant `repeats` times in interleaved rounds (order alternating), each run a
 * fresh Python process. The first run's output (warm-ups included) is the expected output;
 * every later run's output is compared with it, then removed.
 */
export async function runPythonBench(app: PythonApp, variants: readonly PythonVariant[], options: PythonBenchOptions): Promise<PythonBenchResult> {
  const scratch = options.scratch ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-python-bench-'));
  fs.mkdirSync(scratch, { recursive: true });
  const expected = path.join(scratch, 'expected');
  let haveExpected = false;
  let counter = 0;
  const mismatches: PythonRun[] = [];
  try {
    const measured = await interleave<PythonRun>(
      variants.map((variant) => ({
        key: variant.key,
        run: async (): Promise<PythonRun> => {
          const outdir = path.join(scratch, `run-${++counter}`);
          const { wall, report } = await runPythonApp(app, variant, outdir);
          let comparison: OutputComparison = { identical: true, differences: [] };
          if (!haveExpected) {
            fs.renameSync(outdir, expected);
            haveExpected = true;
          } else {
            comparison = app.compare(expected, outdir);
            fs.rmSync(outdir, { recursive: true, force: true });
          }
          const run: PythonRun = {
            variant: variant.key,
            wall,
            phases: (report.phases ?? {}) as Record<string, number>,
            report,
            identical: comparison.identical,
            differences: comparison.differences.slice(0, 20),
            traceOnly: comparison.traceOnly?.length ?? 0,
          };
          if (!run.identical) mismatches.push(run);
          return run;
        },
      })),
      { repeats: options.repeats, warmups: options.warmups ?? 0, ...(options.progress !== undefined ? { progress: options.progress } : {}) },
    );
    return { runs: measured, mismatches };
  } finally {
    if (options.scratch === undefined) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Compares two directories file by file, byte for byte. */
export function compareDirectories(expected: string, actual: string): OutputComparison {
  const list = (dir: string, rel = ''): string[] =>
    fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      return e.isDirectory() ? list(dir, child) : [child];
    });
  const a = list(expected).sort();
  const b = list(actual).sort();
  const differences: string[] = [];
  const inB = new Set(b);
  const inA = new Set(a);
  for (const f of a) if (!inB.has(f)) differences.push(`${f}: only in the expected output`);
  for (const f of b) if (!inA.has(f)) differences.push(`${f}: only in this run's output`);
  for (const f of a) {
    if (inB.has(f) && !fs.readFileSync(path.join(expected, f)).equals(fs.readFileSync(path.join(actual, f)))) {
      differences.push(`${f}: contents differ`);
    }
  }
  return { identical: differences.length === 0, differences };
}
