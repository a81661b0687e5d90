/**
 * Frames carried by the rings. A frame is one codec message: the array
 * `[kind, seq, flags, body]`, so header and body are encoded in one pass with no copy.
 *
 * Host → kernel (request ring, and the callback ring while a callback runs):
 *   REQUEST   body = a KernelRequest. seq > 0. Flag NO_REPLY: pipelined.
 *   COMPLETE  body = the completion of a sync callback (seq = 0).
 *   HELLO     body = the host's choice of codec and extensions (seq = 0).
 *   BYE       body = null: no more requests; the kernel drains and exits.
 * Kernel → host (response ring):
 *   RESPONSE  body = the `ok` payload of request `seq`.
 *   ERROR     body = WireError for request `seq` (sync or pipelined).
 *   CALLBACK  body = a Callback the host must complete on the callback ring.
 *   ALIASES   body = [objid, target, objid, target, ...] (identity notices).
 *   WAKE      body = null: pipelined requests completed while the host waited for room.
 *   TIMELINE  body = the kernel's half of the timeline (flat numbers, see transports/timeline.ts),
 *             sent once after BYE when the host's HELLO asked for it.
 */
import type { WireErrorName } from './api.js';

export const FrameKind = {
  REQUEST: 1,
  COMPLETE: 2,
  HELLO: 3,
  BYE: 4,
  RESPONSE: 16,
  ERROR: 17,
  CALLBACK: 18,
  ALIASES: 19,
  WAKE: 20,
  WELCOME: 21,
  TIMELINE: 22,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Request flags. */
export const FLAG_NO_REPLY = 1;

/** A decoded frame. */
export type Frame = [kind: FrameKind, seq: number, flags: number, body: unknown];

/** An error as it crosses the wire. */
export interface WireError {
  readonly error: string;
  readonly name: WireErrorName;
  readonly stack?: string;
}

/** Checks the shape of a decoded frame. */
export function isFrame(value: unknown): value is Frame {
  return Array.isArray(value) && value.length === 4 && typeof value[0] === 'number' && typeof value[1] === 'number' && typeof value[2] === 'number';
}

/** The host's hello: what it wants from the kernel. */
export interface HostHello {
  readonly codec: string;
  readonly extensions: readonly string[];
  /** Record the kernel's half of the timeline and send it after BYE (ring transport). */
  readonly timeline?: boolean;
}
