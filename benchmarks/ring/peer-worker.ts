/**
 * The benchmark's peer thread: runs one command at a time (see protocol.ts). Every rival runs
 * against this same thread, so all round trips cross the same pair of threads.
 */
import { parentPort } from 'node:worker_threads';
import { RingReader, RingWriter } from 'atomics-ring-buffer';
import { waitWhileEquals } from './futex.js';
import { type PeerCommand, type PeerDone, PAUSE } from './protocol.js';

if (parentPort === null) throw new Error('peer-worker.js must run in a worker thread');
const control = parentPort;

control.on('message', (command: PeerCommand) => {
  switch (command.cmd) {
    case 'ring-echo':
      return done(ringEcho(command.session, command.request, command.reply, command.spin, command.adaptive));
    case 'futex-echo':
      return done(futexEcho(command.cell, command.spin, command.rounds));
    case 'ring-sink':
      return done(ringSink(command.request, command.copy));
    case 'port-echo': {
      const { port, flag } = command;
      const cell = flag === undefined ? undefined : new Int32Array(flag);
      let messages = 0;
      port.on('message', (message: unknown) => {
        if (message === 'stop') {
          port.close();
          done({ messages, bytes: 0 });
          return;
        }
        messages++;
        port.postMessage(message);
        if (cell !== undefined) {
          // The reply is queued before the flag flips, so receiveMessageOnPort finds it.
          Atomics.store(cell, 0, 1);
          Atomics.notify(cell, 0);
        }
      });
      return undefined;
    }
    case 'port-sink': {
      const { port } = command;
      let messages = 0;
      let bytes = 0;
      let check = 0;
      port.on('message', (message: Uint8Array) => {
        messages++;
        bytes += message.length;
        check ^= touch(message);
        if (messages === command.messages) {
          port.close();
          done({ messages, bytes, check });
        }
      });
      return undefined;
    }
  }
});

function done(result: PeerDone): void {
  control.postMessage(result);
}

/** Ring ends kept between bursts, by session name. */
const echoSessions = new Map<string, { reader: RingReader; writer: RingWriter }>();

function ringEcho(name: string, request: SharedArrayBuffer, reply: SharedArrayBuffer, spin: number, adaptive: boolean): PeerDone {
  let session = echoSessions.get(name);
  if (session === undefined) {
    session = { reader: new RingReader(request, { spin, adaptive }), writer: new RingWriter(reply, { spin, adaptive }) };
    echoSessions.set(name, session);
  }
  const { reader, writer } = session;
  let messages = 0;
  for (;;) {
    const message = reader.read();
    if (message === null) throw new Error('ring echo: the request ring was closed');
    writer.write(message);
    if (message.length === 1 && message[0] === PAUSE) break;
    messages++;
  }
  return { messages, bytes: 0 };
}

/** Odd value: the main thread's turn is over, answer with value + 1. */
function futexEcho(cell: SharedArrayBuffer, spin: number, rounds: number): PeerDone {
  const i32 = new Int32Array(cell);
  let expected = 1;
  for (let round = 0; round < rounds; round++) {
    waitWhileEquals(i32, expected - 1, spin);
    Atomics.store(i32, 0, expected + 1);
    Atomics.notify(i32, 0);
    expected += 2;
  }
  return { messages: rounds, bytes: 0 };
}

/**
 * Reads one byte of every 64 (every cache line), so a reader handed a view pays for moving the
 * data to its core just as one handed a copy does, without adding a copy of its own.
 */
function touch(message: Uint8Array): number {
  let check = 0;
  for (let i = 0; i < message.length; i += 64) check ^= message[i]!;
  return check;
}

function ringSink(request: SharedArrayBuffer, copy: boolean): PeerDone {
  const reader = new RingReader(request);
  let messages = 0;
  let bytes = 0;
  let check = 0;
  for (;;) {
    const message = copy ? reader.readCopy() : reader.read();
    if (message === null) break;
    messages++;
    bytes += message.length;
    check ^= touch(message);
  }
  return { messages, bytes, check };
}
