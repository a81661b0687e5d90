/**
 * `KernelClient`: a jsii kernel in a worker thread, driven through shared-memory rings,
 * pipelining every request whose result the program does not read.
 *
 * Contract: "as if sequential" (DESIGN.md). Requests are served in the order they are
 * issued; a failed pipelined request is reported at the next sync point of the same (or
 * an outer) callback depth; callbacks are served whenever the host reads the response
 * ring, which it does at every sync point and whenever it waits for room.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RingReader, RingWriter, markDead } from 'atomics-ring-buffer';
import type { RingStats } from 'atomics-ring-buffer';
import type { Callback, KernelApi, KernelRequest, RequestOf, ResponseOf, WireErrorName } from '../protocol/api.js';
import { EXT_LOAD_PATH, EXT_OBJID, EXT_PIPELINE, FAULT_NAME, HOST_ID_PREFIX, RUNTIME_ERROR_NAME } from '../protocol/api.js';
import { createCodec } from '../protocol/codec.js';
import type { Codec } from '../protocol/codec.js';
import { FLAG_NO_REPLY, FrameKind, isFrame } from '../protocol/frames.js';
import type { Frame, HostHello, WireError } from '../protocol/frames.js';
import { ErrorCode, JsiiFault, JsiiRingError, JsiiRuntimeError } from '../errors.js';
import { CB_COMPLETED_SLOT, COMPLETED_SLOT, HOST_WAIT_SLOT, channelStats, createChannelBuffers, readDeathNote, stateSlots, writeDeathNote, BUSY_MS_STAT, SERVED_STAT } from '../transports/channel.js';
import type { ChannelBuffers } from '../transports/channel.js';
import type { AliasHandler, CallbackHandler, ConnectionCapabilities, KernelConnection } from './connection.js';
import { resolveClientOptions } from './options.js';
import type { KernelWorkerData } from '../worker/kernel-worker.js';
import type { KernelClientOptions, ResolvedClientOptions } from './options.js';
import { InFlightQueue, PipelinedRequestError, describeRequest, firstWithOthers } from './pipeline.js';
import { ClientStats } from './stats.js';

/** First slice of a blocked write before the host serves the response ring (ms); see `#write`. */
const WRITE_SLICE_MS = 2;
const WRITE_SLICE_MAX_MS = 1000;

const WORKER_ENTRY = path.join(__dirname, '..', 'worker', 'kernel-worker.js');
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

/** What the kernel said in its welcome. */
export interface KernelWelcome {
  readonly hello: string;
  readonly capabilities: { readonly protocol: number; readonly codecs: readonly string[]; readonly extensions: readonly string[] };
}

/** One direction of host → kernel traffic, with its own completed counter and queue. */
interface Lane {
  readonly writer: RingWriter;
  readonly slot: number;
  readonly inFlight: InFlightQueue;
}

export class KernelClient implements KernelConnection {
  /** Starts a kernel worker and completes the handshake (blocks until the kernel greets). */
  public static start(options: KernelClientOptions = {}): KernelClient {
    return new KernelClient(resolveClientOptions(options));
  }

  public readonly capabilities: ConnectionCapabilities;
  public readonly welcome: KernelWelcome;
  public readonly stats = new ClientStats();
  readonly #options: ResolvedClientOptions;
  readonly #buffers: ChannelBuffers;
  readonly #worker: Worker;
  readonly #state: Int32Array;
  readonly #responses: RingReader;
  readonly #lanes: [request: Lane, callback: Lane];
  #codec: Codec;
  #seq = 0;
  #nextId = 1;
  #depth = 0;
  #deferred: PipelinedRequestError[] = [];
  #callbackHandler: CallbackHandler | undefined;
  #aliasHandler: AliasHandler | undefined;
  #closed = false;
  #gone: JsiiRingError | undefined;
  #workerError: unknown;
  #exited: Promise<number>;

  private constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.#buffers = createChannelBuffers({
      requestCapacity: options.requestRingBytes,
      callbackCapacity: options.callbackRingBytes,
      responseCapacity: options.responseRingBytes,
    });
    this.#state = stateSlots(this.#buffers.state);
    this.#responses = new RingReader(this.#buffers.response, { spin: options.spin });
    this.#lanes = [
      { writer: new RingWriter(this.#buffers.request), slot: COMPLETED_SLOT, inFlight: new InFlightQueue() },
      { writer: new RingWriter(this.#buffers.callback), slot: CB_COMPLETED_SLOT, inFlight: new InFlightQueue() },
    ];
    this.#worker = options.transport === 'ring'
      ? new Worker(WORKER_ENTRY, { workerData: { buffers: this.#buffers, cacheDir: options.cacheDir, spin: options.spin } satisfies KernelWorkerData })
      : new Worker(RELAY_ENTRY, {
        workerData: {
          buffers: this.#buffers,
          command: stdioCommand(options.stdioKernel),
          // The reference runtime warns about this Node version on every start.
          env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0] ?? '', ...(options.cacheDir !== undefined ? { JSII_RING_CACHE_DIR: options.cacheDir } : {}) },
        },
      });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.on('error', (error) => {
      this.#workerError = error;
    });
    // A worker ended from outside (terminate(), a resource limit) runs none of its own exit
    // handlers, so the host marks the channel dead when it hears of the exit. (While the
    // host is blocked it hears nothing; the worker's own handlers cover that case.)
    this.#worker.once('exit', (code) => {
      if (readDeathNote(this.#buffers.state) === undefined && !this.#closed) {
        const reason = this.#workerError instanceof Error ? this.#workerError.message : `the kernel worker exited with code ${code}`;
        writeDeathNote(this.#buffers.state, reason);
        markDead([this.#buffers.request, this.#buffers.callback, this.#buffers.response], reason);
      }
    });
    // An idle client must not keep the process alive.
    this.#worker.unref();
    this.#codec = createCodec('json');
    this.welcome = this.#handshake();
    const offered = new Set(this.welcome.capabilities.extensions);
    const chosen = options.extensions.filter((e) => offered.has(e));
    this.#write(this.#lanes[0].writer, [FrameKind.HELLO, 0, 0, { codec: options.codec, extensions: chosen } satisfies HostHello]);
    this.#codec = createCodec(options.codec);
    const objid = chosen.includes(EXT_OBJID);
    this.capabilities = {
      objid,
      pipeline: objid && chosen.includes(EXT_PIPELINE) && options.pendingCap > 0,
      loadPath: chosen.includes(EXT_LOAD_PATH),
    };
    OPEN_CLIENTS.add(this);
  }

  public request<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): ResponseOf<A> {
    this.#assertUsable();
    const started = this.#options.onRequest !== undefined ? performance.now() : 0;
    const lane = this.#lane();
    const seq = ++this.#seq;
    this.stats.countSync(request.api);
    this.#write(lane.writer, [FrameKind.REQUEST, seq, 0, request]);
    const answer = this.#awaitAnswer(seq);
    // The kernel serves a lane in order: everything pipelined before this request is done.
    lane.inFlight.retireThrough(seq);
    this.#throwDeferred();
    if (this.#options.onRequest !== undefined) {
      this.#trace(seq, request, false, started);
    }
    if (answer.error !== undefined) {
      throw toKernelError(answer.error);
    }
    return answer.result as ResponseOf<A>;
  }

  public async requestAsync<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): Promise<ResponseOf<A>> {
    // The kernel runs in its own thread, so a blocking wait does not stop it from settling
    // the promise behind `end`; the host's own event loop pauses meanwhile.
    await Promise.resolve();
    return this.request<A>(request);
  }

  public send(request: KernelRequest): void {
    if (!this.capabilities.pipeline) {
      this.request(request as RequestOf<KernelApi> & { readonly api: KernelApi });
      return;
    }
    this.#assertUsable();
    const started = this.#options.onRequest !== undefined ? performance.now() : 0;
    const lane = this.#lane();
    if (lane.inFlight.length >= this.#options.pendingCap) {
      this.#makeRoom(lane);
    }
    const seq = ++this.#seq;
    let site: { stack?: string } | undefined;
    if (this.#options.captureCallSites) {
      site = {};
      Error.captureStackTrace(site, this.send);
    }
    lane.inFlight.push({ seq, request, depth: this.#depth, site });
    this.stats.countPipelined(request.api);
    this.#write(lane.writer, [FrameKind.REQUEST, seq, FLAG_NO_REPLY, request]);
    if (this.#options.onRequest !== undefined) {
      this.#trace(seq, request, true, started);
    }
  }

  public allocateId(): string {
    return `${HOST_ID_PREFIX}${this.#nextId++}`;
  }

  public flush(): void {
    this.#assertUsable();
    const lane = this.#lane();
    this.stats.flushes++;
    if (lane.inFlight.length > 0) {
      this.#waitForCompletion(lane, lane.inFlight.seqAt(lane.inFlight.length - 1));
      this.#drainAvailable();
      lane.inFlight.retireThrough(Atomics.load(this.#state, lane.slot));
    }
    this.#throwDeferred();
  }

  public setCallbackHandler(handler: CallbackHandler): void {
    this.#callbackHandler = handler;
  }

  public setAliasHandler(handler: AliasHandler): void {
    this.#aliasHandler = handler;
  }

  /** Drains, reports any deferred failure, and ends the worker. */
  public async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    let failure: unknown;
    try {
      if (this.#gone === undefined) {
        this.flush();
      }
    } catch (error) {
      failure = error;
    }
    this.#closed = true;
    OPEN_CLIENTS.delete(this);
    if (this.#gone === undefined) {
      try {
        this.#write(this.#lanes[0].writer, [FrameKind.BYE, 0, 0, null]);
      } catch {
        // The worker is already gone; terminate below settles it.
      }
    }
    const timer = setTimeout(() => void this.#worker.terminate(), 5000);
    this.#worker.ref();
    await this.#exited;
    clearTimeout(timer);
    if (failure !== undefined) {
      throw failure;
    }
  }

  /** Ends the worker at once, dropping whatever is in flight. */
  public async terminate(): Promise<void> {
    this.#closed = true;
    OPEN_CLIENTS.delete(this);
    await this.#worker.terminate();
  }

  /** The worker thread (for tests and diagnostics). */
  public get worker(): Worker {
    return this.#worker;
  }

  /**
   * Milliseconds the kernel has spent serving requests, and how many it served (may lag
   * by one request; ring transport only, 0 over stdio).
   */
  public get kernelBusy(): { readonly ms: number; readonly requests: number } {
    const stats = channelStats(this.#buffers.state);
    return { ms: stats[BUSY_MS_STAT] as number, requests: stats[SERVED_STAT] as number };
  }

  /** The host side's ring counters (spins, sleeps, messages) of the response and request rings. */
  public get ringStats(): { readonly response: RingStats; readonly request: RingStats; readonly callback: RingStats } {
    return { response: this.#responses.stats, request: this.#lanes[0].writer.stats, callback: this.#lanes[1].writer.stats };
  }

  /** Pipelined requests not yet known to be served, on the current lane. */
  public get pending(): number {
    return this.#lane().inFlight.length;
  }

  // -------------------------------------------------------------------------------------

  #handshake(): KernelWelcome {
    let frame: Frame;
    try {
      frame = this.#readFrame(this.#options.startTimeoutMs);
    } catch (error) {
      if ((error as JsiiRingError).code === ErrorCode.TIMEOUT) {
        throw new JsiiRingError(ErrorCode.TIMEOUT, `The kernel worker did not start within ${this.#options.startTimeoutMs} ms (options.startTimeoutMs)`, { cause: error });
      }
      throw error;
    }
    if (frame[0] !== FrameKind.WELCOME) {
      throw new JsiiRingError(ErrorCode.HANDSHAKE, `The kernel's first frame was kind ${frame[0]}, not a welcome`);
    }
    const welcome = frame[3] as KernelWelcome;
    if (!welcome.capabilities.codecs.includes(this.#options.codec)) {
      throw new JsiiRingError(ErrorCode.HANDSHAKE, `The kernel does not speak codec '${this.#options.codec}' (it offers ${welcome.capabilities.codecs.join(', ')})`);
    }
    return welcome;
  }

  #lane(): Lane {
    return this.#depth === 0 ? this.#lanes[0] : this.#lanes[1];
  }

  /** Blocks until the lane has fewer than `pendingCap` requests in flight. */
  #makeRoom(lane: Lane): void {
    this.#drainAvailable();
    lane.inFlight.retireThrough(Atomics.load(this.#state, lane.slot));
    const excess = lane.inFlight.length - this.#options.pendingCap;
    if (excess < 0) {
      return;
    }
    this.stats.capWaits++;
    this.#waitForCompletion(lane, lane.inFlight.seqAt(excess));
    this.#drainAvailable();
    lane.inFlight.retireThrough(Atomics.load(this.#state, lane.slot));
  }

  /** Blocks (serving callbacks, collecting failures) until request `seq` of `lane` is served. */
  #waitForCompletion(lane: Lane, seq: number): void {
    for (;;) {
      Atomics.store(this.#state, HOST_WAIT_SLOT, seq);
      // Re-check after announcing the wait (see channel.ts for the race this closes).
      if (Atomics.load(this.#state, lane.slot) >= seq) {
        Atomics.compareExchange(this.#state, HOST_WAIT_SLOT, seq, 0);
        return;
      }
      this.#handleFrame(this.#readFrame(this.#options.requestTimeoutMs), 0);
    }
  }

  /** Handles every frame already in the response ring, without blocking. */
  #drainAvailable(): void {
    for (;;) {
      let bytes: Uint8Array | null | undefined;
      try {
        bytes = this.#responses.tryRead();
      } catch (error) {
        throw this.#peerGone(error);
      }
      if (bytes === undefined || bytes === null) {
        return;
      }
      this.#handleFrame(this.#decode(bytes), 0);
    }
  }

  /** Reads frames until the answer to sync request `seq` arrives. */
  #awaitAnswer(seq: number): { result?: unknown; error?: WireError } {
    for (;;) {
      const frame = this.#readFrame(this.#options.requestTimeoutMs);
      const answer = this.#handleFrame(frame, seq);
      if (answer !== undefined) {
        return answer;
      }
    }
  }

  /** Acts on one frame; returns the answer if it is the one for `awaited`. */
  #handleFrame(frame: Frame, awaited: number): { result?: unknown; error?: WireError } | undefined {
    const [kind, seq, , body] = frame;
    switch (kind) {
      case FrameKind.RESPONSE:
        if (seq !== awaited) {
          throw new JsiiRingError(ErrorCode.BAD_FRAME, `Received a response to request #${seq} while waiting for #${awaited}`);
        }
        return { result: body };
      case FrameKind.ERROR:
        if (seq === awaited) {
          return { error: body as WireError };
        }
        this.#recordFailure(seq, body as WireError);
        return undefined;
      case FrameKind.CALLBACK:
        this.#serveCallback(body as Callback);
        return undefined;
      case FrameKind.ALIASES:
        this.#applyAliases(body as string[]);
        return undefined;
      case FrameKind.WAKE:
        return undefined;
      default:
        throw new JsiiRingError(ErrorCode.BAD_FRAME, `Received a frame of unknown kind ${kind} from the kernel`);
    }
  }

  #recordFailure(seq: number, wire: WireError): void {
    // The lane that holds this seq. Seqs interleave across lanes (a handler's requests on
    // the callback lane are numbered between the request lane's), so "its oldest seq is
    // smaller" would pick the request lane for a callback-lane failure, retire request-lane
    // requests the kernel has not served yet, and lose the failure's request and depth.
    const lane = this.#lanes.find((l) => l.inFlight.includes(seq)) ?? this.#lane();
    const entry = lane.inFlight.retireThrough(seq);
    this.stats.pipelinedFailures++;
    this.#deferred.push(new PipelinedRequestError(entry, seq, wire));
  }

  /** Throws the failures issued at this callback depth or deeper, if any. */
  #throwDeferred(): void {
    if (this.#deferred.length === 0) {
      return;
    }
    const depth = this.#depth;
    const mine = this.#deferred.filter((e) => e.depth >= depth);
    if (mine.length === 0) {
      return;
    }
    this.#deferred = this.#deferred.filter((e) => !mine.includes(e));
    throw firstWithOthers(mine);
  }

  /** Runs a host override for the kernel, then completes it on the callback ring. */
  #serveCallback(callback: Callback): void {
    this.stats.callbacks++;
    this.#depth++;
    let completion: Record<string, unknown>;
    try {
      if (this.#callbackHandler === undefined) {
        throw new JsiiFault(`The kernel made callback ${callback.cbid} but no callback handler is installed`);
      }
      const result = this.#callbackHandler(callback);
      // As if sequential: the handler's own pipelined requests are part of its work.
      this.flush();
      completion = { cbid: callback.cbid, result };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      completion = { cbid: callback.cbid, err: e.message, name: wireName(e), stack: e.stack };
    } finally {
      this.#depth--;
    }
    this.#write(this.#lanes[1].writer, [FrameKind.COMPLETE, 0, 0, completion]);
  }

  #applyAliases(flat: readonly string[]): void {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      this.stats.aliases++;
      this.#aliasHandler?.(flat[i] as string, flat[i + 1] as string);
    }
  }

  #readFrame(timeoutMs: number): Frame {
    let bytes: Uint8Array | null;
    // Only blocking reads are timed: the host is idle for exactly this long.
    const started = performance.now();
    try {
      bytes = this.#responses.read(timeoutMs);
    } catch (error) {
      throw this.#peerGone(error);
    } finally {
      this.stats.hostWaitMs += performance.now() - started;
    }
    if (bytes === null) {
      throw this.#peerGone(undefined);
    }
    return this.#decode(bytes);
  }

  #decode(bytes: Uint8Array): Frame {
    const frame = this.#codec.decode(bytes);
    if (!isFrame(frame)) {
      throw new JsiiRingError(ErrorCode.BAD_FRAME, 'Received a frame that is not [kind, seq, flags, body]');
    }
    return frame;
  }

  /**
   * Writes a frame, waiting while the ring is full. The wait is cut into slices with the
   * response ring served in between: the kernel may itself be blocked on the host (a
   * callback waiting to be served, an error frame for a full response ring) and consume
   * nothing until the host reads, and with both sides only waiting, neither would move.
   * Slices double, because a message too big for one frame is sent again whole after an
   * attempt times out.
   */
  #write(writer: RingWriter, frame: Frame): void {
    const bytes = this.#codec.encode(frame);
    const timeoutMs = this.#options.requestTimeoutMs;
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
          throw this.#peerGone(error);
        }
      }
      if (deadline === Infinity && timeoutMs !== Infinity) {
        deadline = performance.now() + timeoutMs - wait;
      }
      this.#drainAvailable();
    }
  }

  /** Turns a ring failure into the client's terminal error (and remembers it). */
  #peerGone(cause: unknown): JsiiRingError {
    if (this.#gone !== undefined) {
      return this.#gone;
    }
    const code = (cause as { code?: string } | undefined)?.code;
    if (code === 'ERR_RING_TIMEOUT') {
      // Terminal, like a dead peer: the kernel may still answer, and a late answer would be
      // taken for the next request's (every later call failing with ERR_BAD_FRAME). The
      // kernel is deemed unresponsive and ended.
      this.#gone = new JsiiRingError(ErrorCode.TIMEOUT, `The kernel did not answer within ${this.#options.requestTimeoutMs} ms`, { cause });
      this.#closed = true;
      OPEN_CLIENTS.delete(this);
      void this.#worker.terminate();
      return this.#gone;
    }
    const note = readDeathNote(this.#buffers.state);
    const reason = note ?? (this.#workerError instanceof Error ? this.#workerError.message : 'the kernel worker stopped');
    this.#gone = new JsiiRingError(ErrorCode.PEER_GONE, `The kernel is gone: ${reason}`, { cause: cause ?? this.#workerError });
    this.#closed = true;
    OPEN_CLIENTS.delete(this);
    return this.#gone;
  }

  #assertUsable(): void {
    if (this.#gone !== undefined) {
      throw this.#gone;
    }
    if (this.#closed) {
      throw new JsiiRingError(ErrorCode.CLOSED, 'This kernel client is closed');
    }
  }

  #trace(seq: number, request: KernelRequest, pipelined: boolean, started: number): void {
    const { target, member } = describeRequest(request);
    this.#options.onRequest?.({ seq, api: request.api, target, member, pipelined, ms: performance.now() - started });
  }
}

function toKernelError(wire: WireError): Error {
  const error = wire.name === RUNTIME_ERROR_NAME ? new JsiiRuntimeError(wire.error) : new JsiiFault(wire.error);
  // Other kernel error names (`@jsii/kernel.SerializationError`) are Faults that keep their name.
  if (typeof wire.name === 'string' && wire.name !== RUNTIME_ERROR_NAME) {
    error.name = wire.name;
  }
  if (wire.stack !== undefined) {
    const hostFrames = (error.stack ?? '').split('\n').slice(1).join('\n');
    error.stack = `${wire.stack}\n    --- issued by the host ---\n${hostFrames}`;
  }
  return error;
}

function wireName(error: Error): WireErrorName {
  return error.name === FAULT_NAME ? FAULT_NAME : RUNTIME_ERROR_NAME;
}

/**
 * Clients still open when the event loop empties: flush them so a program that forgot
 * `close()` loses nothing and sees its deferred failures.
 */
const OPEN_CLIENTS = new Set<KernelClient>();
process.on('beforeExit', () => {
  for (const client of [...OPEN_CLIENTS]) {
    OPEN_CLIENTS.delete(client);
    client.flush();
  }
});
