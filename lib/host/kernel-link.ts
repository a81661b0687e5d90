/**
 * The host's end of one kernel channel: the worker thread (our kernel, or the relay to a
 * stdio kernel), the three rings and the shared counters, the codec, and what a call sees
 * when the other end is gone. It moves frames; `KernelClient` gives them meaning (requests,
 * lanes, pipelining, callbacks).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RingReader, RingWriter, markDead } from 'atomics-ring-buffer';
import type { RingStats } from 'atomics-ring-buffer';
import { createCodec } from '../protocol/codec.js';
import type { Codec, CodecName } from '../protocol/codec.js';
import { isFrame } from '../protocol/frames.js';
import type { Frame } from '../protocol/frames.js';
import { ErrorCode, JsiiRingError } from '../errors.js';
import { BUSY_AT_MARK_STAT, BUSY_MS_STAT, CALLBACK_MS_STAT, CALLBACKS_STAT, PRELOAD_MS_STAT, PRELOADED_STAT, CLOSING_SLOT, KernelState, MARK_SLOT, SERVED_STAT, SERVING_SLOT, STATE_SLOT, channelStats, readDeathNote, stateSlots, writeDeathNote } from '../transports/channel.js';
import type { ChannelBuffers } from '../transports/channel.js';
import type { ResolvedClientOptions } from './options.js';
import { KernelLostError } from './kernel-lost.js';
import type { Loss } from './kernel-lost.js';
import { launchKernelWorker, startWatchedWorker, takePrelaunched } from './launch.js';
import { beforeHostSleep } from './watchdog.js';
import type { LaunchedWorker, WorkerLaunchOptions } from './launch.js';
import type { Watch } from './watchdog.js';
import type { KernelBusy } from './stats.js';

/** The kernel's welcome is JSON whatever codec the host chose. */
const WELCOME_CODEC: Codec = createCodec('json');

/** First slice of a blocked write before the host serves the response ring (ms); see `write`. */
const WRITE_SLICE_MS = 2;
const WRITE_SLICE_MAX_MS = 1000;

const RELAY_ENTRY = path.join(__dirname, '..', 'transports', 'stdio-relay-worker.js');
const CLI_ENTRY = path.join(__dirname, '..', 'cli', 'main.js');

/** The command line of a stdio kernel. */
function stdioCommand(kernel: ResolvedClientOptions['stdioKernel']): string[] {
  if (kernel === 'ours') {
    return [process.execPath, CLI_ENTRY, 'serve', '--stdio'];
  }
  if (kernel === 'reference') {
    return [process.execPath, require.resolve('@jsii/runtime/webpack/bin/jsii-runtime.js')];
  }
  return [...kernel];
}

/** What the link asks of its owner. */
export interface LinkOwner {
  /** Whether the owner closed the link on purpose (then a worker exit is not a death). */
  isClosed(): boolean;
  /**
   * The link is unusable from now on (the peer died, or stopped answering): the owner turns
   * the loss into the error every later call gets, adding what it knows of its requests.
   */
  lost(loss: Loss): JsiiRingError;
  /** Adds time the host spent blocked reading the response ring. */
  addWaitMs(ms: number): void;
}

export class KernelLink {
  readonly buffers: ChannelBuffers;
  /** The shared counters (completed seqs, host wait, kernel state). */
  readonly state: Int32Array;
  readonly worker: Worker;
  /** Whether the worker is one started before this link, by `prelaunchKernel` (launch.ts). */
  readonly prelaunched: boolean;
  /** Resolves with the worker's exit code. */
  readonly exited: Promise<number>;
  readonly requestWriter: RingWriter;
  readonly callbackWriter: RingWriter;
  readonly #responses: RingReader;
  readonly #owner: LinkOwner;
  readonly #requestTimeoutMs: number;
  /** The handshake is always JSON; `useCodec` switches after it. */
  #codec: Codec = createCodec('json');
  /** Set by `expectWelcome`: checks the kernel's welcome, still unread. */
  #welcomeCheck: ((frame: Frame) => void) | undefined;
  readonly #startTimeoutMs: number;
  #gone: JsiiRingError | undefined;
  readonly #launched: LaunchedWorker;
  readonly #watch: Watch;

  public constructor(options: ResolvedClientOptions, owner: LinkOwner) {
    this.#owner = owner;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#startTimeoutMs = options.startTimeoutMs;
    let launched: LaunchedWorker;
    let prelaunched: LaunchedWorker | undefined;
    if (options.transport === 'ring') {
      const launch: WorkerLaunchOptions = options;
      prelaunched = takePrelaunched(launch);
      launched = prelaunched ?? launchKernelWorker(launch);
    } else {
      launched = startWatchedWorker(options, (buffers, lifeline) => new Worker(RELAY_ENTRY, {
        transferList: [lifeline],
        workerData: {
          buffers,
          lifeline,
          command: stdioCommand(options.stdioKernel),
          // The reference runtime warns about this Node version on every start.
          env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0] ?? '', ...(options.cacheDir !== undefined ? { JSII_RING_CACHE_DIR: options.cacheDir } : {}) },
        },
      }));
    }
    this.prelaunched = prelaunched !== undefined;
    this.#launched = launched;
    this.buffers = launched.buffers;
    this.state = stateSlots(this.buffers.state);
    // The watchdog thread starts when this thread has been blocked for a while (watchdog.ts):
    // only a blocked host needs it to hear of a kernel's death.
    this.#responses = new RingReader(this.buffers.response, { spin: options.spin, beforeSleep: beforeHostSleep });
    this.requestWriter = new RingWriter(this.buffers.request, { beforeSleep: beforeHostSleep });
    this.callbackWriter = new RingWriter(this.buffers.callback, { beforeSleep: beforeHostSleep });
    this.#watch = launched.watch;
    this.worker = launched.worker;
    this.exited = launched.exited;
    // A worker ended from outside (terminate(), a resource limit) runs none of its own exit
    // handlers. While the host blocks, the watchdog hears of it (watchdog.ts); this covers a
    // host that hears first, and records how the thread ended for the loss report. (The launch
    // record holds the worker's error and exit code, heard since the thread started: a
    // prelaunched worker may have failed before this link took it over.)
    const onExit = (code: number): void => {
      this.#watch.forget();
      if (this.#gone instanceof KernelLostError) {
        this.#gone.heardEnd({ exitCode: code, error: this.#launched.error });
      }
      if (readDeathNote(this.buffers.state) === undefined && !this.#owner.isClosed()) {
        const error = this.#launched.error;
        const reason = error instanceof Error ? error.message : `the kernel worker exited with code ${code}`;
        writeDeathNote(this.buffers.state, reason);
        markDead([this.buffers.request, this.buffers.callback, this.buffers.response], reason);
      }
    };
    if (launched.exitCode !== undefined) onExit(launched.exitCode);
    else this.worker.once('exit', onExit);
  }

  /**
   * The host is ending the channel on purpose (BYE or terminate): the worker's exit is no
   * death, and the watchdog lets go.
   */
  public closing(): void {
    Atomics.store(this.state, CLOSING_SLOT, 1);
    this.#watch.forget();
  }

  /** The seq of the request whose library code the kernel runs, or 0 (see channel.ts). */
  public get serving(): number {
    return Atomics.load(this.state, SERVING_SLOT);
  }

  /** The terminal error, once the peer is gone. */
  public get gone(): JsiiRingError | undefined {
    return this.#gone;
  }

  /** Codec of every frame after the handshake. */
  public useCodec(name: CodecName): void {
    this.#codec = createCodec(name);
  }

  /**
   * Milliseconds the kernel has spent serving requests, and how many it served; of that
   * time, how long it waited for the callbacks it made to complete, and how many it made.
   */
  public get kernelBusy(): KernelBusy {
    const stats = channelStats(this.buffers.state);
    return { ms: stats[BUSY_MS_STAT] as number, requests: stats[SERVED_STAT] as number, callbackMs: stats[CALLBACK_MS_STAT] as number, callbacks: stats[CALLBACKS_STAT] as number };
  }

  /**
   * Asks the kernel to note its busy time when it begins to serve request `seq` of the
   * request ring (not yet issued); `busyAtMark` reads it (see channel.ts, MARK_SLOT).
   */
  public markBusyAt(seq: number): void {
    channelStats(this.buffers.state)[BUSY_AT_MARK_STAT] = -1;
    Atomics.store(stateSlots(this.buffers.state), MARK_SLOT, seq);
  }

  /** The kernel's busy ms when it began the marked request, or undefined if it has not yet. */
  public get busyAtMark(): number | undefined {
    const busy = channelStats(this.buffers.state)[BUSY_AT_MARK_STAT] as number;
    return busy < 0 ? undefined : busy;
  }

  /** Classes the kernel loaded ahead of their first use while idle, and the milliseconds that took. */
  public get preloaded(): { readonly types: number; readonly ms: number } {
    const stats = channelStats(this.buffers.state);
    return { types: stats[PRELOADED_STAT] as number, ms: stats[PRELOAD_MS_STAT] as number };
  }

  /** The host side's ring counters. */
  public get ringStats(): { readonly response: RingStats; readonly request: RingStats; readonly callback: RingStats } {
    return { response: this.#responses.stats, request: this.requestWriter.stats, callback: this.callbackWriter.stats };
  }

  /**
   * The host spoke first: it sent its HELLO without reading the kernel's welcome (it knew
   * what its own kernel build offers), so the welcome is still the first frame of the
   * response ring. Whichever read comes first takes it and hands it to `check` (which
   * throws if the kernel is not what the host assumed) before any other frame.
   */
  public expectWelcome(check: (frame: Frame) => void): void {
    this.#welcomeCheck = check;
  }

  /** Reads the kernel's welcome now if it is still unread, waiting up to the start timeout. */
  public awaitWelcome(): void {
    if (this.#welcomeCheck !== undefined) this.#takeWelcome(true);
  }

  /** Blocks for the next frame from the kernel (the wait counts as host wait time). */
  public readFrame(timeoutMs: number): Frame {
    if (this.#welcomeCheck !== undefined) this.#takeWelcome(true);
    let bytes: Uint8Array | null;
    // Only blocking reads are timed: the host is idle for exactly this long.
    const started = performance.now();
    try {
      bytes = this.#responses.read(timeoutMs);
    } catch (error) {
      throw this.peerGone(error);
    } finally {
      this.#owner.addWaitMs(performance.now() - started);
    }
    if (bytes === null) {
      throw this.peerGone(undefined);
    }
    return this.#decode(bytes);
  }

  /** The next frame if one is there, without blocking. */
  public tryReadFrame(): Frame | undefined {
    if (this.#welcomeCheck !== undefined && !this.#takeWelcome(false)) return undefined;
    let bytes: Uint8Array | null | undefined;
    try {
      bytes = this.#responses.tryRead();
    } catch (error) {
      throw this.peerGone(error);
    }
    return bytes === undefined || bytes === null ? undefined : this.#decode(bytes);
  }

  /**
   * The frames the kernel published before the link was lost, read without blocking: the
   * error frames of pipelined requests that failed before the death must not be lost with it.
   */
  public remains(): Frame[] {
    const frames: Frame[] = [];
    // A welcome never read is no answer to anything: skip it.
    if (this.#welcomeCheck !== undefined) {
      this.#welcomeCheck = undefined;
      try {
        this.#responses.tryRead();
      } catch {
        return frames;
      }
    }
    for (;;) {
      try {
        const bytes = this.#responses.tryRead();
        if (bytes === undefined || bytes === null) return frames;
        frames.push(this.#decode(bytes));
      } catch {
        // Drained (a dead ring throws once empty), or garbage: nothing more to learn.
        return frames;
      }
    }
  }

  /**
   * Writes a frame, waiting while the ring is full. The wait is cut into slices with
   * `serve` (the owner's handling of the response ring) called in between: the kernel may
   * itself be blocked on the host (a callback waiting to be served, an error frame for a
   * full response ring) and consume nothing until the host reads, and with both sides only
   * waiting, neither would move. Slices double, because a message too big for one frame is
   * sent again whole after an attempt times out.
   */
  public write(writer: RingWriter, frame: Frame, serve: () => void): void {
    let bytes: Uint8Array;
    try {
      bytes = this.#codec.encode(frame);
    } catch (error) {
      // Nothing was sent: the link is fine, only this request is refused.
      throw new JsiiRingError(ErrorCode.UNENCODABLE, `The request could not be encoded (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const timeoutMs = this.#requestTimeoutMs;
    // The deadline is only computed once the ring was found full (the common case has room).
    let deadline = Infinity;
    for (let slice = Math.min(WRITE_SLICE_MS, timeoutMs); ; slice = Math.min(slice * 2, WRITE_SLICE_MAX_MS)) {
      const remaining = deadline === Infinity ? timeoutMs : deadline - performance.now();
      const wait = Math.max(0, Math.min(slice, remaining));
      try {
        writer.write(bytes, wait);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_RING_TIMEOUT' || remaining <= wait) {
          throw this.peerGone(error);
        }
      }
      if (deadline === Infinity && timeoutMs !== Infinity) {
        deadline = performance.now() + timeoutMs - wait;
      }
      serve();
    }
  }

  /** Turns a ring failure into the link's terminal error (and remembers it). */
  public peerGone(cause: unknown): JsiiRingError {
    if (this.#gone !== undefined) {
      return this.#gone;
    }
    let loss: Loss;
    if ((cause as { code?: string } | undefined)?.code === 'ERR_RING_TIMEOUT') {
      // Terminal, like a dead peer: the kernel may still answer, and a late answer would be
      // taken for the next request's (every later call failing with ERR_BAD_FRAME). The
      // kernel is deemed unresponsive and ended.
      loss = { code: ErrorCode.TIMEOUT, reason: `it did not answer within ${this.#requestTimeoutMs} ms (options.requestTimeoutMs)`, cause };
    } else if (Atomics.load(this.state, STATE_SLOT) === KernelState.TIMED_OUT) {
      // The watchdog gave up on a call (a library that loops): the kernel still runs it.
      loss = { code: ErrorCode.TIMEOUT, reason: readDeathNote(this.buffers.state) ?? 'a call ran past its deadline', cause };
    } else {
      const note = readDeathNote(this.buffers.state);
      const error = this.#launched.error;
      const reason = note ?? (error instanceof Error ? error.message : 'the kernel worker stopped');
      loss = { code: ErrorCode.PEER_GONE, reason, cause: cause ?? error };
    }
    // Remembered before the owner looks at the rings again: a ring error met while it
    // collects what the kernel left returns this, not a second loss.
    this.#gone = new JsiiRingError(loss.code, loss.reason, { cause: loss.cause });
    this.#gone = this.#owner.lost(loss);
    if (loss.code === ErrorCode.TIMEOUT) {
      void this.worker.terminate();
    } else if (this.#launched.exitCode !== undefined && this.#gone instanceof KernelLostError) {
      this.#gone.heardEnd({ exitCode: this.#launched.exitCode, error: this.#launched.error });
    }
    return this.#gone;
  }

  /**
   * Reads the welcome (`expectWelcome`), blocking up to the start timeout or not at all;
   * false if `block` is false and it is not there yet. The wait counts as host wait time.
   */
  #takeWelcome(block: boolean): boolean {
    const check = this.#welcomeCheck!;
    let bytes: Uint8Array | null | undefined;
    const started = performance.now();
    try {
      bytes = block ? this.#responses.read(this.#startTimeoutMs) : this.#responses.tryRead();
    } catch (error) {
      const gone = this.peerGone(error);
      if ((error as { code?: string }).code === 'ERR_RING_TIMEOUT') {
        throw new JsiiRingError(ErrorCode.TIMEOUT, `The kernel worker did not start within ${this.#startTimeoutMs} ms (options.startTimeoutMs)`, { cause: gone });
      }
      throw gone;
    } finally {
      if (block) this.#owner.addWaitMs(performance.now() - started);
    }
    if (bytes === undefined) return false;
    if (bytes === null) throw this.peerGone(undefined);
    this.#welcomeCheck = undefined;
    check(this.#decodeWith(WELCOME_CODEC, bytes));
    return true;
  }

  #decode(bytes: Uint8Array): Frame {
    return this.#decodeWith(this.#codec, bytes);
  }

  #decodeWith(codec: Codec, bytes: Uint8Array): Frame {
    const frame = codec.decode(bytes);
    if (!isFrame(frame)) {
      throw new JsiiRingError(ErrorCode.BAD_FRAME, 'Received a frame that is not [kind, seq, flags, body]');
    }
    return frame;
  }
}
