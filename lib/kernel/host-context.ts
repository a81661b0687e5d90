/**
 * The host stack-trace context (`$jsii.stacktrace`).
 *
 * A host may attach its own call stack to any request, as `"$jsii.stacktrace": [[file,
 * line, column, function], ...]`. The reference runtime publishes it, for the duration of
 * the request, in the global `Symbol.for('jsii.context.hostStackTrace')`, and publishes its
 * own directory in `Symbol.for('jsii.context.hostDirName')`. Libraries read both: aws-cdk-lib
 * appends the host frames to the construct stack traces it records (metadata, errors) and
 * hides frames from the runtime's directory. We do the same, with jsii-ring's `lib`.
 *
 * Unlike the reference, which clears the value after every request (so a request nested in
 * a callback wipes the outer request's trace), we restore the previous value.
 */
import * as path from 'node:path';
import { JsiiFault } from '../errors.js';

/** Field of a request carrying the host's stack trace. */
export const STACKTRACE_FIELD = '$jsii.stacktrace';

const HOST_STACK_TRACE = Symbol.for('jsii.context.hostStackTrace');
const HOST_DIR_NAME = Symbol.for('jsii.context.hostDirName');

type ContextGlobal = { [HOST_STACK_TRACE]?: unknown; [HOST_DIR_NAME]?: unknown };
const GLOBAL = globalThis as ContextGlobal;

/**
 * The directory libraries should treat as the runtime's: jsii-ring's whole `lib` (kernel,
 * worker, transports, bindings), as the reference publishes its whole bundle directory.
 */
export const RUNTIME_DIRECTORY = path.dirname(__dirname);

/** Publishes the runtime directory, so libraries treat frames from it as runtime frames. */
export function publishKernelDirectory(): void {
  GLOBAL[HOST_DIR_NAME] = RUNTIME_DIRECTORY;
}

/**
 * Installs the request's host trace (or none) and returns the previous value, to be given
 * back to `restoreHostTrace` when the request ends. A trace that is not an array is a
 * Fault (libraries would fail on it with a TypeError of their own).
 */
export function enterHostTrace(request: object): unknown {
  const trace = (request as { [STACKTRACE_FIELD]?: unknown })[STACKTRACE_FIELD];
  const previous = GLOBAL[HOST_STACK_TRACE];
  if (trace === undefined || trace === null) {
    if (previous !== undefined) {
      GLOBAL[HOST_STACK_TRACE] = undefined;
    }
    return previous;
  }
  if (!Array.isArray(trace)) {
    throw new JsiiFault(`Malformed request: "${STACKTRACE_FIELD}" must be an array of [file, line, column, function] frames`);
  }
  GLOBAL[HOST_STACK_TRACE] = trace;
  return previous;
}

/** Puts back the trace that was current before `enterHostTrace`. */
export function restoreHostTrace(previous: unknown): void {
  if (GLOBAL[HOST_STACK_TRACE] !== previous) {
    GLOBAL[HOST_STACK_TRACE] = previous;
  }
}

/** The trace currently published (for tests and diagnostics). */
export function currentHostTrace(): unknown {
  return GLOBAL[HOST_STACK_TRACE];
}
