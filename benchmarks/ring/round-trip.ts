/**
 * Question: how long does an empty request/reply round trip between the main thread and a
 * worker take through this ring, and through each rival (bare futex ping-pong, postMessage,
 * the synckit design, a child-process pipe)?
 *
 * Every rival is measured against the same peer worker; callers interleave rivals and repeats.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { RingReader, RingWriter, createRingBuffer } from 'atomics-ring-buffer';
import { waitWhileEquals } from './futex.js';
import type { Peer } from './peer.js';
import { PAUSE } from './protocol.js';

/** A round-trip rival: measures `rounds` round trips after `warmup` unmeasured ones. */
export interface RoundTripRival {
  /** Stable key used in the results JSON. */
  readonly key: string;
  /** Label for the results table. */
  readonly label: string;
  /** Microseconds per round trip (mean over the burst). */
  measure(peer: Peer, rounds: number, warmup: number): Promise<number>;
}

const EMPTY = new Uint8Array(0);
const PAUSE_MESSAGE = new Uint8Array([PAUSE]);
let sessions = 0;

/**
 * This ring, request and reply rings of 64 KiB, with the given wait policy on both sides. The
 * rings and both ends live across bursts (paused in between), so each burst sees the wait
 * policy in the state the previous ones left it in, as a long-running program would.
 */
export function ringRival(key: string, label: string, spin: number, adaptive: boolean): RoundTripRival {
  const session = `${key}#${++sessions}`;
  let ends: { request: SharedArrayBuffer; reply: SharedArrayBuffer; writer: RingWriter; reader: RingReader } | undefined;
  return {
    key,
    label,
    async measure(peer, rounds, warmup) {
      if (ends === undefined) {
        const request = createRingBuffer(64 * 1024);
        const reply = createRingBuffer(64 * 1024);
        ends = { request, reply, writer: new RingWriter(request, { spin, adaptive }), reader: new RingReader(reply, { spin, adaptive }) };
      }
      const { request, reply, writer, reader } = ends;
      const finished = peer.run({ cmd: 'ring-echo', session, request, reply, spin, adaptive });
      for (let i = 0; i < warmup; i++) {
        writer.write(EMPTY);
        reader.read();
      }
      const start = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) {
        writer.write(EMPTY);
        reader.read();
      }
      const elapsed = process.hrtime.bigint() - start;
      writer.write(PAUSE_MESSAGE);
      if (reader.read()?.[0] !== PAUSE) throw new Error('ring echo: expected the pause message back');
      await finished;
      return microsPer(elapsed, rounds);
    },
  };
}

/** Bare ping-pong on one Int32 cell: spin `spin` iterations, then Atomics.wait. */
export function futexRival(key: string, label: string, spin: number): RoundTripRival {
  return {
    key,
    label,
    async measure(peer, rounds, warmup) {
      const cell = new SharedArrayBuffer(4);
      const i32 = new Int32Array(cell);
      const finished = peer.run({ cmd: 'futex-echo', cell, spin, rounds: rounds + warmup });
      let value = 0;
      const round = (): void => {
        Atomics.store(i32, 0, value + 1);
        Atomics.notify(i32, 0);
        waitWhileEquals(i32, value + 1, spin);
        value += 2;
      };
      for (let i = 0; i < warmup; i++) round();
      const start = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) round();
      const elapsed = process.hrtime.bigint() - start;
      await finished;
      return microsPer(elapsed, rounds);
    },
  };
}

/** `postMessage` to the worker and await its reply message. */
export function postMessageRival(): RoundTripRival {
  return {
    key: 'postMessage',
    label: 'postMessage + awaited reply',
    async measure(peer, rounds, warmup) {
      const { port1, port2 } = new MessageChannel();
      const finished = peer.run({ cmd: 'port-echo', port: port2 }, [port2]);
      let resolve: (() => void) | undefined;
      port1.on('message', () => resolve?.());
      const round = (): Promise<void> =>
        new Promise<void>((r) => {
          resolve = r;
          port1.postMessage(0);
        });
      for (let i = 0; i < warmup; i++) await round();
      const start = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) await round();
      const elapsed = process.hrtime.bigint() - start;
      port1.postMessage('stop');
      await finished;
      port1.close();
      return microsPer(elapsed, rounds);
    },
  };
}

/** The synckit design: postMessage, Atomics.wait on a flag, then receiveMessageOnPort. */
export function synckitRival(): RoundTripRival {
  return {
    key: 'synckit',
    label: 'receiveMessageOnPort + Atomics.wait (synckit)',
    async measure(peer, rounds, warmup) {
      const { port1, port2 } = new MessageChannel();
      const flag = new SharedArrayBuffer(4);
      const i32 = new Int32Array(flag);
      const finished = peer.run({ cmd: 'port-echo', port: port2, flag }, [port2]);
      const round = (): void => {
        Atomics.store(i32, 0, 0);
        port1.postMessage(0);
        Atomics.wait(i32, 0, 0);
        if (receiveMessageOnPort(port1) === undefined) throw new Error('synckit: reply missing');
      };
      for (let i = 0; i < warmup; i++) round();
      const start = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) round();
      const elapsed = process.hrtime.bigint() - start;
      port1.postMessage('stop');
      await finished;
      port1.close();
      return microsPer(elapsed, rounds);
    },
  };
}

/** Newline-delimited JSON over a child process's stdin/stdout (the reference runtime's transport). */
export function pipeRival(): RoundTripRival {
  return {
    key: 'pipe',
    label: 'newline JSON over a child-process pipe',
    async measure(_peer, rounds, warmup) {
      const child = spawn(process.execPath, [path.join(__dirname, 'pipe-echo.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
      try {
        const next = lineReader(child);
        const round = async (i: number): Promise<void> => {
          child.stdin!.write(`{"api":"stats","id":${i}}\n`);
          await next();
        };
        for (let i = 0; i < warmup; i++) await round(i);
        const start = process.hrtime.bigint();
        for (let i = 0; i < rounds; i++) await round(i);
        return microsPer(process.hrtime.bigint() - start, rounds);
      } finally {
        child.stdin!.end();
        child.kill();
      }
    },
  };
}

/** Resolves each call with the child's next stdout line. */
function lineReader(child: ChildProcess): () => Promise<string> {
  let buffered = '';
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (waiting !== undefined) {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      } else {
        lines.push(line);
      }
      newline = buffered.indexOf('\n');
    }
  });
  return () => {
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => {
      waiting = resolve;
    });
  };
}

function microsPer(elapsedNs: bigint, rounds: number): number {
  return Number(elapsedNs) / 1000 / rounds;
}
