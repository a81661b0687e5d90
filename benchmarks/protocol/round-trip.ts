/**
 * Question: what does one empty sync request cost through each transport, and how many
 * pipelined no-op requests per second does the ring carry end to end?
 *
 * Rivals: the reference `@jsii/runtime` over stdio (what Python/Java/.NET hosts use), and
 * our own kernel behind the same stdio protocol. Every mode runs in this process, rounds
 * interleaved, and the medians are reported.
 *
 * Run: `npm run build && node dist/benchmarks/protocol/round-trip.js [--quick]`
 * Writes: benchmarks/results/protocol.json (merged) and prints a Markdown table.
 */
import * as os from 'node:os';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelClientOptions } from '../../lib/host/options.js';
import { median, mergeResults } from '../results.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;

interface Mode {
  readonly name: string;
  readonly options: KernelClientOptions;
  readonly calls: number;
}

const MODES: readonly Mode[] = [
  { name: 'ring', options: { transport: 'ring' }, calls: quick ? 20_000 : 100_000 },
  { name: 'ringJson', options: { transport: 'ring', codec: 'json' }, calls: quick ? 20_000 : 100_000 },
  { name: 'stdioOurs', options: { transport: 'stdio', stdioKernel: 'ours' }, calls: quick ? 500 : 2000 },
  { name: 'stdioReference', options: { transport: 'stdio', stdioKernel: 'reference' }, calls: quick ? 500 : 2000 },
];

function roundTripUs(client: KernelClient, calls: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    client.request({ api: 'stats' });
  }
  return Number(process.hrtime.bigint() - started) / 1000 / calls;
}

function pipelinedPerSec(client: KernelClient, calls: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    client.send({ api: 'stats' });
  }
  client.flush();
  return calls / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const samples = new Map<string, number[]>(MODES.map((m) => [m.name, []]));
  // Client defaults (pending cap 64, no call sites), JSON, and call sites captured.
  const PIPE_VARIANTS: Record<string, KernelClientOptions> = {
    msgpack: {},
    json: { codec: 'json' },
    msgpackCallSites: { captureCallSites: true },
  };
  const pipelined: Record<string, number[]> = { msgpack: [], json: [], msgpackCallSites: [] };
  // One kernel alive at a time: idle kernels of the other modes would share the two cores.
  // Each round starts a fresh client per mode, runs an untimed lead-in so the wait policy
  // reaches its steady state, measures, and closes it; modes alternate within a round.
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
    for (const mode of MODES) {
      const client = KernelClient.start(mode.options);
      roundTripUs(client, Math.min(mode.calls, 2000));
      (samples.get(mode.name) as number[]).push(roundTripUs(client, mode.calls));
      await client.close();
    }
    for (const [name, options] of Object.entries(PIPE_VARIANTS)) {
      const client = KernelClient.start(options);
      pipelinedPerSec(client, 20_000);
      (pipelined[name] as number[]).push(pipelinedPerSec(client, quick ? 100_000 : 500_000));
      await client.close();
    }
  }

  const roundTrip: Record<string, number> = {};
  for (const [name, values] of samples) roundTrip[name] = round2(median(values));
  const result = {
    roundTripUs: roundTrip,
    pipelined: {
      requestsPerSec: Math.round(median(pipelined.msgpack as number[])),
      requestsPerSecJson: Math.round(median(pipelined.json as number[])),
      requestsPerSecCallSites: Math.round(median(pipelined.msgpackCallSites as number[])),
    },
    machine: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length },
    rounds: ROUNDS,
    command: `node dist/benchmarks/protocol/round-trip.js${quick ? ' --quick' : ''}`,
  };
  mergeResults('protocol.json', result);
  const ring = roundTrip.ring as number;
  process.stdout.write([
    '| transport | empty sync round trip (µs, median) | vs ring |',
    '| --- | ---: | ---: |',
    ...Object.entries(roundTrip).map(([name, us]) => `| ${name} | ${us} | ${round2(us / ring)}× |`),
    '',
    `Pipelined no-op requests (client defaults: pending cap 64, msgpack, no call sites): ${result.pipelined.requestsPerSec.toLocaleString('en-US')}/s; ` +
      `${result.pipelined.requestsPerSecCallSites.toLocaleString('en-US')}/s with call sites captured, ${result.pipelined.requestsPerSecJson.toLocaleString('en-US')}/s JSON.`,
    '',
  ].join('\n'));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
