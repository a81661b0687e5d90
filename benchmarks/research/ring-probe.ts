/**
 * The host side's ring counters (`atomics-ring-buffer` RingStats: waits, sleeps, spin hits)
 * for the rings a kernel client uses. The client keeps its rings private, so the probe
 * learns of them the first time a reader reads or a writer writes, by wrapping those two
 * prototype methods for the life of the probe. Benchmark-only: the wrap costs one Set
 * lookup per call, on every mode alike, and `dispose()` restores the originals.
 *
 * Only the host's own sides are visible here (response-ring reader, request/callback-ring
 * writer); the kernel's idle time comes from the client's `kernelBusy` instead.
 */
import { RingReader, RingWriter } from 'atomics-ring-buffer';
import type { RingStats } from 'atomics-ring-buffer';

/** Host-side ring counters summed over the rings seen. */
export interface HostRingCounters {
  /** Times the host found the response ring empty and had to wait. */
  readonly readWaits: number;
  /** Of those, waits that went to sleep (`Atomics.wait`). */
  readonly readSleeps: number;
  /** Waits that ended while spinning. */
  readonly readSpinHits: number;
  /** Times the host found a request ring full. */
  readonly writeWaits: number;
  /** Messages the host read and wrote. */
  readonly messagesRead: number;
  readonly messagesWritten: number;
}

const ZERO: HostRingCounters = { readWaits: 0, readSleeps: 0, readSpinHits: 0, writeWaits: 0, messagesRead: 0, messagesWritten: 0 };

/** Watches the host sides of every ring used while it is installed. */
export class RingProbe {
  readonly #readers = new Set<RingReader>();
  readonly #writers = new Set<RingWriter>();
  readonly #restore: () => void;

  public constructor() {
    const readers = this.#readers;
    const writers = this.#writers;
    const read = RingReader.prototype.read;
    const tryRead = RingReader.prototype.tryRead;
    const write = RingWriter.prototype.write;
    RingReader.prototype.read = function (this: RingReader, timeoutMs?: number) {
      readers.add(this);
      return read.call(this, timeoutMs);
    };
    RingReader.prototype.tryRead = function (this: RingReader) {
      readers.add(this);
      return tryRead.call(this);
    };
    RingWriter.prototype.write = function (this: RingWriter, message: Uint8Array, timeoutMs?: number) {
      writers.add(this);
      return write.call(this, message, timeoutMs);
    };
    this.#restore = () => {
      RingReader.prototype.read = read;
      RingReader.prototype.tryRead = tryRead;
      RingWriter.prototype.write = write;
    };
  }

  /** The counters now (totals since each ring was attached). */
  public snapshot(): HostRingCounters {
    const r = sum([...this.#readers].map((x) => x.stats));
    const w = sum([...this.#writers].map((x) => x.stats));
    return { readWaits: r.waits, readSleeps: r.sleeps, readSpinHits: r.spinHits, writeWaits: w.waits, messagesRead: r.messages, messagesWritten: w.messages };
  }

  /** Forgets the rings seen so far (call between runs so closed clients can be collected). */
  public reset(): void {
    this.#readers.clear();
    this.#writers.clear();
  }

  /** Restores the wrapped methods. */
  public dispose(): void {
    this.reset();
    this.#restore();
  }
}

/** `b - a`, field by field. */
export function diffCounters(a: HostRingCounters, b: HostRingCounters): HostRingCounters {
  return {
    readWaits: b.readWaits - a.readWaits,
    readSleeps: b.readSleeps - a.readSleeps,
    readSpinHits: b.readSpinHits - a.readSpinHits,
    writeWaits: b.writeWaits - a.writeWaits,
    messagesRead: b.messagesRead - a.messagesRead,
    messagesWritten: b.messagesWritten - a.messagesWritten,
  };
}

/** Counters of no activity. */
export function zeroCounters(): HostRingCounters {
  return ZERO;
}

function sum(stats: readonly RingStats[]): { waits: number; sleeps: number; spinHits: number; messages: number } {
  const out = { waits: 0, sleeps: 0, spinHits: 0, messages: 0 };
  for (const s of stats) {
    out.waits += s.waits;
    out.sleeps += s.sleeps;
    out.spinHits += s.spinHits;
    out.messages += s.messages;
  }
  return out;
}
