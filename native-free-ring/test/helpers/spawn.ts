/**
 * Starts ring-worker.js with a task and exposes its outcome as promises. Tests that block the
 * main thread in Atomics.wait must not rely on these events while blocked (none arrive then);
 * they await them only after the blocking call returned.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerReport, WorkerTask } from './ring-worker.js';

/** A running ring-worker thread. */
export interface RunningWorker {
  readonly worker: Worker;
  /** The worker's report; rejects if it threw first. */
  readonly report: Promise<WorkerReport>;
  /** Exit code, and the error it threw if any. */
  readonly exit: Promise<{ code: number; error: Error | undefined }>;
}

/** Starts a worker running `task`. */
export function startWorker(task: WorkerTask): RunningWorker {
  const worker = new Worker(path.join(__dirname, 'ring-worker.js'), { workerData: task });
  let error: Error | undefined;
  const report = new Promise<WorkerReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', (e) => {
      error = e;
      reject(e);
    });
  });
  // A test that expects the worker to die must not see an unhandled rejection.
  report.catch(() => undefined);
  const exit = new Promise<{ code: number; error: Error | undefined }>((resolve) => {
    worker.once('exit', (code) => resolve({ code, error }));
  });
  return { worker, report, exit };
}
