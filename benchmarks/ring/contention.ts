/**
 * Busy processes for the contention runs: `count` child processes that each spin on a CPU for
 * at most `maxMs` (they stop by themselves even if this process dies) and are killed as soon
 * as the measurement is over.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** Runs `body` while `count` busy-looping processes compete for the CPUs. */
export async function withBusyProcesses<T>(count: number, maxMs: number, body: () => Promise<T>): Promise<T> {
  const children: ChildProcess[] = [];
  const killAll = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  try {
    const script = `const end = Date.now() + ${Math.ceil(maxMs)}; while (Date.now() < end) {}`;
    for (let i = 0; i < count; i++) children.push(spawn(process.execPath, ['-e', script], { stdio: 'ignore' }));
    // Let them start spinning before measuring.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return await body();
  } finally {
    killAll();
    process.removeListener('exit', killAll);
    await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
  }
}
