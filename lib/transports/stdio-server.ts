/**
 * Our kernel as a drop-in for the reference runtime's program: a greeting line, then one
 * JSON request per line on stdin and one JSON answer per line on stdout
 * (`{"ok": …}` / `{"error": …, "name": …, "stack": …}`), callbacks as
 * `{"callback": …}` answered by `{"complete": …}`.
 *
 * Extensions are off until the host asks with one line `{"negotiate": {"extensions": [...]}}`
 * (answered `{"ok": {"extensions": [...]}}`), so a host that never asks sees plain jsii.
 *
 * Library code that writes to stdout would corrupt the protocol, so `process.stdout` is
 * redirected to stderr and protocol lines go straight to fd 1.
 */
import * as fs from 'node:fs';
import type { Callback, KernelRequest } from '../protocol/api.js';
import { FAULT_NAME, RUNTIME_ERROR_NAME } from '../protocol/api.js';
import { Kernel } from '../kernel/kernel.js';
import { SERVER_EXTENSIONS } from '../worker/ring-server.js';
import { CODEC_NAMES } from '../protocol/codec.js';
import { PROTOCOL_VERSION, EXT_PIPELINE } from '../protocol/api.js';

/** Reads lines from a file descriptor synchronously (the kernel may block inside a callback). */
export class SyncLineReader {
  readonly #fd: number;
  readonly #chunk = Buffer.alloc(64 * 1024);
  #buffered = '';
  readonly #sleeper = new Int32Array(new SharedArrayBuffer(4));

  public constructor(fd: number) {
    this.#fd = fd;
  }

  /** The next line without its newline, or null at end of input. */
  public readLine(): string | null {
    for (;;) {
      const newline = this.#buffered.indexOf('\n');
      if (newline >= 0) {
        const line = this.#buffered.slice(0, newline);
        this.#buffered = this.#buffered.slice(newline + 1);
        return line;
      }
      let read: number;
      try {
        read = fs.readSync(this.#fd, this.#chunk, 0, this.#chunk.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // A non-blocking pipe with nothing in it yet: nap briefly, then retry.
          Atomics.wait(this.#sleeper, 0, 0, 1);
          continue;
        }
        if (code === 'EOF') {
          read = 0;
        } else {
          throw error;
        }
      }
      if (read === 0) {
        if (this.#buffered.length > 0) {
          const rest = this.#buffered;
          this.#buffered = '';
          return rest;
        }
        return null;
      }
      this.#buffered += this.#chunk.toString('utf8', 0, read);
    }
  }
}

/** Serves the kernel over stdin/stdout until stdin ends or the host sends `{"exit": …}`. */
export async function serveStdio(options: { readonly cacheDir?: string } = {}): Promise<void> {
  const out = (value: unknown): void => {
    fs.writeSync(1, `${JSON.stringify(value)}\n`);
  };
  // Keep library output off the protocol channel.
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const reader = new SyncLineReader(0);
  const kernel = new Kernel({ cacheDir: options.cacheDir });
  kernel.callbackHandler = (callback: Callback) => runCallback(callback);

  const serve = (request: KernelRequest): unknown => {
    try {
      return kernel.dispatch(request);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const answer = async (request: KernelRequest): Promise<void> => {
    try {
      const result = await serve(request);
      out({ ok: result ?? {} });
    } catch (error) {
      out(toErrorLine(error));
    }
  };
  const runCallback = (callback: Callback): unknown => {
    out({ callback });
    for (;;) {
      const line = reader.readLine();
      if (line === null) {
        throw new Error('The host closed stdin while a callback was running');
      }
      const message = parse(line);
      if (message === undefined) {
        out({ error: 'Malformed request line: not a JSON object', name: FAULT_NAME });
        continue;
      }
      if ('complete' in message) {
        const completion = message.complete as { cbid: string; err?: string; name?: string; result?: unknown };
        if (completion.err !== undefined) {
          const error = new Error(completion.err);
          error.name = completion.name ?? RUNTIME_ERROR_NAME;
          throw error;
        }
        return completion.result;
      }
      try {
        const result = kernel.dispatch(message as unknown as KernelRequest);
        out({ ok: result ?? {} });
      } catch (error) {
        out(toErrorLine(error));
      }
    }
  };

  out({ hello: kernel.hello().hello, capabilities: { protocol: PROTOCOL_VERSION, codecs: CODEC_NAMES.filter((c) => c === 'json'), extensions: SERVER_EXTENSIONS.filter((e) => e !== EXT_PIPELINE) } });
  for (;;) {
    const line = reader.readLine();
    if (line === null) {
      return;
    }
    if (line.trim() === '') {
      continue;
    }
    const message = parse(line);
    if (message === undefined) {
      out({ error: `Malformed request line: ${line.slice(0, 80)}`, name: FAULT_NAME });
      continue;
    }
    if ('exit' in message) {
      return;
    }
    if ('negotiate' in message) {
      const wanted = ((message.negotiate as { extensions?: unknown }).extensions ?? []) as string[];
      try {
        kernel.enableExtensions(wanted);
        out({ ok: { extensions: wanted } });
      } catch (error) {
        out(toErrorLine(error));
      }
      continue;
    }
    await answer(message as unknown as KernelRequest);
    // Let promises of async methods make progress between requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toErrorLine(error: unknown): { error: string; name: string; stack?: string } {
  if (error instanceof Error) {
    // The kernel's own error name, as the reference runtime writes it (see ring-server.ts).
    return { error: error.message, name: error.name, stack: error.stack };
  }
  return { error: String(error), name: RUNTIME_ERROR_NAME };
}
