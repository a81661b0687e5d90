/**
 * Ring transport benchmarks: one run, one peer worker, rivals interleaved, medians of repeats.
 *
 *   npx tsc -p tsconfig.json && node dist/benchmarks/ring/run.js [--quick] [--no-write]
 *
 * Writes the "Ring transport" section of benchmarks/RESULTS.md and benchmarks/results/ring.json
 * (unless --no-write). A full run takes a few minutes; --quick takes under a minute with fewer,
 * shorter repeats. The contention runs start one and then two busy-looping processes (each
 * stops by itself after at most two minutes, and is killed as soon as its run is over).
 */
import * as os from 'node:os';
import { DEFAULT_RING_OPTIONS } from 'atomics-ring-buffer';
import { withBusyProcesses } from './contention.js';
import { runMicro } from './micro.js';
import { Peer } from './peer.js';
import { type RingBenchResults, median, writeRingResults } from './report.js';
import { type RoundTripRival, futexRival, pipeRival, postMessageRival, ringRival, synckitRival } from './round-trip.js';
import { payload, postMessageFlow, ringFlow } from './throughput.js';

interface Settings {
  readonly repeats: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly contendedRepeats: number;
  readonly contendedRounds: number;
  readonly flowBytes: number;
  readonly smallMessages: number;
  readonly flowRepeats: number;
  readonly microSeconds: number;
}

const FULL: Settings = {
  repeats: 7,
  rounds: 10_000,
  warmup: 1_000,
  contendedRepeats: 5,
  contendedRounds: 5_000,
  flowBytes: 512 * 2 ** 20,
  smallMessages: 300_000,
  flowRepeats: 5,
  microSeconds: 1,
};
const QUICK: Settings = {
  repeats: 3,
  rounds: 2_000,
  warmup: 500,
  contendedRepeats: 3,
  contendedRounds: 1_500,
  flowBytes: 96 * 2 ** 20,
  smallMessages: 100_000,
  flowRepeats: 3,
  microSeconds: 0.25,
};

/** The spin budgets of the fixed-spin ring and futex variants. */
const SPINS = [0, 100, 1_000, 10_000] as const;
/** Default `spin` of RingOptions, the adaptive ring's upper bound. */
const DEFAULT_SPIN = DEFAULT_RING_OPTIONS.spin;

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const write = !process.argv.includes('--no-write');
  const settings = quick ? QUICK : FULL;
  const began = Date.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const peer = new Peer();
  try {
    const idleRivals: RoundTripRival[] = [
      ringRival('ringAdaptive', `ring, adaptive, spin ≤ ${DEFAULT_SPIN} (the default)`, DEFAULT_SPIN, true),
      ...SPINS.map((spin) => ringRival(`ringSpin${spin}`, `ring, fixed spin ${spin}`, spin, false)),
      ...[...new Set([...SPINS, DEFAULT_SPIN])].map((spin) => futexRival(`futexSpin${spin}`, `bare Atomics.wait ping-pong, spin ${spin}`, spin)),
      postMessageRival(),
      synckitRival(),
      pipeRival(),
    ];
    log(`round trips, idle: ${idleRivals.length} rivals × ${settings.repeats} bursts of ${settings.rounds}`);
    const idle = await interleave(peer, idleRivals, settings.repeats, settings.rounds, settings.warmup);

    // The same rival objects (so the same ring ends and wait-policy state) as in the idle run:
    // like a long-running program that finds the machine getting busy.
    const contendedKeys = new Set(['ringAdaptive', 'ringSpin10000', 'futexSpin0', 'futexSpin10000']);
    const contendedRivals = idleRivals.filter((r) => contendedKeys.has(r.key));
    const contended: Record<string, Record<string, number>> = {};
    for (const busy of [1, 2]) {
      log(`round trips with ${busy} busy process(es)`);
      contended[busy] = await withBusyProcesses(busy, 120_000, () =>
        interleave(peer, contendedRivals, settings.contendedRepeats, settings.contendedRounds, settings.warmup),
      );
    }

    log('one-way throughput');
    const flows = await measureFlows(peer, settings);
    log('single-thread micro-benchmarks');
    const micro = runMicro(settings.microSeconds);

    const results: RingBenchResults = {
      quick,
      seconds: (Date.now() - began) / 1000,
      settings: { ...settings, defaultSpin: DEFAULT_SPIN },
      loadAverage: [loadBefore, os.loadavg()[0] ?? 0],
      labels: Object.fromEntries(idleRivals.map((r) => [r.key, r.label])),
      idle,
      contended,
      flows,
      micro,
    };
    if (write) writeRingResults(results);
    log(`done in ${results.seconds.toFixed(0)} s`);
  } finally {
    await peer.close();
  }
}

/** Runs every rival once per repeat, in turn, so drifting machine load hits them all alike. */
async function interleave(
  peer: Peer,
  rivals: readonly RoundTripRival[],
  repeats: number,
  rounds: number,
  warmup: number,
): Promise<Record<string, number>> {
  const samples = new Map<string, number[]>(rivals.map((r) => [r.key, []]));
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const rival of rivals) samples.get(rival.key)!.push(await rival.measure(peer, rounds, warmup));
  }
  const medians: Record<string, number> = {};
  for (const [key, values] of samples) {
    medians[key] = median(values);
    log(`  ${key.padEnd(16)} ${medians[key]!.toFixed(2).padStart(8)} µs  (${values.map((v) => v.toFixed(1)).join(' ')})`);
  }
  return medians;
}

/** Throughput cases: (size, capacity) through the ring, and each size through postMessage. */
async function measureFlows(peer: Peer, settings: Settings): Promise<Record<string, number>> {
  const sizes = [64, 64 * 2 ** 10, 2 ** 20, 16 * 2 ** 20];
  const capacities = [64 * 2 ** 10, 2 ** 20];
  type Case = { key: string; run: () => Promise<number> };
  const cases: Case[] = [];
  for (const size of sizes) {
    const message = payload(size);
    const count = size === 64 ? settings.smallMessages : Math.max(8, Math.round(settings.flowBytes / size));
    const figure = size === 64 ? 'messagesPerSec' : 'gbPerSec';
    for (const capacity of capacities) {
      cases.push({ key: `ring:${size}:${capacity}:view`, run: async () => (await ringFlow(peer, message, count, capacity, false))[figure] });
    }
    if (size >= 64 * 2 ** 10) {
      cases.push({ key: `ring:${size}:${2 ** 20}:copy`, run: async () => (await ringFlow(peer, message, count, 2 ** 20, true))[figure] });
    }
    cases.push({ key: `postMessage:${size}`, run: async () => (await postMessageFlow(peer, message, count))[figure] });
  }
  const samples = new Map<string, number[]>(cases.map((c) => [c.key, []]));
  for (let repeat = 0; repeat < settings.flowRepeats; repeat++) {
    for (const c of cases) samples.get(c.key)!.push(await c.run());
  }
  const medians: Record<string, number> = {};
  for (const [key, values] of samples) {
    medians[key] = median(values);
    log(`  ${key.padEnd(28)} ${medians[key]!.toPrecision(4)}`);
  }
  return medians;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
