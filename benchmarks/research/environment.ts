/**
 * What every result file records about the run: the command, Node version, CPU, load
 * average and date, so a reader can judge figures taken on a shared machine.
 */
import * as os from 'node:os';

/** The machine and moment of a run. */
export interface RunEnvironment {
  readonly command: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly platform: string;
  /** ISO date the run started. */
  readonly date: string;
  /** `os.loadavg()` (1, 5, 15 minutes) when the run started. */
  readonly loadAverageBefore: readonly number[];
  /** `os.loadavg()` when the run ended (filled in by {@link finishEnvironment}). */
  readonly loadAverageAfter?: readonly number[];
  /** Seconds the run took (filled in by {@link finishEnvironment}). */
  readonly seconds?: number;
}

/** Describes this machine now; `command` is the command line that reproduces the run. */
export function startEnvironment(command: string): RunEnvironment {
  return {
    command,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    loadAverageBefore: os.loadavg().map(round2),
  };
}

/** Adds the load average at the end and the run's duration. */
export function finishEnvironment(env: RunEnvironment): RunEnvironment {
  return { ...env, loadAverageAfter: os.loadavg().map(round2), seconds: Math.round((Date.now() - Date.parse(env.date)) / 1000) };
}

/** One line for Markdown: command, Node, CPU, load average, date. */
export function describeEnvironment(env: RunEnvironment): string {
  const load = `1-min load average ${env.loadAverageBefore[0] ?? '?'} before / ${env.loadAverageAfter?.[0] ?? '?'} after`;
  // A run on the user's own program needs no build of this repository first.
  const built = / --(app|script)[ =]/.test(env.command) ? '' : ' (after `npx tsc -p tsconfig.json`)';
  return `Command: \`${env.command}\`${built} · Node ${env.node} · ${env.cpu}, ${env.cores} vCPUs · ${load} · ${env.date.slice(0, 10)}${env.seconds !== undefined ? ` · took ${env.seconds} s` : ''}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
