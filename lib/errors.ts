/**
 * Every error jsii-ring raises on purpose. Each carries a stable `code` (never reworded)
 * and, where it wraps another failure, `{ cause }`.
 *
 * The two jsii wire errors keep the reference runtime's names so they survive the wire:
 * `JsiiFault` (`@jsii/kernel.Fault`: the request was wrong) and `JsiiRuntimeError`
 * (`@jsii/kernel.RuntimeError`: library code threw).
 */
import { FAULT_NAME, RUNTIME_ERROR_NAME } from './protocol/api.js';

/** Stable error codes. Add new ones; never rename or reuse one. */
export const ErrorCode = {
  /** A kernel request was malformed or referred to something that does not exist. */
  FAULT: 'ERR_JSII_FAULT',
  /** Library code threw while serving a valid request. */
  RUNTIME: 'ERR_JSII_RUNTIME',
  /** A blocking wait on the peer ran past its timeout. */
  TIMEOUT: 'ERR_RING_TIMEOUT',
  /** The peer (kernel worker or host) died or closed the channel. */
  PEER_GONE: 'ERR_PEER_GONE',
  /** The client or transport was already closed. */
  CLOSED: 'ERR_CLOSED',
  /** A frame could not be decoded, or had an unknown kind. */
  BAD_FRAME: 'ERR_BAD_FRAME',
  /** A request could not be encoded (a value the codec cannot carry: nested too deep, circular). */
  UNENCODABLE: 'ERR_UNENCODABLE',
  /** A message exceeded the configured maximum size. */
  MESSAGE_TOO_LARGE: 'ERR_MESSAGE_TOO_LARGE',
  /** A pipelined request failed; reported at the next sync point. */
  DEFERRED: 'ERR_DEFERRED_FAILURE',
  /** A request used an object id whose creating request failed. */
  DEPENDENCY_FAILED: 'ERR_DEPENDENCY_FAILED',
  /** Capability negotiation failed (unknown codec or extension, protocol mismatch). */
  HANDSHAKE: 'ERR_HANDSHAKE',
  /** A host callback handler threw. */
  CALLBACK_FAILED: 'ERR_CALLBACK_FAILED',
  /** A package could not be loaded (bad tarball, unsafe path, version conflict). */
  LOAD: 'ERR_LOAD',
  /** An option had a bad value. */
  INVALID_OPTION: 'ERR_INVALID_OPTION',
  /** Command-line usage error. */
  USAGE: 'ERR_USAGE',
  /**
   * A jsii library object made natively (outside the kernel) met the kernel's object model:
   * some module loaded the library itself instead of through the bindings.
   */
  NATIVE_OBJECT: 'ERR_NATIVE_OBJECT',
  /** A program run in a kernel mode never reached the kernel (it ran the library natively). */
  NO_KERNEL_CALLS: 'ERR_NO_KERNEL_CALLS',
  /** A command needs a package that is not installed (a development-only dependency of jsii-ring). */
  MISSING_DEPENDENCY: 'ERR_MISSING_DEPENDENCY',
  /** Stack patterns (`jsii-ring synth app.ts STACK`) matched no stack of the cloud assembly. */
  STACK_SELECTION: 'ERR_STACK_SELECTION',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every jsii-ring error. */
export class JsiiRingError extends Error {
  public readonly code: ErrorCode;

  public constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'JsiiRingError';
  }
}

/** `@jsii/kernel.Fault`: the request itself was wrong. */
export class JsiiFault extends JsiiRingError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.FAULT, message, options);
    this.name = FAULT_NAME;
  }
}

/** `@jsii/kernel.RuntimeError`: library code threw while serving the request. */
export class JsiiRuntimeError extends JsiiRingError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.RUNTIME, message, options);
    this.name = RUNTIME_ERROR_NAME;
  }
}
