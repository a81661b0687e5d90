/**
 * Replays a transcript straight into a fresh `Kernel` in this thread: no bindings, no host
 * program, no transport. When the kernel calls back, the replayer takes the recorded
 * callback, serves the requests the host made inside it, and returns the recorded answer.
 * Object ids match the recording because the kernel mints ids in the same order.
 *
 * With `verify`, every response is compared with the recorded one (structurally) and every
 * callback's id with the recorded id; a replay that strays is an error, never a silent
 * timing of different work. Timed replays skip the comparison.
 */
import { EXT_ALIAS_NOTICES, EXT_LOAD_PATH, EXT_OBJID } from '../../lib/protocol/api.js';
import type { Callback } from '../../lib/protocol/api.js';
import { Kernel } from '../../lib/kernel/kernel.js';
import { BenchmarkError } from '../research/errors.js';
import type { PhaseName, Transcript, TranscriptEvent } from './transcript.js';
import { TranscriptWalk } from './transcript-walk.js';

/** What a replay measured. */
export interface ReplayTimings {
  /** Creating the kernel (before the first request). */
  readonly kernelMs: number;
  /** Wall ms per phase. */
  readonly phases: Readonly<Record<PhaseName, number>>;
  readonly totalMs: number;
  readonly requests: number;
  readonly callbacks: number;
  /** Responses compared (verify mode). */
  readonly verified: number;
}

/** Replays transcripts into fresh kernels. */
export class Replayer extends TranscriptWalk {
  readonly #verify: boolean;
  #kernel: Kernel | undefined;
  #requests = 0;
  #verified = 0;

  public constructor(transcript: Transcript, options: { readonly verify?: boolean } = {}) {
    super(transcript);
    this.#verify = options.verify ?? false;
  }

  /** Replays the whole transcript into a new kernel and times each phase. */
  public async run(): Promise<ReplayTimings> {
    const started = performance.now();
    const kernel = new Kernel({ callbackHandler: (cb) => this.#onCallback(cb) });
    // The extensions a DirectConnection turns on, so requests mean what they meant.
    kernel.enableExtensions([EXT_OBJID, EXT_LOAD_PATH, EXT_ALIAS_NOTICES]);
    this.#kernel = kernel;
    const kernelReady = performance.now();
    const phases = await this.walk((event) => {
      if (event.kind !== 'request') throw this.stray(event, 'a request or phase marker');
      return event.how === 'async' ? this.#serveAsync(event) : this.#serve(event);
    });
    return { kernelMs: kernelReady - started, phases, totalMs: performance.now() - started, requests: this.#requests, callbacks: this.callbacks, verified: this.#verified };
  }

  #serve(event: Extract<TranscriptEvent, { kind: 'request' }>): void {
    const kernel = this.#kernel as Kernel;
    this.#requests++;
    let response: unknown;
    try {
      response = kernel.dispatch(event.request);
    } catch (error) {
      this.#expectError(event, error);
      return;
    }
    kernel.takeAliasNotices();
    this.#check(event, response);
  }

  async #serveAsync(event: Extract<TranscriptEvent, { kind: 'request' }>): Promise<void> {
    const kernel = this.#kernel as Kernel;
    this.#requests++;
    let response: unknown;
    try {
      response = await kernel.dispatch(event.request);
    } catch (error) {
      this.#expectError(event, error);
      return;
    }
    kernel.takeAliasNotices();
    this.#check(event, response);
  }

  #onCallback(callback: Callback): unknown {
    return this.answerCallback(callback.cbid, this.#verify, (event) => {
      if (event.kind !== 'request') throw this.stray(event, 'a request or the answer of the open callback');
      this.#serve(event);
    });
  }

  #check(event: Extract<TranscriptEvent, { kind: 'request' }>, response: unknown): void {
    if (!this.#verify) return;
    if (event.error !== undefined) {
      throw new BenchmarkError(`Replay strayed at request #${this.#requests} (${event.request.api}): the recording failed with "${event.error.message}", the replay succeeded`);
    }
    // The host never saw the answer of a send: nothing was recorded to compare with.
    if (event.how !== 'send' && !sameValue(response, event.response)) {
      throw new BenchmarkError(`Replay strayed at request #${this.#requests} (${event.request.api}): response ${JSON.stringify(response)?.slice(0, 200)} vs recorded ${JSON.stringify(event.response)?.slice(0, 200)}`);
    }
    this.#verified++;
  }

  #expectError(event: Extract<TranscriptEvent, { kind: 'request' }>, error: unknown): void {
    if (event.error === undefined) {
      throw new BenchmarkError(`Replay strayed at request #${this.#requests} (${event.request.api}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (this.#verify) this.#verified++;
  }
}

/** Structural equality of two wire values (as JSON would see them, plus undefined). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
