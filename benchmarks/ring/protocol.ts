/**
 * Commands the benchmark's main thread sends its one peer worker (peer-worker.ts). Each command
 * runs to completion in the worker, which then answers with a {@link PeerDone}.
 */
import type { MessagePort } from 'node:worker_threads';

/**
 * Echo every message of ring `request` back on ring `reply` until {@link PAUSE} (echoed too),
 * then keep both ring ends for the next command on the same rings, so their wait policies carry
 * their state from one burst to the next, as in a long-running program.
 */
export interface RingEchoCommand {
  readonly cmd: 'ring-echo';
  /** Names the session: each postMessage hands over a new SharedArrayBuffer object for the same memory. */
  readonly session: string;
  readonly request: SharedArrayBuffer;
  readonly reply: SharedArrayBuffer;
  readonly spin: number;
  readonly adaptive: boolean;
}
/** Bare ping-pong on one Int32: wait for odd values, answer with the next even one. */
export interface FutexEchoCommand {
  readonly cmd: 'futex-echo';
  readonly cell: SharedArrayBuffer;
  readonly spin: number;
  readonly rounds: number;
}
/** Echo every message on `port` until a message `'stop'`. */
export interface PortEchoCommand {
  readonly cmd: 'port-echo';
  readonly port: MessagePort;
  /** When set, also flip `flag[0]` to 1 and notify after each reply (the synckit design). */
  readonly flag?: SharedArrayBuffer;
}
/** Read ring `request` until it ends, touching every message, then report totals. */
export interface RingSinkCommand {
  readonly cmd: 'ring-sink';
  readonly request: SharedArrayBuffer;
  readonly copy: boolean;
}
/** Count `messages` messages arriving on `port`, then report. */
export interface PortSinkCommand {
  readonly cmd: 'port-sink';
  readonly port: MessagePort;
  readonly messages: number;
}

/** The one-byte message that pauses an echo session (the measured messages are empty). */
export const PAUSE = 0xff;

/** Any command. */
export type PeerCommand = RingEchoCommand | FutexEchoCommand | PortEchoCommand | RingSinkCommand | PortSinkCommand;

/** The worker's answer once a command finished. */
export interface PeerDone {
  readonly messages: number;
  readonly bytes: number;
  /** A value derived from the data, so reading it cannot be optimised away. */
  readonly check?: number;
}
