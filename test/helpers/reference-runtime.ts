/**
 * Drives the reference `@jsii/runtime` (a child process) over its stdio protocol:
 * newline-delimited JSON, first line `{"hello":...}`, then one `{ok}`/`{error}` per request,
 * with `{"callback":...}` lines in between that the host answers with `{"complete":...}`.
 *
 * Nesting: while a callback is being answered, the callback's code may make requests of its
 * own. The runtime answers them before it expects the `complete`, so the responses match a
 * stack of outstanding requests: a response always belongs to the innermost one. Top-level
 * requests are queued so that at most one is outstanding outside callbacks.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { Callback, KernelRequest } from '../../lib/protocol/api.js';
import {
  DriverError, DriverErrorCode, unexpectedCallbackAnswer,
  type CallbackAnswer, type Envelope, type ProtocolDriver,
} from './protocol-driver.js';
import { onLines } from '../../lib/transports/stream-lines.js';
import { repoRoot } from './repo-root.js';

/** Options of {@link startReferenceRuntime}. */
export interface ReferenceRuntimeOptions {
  /** Name in reports. @default 'reference' */
  readonly label?: string;
  /** A request (including its callbacks) unanswered after this long fails the driver. @default 30000 */
  readonly timeoutMs?: number;
  /**
   * Script run by `node` instead of the reference runtime (tests of the driver itself use a
   * stand-in that misbehaves on purpose). @default node_modules/@jsii/runtime/webpack/bin/jsii-runtime.js
   */
  readonly entryPoint?: string;
}

interface Pending {
  readonly resolve: (envelope: Envelope) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Keeps the tail of the runtime's stderr for error messages. */
const STDERR_TAIL = 4_096;

class ReferenceRuntimeDriver implements ProtocolDriver {
  public readonly label: string;
  public onCallback: (cb: Callback, driver: ProtocolDriver) => Promise<CallbackAnswer> = async (cb) =>
    unexpectedCallbackAnswer(cb);

  readonly #child: ChildProcessWithoutNullStreams;
  readonly #timeoutMs: number;
  readonly #hello: Promise<string>;
  #resolveHello!: (hello: string) => void;
  #rejectHello!: (error: Error) => void;
  /** Outstanding requests, innermost last. */
  readonly #stack: Pending[] = [];
  /** Callbacks being answered right now: requests made meanwhile are nested. */
  #activeCallbacks = 0;
  /** Serializes top-level requests. */
  #tail: Promise<unknown> = Promise.resolve();
  #stderr = '';
  #gone: DriverError | undefined;
  #exited: Promise<void>;

  public constructor(options: ReferenceRuntimeOptions) {
    this.label = options.label ?? 'reference';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#hello = new Promise<string>((resolve, reject) => {
      this.#resolveHello = resolve;
      this.#rejectHello = reject;
    });
    this.#hello.catch(() => undefined); // Observed through request(); never unhandled.
    const runtime = options.entryPoint ?? join(repoRoot(), 'node_modules', '@jsii', 'runtime', 'webpack', 'bin', 'jsii-runtime.js');
    this.#child = spawn(process.execPath, [runtime], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
    });
    this.#exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.once('exit', (code, signal) => this.#fail(new DriverError(DriverErrorCode.GONE,
      `reference runtime exited (code ${code}, signal ${signal})${this.#stderrTail()}`)));
    this.#child.once('error', (error) => this.#fail(new DriverError(DriverErrorCode.GONE,
      `reference runtime failed to start: ${error.message}`, { cause: error })));
    this.#child.stdin.on('error', () => undefined); // EPIPE after exit is reported by 'exit'.
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL);
    });
    onLines(this.#child.stdout, (line) => this.#onLine(line));
  }

  public request(req: KernelRequest): Promise<Envelope> {
    if (this.#activeCallbacks > 0) {
      return this.#send(req);
    }
    const result = this.#tail.then(() => this.#send(req));
    this.#tail = result.catch(() => undefined);
    return result;
  }

  public async close(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.stdin.end();
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), 2_000);
      await this.#exited;
      clearTimeout(timer);
    }
    this.#fail(new DriverError(DriverErrorCode.GONE, 'driver closed'));
  }

  async #send(req: KernelRequest): Promise<Envelope> {
    await this.#hello;
    if (this.#gone !== undefined) throw this.#gone;
    return new Promise<Envelope>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new DriverError(DriverErrorCode.TIMEOUT,
          `reference runtime gave no answer to ${JSON.stringify(req)} within ${this.#timeoutMs} ms${this.#stderrTail()}`);
        this.#fail(error);
        this.#child.kill('SIGKILL');
      }, this.#timeoutMs);
      this.#stack.push({ resolve, reject, timer });
      this.#write(req);
    });
  }

  #write(message: unknown): void {
    this.#child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  #onLine(line: string): void {
    if (line.trim() === '') return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      this.#fail(new DriverError(DriverErrorCode.PROTOCOL, `reference runtime wrote a non-JSON line: ${line}`, { cause: error }));
      return;
    }
    if ('hello' in message) {
      this.#resolveHello(String(message.hello));
    } else if ('callback' in message) {
      void this.#answer(message.callback as Callback);
    } else if ('ok' in message || 'error' in message) {
      const pending = this.#stack.pop();
      if (pending === undefined) {
        this.#fail(new DriverError(DriverErrorCode.PROTOCOL, `reference runtime answered nothing outstanding: ${line}`));
        return;
      }
      clearTimeout(pending.timer);
      pending.resolve(message as Envelope);
    } else {
      this.#fail(new DriverError(DriverErrorCode.PROTOCOL, `reference runtime wrote an unknown message: ${line}`));
    }
  }

  async #answer(cb: Callback): Promise<void> {
    this.#activeCallbacks++;
    let answer: CallbackAnswer;
    try {
      answer = await this.onCallback(cb, this);
    } catch (error) {
      answer = { err: `callback handler threw: ${(error as Error).message}` };
    } finally {
      this.#activeCallbacks--;
    }
    this.#write({ complete: { cbid: cb.cbid, ...answer } });
  }

  #fail(error: DriverError): void {
    if (this.#gone === undefined) this.#gone = error;
    this.#rejectHello(error);
    for (const pending of this.#stack.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  #stderrTail(): string {
    const text = this.#stderr.split('\n').map(decodeStderrLine).join('\n').trim();
    return text === '' ? '' : `\n--- stderr (tail) ---\n${text}`;
  }
}

/** The runtime wraps its child's output as `{"stderr":"<base64>"}` lines; unwrap them. */
function decodeStderrLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const parsed = JSON.parse(line) as { stderr?: string; stdout?: string };
    const payload = parsed.stderr ?? parsed.stdout;
    return payload === undefined ? line : Buffer.from(payload, 'base64').toString('utf8');
  } catch {
    return line;
  }
}

/**
 * Spawns `node node_modules/@jsii/runtime/webpack/bin/jsii-runtime.js` and returns a
 * driver for it. The process starts at once; the first request waits for its hello.
 */
export function startReferenceRuntime(options: ReferenceRuntimeOptions = {}): ProtocolDriver {
  return new ReferenceRuntimeDriver(options);
}
