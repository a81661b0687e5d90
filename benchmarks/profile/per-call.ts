/**
 * Where each microsecond of a pipelined create and a pipelined invoke goes (and, for
 * comparison, of a sync read), measured without a profiler: every layer is timed alone, in
 * one thread, on the very requests the bindings produce, and the whole call is timed through
 * the worker beside them.
 *
 *   node dist/benchmarks/profile/per-call.js [--calls N] [--rounds R] [--out FILE.json]
 *
 * The calls: `new Construct(root, id)` (a pipelined `create`), `node.addMetadata(k, v)`
 * on one node (a pipelined `void` invoke), and `node.id` (a string: a sync read, a round
 * trip), on the `constructs` library.
 *
 * Host side, per call:
 * - bindings: the generated class and proxies, argument conversion, the object table and
 *   the request object, with a connection that only keeps the request (and answers a read);
 * - encode: the codec on those requests' frames;
 * - ring write: the frames written to a ring nobody reads during the loop;
 * - decode the response (the read only);
 * - client: `KernelClient.send` (`request` for the read) of the recorded requests through
 *   the worker (host busy time: wall minus the time it was blocked reading), less the codec
 *   and the ring write: the client's own bookkeeping;
 * - in situ: the whole call through the worker, host busy time per call.
 * Kernel side, per call:
 * - decode: the codec on the frames;
 * - dispatch: `Kernel.dispatch` of the recorded requests in this thread, less the library's
 *   own time (the same call made natively);
 * - encode the response (the read only);
 * - in situ: the kernel thread's busy time per request (dispatch, completion, notices),
 *   as the worker counts it, less the library's own time.
 * A pipelined request has no response to serialize: the kernel publishes its completion
 * (one atomic store) and writes a frame only for a failure or an alias notice.
 *
 * Each layer timed alone counts its fastest of three passes per round; the runs through the
 * worker are timed once per round. Median over R rounds (the order of the measurements
 * rotates each round), after an untimed round. Each run through the worker starts with the
 * kernel spinning (`awaken`). Between rounds the event loop turns for PROXY_HOLD_MS, as
 * between a program's jobs. Timing loops are `performance.now()` around N calls, so no
 * per-call clock reads are in the figures.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { RingReader, RingWriter, createRingBuffer } from 'atomics-ring-buffer';
import type * as Constructs from 'constructs';
import { load } from '../../lib/bindings/index.js';
import { PROXY_HOLD_MS } from '../../lib/bindings/object-table.js';
import type { AliasHandler, CallbackHandler, ConnectionCapabilities, KernelConnection } from '../../lib/host/connection.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelApi, KernelRequest, RequestOf, ResponseOf } from '../../lib/protocol/api.js';
import { createCodec } from '../../lib/protocol/codec.js';
import { FLAG_NO_REPLY, FrameKind } from '../../lib/protocol/frames.js';
import { median } from '../results.js';

type Lib = typeof Constructs;
const OPS = ['create', 'invoke', 'read'] as const;
type Op = (typeof OPS)[number];
const OP_TITLES: Record<Op, string> = {
  create: 'pipelined create (`new Construct`)',
  invoke: 'pipelined invoke (`addMetadata`)',
  read: 'sync read (`node.id`)',
};

/**
 * A connection in front of another (or of nothing): forwards, except inside `record()`,
 * where it keeps each request instead (in front of nothing it keeps every request). Ids come
 * from the connection behind it, so recorded requests can be sent to that kernel later.
 */
class RecordingSwitch implements KernelConnection {
  #recording = false;
  #recorded: KernelRequest[] = [];
  public readonly capabilities: ConnectionCapabilities;
  readonly #inner: KernelConnection | undefined;
  #nextId = 1;

  public constructor(inner: KernelConnection | undefined) {
    this.#inner = inner;
    this.capabilities = inner?.capabilities ?? { objid: true, pipeline: true, loadPath: true, jsValues: true, beforeExit: false };
  }

  /** Sync requests are recorded too, and answered (by the connection behind, or with a string). */
  public request<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): ResponseOf<A> {
    if (this.#recording || this.#inner === undefined) this.#recorded.push(request);
    if (this.#inner === undefined) return { value: 'answer', result: 'answer' } as unknown as ResponseOf<A>;
    return (this.#inner as { request(r: unknown): unknown }).request(request) as ResponseOf<A>;
  }

  public requestAsync<A extends KernelApi>(request: RequestOf<A> & { readonly api: A }): Promise<ResponseOf<A>> {
    return Promise.resolve(this.request<A>(request));
  }

  public send(request: KernelRequest): void {
    if (this.#recording || this.#inner === undefined) this.#recorded.push(request);
    else this.#inner.send(request);
  }

  public allocateId(): string {
    return this.#inner !== undefined ? this.#inner.allocateId() : `h${this.#nextId++}`;
  }

  public flush(): void {
    this.#inner?.flush();
  }

  public setCallbackHandler(handler: CallbackHandler): void {
    this.#inner?.setCallbackHandler(handler);
  }

  public setAliasHandler(handler: AliasHandler): void {
    this.#inner?.setAliasHandler(handler);
  }

  public async close(): Promise<void> {
    await this.#inner?.close();
  }

  /** Runs `body` recording, and returns what it sent. */
  public record(body: () => void): KernelRequest[] {
    this.#recorded = [];
    this.#recording = true;
    try {
      body();
    } finally {
      this.#recording = false;
    }
    return this.#recorded;
  }
}

/** A target for the calls: a root for creates, a node for invokes. */
interface Target {
  readonly root: Constructs.Construct;
  readonly node: Constructs.Node;
}

let rootCount = 0;
function target(lib: Lib): Target {
  const root = new lib.RootConstruct(`r${rootCount++}`);
  return { root, node: root.node };
}

/** `calls` calls of `op`; ids are unique per target. */
function run(lib: Lib, t: Target, op: Op, calls: number, from: number): void {
  if (op === 'create') {
    for (let i = from; i < from + calls; i++) new lib.Construct(t.root, `c${i}`);
  } else if (op === 'invoke') {
    for (let i = from; i < from + calls; i++) t.node.addMetadata('step', i);
  } else {
    let length = 0;
    for (let i = from; i < from + calls; i++) length += t.node.id.length;
    if (length === 0) throw new Error('per-call: empty ids');
  }
}

/** Passes of each layer timed alone in a round: the fastest counts (GC pauses and interrupts fall in the others). */
const PASSES = 3;
let callsPerPass = 1;

/** µs per call of the fastest of PASSES runs of `pass` (which returns its ms). */
function best(pass: () => number): number {
  let min = Infinity;
  for (let i = 0; i < PASSES; i++) min = Math.min(min, pass());
  return (min * 1000) / callsPerPass;
}

function timeMs(body: () => void): number {
  const start = performance.now();
  body();
  return performance.now() - start;
}

/** One round's figures for one op, µs per call. */
interface Round {
  native: number;
  bindings: number;
  encode: number;
  ringWrite: number;
  decode: number;
  dispatch: number;
  sendHostBusy: number;
  sendKernelBusy: number;
  fullHostBusy: number;
  fullKernelBusy: number;
  fullWall: number;
  /** Times the host woke a sleeping kernel, and slept itself, in the run through the worker (not per call). */
  fullKernelWakes: number;
  fullHostSleeps: number;
  sendKernelWakes: number;
  sendHostSleeps: number;
  bytes: number;
  /** Sync reads: the kernel encoding the response frame, the host decoding it (0 when pipelined). */
  responseEncode: number;
  responseDecode: number;
  /** Requests the bindings sent per call (one: each call is one pipelined request). */
  requests: number;
}

interface Setup {
  readonly nativeLib: Lib;
  readonly sink: RecordingSwitch;
  readonly sinkLib: Lib;
  readonly direct: DirectConnection;
  readonly directSwitch: RecordingSwitch;
  readonly directLib: Lib;
  readonly client: KernelClient;
  readonly clientSwitch: RecordingSwitch;
  readonly clientLib: Lib;
}

const codec = createCodec('msgpack');
// Big enough for a round of frames without a reader, small enough to stay resident after the first round.
const RING_BYTES = 4 * 1024 * 1024;
const ringBuffer = createRingBuffer(RING_BYTES);
const ringWriter = new RingWriter(ringBuffer);
const ringReader = new RingReader(ringBuffer);

function frames(requests: readonly KernelRequest[], flags: number): Uint8Array[] {
  return requests.map((r, i) => codec.encode([FrameKind.REQUEST, i + 1, flags, r]));
}

/**
 * Brings the kernel's wait policy back to spinning. After the steps that leave the worker idle,
 * its reader may have fallen back to sleeping between requests (the ring's adaptive policy)
 * and retry spinning only at its next trial, up to a second later; a run timed then pays a
 * wake-up per request. A busy app keeps the kernel spinning (the example app's synth report:
 * the kernel woken 32 times in 26,000 requests), so each timed run starts from there: sync
 * requests until 200 in a row found the kernel awake, for at most 2 s. Returns the requests it took.
 */
function awaken(client: KernelClient): number {
  const until = performance.now() + 2000;
  let sent = 0;
  let awake = 0;
  while (awake < 200 && performance.now() < until) {
    const before = client.ringStats.request.notifies;
    client.request({ api: 'stats' });
    sent++;
    awake = client.ringStats.request.notifies === before ? awake + 1 : 0;
  }
  return sent;
}

/** Host busy and kernel busy (µs per call) of `body` on the worker, flushed. */
function throughWorker(client: KernelClient, calls: number, body: () => void): { wall: number; hostBusy: number; kernelBusy: number; kernelWakes: number; hostSleeps: number } {
  client.flush();
  awaken(client);
  const wait0 = client.stats.hostWaitMs;
  const busy0 = client.kernelBusy.ms;
  const rings0 = client.ringStats;
  const wall = timeMs(() => {
    body();
    client.flush();
  });
  const waited = client.stats.hostWaitMs - wait0;
  const kernelBusy = client.kernelBusy.ms - busy0;
  const rings1 = client.ringStats;
  return {
    wall: (wall * 1000) / calls,
    hostBusy: ((wall - waited) * 1000) / calls,
    kernelBusy: (kernelBusy * 1000) / calls,
    // The host woke a sleeping kernel (an Atomics.notify on the request ring), and slept itself.
    kernelWakes: rings1.request.notifies - rings0.request.notifies,
    hostSleeps: rings1.response.sleeps - rings0.response.sleeps,
  };
}

function measure(s: Setup, op: Op, calls: number, round: number): Round {
  const r = {} as Round;
  const steps: (() => void)[] = [
    () => {
      r.native = best(() => {
        const t = target(s.nativeLib);
        return timeMs(() => run(s.nativeLib, t, op, calls, 0));
      });
    },
    () => {
      let requests: KernelRequest[] = [];
      r.bindings = best(() => {
        const t = target(s.sinkLib);
        let ms = 0;
        requests = s.sink.record(() => {
          ms = timeMs(() => run(s.sinkLib, t, op, calls, 0));
        });
        return ms;
      });
      r.requests = requests.length / calls;
      let encoded: Uint8Array[] = [];
      r.encode = best(() => timeMs(() => {
        encoded = frames(requests, op === 'read' ? 0 : FLAG_NO_REPLY);
      }));
      r.bytes = encoded.reduce((n, f) => n + f.byteLength, 0) / calls;
      r.ringWrite = best(() => {
        const ms = timeMs(() => {
          for (const f of encoded) ringWriter.write(f);
        });
        while (ringReader.tryRead() !== undefined) { /* drain, untimed */ }
        return ms;
      });
      r.decode = best(() => timeMs(() => {
        for (const f of encoded) codec.decode(f);
      }));
    },
    () => {
      const kernel = s.direct.kernel;
      const results: unknown[] = new Array(calls);
      r.dispatch = best(() => {
        const t = target(s.directLib);
        const requests = s.directSwitch.record(() => run(s.directLib, t, op, calls, 0));
        return timeMs(() => {
          for (let i = 0; i < calls; i++) results[i] = kernel.dispatch(requests[i]!);
        });
      });
      r.responseEncode = 0;
      r.responseDecode = 0;
      if (op === 'read') {
        let responses: Uint8Array[] = [];
        r.responseEncode = best(() => timeMs(() => {
          responses = results.map((result, i) => codec.encode([FrameKind.RESPONSE, i + 1, 0, result]));
        }));
        r.responseDecode = best(() => timeMs(() => {
          for (const f of responses) codec.decode(f);
        }));
      }
    },
    () => {
      const t = target(s.clientLib);
      const requests = s.clientSwitch.record(() => run(s.clientLib, t, op, calls, 0));
      const sent = throughWorker(s.client, calls, op === 'read'
        ? () => {
          for (const request of requests) s.client.request(request as RequestOf<'get'> & { readonly api: 'get' });
        }
        : () => {
          for (const request of requests) s.client.send(request);
        });
      r.sendHostBusy = sent.hostBusy;
      r.sendKernelBusy = sent.kernelBusy;
      r.sendKernelWakes = sent.kernelWakes;
      r.sendHostSleeps = sent.hostSleeps;
    },
    () => {
      const t = target(s.clientLib);
      const full = throughWorker(s.client, calls, () => run(s.clientLib, t, op, calls, 0));
      r.fullHostBusy = full.hostBusy;
      r.fullKernelBusy = full.kernelBusy;
      r.fullWall = full.wall;
      r.fullKernelWakes = full.kernelWakes;
      r.fullHostSleeps = full.hostSleeps;
    },
  ];
  for (let i = 0; i < steps.length; i++) steps[(i + round) % steps.length]!();
  return r;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '9' },
      out: { type: 'string' },
    },
  });
  const calls = Number(values.calls);
  callsPerPass = calls;
  const rounds = Number(values.rounds);
  if (!Number.isInteger(calls) || calls < 1 || !Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError('--calls and --rounds must be positive integers');
  }
  const loadAvg = os.loadavg()[0]!;
  const sink = new RecordingSwitch(undefined);
  const direct = new DirectConnection();
  const directSwitch = new RecordingSwitch(direct);
  const client = KernelClient.start({ transport: 'ring' });
  const clientSwitch = new RecordingSwitch(client);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nativeLib = require('constructs') as Lib;
  const setup: Setup = {
    nativeLib,
    sink,
    sinkLib: load<Lib>('constructs', { connection: sink }),
    direct,
    directSwitch,
    directLib: load<Lib>('constructs', { connection: directSwitch }),
    client,
    clientSwitch,
    clientLib: load<Lib>('constructs', { connection: clientSwitch }),
  };
  const results: Record<string, Round[]> = {};
  process.stderr.write(`per-call: ${rounds} rounds of ${calls} calls per op, after one untimed round\n`);
  for (let round = -1; round < rounds; round++) {
    for (const op of OPS) {
      const r = measure(setup, op, calls, Math.max(0, round));
      if (round >= 0) (results[op] ??= []).push(r);
    }
    if (round >= 0) process.stderr.write(`  round ${round + 1}/${rounds}\n`);
    // The event loop turns between rounds, long enough for the object tables to make their
    // new proxies weak (PROXY_HOLD_MS), as between the jobs of a real program; otherwise the
    // whole benchmark would be one job of a million proxies.
    await new Promise((resolve) => setTimeout(resolve, PROXY_HOLD_MS + 50));
  }
  const med = (op: Op, key: keyof Round): number => median(results[op]!.map((r) => r[key]));
  const report: Record<string, Record<string, number>> = {};
  for (const op of OPS) {
    const encode = med(op, 'encode');
    const ringWrite = med(op, 'ringWrite');
    const native = med(op, 'native');
    report[op] = {
      frameBytes: med(op, 'bytes'),
      requestsPerCall: med(op, 'requests'),
      native,
      hostBindings: med(op, 'bindings'),
      hostEncode: encode,
      hostRingWrite: ringWrite,
      hostClient: Math.max(0, med(op, 'sendHostBusy') - encode - ringWrite - med(op, 'responseDecode')),
      hostResponseDecode: med(op, 'responseDecode'),
      kernelResponseEncode: med(op, 'responseEncode'),
      hostSendInSitu: med(op, 'sendHostBusy'),
      hostInSitu: med(op, 'fullHostBusy'),
      kernelDecode: med(op, 'decode'),
      kernelDispatchLessLibrary: Math.max(0, med(op, 'dispatch') - native),
      kernelDispatch: med(op, 'dispatch'),
      kernelInSituLessLibrary: Math.max(0, med(op, 'fullKernelBusy') - native),
      kernelInSitu: med(op, 'fullKernelBusy'),
      wallInSitu: med(op, 'fullWall'),
      kernelWakes: med(op, 'fullKernelWakes'),
    };
  }
  for (const op of OPS) {
    const r = report[op]!;
    r['hostSum'] = r['hostBindings']! + r['hostEncode']! + r['hostRingWrite']! + r['hostClient']! + r['hostResponseDecode']!;
    r['kernelSum'] = r['kernelDecode']! + r['kernelDispatchLessLibrary']! + r['kernelResponseEncode']!;
  }
  const fmt = (n: number | undefined): string => (n === undefined ? '–' : n.toFixed(2));
  const row = (label: string, key: string): string => `| ${label} | ${OPS.map((op) => fmt(report[op]![key])).join(' | ')} |`;
  const lines = [
    `| µs per call | ${OPS.map((op) => OP_TITLES[op]).join(' | ')} |`,
    `| --- |${OPS.map(() => ' ---: |').join('')}`,
    row('host: bindings (class, conversions, object table, request)', 'hostBindings'),
    row('host: encode (msgpack)', 'hostEncode'),
    row('host: ring write', 'hostRingWrite'),
    row('host: decode the response (sync read)', 'hostResponseDecode'),
    row('host: client bookkeeping (through the worker, less the codec and ring write)', 'hostClient'),
    row('**host, layers summed**', 'hostSum'),
    row('host, whole call through the worker (busy time)', 'hostInSitu'),
    row('kernel: decode (msgpack)', 'kernelDecode'),
    row('kernel: dispatch, less the library', 'kernelDispatchLessLibrary'),
    row('kernel: encode the response (sync read)', 'kernelResponseEncode'),
    row('**kernel, decode + dispatch less the library + encode**', 'kernelSum'),
    row('kernel thread busy through the worker, less the library (request decode not counted)', 'kernelInSituLessLibrary'),
    row('the library itself (the same call made natively)', 'native'),
    row('wall time per call through the worker', 'wallInSitu'),
    row('frame bytes', 'frameBytes'),
    `| times the host woke a sleeping kernel, per timed run of ${calls.toLocaleString('en-US')} calls | ${OPS.map((op) => String(report[op]!['kernelWakes'])).join(' | ')} |`,
  ];
  const environment = { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, loadBefore: loadAvg, loadAfter: os.loadavg()[0]!, date: new Date().toISOString() };
  process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify(environment)}\n`);
  if (values.out !== undefined) fs.writeFileSync(values.out, `${JSON.stringify({ environment, calls, rounds, report, raw: results }, null, 2)}\n`);
  void client.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`per-call: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
