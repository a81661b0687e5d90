/**
 * Our kernel as a drop-in for the reference runtime's program: a hello line, then one JSON
 * request per line on stdin and one JSON answer per line on stdout (`{"ok": …}` /
 * `{"error": …, "name": …, "stack": …}`), callbacks as `{"callback": …}` answered by
 * `{"complete": …}`. The library's console output goes to stderr framed as
 * `{"stdout"|"stderr": "<base64>"}` lines, as the reference frames it.
 *
 * The hello names `@jsii/runtime@<version>` (the version every official host checks) and
 * adds `capabilities` (which those hosts ignore), so a host that asks can find the
 * extensions. They stay off until the host sends one line
 * `{"negotiate": {"extensions": [...]}}` (answered `{"ok": {"extensions": [...]}}`).
 *
 * Exact protocol: lib/transports/STDIO-PROTOCOL.md. Deliberate differences from the
 * reference: lib/kernel/COMPATIBILITY.md.
 */
import { JsiiFault, JsiiRuntimeError } from '../errors.js';
import { SETTLE_AFTER } from '../kernel/async-requests.js';
import { Kernel } from '../kernel/kernel.js';
import type { Callback, HelloResponse, KernelRequest } from '../protocol/api.js';
import { EXT_ALIAS_NOTICES, EXT_LOAD_PATH, EXT_OBJID, EXT_PIPELINE, FAULT_NAME, KERNEL_APIS, PROTOCOL_VERSION, RUNTIME_ERROR_NAME } from '../protocol/api.js';
import { frameConsole } from './stdio-console.js';
import { SyncLineReader, SyncWriter } from './stdio-io.js';
import { type ResolvedStdioServerOptions, type StdioServerOptions, resolveStdioOptions } from './stdio-options.js';

export { REFERENCE_RUNTIME_VERSION, stdioOptionsFromEnv, type StdioServerOptions } from './stdio-options.js';
export { SyncLineReader, SyncWriter } from './stdio-io.js';

/** Extensions a host may negotiate over stdio. */
export const STDIO_EXTENSIONS: readonly string[] = [EXT_OBJID, EXT_LOAD_PATH, EXT_PIPELINE, EXT_ALIAS_NOTICES];

/**
 * Pipelining flow control: the most request bytes a host may have written since it last
 * waited for an answer. Below every platform's pipe capacity, so a host's write never
 * blocks while the server is blocked writing to it (STDIO-PROTOCOL.md, "Flow control").
 */
export const PIPELINE_WINDOW = 8 * 1024;

/** Request fields of the `pipeline` extension. */
const SEQ = '$jsii.seq';
const NO_REPLY = '$jsii.noreply';
const NESTED = '$jsii.callback';

/** The reference's message for a callback interrupted by the end of input or `exit`. */
const INTERRUPTED = 'Interrupted before callback returned';

type Message = Record<string, unknown>;

/** How to answer a request: its `$jsii.seq` (echoed as `seq`), and whether success goes unanswered. */
interface Tag {
  readonly seq: number | undefined;
  readonly noReply: boolean;
}
const NO_TAG: Tag = { seq: undefined, noReply: false };

/** The file descriptors a session talks on. */
interface Descriptors {
  readonly input: number;
  readonly output: number;
  readonly errors: number;
}

/** One host's session: reads requests, answers them, serves callbacks in between. */
class StdioSession {
  readonly #options: ResolvedStdioServerOptions;
  readonly #reader: SyncLineReader;
  readonly #output: SyncWriter;
  readonly #log: (text: string) => void;
  readonly #kernel: Kernel;
  /** Extension `pipeline`: on once negotiated. */
  #pipeline = false;
  /** Extension `alias-notices`: on once negotiated. */
  #aliasNotices = false;
  /**
   * Pipelined requests the host wrote before it saw a callback, read while waiting for that
   * callback's completion: served, in order, once the request that made the callback is done.
   */
  readonly #queued: Message[] = [];

  public constructor(options: ResolvedStdioServerOptions, fds: Descriptors) {
    this.#options = options;
    this.#reader = new SyncLineReader(fds.input);
    this.#output = new SyncWriter(fds.output);
    this.#log = frameConsole(new SyncWriter(fds.errors));
    this.#kernel = new Kernel({ ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}) });
    this.#kernel.callbackHandler = (callback) => this.#callback(callback);
  }

  /** Serves until the end of input (exit code 0) or `{"exit": code}` (that code). */
  public async run(): Promise<number> {
    this.#write(this.#hello(), false);
    for (;;) {
      let message = this.#queued.shift();
      if (message === undefined) {
        const line = this.#reader.readLine();
        if (line === null) {
          return 0;
        }
        try {
          message = parseLine(line);
        } catch (error) {
          this.#writeError(error);
          continue;
        }
        if (message === undefined) {
          continue;
        }
        this.#trace(message);
      }
      if ('exit' in message) {
        return exitCode(message.exit);
      }
      if ('negotiate' in message) {
        this.#negotiate(message.negotiate);
        continue;
      }
      await this.#serve(message);
      // Let the library's promise jobs and timers run between requests, as the reference does.
      await settle();
    }
  }

  #hello(): HelloResponse {
    return {
      hello: `@jsii/runtime@${this.#options.runtimeVersion}`,
      capabilities: { protocol: PROTOCOL_VERSION, codecs: ['json'], extensions: STDIO_EXTENSIONS, server: this.#kernel.hello().hello },
    };
  }

  #negotiate(body: unknown): void {
    const wanted = (body as { extensions?: unknown } | null)?.extensions;
    if (typeof body !== 'object' || body === null || !Array.isArray(wanted) || !wanted.every((e) => typeof e === 'string')) {
      this.#writeError(new JsiiFault('Malformed negotiate: expected {"negotiate": {"extensions": ["<name>", ...]}}'));
      return;
    }
    const unknown = (wanted as string[]).find((name) => !STDIO_EXTENSIONS.includes(name));
    if (unknown !== undefined) {
      this.#writeError(new JsiiFault(`Unknown extension '${unknown}' (this server offers: ${STDIO_EXTENSIONS.join(', ')})`));
      return;
    }
    this.#kernel.enableExtensions((wanted as string[]).filter((name) => name !== EXT_PIPELINE));
    this.#pipeline = wanted.includes(EXT_PIPELINE);
    this.#aliasNotices = wanted.includes(EXT_ALIAS_NOTICES);
    this.#write({ ok: this.#pipeline ? { extensions: wanted, window: PIPELINE_WINDOW } : { extensions: wanted } });
  }

  /** Serves one top-level request: answers after its promise (`end`) or a settle (`begin`, `complete`). */
  async #serve(message: Message): Promise<void> {
    let tag: Tag;
    try {
      tag = this.#tagOf(message);
    } catch (error) {
      this.#writeError(error);
      return;
    }
    let result: unknown;
    try {
      result = this.#kernel.dispatch(message as unknown as KernelRequest);
    } catch (error) {
      this.#writeError(error, tag);
      return;
    }
    if (isThenable(result)) {
      try {
        this.#writeOk(await result, tag);
      } catch (error) {
        this.#writeError(error, tag);
      }
      return;
    }
    if (SETTLE_AFTER.has(message.api as string)) {
      // The reference answers these after one event loop turn, so the library's
      // continuation has run (and queued its callbacks) before the host hears back.
      await settle();
    }
    this.#writeOk(result, tag);
  }

  /** The pipelining fields of a request (none unless `pipeline` was negotiated). */
  #tagOf(message: Message): Tag {
    if (!this.#pipeline) {
      return NO_TAG;
    }
    const seq = message[SEQ];
    if (seq !== undefined && !(typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0)) {
      throw new JsiiFault(`Malformed request: "${SEQ}" must be a non-negative integer, got ${JSON.stringify(seq)}`);
    }
    const noReply = message[NO_REPLY];
    if (noReply !== undefined && typeof noReply !== 'boolean') {
      throw new JsiiFault(`Malformed request: "${NO_REPLY}" must be a boolean, got ${JSON.stringify(noReply)}`);
    }
    return { seq, noReply: noReply === true };
  }

  /**
   * A sync callback into a host override: writes it, then serves the host's nested requests
   * until the `complete` naming this callback. As in the reference, a line that is not a
   * request (a `complete` for another callback, no `api`) fails the callback, and so does
   * the end of input or `exit`.
   */
  #callback(callback: Callback): unknown {
    this.#write({ callback });
    // Extension `pipeline`: the first failure of the handler's own no-reply requests since
    // its last request with a reply (whose answer showed the host every earlier failure).
    // The completion then fails with it: the handler's call would have raised it first.
    let nestedFailure: unknown;
    for (;;) {
      const line = this.#reader.readLine();
      if (line === null) {
        throw new JsiiFault(INTERRUPTED);
      }
      const message = parseLine(line);
      if (message === undefined) {
        continue;
      }
      this.#trace(message);
      if ('exit' in message) {
        throw new JsiiFault(INTERRUPTED);
      }
      const completion = message.complete as { cbid?: unknown; err?: unknown; name?: unknown; result?: unknown } | undefined;
      if (typeof completion === 'object' && completion !== null && completion.cbid === callback.cbid) {
        if (nestedFailure !== undefined) {
          // What a host's synchronous call would have raised in the handler, and the handler
          // then sent as `err`: the error's message, a RuntimeError to the library.
          throw new JsiiRuntimeError(errorAnswer(nestedFailure, true).error);
        }
        if (completion.err) {
          const text = String(completion.err);
          throw completion.name === FAULT_NAME ? new JsiiFault(text) : new JsiiRuntimeError(text);
        }
        return completion.result;
      }
      if (this.#pipeline && !(NESTED in message) && !('complete' in message)) {
        // Written by a pipelining host before it read this callback: its turn comes later.
        this.#queued.push(message);
        continue;
      }
      if ('callback' in message) {
        throw new JsiiFault('Unexpected `callback` result. This request should have been processed by a callback handler');
      }
      if (!('api' in message)) {
        throw new JsiiFault('Malformed request, "api" field is required');
      }
      if (typeof message.api === 'string' && !(KERNEL_APIS as readonly string[]).includes(message.api)) {
        // The reference looks the api up before its error handling: the callback fails,
        // and the library sees the `Error` as a RuntimeError named after it.
        throw new JsiiRuntimeError(`Error: Invalid kernel api call: ${message.api}`);
      }
      let tag: Tag = NO_TAG;
      try {
        tag = this.#tagOf(message);
        const result = this.#kernel.dispatch(message as unknown as KernelRequest);
        if (!tag.noReply) nestedFailure = undefined;
        this.#writeOk(result, tag);
      } catch (error) {
        if (!tag.noReply) nestedFailure = undefined;
        else if (nestedFailure === undefined) nestedFailure = error;
        this.#writeError(error, tag);
      }
    }
  }

  #writeOk(result: unknown, tag: Tag = NO_TAG): void {
    this.#writeAliasNotices();
    if (tag.noReply) {
      return;
    }
    this.#write(tag.seq === undefined ? { ok: result ?? {} } : { ok: result ?? {}, seq: tag.seq });
  }

  #writeError(error: unknown, tag: Tag = NO_TAG): void {
    this.#writeAliasNotices();
    const answer = errorAnswer(error, this.#options.noStack);
    this.#write(tag.seq === undefined ? answer : { ...answer, seq: tag.seq });
  }

  /**
   * Extension `alias-notices`: the host ids the request just served made aliases of objects
   * that already had an id, as `{"aliases":[{"objid":"h7","target":"<fqn>@10003"}]}`,
   * written before the request's answer or failure (also for a no-reply request).
   */
  #writeAliasNotices(): void {
    if (this.#aliasNotices) {
      const notices = this.#kernel.takeAliasNotices();
      if (notices.length > 0) {
        this.#write({ aliases: notices });
      }
    }
  }

  /** `JSII_DEBUG`: each request as the reference logs it. */
  #trace(message: Message): void {
    if (this.#options.debug) {
      this.#log(`> ${JSON.stringify(message)}\n`);
    }
  }

  #write(message: unknown, log = true): void {
    const text = JSON.stringify(message);
    this.#output.writeLine(text);
    if (log && this.#options.debug) {
      this.#log(`< ${text}\n`);
    }
  }
}

/**
 * Parses one input line: a JSON object, or undefined for a blank line. The reference's
 * recorded-session forms are accepted as it accepts them: `< …` lines are skipped, a
 * `> ` prefix is dropped. Anything else is a Fault.
 */
function parseLine(line: string): Message | undefined {
  let text = line;
  if (text.startsWith('< ') || text.trim() === '') {
    return undefined;
  }
  if (text.startsWith('> ')) {
    text = text.slice(2);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsiiFault(`Malformed request line (not JSON: ${(error as Error).message}): ${preview(text)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JsiiFault(`Malformed request: expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Message;
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The answer for a failed request; `stack` is always there unless `noStack`. */
export function errorAnswer(error: unknown, noStack: boolean): { error: string; name: string; stack?: string } {
  const e = error instanceof Error ? error : new JsiiRuntimeError(String(error));
  const name = typeof e.name === 'string' && e.name !== '' ? e.name : RUNTIME_ERROR_NAME;
  const message = typeof e.message === 'string' ? e.message : String(e.message);
  if (noStack) {
    return { error: message, name };
  }
  const stack = typeof e.stack === 'string' ? e.stack : `${name}: ${message}`;
  return { error: message, name, stack };
}

/** The exit code of `{"exit": code}`: an integer taken modulo 256, else 0. */
function exitCode(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? value & 0xff : 0;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Serves the kernel over stdin/stdout (fds 0 and 1, console framed on fd 2) until stdin ends
 * or the host sends `{"exit": code}`; resolves with the exit code. Replaces the process's
 * `stdout`/`stderr` streams for good: call it only in a process of its own.
 */
export async function serveStdio(options: StdioServerOptions = {}): Promise<number> {
  const session = new StdioSession(resolveStdioOptions(options), { input: 0, output: 1, errors: 2 });
  return session.run();
}
