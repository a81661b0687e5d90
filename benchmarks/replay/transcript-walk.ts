/**
 * Walking a transcript, shared by the replays (straight into a kernel, replayer.ts; through a
 * connection, connection-replayer.ts): the program's own flow from the first event to the end
 * marker with each phase timed, and a callback's events up to its recorded answer. What each
 * request means is the replay's business.
 */
import { BenchmarkError } from '../research/errors.js';
import type { PhaseName, Transcript, TranscriptEvent } from './transcript.js';

/** A transcript and a cursor into it. */
export abstract class TranscriptWalk {
  protected readonly events: readonly TranscriptEvent[];
  protected cursor = 0;
  protected callbacks = 0;

  protected constructor(transcript: Transcript) {
    this.events = transcript.events;
  }

  /**
   * Hands every event of the program's own flow to `handle` until the end marker, and times
   * each phase. `phaseEnds` runs before a phase's time is taken (a pipelining replay flushes
   * there), `phaseStarts` after a new phase began.
   */
  protected async walk(
    handle: (event: TranscriptEvent) => Promise<void> | void,
    hooks: { readonly phaseEnds?: () => void; readonly phaseStarts?: (phase: PhaseName) => void } = {},
  ): Promise<Record<PhaseName, number>> {
    const phases: Record<PhaseName, number> = { load: 0, build: 0, synth: 0 };
    let phase: PhaseName = 'load';
    let phaseStart = performance.now();
    for (;;) {
      const event = this.events[this.cursor++];
      if (event === undefined) throw new BenchmarkError('The transcript has no end marker');
      if (event.kind === 'end') break;
      if (event.kind === 'phase') {
        hooks.phaseEnds?.();
        const now = performance.now();
        phases[phase] += now - phaseStart;
        phase = event.name;
        phaseStart = now;
        hooks.phaseStarts?.(phase);
        continue;
      }
      const pending = handle(event);
      if (pending !== undefined) await pending;
    }
    hooks.phaseEnds?.();
    phases[phase] += performance.now() - phaseStart;
    return phases;
  }

  /**
   * Takes the recorded callback the kernel just made (with `checkId`, its id must be `cbid`),
   * hands the events the host produced inside it to `handle`, and returns the recorded answer
   * (or throws the recorded error).
   */
  protected answerCallback(cbid: string, checkId: boolean, handle: (event: TranscriptEvent) => void): unknown {
    const start = this.events[this.cursor++];
    if (start?.kind !== 'callback') throw this.stray(start, `callback ${cbid}`);
    if (checkId && start.cbid !== cbid) {
      throw new BenchmarkError(`Replay strayed: the kernel made callback ${cbid}, the recording has ${start.cbid}`);
    }
    this.callbacks++;
    for (;;) {
      const event = this.events[this.cursor++];
      if (event?.kind === 'callbackResult') return event.result;
      if (event?.kind === 'callbackError') {
        const error = new Error(event.message);
        error.name = event.name;
        throw error;
      }
      if (event === undefined) throw this.stray(event, 'a request or the answer of the open callback');
      handle(event);
    }
  }

  /** The error for an event the replay did not expect here. */
  protected stray(event: TranscriptEvent | undefined, wanted: string): BenchmarkError {
    return new BenchmarkError(`Replay strayed at event #${this.cursor - 1}: expected ${wanted}, the recording has ${event === undefined ? 'nothing more' : event.kind}`);
  }
}
