/**
 * One interface over every way of talking the jsii protocol in tests: the reference
 * `@jsii/runtime` over stdio, our in-process kernel, and later the ring client. The
 * conformance runner only ever sees this interface.
 */
import type { Callback, KernelRequest } from '../../lib/protocol/api.js';

/** The final answer to one request, as the stdio wire carries it. */
export type Envelope = { ok: unknown } | { error: string; name?: string; stack?: string };

/** How the host answered a callback (`complete` with `result`, or with `err`). */
export type CallbackAnswer = { result?: unknown } | { err: string; name?: string };

/** A driver of some jsii kernel. */
export interface ProtocolDriver {
  /** Short name used in reports (`reference`, `ours`, ...). */
  readonly label: string;
  /**
   * Sends one request and resolves with the final envelope. Callbacks the kernel makes while
   * serving it are answered by `onCallback` (sending `complete` back), possibly making
   * nested requests. Never rejects for a kernel error (that is an `error` envelope); rejects
   * with a `DriverError` when the kernel died, hung or spoke garbage.
   */
  request(req: KernelRequest): Promise<Envelope>;
  /** Answers a callback. The default answers every callback with an error. */
  onCallback: (cb: Callback, driver: ProtocolDriver) => Promise<CallbackAnswer>;
  /** Releases the kernel. Idempotent. */
  close(): Promise<void>;
}

/**
 * A driver whose kernel calls back synchronously (an in-process kernel's callback handler
 * must return the answer before the kernel can continue), so callbacks are answered by
 * `onCallbackSync` and nested requests go through `requestSync`.
 */
export interface SyncProtocolDriver extends ProtocolDriver {
  /** Sends one request and returns its envelope; fails for requests that finish later (`end`). */
  requestSync(req: KernelRequest): Envelope;
  /** Answers a callback synchronously. The default answers every callback with an error. */
  onCallbackSync: (cb: Callback, driver: SyncProtocolDriver) => CallbackAnswer;
}

/** True if the driver answers callbacks synchronously. */
export function isSyncDriver(driver: ProtocolDriver): driver is SyncProtocolDriver {
  return typeof (driver as Partial<SyncProtocolDriver>).requestSync === 'function';
}

/** Stable codes of {@link DriverError}. */
export const DriverErrorCode = {
  /** The kernel did not answer within the driver's timeout. */
  TIMEOUT: 'ERR_DRIVER_TIMEOUT',
  /** The kernel process exited or the driver was closed with requests outstanding. */
  GONE: 'ERR_DRIVER_KERNEL_GONE',
  /** The kernel wrote something that is not a protocol message. */
  PROTOCOL: 'ERR_DRIVER_PROTOCOL',
  /** The driver was used in a way it does not support. */
  USAGE: 'ERR_DRIVER_USAGE',
} as const;
/** One of {@link DriverErrorCode}. */
export type DriverErrorCode = (typeof DriverErrorCode)[keyof typeof DriverErrorCode];

/** A failure of the driver or of the kernel's process, not a jsii error envelope. */
export class DriverError extends Error {
  /** Stable code. */
  public readonly code: DriverErrorCode;
  public constructor(code: DriverErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'DriverError';
  }
}

/** The answer given to callbacks nobody planned for. */
export function unexpectedCallbackAnswer(cb: Callback): CallbackAnswer {
  return { err: `unexpected callback ${JSON.stringify(cb)}`, name: '@jsii/kernel.Fault' };
}
