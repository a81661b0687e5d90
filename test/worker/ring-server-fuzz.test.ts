/**
 * Hostile input through the ring, seeded and bounded. Two hosts:
 * - a raw one, speaking to the kernel worker entry (as shipped) straight through the
 *   channel's rings, so it can send what no client sends: bytes that decode to nothing,
 *   messages that are no frame, frames of unknown kinds, malformed request bodies;
 * - a `KernelClient`, sending bad requests of every class, sync and pipelined: unknown
 *   apis, wrong argument types and counts, oversized and over-deep values, values the codec
 *   cannot carry.
 * After every bad input the valid request that follows must get its correct answer: no
 * crash, no hang (every read has a deadline), no lost or shifted answer.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import test from 'ava';
import { RingReader, RingWriter } from 'atomics-ring-buffer';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { PipelinedRequestError } from '../../lib/host/pipeline.js';
import { EXT_OBJID } from '../../lib/protocol/api.js';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { createCodec } from '../../lib/protocol/codec.js';
import { FLAG_NO_REPLY, FrameKind } from '../../lib/protocol/frames.js';
import type { Frame } from '../../lib/protocol/frames.js';
import { createChannelBuffers } from '../../lib/transports/channel.js';
import { ensureFixtures } from '../helpers/fixture.js';
import { SeededRandom } from '../host/seeded-random.js';

const RAW_ROUNDS = 3000;
const CLIENT_ROUNDS = 1500;
/** Any read longer than this is a hang. */
const READ_DEADLINE_MS = 20_000;
const VALUES = '@jsii-ring/calc.Values';
const CALCULATOR = '@jsii-ring/calc.Calculator';

/** A valid request whose answer is known: echoNumber(n) answers n. */
const echo = (n: number): KernelRequest => ({ api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: [n] });

/** Request bodies every kernel must refuse (each one wrong in its own way). */
function badBodies(random: SeededRandom): unknown[] {
  const big = 'x'.repeat(random.int(70_000, 2_000_000));
  let deep: unknown = 1;
  for (let i = random.int(513, 800); i > 0; i--) deep = random.chance(0.5) ? [deep] : { k: deep };
  return [
    null, 5, 'sinvoke', [], {}, { api: 5 }, { api: 'nope' }, { api: '__proto__' }, { api: 'constructor' }, { api: 'toString' },
    { api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: ['seven'] },
    { api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: [] },
    { api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: [{ '$jsii.byref': 'nothing@1' }] },
    { api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: 'not an array' },
    { api: 'sinvoke', fqn: VALUES, method: 'noSuchMethod', args: [] },
    { api: 'sinvoke', fqn: 'no.Such.Type', method: 'x', args: [] },
    { api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: [big] },
    { api: 'sinvoke', fqn: VALUES, method: 'echoAny', args: [deep] },
    { api: 'create', fqn: 'no.Such.Class' },
    { api: 'create', fqn: CALCULATOR, args: ['not props'] },
    { api: 'create', fqn: 5 },
    { api: 'invoke', objref: { '$jsii.byref': `${CALCULATOR}@10000` }, method: 'add', args: [1] },
    { api: 'invoke', objref: 'not a ref', method: 'add', args: [1] },
    { api: 'get', objref: { '$jsii.byref': `${CALCULATOR}@10000` }, property: 'value' },
    { api: 'sget', fqn: VALUES, property: 5 },
    { api: 'set', objref: null, property: 'value', value: 1 },
    { api: 'del', objref: { '$jsii.byref': 'Object@424242' } },
    { api: 'load', name: 'no-such-package', version: '1.0.0', tarball: '/no/such/file.tgz' },
    { api: 'load', name: 5 },
    { api: 'end', promiseid: 'never-begun' },
    { api: 'begin', fqn: VALUES, method: 'echoNumber', args: [1] },
    { api: 'complete', cbid: 'no-such-callback', result: 1 },
    { api: 'naming', assembly: 'no-such-assembly' },
  ];
}

/** The raw host: the rings, the codec, and the next seq. */
class RawHost {
  readonly #requests: RingWriter;
  readonly #responses: RingReader;
  #codec = createCodec('json');
  #seq = 0;

  public constructor(request: SharedArrayBuffer, response: SharedArrayBuffer) {
    this.#requests = new RingWriter(request);
    this.#responses = new RingReader(response);
  }

  public nextSeq(): number {
    return ++this.#seq;
  }

  public useCodec(name: 'msgpack' | 'json'): void {
    this.#codec = createCodec(name);
  }

  public encode(value: unknown): Uint8Array {
    return this.#codec.encode(value);
  }

  public sendBytes(bytes: Uint8Array): void {
    this.#requests.write(bytes, READ_DEADLINE_MS);
  }

  public send(frame: unknown): void {
    this.sendBytes(this.#codec.encode(frame));
  }

  /** The next frame that is not a WAKE or an identity notice. */
  public next(): Frame {
    for (;;) {
      const bytes = this.#responses.readCopy(READ_DEADLINE_MS);
      if (bytes === null) throw new Error('the kernel closed the response ring');
      const frame = this.#codec.decode(bytes) as Frame;
      if (frame[0] !== FrameKind.WAKE && frame[0] !== FrameKind.ALIASES) return frame;
    }
  }

  /** A sync request: its answer. */
  public call(body: unknown): Frame {
    const seq = this.nextSeq();
    this.send([FrameKind.REQUEST, seq, 0, body]);
    return this.next();
  }
}

/** Random bytes that cannot decode to a four-element array (which could be a real frame, BYE included). */
function garbage(random: SeededRandom): Uint8Array {
  const bytes = new Uint8Array(random.int(1, 64));
  for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(0, 255);
  while (bytes[0] === 0x94 || bytes[0] === 0xdc || bytes[0] === 0xdd || bytes[0] === 0x5b /* [ */) bytes[0] = random.int(0, 255);
  return bytes;
}

test(`the kernel worker survives ${RAW_ROUNDS} bad frames through its rings, answering each and the valid request after it`, async (t) => {
  const { calc } = ensureFixtures();
  const buffers = createChannelBuffers({ requestCapacity: 64 * 1024, callbackCapacity: 4096, responseCapacity: 64 * 1024 });
  const worker = new Worker(path.join(__dirname, '..', '..', 'lib', 'worker', 'kernel-worker.js'), { workerData: { buffers } });
  t.teardown(() => worker.terminate());
  const host = new RawHost(buffers.request, buffers.response);
  t.is(host.next()[0], FrameKind.WELCOME);
  host.send([FrameKind.HELLO, 0, 0, { codec: 'msgpack', extensions: [EXT_OBJID] }]);
  host.useCodec('msgpack');
  t.is(host.call({ api: 'load', name: calc.name, version: calc.version, tarball: calc.tarball })[0], FrameKind.RESPONSE);

  const random = new SeededRandom(0x5eed);
  const counts = new Map<string, number>();
  for (let round = 0; round < RAW_ROUNDS; round++) {
    const kind = random.pick(['garbage', 'not a frame', 'unknown kind', 'bad body', 'bad pipelined body'] as const);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    let expectedSeq = 0;
    switch (kind) {
      case 'garbage':
        host.sendBytes(garbage(random));
        break;
      case 'not a frame':
        host.send(random.pick<unknown>([42, 'frame', null, {}, [1, 2], [1, 2, 3, 4, 5], ['a', 1, 0, {}], [1, 'x', 0, {}], [1, 2, 'flags', {}]]));
        break;
      case 'unknown kind':
        expectedSeq = host.nextSeq();
        host.send([random.pick([0, 2, 3, 5, 16, 17, 18, 21, 99, -1, 1.5, 2 ** 31]), expectedSeq, 0, { api: 'stats' }]);
        break;
      default:
        expectedSeq = host.nextSeq();
        host.send([FrameKind.REQUEST, expectedSeq, kind === 'bad pipelined body' ? FLAG_NO_REPLY : 0, random.pick(badBodies(random))]);
    }
    const answer = host.next();
    if (answer[0] !== FrameKind.ERROR || answer[1] !== expectedSeq) {
      t.fail(`round ${round} (${kind}): expected an ERROR for #${expectedSeq}, got ${JSON.stringify(answer).slice(0, 300)}`);
      return;
    }
    const n = random.int(-1e6, 1e6);
    const valid = host.call(echo(n));
    if (valid[0] !== FrameKind.RESPONSE || (valid[3] as { result?: unknown }).result !== n) {
      t.fail(`round ${round} (${kind}): the valid request after it got ${JSON.stringify(valid).slice(0, 300)}`);
      return;
    }
  }
  t.log([...counts].map(([k, v]) => `${k}: ${v}`).join(', '));
  t.is([...counts.values()].reduce((a, b) => a + b, 0), RAW_ROUNDS);
  host.send([FrameKind.BYE, 0, 0, null]);
});

test(`a client survives ${CLIENT_ROUNDS} bad requests of every class, sync and pipelined, and answers the valid one after each`, async (t) => {
  const { calc } = ensureFixtures();
  const client = KernelClient.start({ requestTimeoutMs: READ_DEADLINE_MS, pendingCap: 16 });
  t.teardown(() => client.terminate());
  client.request({ api: 'load', name: calc.name, version: calc.version, tarball: calc.tarball });
  const random = new SeededRandom(0xbad);
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  let tooDeepToEncode: unknown = 1;
  for (let i = 0; i < 5000; i++) tooDeepToEncode = [tooDeepToEncode];
  const codes = new Map<string, number>();
  for (let round = 0; round < CLIENT_ROUNDS; round++) {
    const unencodable = random.chance(0.1);
    const body = (unencodable
      ? { api: 'sinvoke', fqn: VALUES, method: 'echoAny', args: [random.chance(0.5) ? circular : tooDeepToEncode] }
      : random.pick(badBodies(random))) as KernelRequest;
    const pipelined = random.chance(0.4);
    let error: (Error & { code?: string }) | undefined;
    try {
      if (pipelined) {
        client.send(body);
        client.flush();
      } else {
        client.request(body as KernelRequest & { api: 'stats' });
      }
    } catch (e) {
      error = e as Error & { code?: string };
    }
    if (error === undefined || error.code === 'ERR_PEER_GONE' || error.code === 'ERR_RING_TIMEOUT') {
      t.fail(`round ${round}: ${JSON.stringify(body)?.slice(0, 200)} gave ${error === undefined ? 'no error' : error.stack}`);
      return;
    }
    // A request that is no object is refused by the client at once; the rest reach the kernel.
    const reachesKernel = !unencodable && typeof body === 'object' && body !== null;
    if (pipelined && reachesKernel && !(error instanceof PipelinedRequestError)) {
      t.fail(`round ${round}: pipelined ${JSON.stringify(body)?.slice(0, 200)} gave ${error.stack}`);
      return;
    }
    codes.set(error.code ?? error.name, (codes.get(error.code ?? error.name) ?? 0) + 1);
    const n = random.int(-1e6, 1e6);
    if (client.request(echo(n) as KernelRequest & { api: 'sinvoke' }).result !== n) {
      t.fail(`round ${round}: the valid request after it got a wrong answer`);
      return;
    }
    t.is(client.pending, 0);
  }
  t.log([...codes].map(([k, v]) => `${k}: ${v}`).join(', '));
  t.true(codes.has('ERR_UNENCODABLE'));
  await client.close();
});
