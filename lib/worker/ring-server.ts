/**
 * Serves one host over the channel rings: reads frames, hands requests to the kernel,
 * writes responses, errors, callbacks and identity notices back.
 *
 * Threading: this runs on the kernel worker's thread. While idle it waits with
 * `readAsync` so the worker's event loop keeps running (promises of async methods settle);
 * while a sync callback runs it blocks on the callback ring, because the kernel's caller
 * (library code) is synchronous and cannot yield.
 */
import { RingReader, RingWriter } from 'atomics-ring-buffer';
import type { Callback, KernelRequest } from '../protocol/api.js';
import { EXT_ALIAS_NOTICES, EXT_PIPELINE, FAULT_NAME, PROTOCOL_VERSION, RING_SERVER_EXTENSIONS, RUNTIME_ERROR_NAME } from '../protocol/api.js';
import type { WireErrorName } from '../protocol/api.js';
import { CODEC_NAMES, createCodec } from '../protocol/codec.js';
import type { Codec, CodecName } from '../protocol/codec.js';
import { FLAG_NO_REPLY, FrameKind, isFrame } from '../protocol/frames.js';
import type { Frame, HostHello, WireError } from '../protocol/frames.js';
import type { Kernel } from '../kernel/kernel.js';
import { timelineNow } from '../transports/timeline.js';
import { SETTLE_AFTER } from '../kernel/async-requests.js';
import { BUSY_AT_MARK_STAT, BUSY_MS_STAT, CALLBACK_MS_STAT, CALLBACKS_STAT, CB_COMPLETED_SLOT, COMPLETED_SLOT, HOST_WAIT_SLOT, KernelState, MARK_SLOT, PRELOAD_SERVING, SERVED_STAT, SERVING_SLOT, STARTED_STAT, STATE_SLOT, channelStats, stateSlots } from '../transports/channel.js';
import type { ChannelBuffers } from '../transports/channel.js';
import { TypePreloader } from './type-preloader.js';

/**
 * How long an idle server blocks in a synchronous read before it lets its event loop turn
 * once. A synchronous wait wakes in about a microsecond when spinning pays and one futex
 * wake otherwise; `readAsync` costs a trip through the event loop on every wake, which
 * dominated the round trip. The event loop still turns at least this often.
 */
const IDLE_BLOCK_MS = 20;

/** The completion of a sync callback, as the host sends it. */
interface CallbackCompletion {
  readonly cbid: string;
  readonly result?: unknown;
  readonly err?: string;
  readonly name?: string;
  readonly stack?: string;
}

export class RingServer {
  readonly #kernel: Kernel;
  readonly #requests: RingReader;
  readonly #callbacks: RingReader;
  readonly #responses: RingWriter;
  readonly #state: Int32Array;
  readonly #stats: Float64Array;
  /** The handshake is always JSON; the host's choice applies from then on. */
  #codec: Codec = createCodec('json');
  #aliasNotices = false;
  /** When the request being served from the request ring started. */
  #servingSince = 0;
  /** How many callbacks deep the kernel is (a handler's request may make another). */
  #callbackDepth = 0;
  /** Adds to `performance.now()` to give epoch ms, comparable with other threads' clocks. */
  readonly #origin = performance.timeOrigin;
  /** The kernel's half of the timeline, when the host asked for one (see transports/timeline.ts). */
  #timeline: number[] | undefined;
  /** Modules to load while idle (see type-preloader.ts); dropped once done. */
  #preloader: TypePreloader | undefined;

  /**
   * @param spin spin budget of the request and callback readers (the ring package's default if absent)
   * @param preloadTypes classes whose modules to load while no request is waiting, in order
   */
  public constructor(kernel: Kernel, buffers: ChannelBuffers, spin?: number, preloadTypes: readonly string[] = []) {
    this.#kernel = kernel;
    this.#requests = new RingReader(buffers.request, { spin });
    this.#callbacks = new RingReader(buffers.callback, { spin });
    this.#responses = new RingWriter(buffers.response);
    this.#state = stateSlots(buffers.state);
    this.#stats = channelStats(buffers.state);
    this.#preloader = preloadTypes.length > 0 ? new TypePreloader(kernel, preloadTypes, this.#stats) : undefined;
    kernel.callbackHandler = (callback) => this.#runCallback(callback);
  }

  /** Serves until the host says BYE or closes the request ring. */
  public async run(): Promise<void> {
    this.#welcome();
    Atomics.store(this.#state, STATE_SLOT, KernelState.READY);
    for (;;) {
      const idleSince = this.#timeline !== undefined ? timelineNow() : 0;
      let bytes = this.#requests.tryRead();
      // Idle: load one expected module, then look for a request again.
      while (bytes === undefined && this.#preloadStep()) {
        bytes = this.#requests.tryRead();
      }
      const waited = bytes === undefined ? 1 : 0;
      if (bytes === undefined) {
        bytes = await this.#awaitRequest();
      }
      if (bytes === null) {
        break;
      }
      const read = this.#timeline !== undefined ? timelineNow() : 0;
      const frame = this.#decodeRequest(bytes);
      if (frame === undefined) {
        continue;
      }
      if (frame[0] === FrameKind.BYE) {
        if (this.#timeline !== undefined) {
          this.#write([FrameKind.TIMELINE, 0, 0, this.#timeline]);
        }
        break;
      }
      this.#servingSince = performance.now();
      if (frame[1] === Atomics.load(this.#state, MARK_SLOT)) this.#stats[BUSY_AT_MARK_STAT] = this.#stats[BUSY_MS_STAT] as number;
      this.#enter(frame[1], this.#servingSince);
      const start = this.#timeline !== undefined ? timelineNow() : 0;
      const pending = this.#serve(frame, COMPLETED_SLOT);
      const settle = pending === undefined && SETTLE_AFTER.has((frame[3] as { api?: string } | null)?.api ?? '');
      if (pending !== undefined) {
        await pending;
      }
      this.#timeline?.push(frame[1], idleSince, read, start, timelineNow(), waited);
      if (settle) {
        // `begin`/`complete` start library promises: let their jobs run before the next
        // request, as the reference runtime does.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    Atomics.store(this.#state, STATE_SLOT, KernelState.EXITED);
    this.#responses.close();
  }

  /** One step of the preloader, if it has work; false when it has none for now. */
  #preloadStep(): boolean {
    const preloader = this.#preloader;
    if (preloader === undefined) return false;
    // Library code runs (a module's top level): held to the call deadline like a request.
    this.#enter(PRELOAD_SERVING, performance.now());
    let stepped: boolean;
    try {
      stepped = preloader.step();
    } finally {
      this.#state[SERVING_SLOT] = 0;
    }
    if (stepped) return true;
    if (!preloader.pending) this.#preloader = undefined;
    return false;
  }

  /**
   * Waits for the next request frame. With asynchronous library work outstanding it waits
   * with `readAsync`, so promises settle at once; otherwise it blocks in short slices and
   * turns the event loop between them (timers of library code still run).
   */
  async #awaitRequest(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#kernel.hasPendingAsync) {
        return this.#requests.readAsync();
      }
      try {
        return this.#requests.read(IDLE_BLOCK_MS);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_RING_TIMEOUT') {
          throw error;
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Capabilities out (JSON), the host's choice in (JSON). */
  #welcome(): void {
    const hello = this.#kernel.hello();
    this.#write([FrameKind.WELCOME, 0, 0, {
      hello: hello.hello,
      capabilities: { protocol: PROTOCOL_VERSION, codecs: CODEC_NAMES, extensions: RING_SERVER_EXTENSIONS },
    }]);
    const bytes = this.#requests.read();
    if (bytes === null) {
      return;
    }
    const frame = this.#decode(bytes);
    if (frame[0] !== FrameKind.HELLO) {
      throw new Error(`Expected the host's HELLO frame, got kind ${frame[0]}`);
    }
    const choice = frame[3] as HostHello;
    const kernelExtensions = choice.extensions.filter((e) => e !== EXT_PIPELINE);
    this.#kernel.enableExtensions(kernelExtensions);
    this.#aliasNotices = choice.extensions.includes(EXT_ALIAS_NOTICES);
    this.#timeline = choice.timeline === true ? [] : undefined;
    this.#codec = createCodec(choice.codec as CodecName);
  }

  /**
   * Serves one REQUEST frame read from the ring whose completed counter is `slot`.
   * Returns a promise only when the kernel's answer is asynchronous (`end`).
   */
  #serve(frame: Frame, slot: number): Promise<void> | undefined {
    const [kind, seq, flags, body] = frame;
    if (kind !== FrameKind.REQUEST) {
      this.#complete(seq, slot, flags, undefined, protocolError(`Unexpected frame kind ${kind} on the request ring`));
      return undefined;
    }
    let result: unknown;
    try {
      result = this.#kernel.dispatch(body as KernelRequest);
    } catch (error) {
      this.#complete(seq, slot, flags, undefined, toWireError(error));
      return undefined;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => this.#complete(seq, slot, flags, value, undefined),
        (error) => this.#complete(seq, slot, flags, undefined, toWireError(error)),
      );
    }
    this.#complete(seq, slot, flags, result, undefined);
    return undefined;
  }

  /**
   * Says which request's library code runs from now on, and since when (see channel.ts,
   * SERVING_SLOT): what the watchdog holds to the call deadline, and what a death names.
   * Plain stores, no fence on the hot path: the watchdog may see the seq before the stamp,
   * and so acts only on two checks in a row that find the same call past its deadline.
   */
  #enter(seq: number, since: number): void {
    this.#stats[STARTED_STAT] = this.#origin + since;
    this.#state[SERVING_SLOT] = seq;
  }

  /** Publishes a request's outcome: notices, then the answer, then the completed counter. */
  #complete(seq: number, slot: number, flags: number, result: unknown, error: WireError | undefined): void {
    // Library code is done: writing the answer may wait on the host, which is no stuck call.
    this.#state[SERVING_SLOT] = 0;
    if (slot === COMPLETED_SLOT) {
      // Counted before anything is published, so a host that has seen this request finish
      // also sees its time. Time in nested callbacks counts: the kernel is busy with this
      // request meanwhile.
      this.#stats[BUSY_MS_STAT] = (this.#stats[BUSY_MS_STAT] as number) + (performance.now() - this.#servingSince);
      this.#stats[SERVED_STAT] = (this.#stats[SERVED_STAT] as number) + 1;
    }
    if (this.#aliasNotices) {
      const notices = this.#kernel.takeAliasNotices();
      if (notices.length > 0) {
        const flat: string[] = [];
        for (const notice of notices) {
          flat.push(notice.objid, notice.target);
        }
        this.#write([FrameKind.ALIASES, seq, 0, flat]);
      }
    }
    if (error !== undefined) {
      this.#write([FrameKind.ERROR, seq, flags, error]);
    } else if ((flags & FLAG_NO_REPLY) === 0) {
      this.#writeAnswer(seq, flags, result ?? {});
    }
    Atomics.store(this.#state, slot, seq);
    // See channel.ts: store completed, then look for a waiting host.
    const waitingFor = Atomics.load(this.#state, HOST_WAIT_SLOT);
    if (waitingFor !== 0 && seq >= waitingFor && Atomics.compareExchange(this.#state, HOST_WAIT_SLOT, waitingFor, 0) === waitingFor) {
      this.#write([FrameKind.WAKE, seq, 0, null]);
    }
  }

  /**
   * The kernel's synchronous callback into a host override: send it, then serve the
   * callback ring (the handler's own requests, nested callbacks) until its completion.
   */
  #runCallback(callback: Callback): unknown {
    // The host runs the handler meanwhile: that time is not the call's (the deadline is for
    // library code that never returns, not for host code).
    const outer = this.#state[SERVING_SLOT] as number;
    this.#state[SERVING_SLOT] = 0;
    const since = performance.now();
    this.#callbackDepth++;
    try {
      return this.#awaitCompletion(callback);
    } finally {
      const now = performance.now();
      this.#stats[CALLBACKS_STAT] = (this.#stats[CALLBACKS_STAT] as number) + 1;
      if (--this.#callbackDepth === 0) {
        this.#stats[CALLBACK_MS_STAT] = (this.#stats[CALLBACK_MS_STAT] as number) + (now - since);
      }
      this.#enter(outer, now);
    }
  }

  /** Serves the callback ring until the host completes `callback`. */
  #awaitCompletion(callback: Callback): unknown {
    this.#write([FrameKind.CALLBACK, 0, 0, callback]);
    for (;;) {
      const bytes = this.#callbacks.read();
      if (bytes === null) {
        throw protocolErrorObject('The host closed the callback channel while a callback was running');
      }
      const frame = this.#decode(bytes);
      if (frame[0] === FrameKind.COMPLETE) {
        const completion = frame[3] as CallbackCompletion;
        if (completion.cbid !== callback.cbid) {
          throw protocolErrorObject(`Callback ${callback.cbid} was completed as ${completion.cbid}`);
        }
        if (completion.err !== undefined) {
          const error = new Error(completion.err);
          error.name = completion.name ?? RUNTIME_ERROR_NAME;
          if (completion.stack !== undefined) {
            error.stack = completion.stack;
          }
          throw error;
        }
        return completion.result;
      }
      // A synchronous callback cannot yield to the event loop, so an asynchronous answer
      // (`end`) here is served to completion only if it is already settled.
      this.#enter(frame[1], performance.now());
      const pending = this.#serve(frame, CB_COMPLETED_SLOT);
      if (pending !== undefined) {
        pending.catch(() => undefined);
      }
    }
  }

  /**
   * Writes a RESPONSE, or an ERROR if the codec cannot carry the result (a library value
   * nested deeper than the encoder's stack, say): the request fails, the kernel lives on.
   */
  #writeAnswer(seq: number, flags: number, result: unknown): void {
    let bytes: Uint8Array;
    try {
      bytes = this.#codec.encode([FrameKind.RESPONSE, seq, 0, result]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      bytes = this.#codec.encode([FrameKind.ERROR, seq, flags, { error: `The answer to request #${seq} could not be encoded: ${message}`, name: RUNTIME_ERROR_NAME }]);
    }
    this.#responses.write(bytes);
  }

  /**
   * Decodes a frame of the request ring; a message that is no frame is answered with an
   * ERROR frame of seq 0 (its seq is unknown) and skipped: a bad frame fails, the kernel lives on.
   */
  #decodeRequest(bytes: Uint8Array): Frame | undefined {
    try {
      return this.#decode(bytes);
    } catch (error) {
      this.#write([FrameKind.ERROR, 0, 0, protocolError(`Malformed frame on the request ring: ${error instanceof Error ? error.message : String(error)}`)]);
      return undefined;
    }
  }

  #decode(bytes: Uint8Array): Frame {
    const frame = this.#codec.decode(bytes);
    if (!isFrame(frame)) {
      throw protocolErrorObject('Received a frame that is not [kind, seq, flags, body]');
    }
    return frame;
  }

  #write(frame: Frame): void {
    this.#responses.write(this.#codec.encode(frame));
  }
}

function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    // The kernel's own error name goes out as is (`@jsii/kernel.SerializationError` too), as
    // the reference runtime's wire carries it: folding it into Fault/RuntimeError would make
    // the ring answer differently from the same kernel in-process.
    return { error: error.message, name: error.name as WireErrorName, stack: error.stack };
  }
  return { error: String(error), name: RUNTIME_ERROR_NAME };
}

function protocolError(message: string): WireError {
  return { error: message, name: FAULT_NAME };
}

function protocolErrorObject(message: string): Error {
  const error = new Error(message);
  error.name = FAULT_NAME;
  return error;
}
