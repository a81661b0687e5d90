/**
 * Runs one measurement in a fresh Node process, so module caches, JIT state and the
 * kernel are cold in the same way for every mode. The child writes its result as JSON to a
 * file the parent names; its stdout and stderr go to the parent's stderr (stdout is kept
 * for the Markdown report).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchmarkError } from './errors.js';

/** What a child run returns. */
export interface ChildResult<T> {
  readonly result: T;
  /** Spawn to exit, ms: process start-up and shutdown included. */
  readonly processMs: number;
}

let counter = 0;

/**
 * Runs `node [nodeArgs] <entry> <config JSON> <result file>` and returns the parsed result file.
 * A non-zero exit or a missing result is an error carrying the child's exit status.
 */
export async function runChild<T>(entry: string, config: unknown, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<ChildResult<T>> {
  const resultFile = path.join(os.tmpdir(), `jsii-ring-bench-${process.pid}-${++counter}.json`);
  fs.rmSync(resultFile, { force: true });
  const started = performance.now();
  let tail = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, entry, JSON.stringify(config), resultFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    child.stdout.pipe(process.stderr, { end: false });
    child.stderr.pipe(process.stderr, { end: false });
    // The end of the child's stderr goes into the error message (its first line names the failure).
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const processMs = performance.now() - started;
  if (code !== 0 || !fs.existsSync(resultFile)) {
    const reason = tail.trim().split('\n').find((line) => line.trim() !== '') ?? '';
    throw new BenchmarkError(`benchmark child ${path.basename(entry)} failed (exit code ${String(code)}) for ${JSON.stringify(config)}${reason !== '' ? `: ${reason}` : ''}`);
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as T;
  fs.rmSync(resultFile, { force: true });
  return { result, processMs };
}

/**
 * The child side: parses the config from argv, runs `body`, writes its result where the
 * parent asked. Exits non-zero (with the stack on stderr) on failure.
 */
export function childMain<C, T>(body: (config: C) => Promise<T>): void {
  const [configText, resultFile] = process.argv.slice(2);
  if (configText === undefined || resultFile === undefined) {
    process.stderr.write('usage: node <child entry> <config JSON> <result file>\n');
    process.exitCode = 2;
    return;
  }
  body(JSON.parse(configText) as C).then(
    (result) => {
      fs.writeFileSync(resultFile, JSON.stringify(result));
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
