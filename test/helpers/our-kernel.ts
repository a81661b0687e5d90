/**
 * Drives our kernel (`lib/kernel`) in this thread. Requests and answers are cloned through
 * JSON, as a wire would: the kernel can neither keep a reference to the test's objects nor
 * hand back values the stdio protocol could not carry.
 *
 * The kernel's callback handler is synchronous, so callbacks are answered by
 * `onCallbackSync`, and requests the answer makes are nested `dispatch` calls.
 */
import { Kernel } from '../../lib/kernel/index.js';
import type { Callback, KernelRequest } from '../../lib/protocol/api.js';
import {
  DriverError, DriverErrorCode, unexpectedCallbackAnswer,
  type CallbackAnswer, type Envelope, type ProtocolDriver, type SyncProtocolDriver,
} from './protocol-driver.js';

/** Options of {@link startOurKernel}. */
export interface OurKernelOptions {
  /** Name in reports. @default 'ours' */
  readonly label?: string;
  /** An `end` whose promise is still pending after this long fails the driver. @default 30000 */
  readonly timeoutMs?: number;
  /** Passed to the kernel (assembly cache). @default the kernel's default */
  readonly cacheDir?: string;
}

class OurKernelDriver implements SyncProtocolDriver {
  public readonly label: string;
  public onCallback: (cb: Callback, driver: ProtocolDriver) => Promise<CallbackAnswer> = async (cb) =>
    unexpectedCallbackAnswer(cb);
  public onCallbackSync: (cb: Callback, driver: SyncProtocolDriver) => CallbackAnswer = (cb) =>
    unexpectedCallbackAnswer(cb);

  readonly #kernel: Kernel;
  readonly #timeoutMs: number;
  #closed = false;

  public constructor(options: OurKernelOptions) {
    this.label = options.label ?? 'ours';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#kernel = new Kernel({
      callbackHandler: (cb: Callback) => this.#callback(cb),
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    });
  }

  public requestSync(req: KernelRequest): Envelope {
    this.#assertOpen();
    let answer: unknown;
    try {
      answer = this.#kernel.dispatch(wireClone(req) as KernelRequest);
    } catch (error) {
      return errorEnvelope(error);
    }
    if (isThenable(answer)) {
      // Keep the rejection observed: the caller gets an error envelope instead.
      answer.then(undefined, () => undefined);
      return {
        error: `driver: '${req.api}' answered with a promise; send it with request(), not requestSync()`,
        name: 'driver.Usage',
      };
    }
    return okEnvelope(answer);
  }

  public async request(req: KernelRequest): Promise<Envelope> {
    this.#assertOpen();
    let answer: unknown;
    try {
      answer = this.#kernel.dispatch(wireClone(req) as KernelRequest);
    } catch (error) {
      return errorEnvelope(error);
    }
    if (!isThenable(answer)) {
      return okEnvelope(answer);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DriverError(DriverErrorCode.TIMEOUT,
        `our kernel's promise for ${JSON.stringify(req)} was still pending after ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      return okEnvelope(await Promise.race([answer, timeout]));
    } catch (error) {
      if (error instanceof DriverError) throw error;
      return errorEnvelope(error);
    } finally {
      clearTimeout(timer);
    }
  }

  public async close(): Promise<void> {
    this.#closed = true;
  }

  #callback(cb: Callback): unknown {
    const answer = this.onCallbackSync(wireClone(cb) as Callback, this);
    if ('err' in answer) {
      const error = new Error(answer.err);
      if (answer.name !== undefined) error.name = answer.name;
      throw error;
    }
    return wireClone(answer.result);
  }

  #assertOpen(): void {
    if (this.#closed) throw new DriverError(DriverErrorCode.GONE, 'driver closed');
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Deep copy through JSON: what a stdio wire would deliver (undefined fields vanish). */
function wireClone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value)) as unknown;
}

function okEnvelope(payload: unknown): Envelope {
  try {
    // No default for `undefined`: a kernel that answers nothing must show up as a difference.
    return { ok: wireClone(payload) };
  } catch (error) {
    return { error: `driver: the kernel's answer cannot be sent as JSON: ${(error as Error).message}`, name: 'driver.NotSerializable' };
  }
}

function errorEnvelope(error: unknown): Envelope {
  if (error instanceof Error) {
    return { error: error.message, name: error.name, ...(error.stack !== undefined ? { stack: error.stack } : {}) };
  }
  return { error: `non-Error thrown: ${String(error)}`, name: 'driver.NonError' };
}

/** Creates our kernel in this thread (`new Kernel({ callbackHandler })`) behind a driver. */
export function startOurKernel(options: OurKernelOptions = {}): SyncProtocolDriver {
  return new OurKernelDriver(options);
}
