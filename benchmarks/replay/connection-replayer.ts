/**
 * Replays a transcript through a `KernelConnection` (the ring to a worker, or a kernel in this
 * thread) instead of straight into a `Kernel`: the same requests, in the same order, issued
 * the way the host issued them (a recorded `send` is pipelined again, a `request` waits), and
 * each callback answered with the host's recorded answer after the requests it made. With no
 * bindings and no app code between requests, the difference between two connections on the
 * same transcript is what each one costs per request: encoding, crossing, waiting.
 *
 * Object ids match the recording: the recorded requests carry the ids the host allocated.
 * Phases are timed until the kernel has caught up (a flush at every phase boundary).
 */
import type { Callback } from '../../lib/protocol/api.js';
import type { KernelConnection } from '../../lib/host/connection.js';
import { BenchmarkError } from '../research/errors.js';
import type { PhaseName, Transcript, TranscriptEvent } from './transcript.js';
import { TranscriptWalk } from './transcript-walk.js';
import type { ReplayTimings } from './replayer.js';

/** What a replay through a connection measured. */
export interface ConnectionReplayTimings extends ReplayTimings {
  /** The number of the first request of each phase (requests counted from 1, callbacks' included). */
  readonly firstRequest: Readonly<Record<PhaseName, number>>;
}

type RequestEvent = Extract<TranscriptEvent, { kind: 'request' }>;

/** Replays one transcript through one connection. */
export class ConnectionReplayer extends TranscriptWalk {
  readonly #connection: KernelConnection;
  #requests = 0;

  public constructor(transcript: Transcript, connection: KernelConnection) {
    super(transcript);
    this.#connection = connection;
    connection.setCallbackHandler((callback) => this.#onCallback(callback));
  }

  /** Replays the whole transcript and times each phase (the connection stays open). */
  public async run(): Promise<ConnectionReplayTimings> {
    const connection = this.#connection;
    const started = performance.now();
    const firstRequest: Record<PhaseName, number> = { load: 1, build: 1, synth: 1 };
    const phases = await this.walk(
      (event) => {
        if (event.kind === 'callback') {
          this.#awaitCallback();
        } else if (event.kind === 'request' && event.how === 'async') {
          this.#requests++;
          return this.#settle(() => connection.requestAsync(event.request as never), event);
        } else if (event.kind === 'request') {
          this.#issue(event);
        } else {
          throw this.stray(event, 'a request or phase marker');
        }
        return undefined;
      },
      // A phase is timed until the kernel has caught up.
      { phaseEnds: () => connection.flush(), phaseStarts: (phase) => void (firstRequest[phase] = this.#requests + 1) },
    );
    return { kernelMs: 0, phases, totalMs: performance.now() - started, requests: this.#requests, callbacks: this.callbacks, verified: 0, firstRequest };
  }

  /**
   * The recording has a callback next, made by a request the host pipelined: in one thread it
   * ran inside that request, through the ring it reaches the host at the next wait. Wait for
   * it here (the callback handler takes the event again).
   */
  #awaitCallback(): void {
    this.cursor--;
    const before = this.callbacks;
    this.#connection.flush();
    if (this.callbacks === before) throw this.stray(this.events[this.cursor], 'the callback the recording has here (the kernel made none)');
  }

  #issue(event: RequestEvent): void {
    this.#requests++;
    const connection = this.#connection;
    if (event.how === 'send') {
      // A recorded failure of a pipelined request surfaces at the next sync point; the
      // transcript has it there too (the host saw it there), so it is not expected here.
      connection.send(event.request);
      return;
    }
    try {
      connection.request(event.request as never);
    } catch (error) {
      if (event.error === undefined) throw this.#failed(event, error);
    }
  }

  async #settle(run: () => Promise<unknown>, event: RequestEvent): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (event.error === undefined) throw this.#failed(event, error);
    }
  }

  #onCallback(callback: Callback): unknown {
    return this.answerCallback(callback.cbid, false, (event) => {
      if (event.kind === 'request') this.#issue(event);
      else if (event.kind === 'callback') this.#awaitCallback();
      else throw this.stray(event, 'a request or the answer of the open callback');
    });
  }

  #failed(event: RequestEvent, error: unknown): BenchmarkError {
    return new BenchmarkError(`Replay strayed at request #${this.#requests} (${event.request.api}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
