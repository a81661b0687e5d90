/**
 * Question: how fast do messages flow one way from the main thread to a worker through this
 * ring (messages/s for 64 B, GB/s for 64 KiB to 16 MiB), and through `postMessage`?
 *
 * Each measurement times from the first write until the worker reports it has read the last
 * message, so a fast writer cannot hide a slow reader.
 */
import { MessageChannel } from 'node:worker_threads';
import { RingWriter, createRingBuffer } from 'atomics-ring-buffer';
import type { Peer } from './peer.js';

/** One throughput measurement's result. */
export interface Flow {
  readonly messagesPerSec: number;
  readonly gbPerSec: number;
}

/** A payload of `size` bytes with varying content (a message of zeros could flatter a copy). */
export function payload(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

/** `count` messages of `message.length` bytes through a ring of `capacity` bytes. */
export async function ringFlow(peer: Peer, message: Uint8Array, count: number, capacity: number, copy: boolean): Promise<Flow> {
  const request = createRingBuffer(capacity);
  const start = process.hrtime.bigint();
  const finished = peer.run({ cmd: 'ring-sink', request, copy });
  const writer = new RingWriter(request);
  for (let i = 0; i < count; i++) writer.write(message);
  writer.close();
  const result = await finished;
  if (result.messages !== count || result.bytes !== count * message.length) {
    throw new Error(`ring flow: the reader saw ${result.messages} messages / ${result.bytes} bytes`);
  }
  return flowOf(process.hrtime.bigint() - start, count, message.length);
}

/** `count` messages of `message.length` bytes posted (structured clone: a copy) to the worker. */
export async function postMessageFlow(peer: Peer, message: Uint8Array, count: number): Promise<Flow> {
  const { port1, port2 } = new MessageChannel();
  const start = process.hrtime.bigint();
  const finished = peer.run({ cmd: 'port-sink', port: port2, messages: count }, [port2]);
  for (let i = 0; i < count; i++) port1.postMessage(message);
  const result = await finished;
  port1.close();
  if (result.bytes !== count * message.length) throw new Error(`postMessage flow: ${result.bytes} bytes arrived`);
  return flowOf(process.hrtime.bigint() - start, count, message.length);
}

function flowOf(elapsedNs: bigint, count: number, size: number): Flow {
  const seconds = Number(elapsedNs) / 1e9;
  return { messagesPerSec: count / seconds, gbPerSec: (count * size) / seconds / 1e9 };
}
