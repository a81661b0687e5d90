/**
 * `KernelClient`: a jsii kernel in a worker thread, driven through shared-memory rings,
 * pipelining every request whose result the program does not read.
 *
 * Contract: "as if sequential" (DESIGN.md). Requests are served in the order they are
 * issued; a failed pipelined request is reported at the next sync point of the same (or
 * an outer) callback depth; callbacks are served whenever the host reads the response
 * ring, which it does at every sync point and whenever it waits for room.
 */
import type { Worker } from 'node:worker_threads';
import type { RingStats, RingWriter } from 'atomics-ring-buffer';
import type { Callback, KernelApi, KernelRequest, RequestOf, ResponseOf, WireErrorName } from '../protocol/api.js';
import { EXT_BEFORE_EXIT, EXT_JS_VALUES, EXT_LOAD_PATH, EXT_OBJID, EXT_PIPELINE, FAULT_NAME, HOST_ID_PREFIX, PROTOCOL_VERSION, RING_SERVER_EXTENSIONS, RUNTIME_ERROR_NAME } from '../protocol/api.js';
import { FLAG_NO_REPLY, FrameKind } from '../protocol/frames.js';
import type { Frame, HostHello, WireError } from '../protocol/frames.js';
import { ErrorCode, JsiiFault, JsiiRingError, JsiiRuntimeError } from '../errors.js';
import { CB_COMPLETED_SLOT, COMPLETED_SLOT, HOST_WAIT_SLOT } from '../transports/channel.js';
import type { AliasHandler, CallbackHandler, ConnectionCapabilities, KernelConnection } from './connection.js';
import { KernelLink } from './kernel-link.js';
import { resolveClientOptions } from './options.js';
import type { KernelClientOptions, ResolvedClientOptions } from './options.js';
import { InFlightQueue, PipelinedRequestError, describeRequest, firstWithOthers } from './pipeline.js';
import { lossReport } from './kernel-lost.js';
import type { KernelLostError, Loss } from './kernel-lost.js';
import { ClientStats } from './stats.js';
import type { KernelBusy } from './stats.js';
import { askKernelHeap } from '../transports/heap-probe.js';
import type { KernelHeap } from '../transports/heap-probe.js';
import { timelineNow } from '../transports/timeline.js';
import type { Timeline } from '../transports/timeline.js';

/** How long `close()` waits for the worker to exit before it terminates it, ms. */
const EXIT_WAIT_MS = 5000;

/** How long `close()` waits for the kernel's half of the timeline, ms. */
const TIMELINE_WAIT_MS = 10_000;

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
    const client = new KernelClient(resolveClientOptions(options));
    client.#connect();
    client.#link.awaitWelcome();
    return client;
  }

  /**
   * Starts a kernel worker and returns at once: the handshake happens on first use (the
   * first request, or a read of `capabilities`/`welcome`), so the program's own start-up
   * work overlaps the worker's. Over the ring the host does not even wait for the kernel's
   * welcome then: it knows what its own kernel worker offers, sends its choice and its
   * first requests at once, and checks the welcome when it first reads an answer. A worker
   * that fails to start is reported then.
   */
  public static spawn(options: KernelClientOptions = {}): KernelClient {
    return new KernelClient(resolveClientOptions(options));
  }

  #capabilities: ConnectionCapabilities | undefined;
  #welcome: KernelWelcome | undefined;

  /** What the kernel and this client agreed to (completes the handshake if needed). */
  public get capabilities(): ConnectionCapabilities {
    return this.#capabilities ?? this.#connect();
  }

  /** The kernel's greeting (completes the handshake if needed, and waits for it). */
  public get welcome(): KernelWelcome {
    if (this.#welcome === undefined) {
      this.#connect();
      this.#link.awaitWelcome();
    }
    return this.#welcome!;
  }
  public readonly stats = new ClientStats();
  readonly #options: ResolvedClientOptions;
  readonly #link: KernelLink;
  readonly #state: Int32Array;
  readonly #lanes: [request: Lane, callback: Lane];
  /** Serves the response ring while a write waits for room (see `KernelLink.write`). */
  readonly #serve = (): void => this.#drainAvailable();
  #seq = 0;
  #nextId = 1;
  /** See `typesNamed`. */
  readonly #typesNamed = new Set<string>();
  #depth = 0;
  #deferred: PipelinedRequestError[] = [];
  #callbackHandler: CallbackHandler | undefined;
  #aliasHandler: AliasHandler | undefined;
  #closed = false;
  /** The sync request being awaited (the innermost, with callbacks), for a loss report. */
  #syncSeq = 0;
  #syncRequest: KernelRequest | undefined;
  /** The host's half of the timeline, and the kernel's once closed (`options.timeline`). */
  readonly #hostTimeline: number[] | undefined;
  #kernelTimeline: number[] = [];

  private constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.#hostTimeline = options.timeline ? [] : undefined;
    // The link reports back: a worker exit after close() is no death, a dead link closes us.
    this.#link = new KernelLink(options, {
      isClosed: () => this.#closed,
      lost: (loss) => this.#lost(loss),
      addWaitMs: (ms) => {
        this.stats.hostWaitMs += ms;
      },
    });
    this.#state = this.#link.state;
    this.#lanes = [
      { writer: this.#link.requestWriter, slot: COMPLETED_SLOT, inFlight: new InFlightQueue() },
      { writer: this.#link.callbackWriter, slot: CB_COMPLETED_SLOT, inFlight: new InFlightQueue() },
    ];
    OPEN_CLIENTS.add(this);
  }

  /**
   * The handshake: the kernel's welcome, then our choice. Once. Over the ring the kernel is
   * our own worker, of this very build: the choice is made from what it offers
   * (RING_SERVER_EXTENSIONS) and sent at once, and the welcome is checked against it when
   * the first read meets it (KernelLink.expectWelcome), so the host does not wait for the
   * worker to boot before it can send its first requests.
   */
  #connect(): ConnectionCapabilities {
    if (this.#capabilities !== undefined) return this.#capabilities;
    const options = this.#options;
    let offered: readonly string[];
    if (options.transport === 'ring') {
      offered = RING_SERVER_EXTENSIONS;
    } else {
      // Another kernel (over stdio): its welcome says what it offers, so wait for it first.
      this.#link.expectWelcome((frame) => {
        this.#welcome = this.#checkWelcome(frame);
      });
      this.#link.awaitWelcome();
      offered = this.#welcome!.capabilities.extensions;
    }
    const chosen = options.extensions.filter((e) => offered.includes(e));
    if (this.#welcome === undefined) {
      this.#link.expectWelcome((frame) => {
        this.#welcome = this.#checkOwnWorker(frame, chosen);
      });
    }
    const hello: HostHello = options.timeline ? { codec: options.codec, extensions: chosen, timeline: true } : { codec: options.codec, extensions: chosen };
    this.#write(this.#lanes[0].writer, [FrameKind.HELLO, 0, 0, hello]);
    this.#link.useCodec(options.codec);
    const objid = chosen.includes(EXT_OBJID);
    this.#capabilities = {
      objid,
      pipeline: objid && chosen.includes(EXT_PIPELINE) && options.pendingCap > 0,
      loadPath: chosen.includes(EXT_LOAD_PATH),
      jsValues: chosen.includes(EXT_JS_VALUES),
      beforeExit: chosen.includes(EXT_BEFORE_EXIT),
    };
    return this.#capabilities;
  }

  /** Sequence number of the last request issued (sync or pipelined); the next one gets this + 1. */
  public get issued(): number {
    return this.#seq;
  }

  public request<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): ResponseOf<A> {
    this.#assertUsable();
    assertObject(request);
    const started = this.#options.onRequest !== undefined ? performance.now() : 0;
    const lane = this.#lane();
    const seq = ++this.#seq;
    if ((seq & 1023) === 0) this.#options.onProgress?.(seq);
    this.stats.countSync(request.api);
    this.#noteType(request);
    const issued = this.#hostTimeline !== undefined ? timelineNow() : 0;
    this.#write(lane.writer, [FrameKind.REQUEST, seq, 0, request]);
    const outerSeq = this.#syncSeq;
    const outerRequest = this.#syncRequest;
    this.#syncSeq = seq;
    this.#syncRequest = request;
    const answer = this.#awaitAnswer(seq);
    this.#syncSeq = outerSeq;
    this.#syncRequest = outerRequest;
    this.#hostTimeline?.push(seq, issued, timelineNow(), 0, this.#depth);
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
    assertObject(request);
    const started = this.#options.onRequest !== undefined ? performance.now() : 0;
    const lane = this.#lane();
    if (lane.inFlight.length >= this.#options.pendingCap) {
      this.#makeRoom(lane);
    } else {
      // A callback the kernel made while serving an earlier pipelined request holds the
      // kernel until this thread reads it: look at every send (a few loads when nothing is
      // there), not only at the next sync point, which may be far off.
      this.#drainAvailable();
    }
    const seq = ++this.#seq;
    if ((seq & 1023) === 0) this.#options.onProgress?.(seq);
    let site: { stack?: string } | undefined;
    if (this.#options.captureCallSites) {
      site = {};
      Error.captureStackTrace(site, this.send);
    }
    this.stats.countPipelined(request.api);
    this.#noteType(request);
    this.#hostTimeline?.push(seq, timelineNow(), 0, 1, this.#depth);
    this.#write(lane.writer, [FrameKind.REQUEST, seq, FLAG_NO_REPLY, request]);
    // Queued once written: a request that could not be encoded was never sent, and an entry
    // for it would be waited for forever. (The kernel cannot answer a request before the
    // write returns: the host reads responses only between a full ring's wait slices.)
    lane.inFlight.push({ seq, request, depth: this.#depth, site });
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

  /**
   * Drains, reports any deferred failure, and ends the worker. Bounded whatever the kernel
   * does: a call that never returns is ended at `options.callTimeoutMs`, and a worker that
   * does not exit after BYE is terminated. After the kernel was lost it waits (as bounded)
   * for the worker's end, so the loss report gets the worker's exit code and error.
   *
   * With `awaitExit: false` it returns once the kernel has everything (drained, BYE written,
   * the timeline received if asked for) and lets the worker end on its own meanwhile: for a
   * program about to exit (the worker is unreferenced, so it keeps nothing alive), which then
   * does not wait for the thread's teardown (~30 ms).
   */
  public async close(options: { readonly awaitExit?: boolean } = {}): Promise<void> {
    const awaitExit = options.awaitExit ?? true;
    if (this.#closed) {
      if (this.#link.gone !== undefined && awaitExit) {
        await this.#awaitExit();
      }
      return;
    }
    let failure: unknown;
    try {
      if (this.#link.gone === undefined) {
        this.flush();
      }
    } catch (error) {
      failure = error;
    }
    this.#closed = true;
    OPEN_CLIENTS.delete(this);
    if (this.#link.gone === undefined) {
      this.#link.closing();
      try {
        this.#write(this.#lanes[0].writer, [FrameKind.BYE, 0, 0, null]);
        if (this.#hostTimeline !== undefined) {
          this.#receiveTimeline();
        }
      } catch {
        // The worker is already gone; terminate below settles it.
      }
    }
    if (awaitExit || this.#link.gone !== undefined) {
      await this.#awaitExit();
    }
    if (failure !== undefined) {
      throw failure;
    }
  }

  /** Ends the worker at once, dropping whatever is in flight. */
  public async terminate(): Promise<void> {
    this.#closed = true;
    OPEN_CLIENTS.delete(this);
    this.#link.closing();
    await this.#link.worker.terminate();
  }

  /**
   * Whether the kernel's welcome has been read. Over the ring the host speaks first and
   * reads the welcome with the first answer it waits for (see `spawn`).
   */
  public get greeted(): boolean {
    return this.#welcome !== undefined;
  }

  /** Whether this client took over a worker started before it (`prelaunchKernel`, launch.ts). */
  public get prelaunched(): boolean {
    return this.#link.prelaunched;
  }

  /** The worker thread (for tests and diagnostics). */
  public get worker(): Worker {
    return this.#link.worker;
  }

  /**
   * Milliseconds the kernel has spent serving requests, and how many it served (may lag
   * by one request; ring transport only, 0 over stdio).
   */
  public get kernelBusy(): KernelBusy {
    return this.#link.kernelBusy;
  }

  /**
   * Marks the next request this client issues: the kernel notes its busy ms when it begins
   * to serve it (ring transport), which `kernelBusyAtMark` then gives. A phase boundary in
   * the kernel's own order: requests pipelined before it count before it even if the kernel
   * serves them after the host moved on. Request lane only (not from inside a callback).
   */
  public markNextRequest(): void {
    this.#link.markBusyAt(this.#seq + 1);
  }

  /** The kernel's busy ms when it began the request `markNextRequest` named; undefined until then or over stdio. */
  public get kernelBusyAtMark(): number | undefined {
    return this.#link.busyAtMark;
  }

  /**
   * Classes whose modules the kernel loaded ahead of their first use (`preloadTypes`), and
   * the milliseconds that took (ring transport only, 0 over stdio).
   */
  public get kernelPreloaded(): { readonly types: number; readonly ms: number } {
    return this.#options.transport === 'ring' ? this.#link.preloaded : { types: 0, ms: 0 };
  }

  /**
   * The classes this client's requests named (constructors, static members), in the order
   * of first use: what to pass as `preloadTypes` to the next run of the same program.
   */
  public get typesNamed(): readonly string[] {
    return [...this.#typesNamed];
  }

  /**
   * The kernel worker's heap (its own V8 isolate), taken when the kernel is next idle; with
   * `gc: true` after a full GC if the process exposes one (`node --expose-gc`, or
   * `v8.setFlagsFromString('--expose-gc')` before the client starts). Ring transport only.
   * A diagnostic: it does not go through the rings and does not wait for pipelined requests.
   */
  public kernelHeap(options: { readonly gc?: boolean; readonly timeoutMs?: number } = {}): Promise<KernelHeap> {
    if (this.#options.transport !== 'ring') {
      return Promise.reject(new JsiiRingError(ErrorCode.INVALID_OPTION, "kernelHeap() needs the ring transport (over stdio the kernel's heap is another process's)"));
    }
    if (this.#closed) {
      return Promise.reject(new JsiiRingError(ErrorCode.CLOSED, 'This kernel client is closed'));
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      return Promise.reject(new RangeError(`options.timeoutMs must be a positive number of ms (got ${String(options.timeoutMs)})`));
    }
    return askKernelHeap(this.#link.worker, { gc: options.gc === true, timeoutMs });
  }

  /** The host side's ring counters (spins, sleeps, messages) of the response and request rings. */
  public get ringStats(): { readonly response: RingStats; readonly request: RingStats; readonly callback: RingStats } {
    return this.#link.ringStats;
  }

  /**
   * Both halves of the timeline (`options.timeline`); the kernel's half arrives when the
   * client closes. Summarize it with `summarizeTimeline`.
   */
  public get timeline(): Timeline | undefined {
    return this.#hostTimeline === undefined ? undefined : { host: this.#hostTimeline, kernel: this.#kernelTimeline };
  }

  /** Pipelined requests not yet known to be served, on the current lane. */
  public get pending(): number {
    return this.#lane().inFlight.length;
  }

  // -------------------------------------------------------------------------------------

  /** The welcome of our own kernel worker, if it offers what this client chose without asking. */
  #checkOwnWorker(frame: Frame, chosen: readonly string[]): KernelWelcome {
    const welcome = this.#checkWelcome(frame);
    const missing = chosen.filter((e) => !welcome.capabilities.extensions.includes(e));
    if (welcome.capabilities.protocol !== PROTOCOL_VERSION || missing.length > 0) {
      throw this.#refused(`The kernel worker is not the build this client expected (protocol ${String(welcome.capabilities.protocol)}, expected ${PROTOCOL_VERSION}${missing.length > 0 ? `; it lacks ${missing.join(', ')}` : ''})`);
    }
    return welcome;
  }

  /** The welcome in the kernel's first frame, if it is one and speaks our codec. */
  #checkWelcome(frame: Frame): KernelWelcome {
    if (frame[0] !== FrameKind.WELCOME) {
      throw this.#refused(`The kernel's first frame was kind ${frame[0]}, not a welcome`);
    }
    const welcome = frame[3] as KernelWelcome;
    if (!welcome.capabilities.codecs.includes(this.#options.codec)) {
      throw this.#refused(`The kernel does not speak codec '${this.#options.codec}' (it offers ${welcome.capabilities.codecs.join(', ')})`);
    }
    return welcome;
  }

  /**
   * A handshake that failed: once the host has spoken (requests may already be on their way)
   * the client cannot be used any more, so it is closed and the worker ended.
   */
  #refused(message: string): JsiiRingError {
    if (this.#capabilities !== undefined && !this.#closed) void this.terminate();
    return new JsiiRingError(ErrorCode.HANDSHAKE, message);
  }

  /** Waits for the worker to exit, terminating it if it has not within EXIT_WAIT_MS. */
  async #awaitExit(): Promise<void> {
    const worker = this.#link.worker;
    const timer = setTimeout(() => void worker.terminate(), EXIT_WAIT_MS);
    worker.ref();
    await this.#link.exited;
    clearTimeout(timer);
  }

  /**
   * The kernel is lost (see KernelLink.peerGone): collect what it published before, settle
   * the queues to what it served, and say all of it in one error.
   */
  #lost(loss: Loss): KernelLostError {
    this.#closed = true;
    OPEN_CLIENTS.delete(this);
    for (const frame of this.#link.remains()) {
      if (frame[0] === FrameKind.ERROR && this.#lanes.some((l) => l.inFlight.includes(frame[1]))) {
        this.#recordFailure(frame[1], frame[3] as WireError);
      } else if (frame[0] === FrameKind.ALIASES) {
        this.#applyAliases(frame[3] as string[]);
      }
    }
    for (const lane of this.#lanes) {
      lane.inFlight.retireThrough(Atomics.load(this.#state, lane.slot));
    }
    const failures = this.#deferred;
    this.#deferred = [];
    const sync = this.#syncRequest !== undefined ? { seq: this.#syncSeq, request: this.#syncRequest } : undefined;
    return lossReport(loss, this.#link.serving, this.#lanes.map((l) => l.inFlight), sync, failures);
  }

  #lane(): Lane {
    return this.#depth === 0 ? this.#lanes[0] : this.#lanes[1];
  }

  /**
   * Blocks until the lane has fewer than `pendingCap` requests in flight. Once the cap is
   * reached, it waits until the kernel has worked the lane down to half the cap, not just
   * one request below it: the kernel keeps the other half to serve meanwhile, and a host
   * that issues faster than the kernel serves is woken once per half a cap instead of once
   * per request (each wake is a frame the kernel writes and the host reads).
   */
  #makeRoom(lane: Lane): void {
    this.#drainAvailable();
    lane.inFlight.retireThrough(Atomics.load(this.#state, lane.slot));
    const inFlight = lane.inFlight.length;
    if (inFlight < this.#options.pendingCap) {
      return;
    }
    this.stats.capWaits++;
    // inFlight >= pendingCap > keep, so the index is in the queue.
    const keep = Math.floor(this.#options.pendingCap / 2);
    this.#waitForCompletion(lane, lane.inFlight.seqAt(inFlight - 1 - keep));
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
      this.#handleFrame(this.#link.readFrame(this.#options.requestTimeoutMs), 0);
    }
  }

  /** Handles every frame already in the response ring, without blocking. */
  #drainAvailable(): void {
    for (let frame = this.#link.tryReadFrame(); frame !== undefined; frame = this.#link.tryReadFrame()) {
      this.#handleFrame(frame, 0);
    }
  }

  /** Reads frames until the answer to sync request `seq` arrives. */
  #awaitAnswer(seq: number): { result?: unknown; error?: WireError } {
    for (;;) {
      const frame = this.#link.readFrame(this.#options.requestTimeoutMs);
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

  /** After BYE: reads the kernel's last frames up to its half of the timeline. */
  #receiveTimeline(): void {
    for (;;) {
      const frame = this.#link.readFrame(TIMELINE_WAIT_MS);
      if (frame[0] === FrameKind.TIMELINE) {
        this.#kernelTimeline = frame[3] as number[];
        return;
      }
    }
  }

  #write(writer: RingWriter, frame: Frame): void {
    this.#link.write(writer, frame, this.#serve);
  }

  #assertUsable(): void {
    if (this.#capabilities === undefined && !this.#closed && this.#link.gone === undefined) this.#connect();
    const gone = this.#link.gone;
    if (gone !== undefined) {
      throw gone;
    }
    if (this.#closed) {
      throw new JsiiRingError(ErrorCode.CLOSED, 'This kernel client is closed');
    }
  }

  /** Remembers the class a request names (create, sget, sset, sinvoke): see `typesNamed`. */
  #noteType(request: KernelRequest): void {
    const fqn = (request as { readonly fqn?: unknown }).fqn;
    if (typeof fqn === 'string' && fqn !== 'Object') this.#typesNamed.add(fqn);
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

/** A request that is not an object is refused as the kernel would refuse it, before it is counted or sent. */
function assertObject(request: unknown): void {
  if (typeof request !== 'object' || request === null) {
    throw new JsiiFault(`Malformed request: expected an object, got ${request === null ? 'null' : typeof request}`);
  }
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
