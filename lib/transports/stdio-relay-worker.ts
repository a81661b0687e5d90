/**
 * Worker entry of the stdio transport: speaks ring frames to the host exactly like the
 * kernel worker, and relays them as newline-delimited JSON to a child process that
 * serves the jsii protocol on its stdin/stdout — the reference `@jsii/runtime`, or our
 * own kernel (`jsii-ring serve --stdio`). The host's `KernelClient` cannot tell which.
 *
 * The child's pipe is asynchronous, so this thread never blocks: it waits on the rings
 * with `readAsync` and on the child with its stream events.
 */
import { spawn } from 'node:child_process';
import { isMainThread, workerData } from 'node:worker_threads';
import { RingReader, RingWriter, markDead } from 'atomics-ring-buffer';
import { EXT_LOAD_PATH, EXT_OBJID, FAULT_NAME, PROTOCOL_VERSION } from '../protocol/api.js';
import { createCodec } from '../protocol/codec.js';
import type { Codec, CodecName } from '../protocol/codec.js';
import { FrameKind, isFrame } from '../protocol/frames.js';
import type { Frame, HostHello } from '../protocol/frames.js';
import { CB_COMPLETED_SLOT, COMPLETED_SLOT, KernelState, STATE_SLOT, stateSlots, writeDeathNote } from './channel.js';
import type { ChannelBuffers } from './channel.js';
import { onLines } from './stream-lines.js';

/** What the host passes in `workerData` to a relay. */
export interface RelayWorkerData {
  readonly buffers: ChannelBuffers;
  /** The child to run: executable and arguments. */
  readonly command: readonly string[];
  /** Environment additions for the child. */
  readonly env?: Record<string, string>;
}

type Line = Record<string, unknown>;

async function main(data: RelayWorkerData): Promise<void> {
  const { buffers } = data;
  const slots = stateSlots(buffers.state);
  const requests = new RingReader(buffers.request);
  const callbacks = new RingReader(buffers.callback);
  const responses = new RingWriter(buffers.response);
  let codec: Codec = createCodec('json');
  const die = (note: string): void => {
    if (Atomics.load(slots, STATE_SLOT) === KernelState.EXITED) {
      return;
    }
    writeDeathNote(buffers.state, note);
    markDead([buffers.request, buffers.callback, buffers.response], note);
  };

  const [executable, ...args] = data.command as [string, ...string[]];
  const child = spawn(executable, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...data.env } });
  // Both kernels frame the library's console output on stderr, as hosts expect: unwrap it.
  onLines(child.stderr, relayConsoleLine);
  const pendingLines: string[] = [];
  let lineWaiter: ((line: string | null) => void) | undefined;
  let childGone = false;
  onLines(child.stdout, (line) => {
    if (lineWaiter !== undefined) {
      const waiter = lineWaiter;
      lineWaiter = undefined;
      waiter(line);
    } else {
      pendingLines.push(line);
    }
  });
  child.on('exit', (code, signal) => {
    childGone = true;
    die(`The stdio kernel process exited (${signal ?? `code ${code}`})`);
    lineWaiter?.(null);
    process.exit(0);
  });
  child.on('error', (error) => die(`The stdio kernel process could not run: ${error.message}`));

  const nextLine = async (): Promise<Line> => {
    const line = pendingLines.shift() ?? (childGone ? null : await new Promise<string | null>((resolve) => (lineWaiter = resolve)));
    if (line === null) {
      throw new Error('The stdio kernel process closed its output');
    }
    return JSON.parse(line) as Line;
  };
  const send = (value: unknown): void => {
    child.stdin.write(`${JSON.stringify(value)}\n`);
  };
  const write = (frame: Frame): void => responses.write(codec.encode(frame));
  const readFrame = async (reader: RingReader): Promise<Frame | null> => {
    const bytes = reader.tryRead() ?? (await reader.readAsync());
    if (bytes === null) {
      return null;
    }
    const frame = codec.decode(bytes);
    if (!isFrame(frame)) {
      throw new Error('Received a frame that is not [kind, seq, flags, body]');
    }
    return frame;
  };

  /** Forwards one request and relays everything up to its answer. */
  const relay = async (seq: number, body: unknown): Promise<void> => {
    send(body);
    for (;;) {
      const line = await nextLine();
      if ('callback' in line) {
        write([FrameKind.CALLBACK, 0, 0, line.callback]);
        await relayCallback();
        continue;
      }
      if ('ok' in line) {
        write([FrameKind.RESPONSE, seq, 0, line.ok ?? {}]);
      } else {
        write([FrameKind.ERROR, seq, 0, { error: String(line.error), name: line.name ?? FAULT_NAME, stack: line.stack }]);
      }
      return;
    }
  };
  /** Serves the callback ring until the host completes the callback. */
  const relayCallback = async (): Promise<void> => {
    for (;;) {
      const frame = await readFrame(callbacks);
      if (frame === null) {
        throw new Error('The host closed the callback channel while a callback was running');
      }
      if (frame[0] === FrameKind.COMPLETE) {
        send({ complete: frame[3] });
        return;
      }
      await relay(frame[1], frame[3]);
      Atomics.store(slots, CB_COMPLETED_SLOT, frame[1]);
    }
  };

  // Handshake: the child's hello becomes our welcome.
  const hello = await nextLine();
  const ours = hello.capabilities !== undefined;
  const extensions = ours ? [EXT_OBJID, EXT_LOAD_PATH] : [];
  // Our server's hello names the @jsii/runtime version hosts check; its own name is `server`.
  const name = (hello.capabilities as { server?: unknown } | undefined)?.server ?? hello.hello;
  write([FrameKind.WELCOME, 0, 0, { hello: String(name), capabilities: { protocol: PROTOCOL_VERSION, codecs: ['json', 'msgpack'], extensions } }]);
  const helloFrame = await readFrame(requests);
  if (helloFrame === null || helloFrame[0] !== FrameKind.HELLO) {
    throw new Error('Expected the host HELLO frame');
  }
  const choice = helloFrame[3] as HostHello;
  const wanted = choice.extensions.filter((e) => extensions.includes(e));
  if (wanted.length > 0) {
    send({ negotiate: { extensions: wanted } });
    await nextLine();
  }
  codec = createCodec(choice.codec as CodecName);
  Atomics.store(slots, STATE_SLOT, KernelState.READY);

  for (;;) {
    const frame = await readFrame(requests);
    if (frame === null || frame[0] === FrameKind.BYE) {
      break;
    }
    await relay(frame[1], frame[3]);
    Atomics.store(slots, COMPLETED_SLOT, frame[1]);
  }
  Atomics.store(slots, STATE_SLOT, KernelState.EXITED);
  child.removeAllListeners('exit');
  child.stdin.end();
  responses.close();
}

/** Writes one stderr line of the child: a framed `{"stdout"|"stderr": base64}` chunk decoded, anything else as is. */
function relayConsoleLine(line: string): void {
  if (line.startsWith('{')) {
    try {
      const framed = JSON.parse(line) as { stdout?: unknown; stderr?: unknown };
      if (typeof framed.stderr === 'string') {
        process.stderr.write(Buffer.from(framed.stderr, 'base64'));
        return;
      }
      if (typeof framed.stdout === 'string') {
        process.stdout.write(Buffer.from(framed.stdout, 'base64'));
        return;
      }
    } catch {
      // not a framed chunk: written as is below
    }
  }
  process.stderr.write(`${line}\n`);
}

if (!isMainThread) {
  const data = workerData as RelayWorkerData;
  process.on('uncaughtException', (error) => {
    writeDeathNote(data.buffers.state, `The stdio relay crashed: ${error.stack ?? error.message}`);
    markDead([data.buffers.request, data.buffers.callback, data.buffers.response], error.message);
    process.exit(1);
  });
  main(data).then(
    () => process.exit(0),
    (error: Error) => {
      writeDeathNote(data.buffers.state, `The stdio relay failed: ${error.stack ?? error.message}`);
      markDead([data.buffers.request, data.buffers.callback, data.buffers.response], error.message);
      process.exit(1);
    },
  );
}
