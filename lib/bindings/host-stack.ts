/**
 * Host call sites on kernel errors. The error a connection throws carries the library's
 * message and the kernel-side stack; the bindings append the host frames that made the
 * call, so both stacks are in one `stack`.
 */
import * as path from 'node:path';

/** The line that separates the kernel-side frames from the host's. */
export const HOST_STACK_MARKER = '    --- host call site ---';

/**
 * The bindings' own frames, compiled (`dist/lib/bindings/`) or, when source maps are on,
 * mapped back to the sources (`lib/bindings/`).
 */
const BINDINGS_DIRS = [
  `${__dirname}${path.sep}`,
  `${path.resolve(__dirname, '..', '..', '..', 'lib', 'bindings')}${path.sep}`,
];
const DECORATED = new WeakSet<Error>();
/** Enough frames to get past the bindings' own into the caller's code. */
const HOST_FRAMES = 40;

/** The current host stack, without the bindings' frames (the lines after the header). */
export function captureHostFrames(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = HOST_FRAMES;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !BINDINGS_DIRS.some((dir) => line.includes(dir)))
    .join('\n');
}

/**
 * Appends the host call site (`frames`, or the current stack) to an error thrown by the
 * kernel, once per error: when a callback's failure crosses several calls, the innermost
 * host call site is the one that matters and stays the only one. Nothing is added when
 * the stack already shows the caller's frame.
 */
export function withHostStack(error: unknown, frames?: string): unknown {
  if (!(error instanceof Error) || DECORATED.has(error)) return error;
  DECORATED.add(error);
  const host = frames ?? captureHostFrames();
  const own = error.stack ?? `${error.name}: ${error.message}`;
  // A connection may have recorded the host frames already (where it issued the
  // request): the caller's frame is then in the stack, and once is enough.
  const callerFrame = host.split('\n', 1)[0];
  if (callerFrame !== undefined && callerFrame !== '' && own.includes(callerFrame)) return error;
  try {
    error.stack = `${own}\n${HOST_STACK_MARKER}\n${host}`;
  } catch {
    // A frozen error keeps its stack; the message still reaches the caller.
  }
  return error;
}

/** One host frame as the jsii protocol carries it: `[file, line, column, function]`. */
export type HostFrame = [string, number, number, string];

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

/**
 * The host's stack as `$jsii.stacktrace` frames (the bindings' own frames left out), with
 * a first frame for the call itself, which libraries drop as the reference runtime's hosts
 * send it. Source maps apply when they are on, so TypeScript apps name `.ts` lines.
 */
export function hostStackTrace(): HostFrame[] {
  const frames: HostFrame[] = [['jsii-ring', 0, 0, 'call']];
  for (const line of captureHostFrames().split('\n')) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    frames.push([m[2]!, Number(m[3]), Number(m[4]), m[1] ?? '<anonymous>']);
  }
  return frames;
}
