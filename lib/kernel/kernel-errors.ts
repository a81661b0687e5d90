/**
 * How the kernel turns failures into the errors the reference runtime puts on the wire.
 *
 * The reference uses `@jsii/kernel.Fault` and `@jsii/kernel.RuntimeError` for most failures,
 * but in a few places it lets another error through unchanged: a library constructor that
 * throws during `create` (its own name, message and stack), and a failed conversion outside
 * a library call (`@jsii/kernel.SerializationError`). We keep those wire names exactly, on
 * errors that are still `JsiiRuntimeError` instances (code `ERR_JSII_RUNTIME`).
 *
 * Where the reference wraps a library error in `new RuntimeError(e)` it loses the library's
 * stack frames (the new error's stack is the kernel's). We keep the same message but carry
 * the original frames over, and the original error as `cause`.
 */
import { ErrorCode, JsiiFault, JsiiRuntimeError } from '../errors.js';
import { FAULT_NAME, RUNTIME_ERROR_NAME } from '../protocol/api.js';

/** Wire name of a failed conversion that the reference does not wrap. */
export const SERIALIZATION_ERROR_NAME = '@jsii/kernel.SerializationError';

/**
 * A library or conversion error that keeps the wire name the reference gives it (anything
 * other than the two kernel names). Still a `JsiiRuntimeError`: clients treat every name
 * other than `@jsii/kernel.Fault` as a runtime error.
 */
export class PassThroughError extends JsiiRuntimeError {
  public constructor(name: string, message: string, options?: { cause?: unknown; stack?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    if (options?.stack !== undefined) {
      this.stack = options.stack;
    }
  }
}

/**
 * A request used an object id whose creating request failed (or returned no object). Sent
 * as a Fault; its message names the root cause.
 */
export class DependencyFault extends JsiiFault {
  public override readonly code: ErrorCode = ErrorCode.DEPENDENCY_FAILED;
}

/** `String(e)`, as the reference's `new RuntimeError(e)` renders it, without ever throwing. */
export function describeThrown(e: unknown): string {
  try {
    return String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

/** The `at ...` frames of an error's stack (everything after the header lines), or ''. */
export function stackFrames(e: unknown): string {
  const stack = (e as { stack?: unknown } | null | undefined)?.stack;
  if (typeof stack !== 'string') {
    return '';
  }
  const at = stack.search(/\n\s+at /);
  return at < 0 ? '' : stack.slice(at);
}

/** Gives `error` the stack `<its name>: <its message>` followed by the frames of `from`. */
function adoptFrames<T extends Error>(error: T, from: unknown): T {
  const frames = stackFrames(from);
  if (frames !== '') {
    error.stack = `${error.name}: ${error.message}${frames}`;
  }
  return error;
}

/** `new RuntimeError(e)` of the reference, keeping the library frames of `e`. */
export function runtimeErrorOf(e: unknown): JsiiRuntimeError {
  return adoptFrames(new JsiiRuntimeError(describeThrown(e), { cause: e }), e);
}

/** `new JsiiFault(e)` of the reference (message `String(e)`), keeping the frames of `e`. */
function faultOf(e: unknown, message: string): JsiiFault {
  return adoptFrames(new JsiiFault(message, { cause: e }), e);
}

function nameOf(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
}

/** True for our own RuntimeError (not a pass-through error that merely extends the class). */
function isKernelRuntimeError(e: unknown): e is JsiiRuntimeError {
  return e instanceof JsiiRuntimeError && e.name === RUNTIME_ERROR_NAME;
}

/**
 * What the reference's `ensureSync` makes of an error thrown while a library call (or the
 * conversion of its arguments) ran: Faults stay Faults, kernel RuntimeErrors stay as they
 * are, anything else becomes a RuntimeError whose message is `String(e)`.
 */
export function syncCallError(e: unknown): Error {
  if (nameOf(e) === FAULT_NAME) {
    return e instanceof JsiiFault ? e : faultOf(e, describeThrown(e));
  }
  return isKernelRuntimeError(e) ? e : runtimeErrorOf(e);
}

/** What the reference's `end` makes of a rejected promise (note: `e.message` for Faults). */
export function asyncCallError(e: unknown): Error {
  if (nameOf(e) === FAULT_NAME) {
    return e instanceof JsiiFault ? e : faultOf(e, String((e as { message?: unknown }).message));
  }
  return isKernelRuntimeError(e) ? e : runtimeErrorOf(e);
}

/**
 * An error the reference lets through unchanged (a throwing constructor in `create`, a
 * throwing method in `begin`): same name, message and stack. Our own errors stay as they
 * are. A thrown non-Error (which the reference would send as an empty error) becomes a
 * RuntimeError.
 */
export function passThroughError(e: unknown): Error {
  if (e instanceof JsiiFault || e instanceof JsiiRuntimeError) {
    return e;
  }
  if (e instanceof Error) {
    return new PassThroughError(e.name, e.message, { cause: e, ...(e.stack !== undefined ? { stack: e.stack } : {}) });
  }
  return runtimeErrorOf(e);
}

/**
 * Turns whatever a host callback handler threw into the error the library sees, as the
 * reference's host does with a failed `complete`: a Fault if it is named so, otherwise a
 * RuntimeError with the same message.
 */
export function callbackError(e: unknown): Error {
  if (e instanceof JsiiFault || isKernelRuntimeError(e)) {
    return e;
  }
  const message = e instanceof Error ? e.message : describeThrown(e);
  const error = nameOf(e) === FAULT_NAME ? new JsiiFault(message, { cause: e }) : new JsiiRuntimeError(message, { cause: e });
  return adoptFrames(error, e);
}
