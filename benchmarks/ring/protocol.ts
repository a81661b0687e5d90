/**
 * Commands the benchmark's main thread sends its one peer worker (peer-worker.ts). Each command
 * runs to completion in the worker, which then answers with a {@link PeerDone}.
 */
import type { MessagePort } from 'node:worker_threads';

/** Echo every message of ring `request` back on ring `reply` until `request` ends. */
export interface RingEchoCommand {
  readonly cmd: 'ring-echo';
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

/** Any command. */
export type PeerCommand = RingEchoCommand | FutexEchoCommand | PortEchoCommand | RingSinkCommand | PortSinkCommand;

/** The worker's answer once a command finished. */
export interface PeerDone {
  readonly messages: number;
  readonly bytes: number;
  /** A value derived from the data, so reading it cannot be optimised away. */
  readonly check?: number;
}
