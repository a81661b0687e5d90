/**
 * The other side of the cross-thread tests. `workerData.scenario` picks what this thread does;
 * it reports with one `postMessage` of a {@link WorkerReport} (unless the scenario is to die).
 *
 * Scenarios never sleep on timers to line up with the test: they watch the ring's own WAITING
 * flags (so "the other side is blocked" is a fact, not a guess) or a signal cell the test owns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RingReader, RingWriter, markDeadOnExit } from '../../src/index.js';
import type { RingOptions, RingStats } from '../../src/index.js';
import { HEADER_BYTES, READER_WAITING_SLOT, WRITER_WAITING_SLOT } from '../../src/layout.js';
import { MessageGenerator, MessageVerifier, type SizeMix } from './sequence.js';

/** What the test passes in `workerData`. */
export interface WorkerTask {
  readonly scenario:
    | 'generate'
    | 'verify'
    | 'echo'
    | 'close-writer-when-reader-sleeps'
    | 'close-reader-when-writer-sleeps'
    | 'die-when-reader-sleeps'
    | 'die-when-writer-sleeps'
    | 'die-without-hook';
  readonly buffer: SharedArrayBuffer;
  /** Second ring (echo replies). */
  readonly reply?: SharedArrayBuffer;
  readonly options?: RingOptions;
  readonly mix?: SizeMix;
  readonly count?: number;
  /** Messages to write before the scenario's main event. */
  readonly preamble?: number;
}

/** What the worker posts back. */
export interface WorkerReport {
  readonly ok: boolean;
  readonly error?: string;
  readonly messages: number;
  readonly stats?: RingStats;
}

const task = workerData as WorkerTask;
const port = parentPort!;

/** Polls a WAITING flag of the ring until the other side has announced it is going to sleep. */
function untilFlag(buffer: SharedArrayBuffer, slot: number): void {
  const i32 = new Int32Array(buffer, 0, HEADER_BYTES >>> 2);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (Atomics.load(i32, slot) !== 1) Atomics.wait(nap, 0, 0, 1);
}

function report(result: WorkerReport): void {
  port.postMessage(result);
}

function run(): void {
  switch (task.scenario) {
    case 'generate': {
      const writer = new RingWriter(task.buffer, task.options);
      const generator = new MessageGenerator(task.mix!);
      for (let i = 0; i < task.count!; i++) writer.write(generator.next());
      writer.close();
      return report({ ok: true, messages: task.count!, stats: writer.stats });
    }
    case 'verify': {
      const reader = new RingReader(task.buffer, task.options);
      const verifier = new MessageVerifier(task.mix!);
      try {
        for (;;) {
          // Alternate the zero-copy view and the owned copy so both paths carry the stream.
          const message = verifier.verified % 2 === 0 ? reader.read() : reader.readCopy();
          if (message === null) break;
          verifier.check(message);
        }
      } catch (error) {
        return report({ ok: false, error: String(error), messages: verifier.verified, stats: reader.stats });
      }
      return report({ ok: true, messages: verifier.verified, stats: reader.stats });
    }
    case 'echo': {
      const reader = new RingReader(task.buffer, task.options);
      const writer = new RingWriter(task.reply!, task.options);
      let messages = 0;
      for (;;) {
        const message = reader.read();
        if (message === null) break;
        writer.write(message);
        messages++;
      }
      writer.close();
      return report({ ok: true, messages, stats: reader.stats });
    }
    case 'close-writer-when-reader-sleeps': {
      const writer = new RingWriter(task.buffer, task.options);
      for (let i = 0; i < (task.preamble ?? 0); i++) writer.write(new Uint8Array([i]));
      untilFlag(task.buffer, READER_WAITING_SLOT);
      writer.close();
      return report({ ok: true, messages: task.preamble ?? 0 });
    }
    case 'close-reader-when-writer-sleeps': {
      const reader = new RingReader(task.buffer, task.options);
      untilFlag(task.buffer, WRITER_WAITING_SLOT);
      reader.close();
      return report({ ok: true, messages: 0 });
    }
    case 'die-when-reader-sleeps': {
      const writer = new RingWriter(task.buffer, task.options);
      markDeadOnExit([task.buffer], 'writer thread died');
      for (let i = 0; i < (task.preamble ?? 0); i++) writer.write(new Uint8Array([i]));
      untilFlag(task.buffer, READER_WAITING_SLOT);
      throw new Error('the writer thread throws while its reader is blocked');
    }
    case 'die-when-writer-sleeps': {
      new RingReader(task.buffer, task.options);
      markDeadOnExit([task.buffer], 'reader thread died');
      untilFlag(task.buffer, WRITER_WAITING_SLOT);
      throw new Error('the reader thread throws while its writer is blocked');
    }
    case 'die-without-hook': {
      new RingWriter(task.buffer, task.options);
      untilFlag(task.buffer, READER_WAITING_SLOT);
      throw new Error('the writer thread throws and leaves the ring to its host');
    }
  }
}

run();
