/**
 * Question: what does each ring operation cost on one thread, with no waiting at all? These are
 * the floors under the cross-thread figures (benchmark.js, statistically sampled).
 */
import Benchmark from 'benchmark';
import { RingReader, RingWriter, createRingBuffer } from 'atomics-ring-buffer';
import { payload } from './throughput.js';

/** One micro-benchmark result. */
export interface MicroResult {
  readonly name: string;
  readonly nsPerOp: number;
  /** Relative margin of error, percent. */
  readonly rmePercent: number;
}

/** Iterations per call of the spin-loop case (so the per-iteration figure is not call overhead). */
const SPIN_BATCH = 1000;

/** Runs the single-thread micro-benchmarks; `maxTime` seconds per case. */
export function runMicro(maxTime: number): MicroResult[] {
  const buffer = createRingBuffer(64 * 1024);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  const small = payload(64);
  const empty = new Uint8Array(0);
  const page = payload(4096);
  const cell = new Int32Array(new SharedArrayBuffer(16));
  let sink = 0;

  const suite = new Benchmark.Suite();
  const options = { maxTime, minSamples: 5 };
  suite.add('write + read (view), 64 B', () => {
    writer.write(small);
    sink += reader.read()!.length;
  }, options);
  suite.add('write + readCopy, 64 B', () => {
    writer.write(small);
    sink += reader.readCopy()!.length;
  }, options);
  suite.add('tryWrite + tryRead, 0 B', () => {
    writer.tryWrite(empty);
    sink += reader.tryRead()!.length;
  }, options);
  suite.add('write + read (view), 4 KiB', () => {
    writer.write(page);
    sink += reader.read()!.length;
  }, options);
  suite.add('Atomics.notify, nobody waiting', () => {
    sink += Atomics.notify(cell, 0);
  }, options);
  suite.add(`spin iteration (x${SPIN_BATCH})`, () => {
    let i = 0;
    for (; i < SPIN_BATCH; i++) if (Atomics.load(cell, 1) !== 0 || Atomics.load(cell, 2) !== 0) break;
    sink += i;
  }, options);
  suite.run({ async: false });
  if (sink < 0) throw new Error('unreachable');
  const results: MicroResult[] = [];
  suite.forEach((bench: Benchmark) => {
    const batch = bench.name?.startsWith('spin iteration') === true ? SPIN_BATCH : 1;
    results.push({
      name: batch === 1 ? bench.name! : 'spin iteration (2 Atomics.load)',
      nsPerOp: (bench.stats.mean * 1e9) / batch,
      rmePercent: bench.stats.rme,
    });
  });
  return results;
}
