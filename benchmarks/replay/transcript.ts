/**
 * A recorded conversation between a host and a jsii kernel, replayable into a fresh kernel
 * in one thread: every request in issue order (nested requests made inside callbacks
 * included, between the callback's start and its answer), the answer the kernel gave, and
 * every callback's answer from the host. Phase markers split it into load, build and synth.
 *
 * Stored with `v8.serialize` (undefined, NaN and ±Infinity survive, unlike JSON).
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import type { KernelRequest } from '../../lib/protocol/api.js';

/** The phases a transcript is split into. */
export type PhaseName = 'load' | 'build' | 'synth';

/** How the host issued a request. */
export type RequestHow = 'request' | 'async' | 'send';

/** One step of a transcript. */
export type TranscriptEvent =
  /** From here on, requests belong to this phase. */
  | { readonly kind: 'phase'; readonly name: PhaseName }
  /**
   * A request the host issued (`how`: a sync `request`, a `requestAsync`, or a `send` whose
   * answer the host never saw), what the kernel answered, or the error it threw.
   */
  | { readonly kind: 'request'; readonly request: KernelRequest; readonly how: RequestHow; response?: unknown; error?: { readonly name: string; readonly message: string } }
  /** The kernel called back into the host. */
  | { readonly kind: 'callback'; readonly cbid: string }
  /** The host's answer to the innermost open callback. */
  | { readonly kind: 'callbackResult'; readonly result: unknown }
  /** The host's handler threw. */
  | { readonly kind: 'callbackError'; readonly name: string; readonly message: string }
  /** The end of the recording. */
  | { readonly kind: 'end' };

/** A recorded conversation. */
export interface Transcript {
  readonly events: readonly TranscriptEvent[];
  /** Counts, for reports. */
  readonly requests: number;
  readonly callbacks: number;
  /** Requests per phase. */
  readonly requestsByPhase: Readonly<Record<PhaseName, number>>;
}

/** Counts the requests and callbacks of a list of events. */
export function transcriptOf(events: readonly TranscriptEvent[]): Transcript {
  const requestsByPhase: Record<PhaseName, number> = { load: 0, build: 0, synth: 0 };
  let phase: PhaseName = 'load';
  let requests = 0;
  let callbacks = 0;
  for (const e of events) {
    if (e.kind === 'phase') phase = e.name;
    else if (e.kind === 'request') {
      requests++;
      requestsByPhase[phase]++;
    } else if (e.kind === 'callback') callbacks++;
  }
  return { events, requests, callbacks, requestsByPhase };
}

/** Writes a transcript to a file. */
export function saveTranscript(file: string, transcript: Transcript): void {
  fs.writeFileSync(file, v8.serialize(transcript));
}

/** Reads a transcript written by {@link saveTranscript}. */
export function loadTranscript(file: string): Transcript {
  return v8.deserialize(fs.readFileSync(file)) as Transcript;
}
