/**
 * The main thread's handle on the peer worker: sends one command at a time and resolves with
 * the worker's answer when the command has finished.
 */
import * as path from 'node:path';
import { type Transferable, Worker } from 'node:worker_threads';
import type { PeerCommand, PeerDone } from './protocol.js';

/** One peer worker thread, shared by every rival of a run. */
export class Peer {
  readonly #worker: Worker;
  #failure: Error | undefined;

  public constructor() {
    this.#worker = new Worker(path.join(__dirname, 'peer-worker.js'));
    this.#worker.on('error', (error) => {
      this.#failure = error;
    });
  }

  /**
   * Starts `command` in the worker; resolves when the worker reports it done. The caller runs
   * its side of the exchange before awaiting (it must not block on the worker's events).
   */
  public run(command: PeerCommand, transfer: readonly Transferable[] = []): Promise<PeerDone> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const done = new Promise<PeerDone>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.#worker.once('error', onError);
      this.#worker.once('message', (result: PeerDone) => {
        this.#worker.off('error', onError);
        resolve(result);
      });
    });
    this.#worker.postMessage(command, transfer);
    return done;
  }

  /** Stops the worker. */
  public async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
