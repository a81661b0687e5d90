/**
 * A jsii runtime program (ours, `bin/jsii-runtime.js`, or the reference) driven line by line,
 * for wire-level tests: the test writes exactly the lines it wants and reads each answer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { onLines } from '../../lib/transports/stream-lines.js';
import { repoRoot } from '../helpers/repo-root.js';

/** Which program to run. */
export type Runtime = 'ours' | 'reference';

/** The path a host names in `JSII_RUNTIME` for each runtime. */
export function runtimeScript(runtime: Runtime): string {
  return runtime === 'ours'
    ? join(repoRoot(), 'bin', 'jsii-runtime.js')
    : join(repoRoot(), 'node_modules', '@jsii', 'runtime', 'webpack', 'bin', 'jsii-runtime.js');
}

/** A running runtime program. */
export class StdioProcess {
  public readonly child: ChildProcessWithoutNullStreams;
  /** Every stderr line so far. */
  public readonly stderrLines: string[] = [];
  readonly #lines: string[] = [];
  #waiter: ((line: string | null) => void) | undefined;
  #closed = false;
  readonly #exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  public constructor(runtime: Runtime, env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [runtimeScript(runtime)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', ...env },
    });
    this.child.stdin.on('error', () => undefined);
    this.#exit = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    onLines(this.child.stderr, (line) => this.stderrLines.push(line));
    onLines(this.child.stdout, (line) => this.#push(line), () => {
      this.#closed = true;
      this.#waiter?.(null);
    });
  }

  /** Writes one line: a value as JSON, or a string as is. */
  public send(message: unknown): void {
    this.child.stdin.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  }

  /** The next stdout line, raw; null once stdout has ended. Fails after `timeoutMs`. */
  public async nextLine(timeoutMs = 60_000): Promise<string | null> {
    const queued = this.#lines.shift();
    if (queued !== undefined) return queued;
    if (this.#closed) return null;
    return new Promise<string | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`no stdout line within ${timeoutMs} ms; stderr: ${this.decodedStderr()}`));
      }, timeoutMs);
      this.#waiter = (line) => {
        clearTimeout(timer);
        this.#waiter = undefined;
        resolve(line);
      };
    });
  }

  /** The next stdout line, parsed. */
  public async next(timeoutMs?: number): Promise<Record<string, unknown>> {
    const line = await this.nextLine(timeoutMs);
    if (line === null) throw new Error(`stdout ended; stderr: ${this.decodedStderr()}`);
    return JSON.parse(line) as Record<string, unknown>;
  }

  /** Sends a request and reads its answer. */
  public async request(message: unknown): Promise<Record<string, unknown>> {
    this.send(message);
    return this.next();
  }

  /** The bytes stderr carried, with framed `{"stdout"|"stderr": base64}` lines decoded per stream. */
  public console(): { stdout: string; stderr: string; raw: string[] } {
    let stdout = '';
    let stderr = '';
    const raw: string[] = [];
    for (const line of this.stderrLines) {
      const framed = parseFramed(line);
      if (framed === undefined) raw.push(line);
      else if (framed.tag === 'stdout') stdout += framed.text;
      else stderr += framed.text;
    }
    return { stdout, stderr, raw };
  }

  /** stderr as text (framed lines decoded), for failure messages. */
  public decodedStderr(): string {
    const { stdout, stderr, raw } = this.console();
    return [stderr, stdout, ...raw].join('\n').slice(-4000);
  }

  /** Closes stdin and waits for the exit. */
  public async end(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    return this.exited();
  }

  /** Waits for the exit (SIGKILL after `timeoutMs`). */
  public async exited(timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.#exit;
    } finally {
      clearTimeout(timer);
    }
  }

  #push(line: string): void {
    if (this.#waiter !== undefined) this.#waiter(line);
    else this.#lines.push(line);
  }
}

function parseFramed(line: string): { tag: 'stdout' | 'stderr'; text: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { stdout?: unknown; stderr?: unknown };
    if (typeof value.stdout === 'string') return { tag: 'stdout', text: Buffer.from(value.stdout, 'base64').toString('utf8') };
    if (typeof value.stderr === 'string') return { tag: 'stderr', text: Buffer.from(value.stderr, 'base64').toString('utf8') };
  } catch {
    // not framed
  }
  return undefined;
}

/** An answer without its `stack` (stacks name each runtime's own files), for comparing runtimes. */
export function withoutStack(answer: Record<string, unknown>): Record<string, unknown> {
  const { stack: _stack, ...rest } = answer;
  return rest;
}
