/**
 * Micro-benchmarks:
 *  - ring: write + read of one message on one thread (the floor under every transport;
 *    benchmark.js, statistically sampled);
 *  - codec: encode and decode of typical frames, msgpack vs JSON (benchmark.js);
 *  - per-api round trip: one sync request of each api through each transport (ring with
 *    msgpack, ring with JSON, our kernel over stdio, the reference runtime over stdio),
 *    and a pipelined `create` on the ring (the steady-state cost per request under the
 *    default pending cap): medians of timed rounds after a lead-in, as the headline's
 *    `benchmarks/protocol/round-trip.ts` measures (benchmark.js's mean over its first
 *    cycles caught the kernel's start: its first waits sleep and its code is cold).
 *
 * Writes bench-micro.json and charts/round-trip.svg.
 */
import type Benchmark from 'benchmark';
import { RingReader, RingWriter, createRingBuffer } from 'atomics-ring-buffer';
import { load } from '../../lib/bindings/index.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelClientOptions } from '../../lib/host/options.js';
import { createCodec } from '../../lib/protocol/codec.js';
import { requireDependency } from '../../lib/cli/dependencies.js';
import { FLAG_NO_REPLY, FrameKind } from '../../lib/protocol/frames.js';
import type { BenchContext, SuiteReport } from './context.js';
import { describeEnvironment, finishEnvironment, startEnvironment } from './environment.js';
import { Progress, round } from './harness.js';
import { fmt, table, writeChart, writeJson } from './output.js';
import { groupedBarChart } from './svg.js';
import { median } from '../results.js';

/** One case's result. */
export interface MicroCase {
  readonly name: string;
  readonly usPerOp: number;
  /** Relative margin of error, percent. */
  readonly rmePercent: number;
  readonly samples: number;
}

/** The transports of the round-trip cases. */
export const TRANSPORTS: Readonly<Record<string, KernelClientOptions>> = {
  ring: { transport: 'ring' },
  ringJson: { transport: 'ring', codec: 'json' },
  stdioOurs: { transport: 'stdio', stdioKernel: 'ours' },
  stdioReference: { transport: 'stdio', stdioKernel: 'reference' },
};

/** The apis of the round-trip cases. */
export const ROUND_TRIP_APIS = ['stats', 'create', 'get', 'invoke'] as const;

/** A benchmark.js suite; benchmark.js is a development dependency, loaded only when this suite runs. */
function newSuite(): Benchmark.Suite {
  const BenchmarkJs = requireDependency<typeof Benchmark>('benchmark', 'bench micro');
  return new BenchmarkJs.Suite();
}

/** Runs a benchmark.js suite synchronously and collects its cases. */
function runSuite(suite: Benchmark.Suite): MicroCase[] {
  suite.run({ async: false });
  const out: MicroCase[] = [];
  suite.forEach((bench: Benchmark) => {
    if (bench.error !== undefined) throw bench.error;
    out.push({ name: bench.name ?? '?', usPerOp: round(bench.stats.mean * 1e6, 3), rmePercent: round(bench.stats.rme, 1), samples: bench.stats.sample.length });
  });
  return out;
}

/** A representative create request frame (a bucket with props) and a string response frame. */
export function sampleFrames(): { readonly request: unknown; readonly response: unknown } {
  return {
    request: [FrameKind.REQUEST, 4711, FLAG_NO_REPLY, {
      api: 'create',
      fqn: 'aws-cdk-lib.aws_s3.Bucket',
      objid: 'h1234',
      args: [
        { '$jsii.byref': 'aws-cdk-lib.Stack@10042' },
        'Bucket17',
        {
          '$jsii.struct': {
            fqn: 'aws-cdk-lib.aws_s3.BucketProps',
            data: {
              encryption: { '$jsii.enum': 'aws-cdk-lib.aws_s3.BucketEncryption/S3_MANAGED' },
              enforceSSL: true,
              versioned: false,
              removalPolicy: { '$jsii.enum': 'aws-cdk-lib.RemovalPolicy/DESTROY' },
              lifecycleRules: [{ '$jsii.struct': { fqn: 'aws-cdk-lib.aws_s3.LifecycleRule', data: { expiration: { '$jsii.byref': 'aws-cdk-lib.Duration@10077' }, prefix: 'logs/' } } }],
            },
          },
        },
      ],
    }],
    response: [FrameKind.RESPONSE, 4712, 0, { value: '${Token[TOKEN.1234]}' }],
  };
}

function codecCases(maxTime: number): MicroCase[] {
  const suite = newSuite();
  const options = { maxTime, minSamples: 5 };
  const { request, response } = sampleFrames();
  let sink = 0;
  for (const name of ['msgpack', 'json'] as const) {
    const codec = createCodec(name);
    const encodedRequest = codec.encode(request);
    const encodedResponse = codec.encode(response);
    suite.add(`${name}: encode create request (${encodedRequest.byteLength} B)`, () => { sink += codec.encode(request).byteLength; }, options);
    suite.add(`${name}: decode create request`, () => { sink += (codec.decode(encodedRequest) as unknown[]).length; }, options);
    suite.add(`${name}: encode string response (${encodedResponse.byteLength} B)`, () => { sink += codec.encode(response).byteLength; }, options);
    suite.add(`${name}: decode string response`, () => { sink += (codec.decode(encodedResponse) as unknown[]).length; }, options);
  }
  const cases = runSuite(suite);
  return sink >= 0 ? cases : [];
}

function ringCases(maxTime: number): MicroCase[] {
  const buffer = createRingBuffer(1024 * 1024);
  const writer = new RingWriter(buffer);
  const reader = new RingReader(buffer);
  const suite = newSuite();
  const options = { maxTime, minSamples: 5 };
  let sink = 0;
  for (const size of [64, 4096]) {
    const message = new Uint8Array(size).fill(7);
    suite.add(`ring write + read, ${size} B, one thread`, () => {
      writer.write(message);
      sink += reader.read()?.byteLength ?? 0;
    }, options);
  }
  const cases = runSuite(suite);
  return sink >= 0 ? cases : [];
}

/** One round-trip case: medians over rounds, each round a timed loop of calls. */
export interface RoundTripCase {
  readonly name: string;
  /** Median over the rounds of the mean µs per call of a round. */
  readonly usPerOp: number;
  readonly minUs: number;
  readonly maxUs: number;
  readonly rounds: number;
  readonly callsPerRound: number;
}

/** Calls per round of each transport's round-trip cases (stdio is ~100× slower per call). */
function callsPerRound(transport: KernelClientOptions, quick: boolean): number {
  return transport.transport === 'stdio' ? (quick ? 200 : 1000) : quick ? 2000 : 20_000;
}

/**
 * Sync round trips of each api through one transport (and a pipelined create on rings),
 * measured as `benchmarks/protocol/round-trip.ts` measures the headline: after an untimed
 * lead-in of every case (so the JIT and the wait policy reach their steady state; a
 * kernel just started sleeps on its first waits), rounds of timed loops whose case order
 * alternates, the median of the rounds. One kernel is alive at a time.
 */
async function transportCases(name: string, options: KernelClientOptions, rounds: number, calls: number): Promise<RoundTripCase[]> {
  const client = KernelClient.start({ ...options, captureCallSites: false });
  try {
    load('constructs', { connection: client });
    const ref = (value: unknown): Record<string, unknown> => value as Record<string, unknown>;
    const root = client.request({ api: 'create', fqn: 'constructs.RootConstruct', args: ['bench'] });
    const node = ref(client.request({ api: 'get', objref: root, property: 'node' })).value;
    let i = 0;
    const cases: Record<string, () => void> = {
      stats: () => client.request({ api: 'stats' }),
      create: () => client.request({ api: 'create', fqn: 'constructs.RootConstruct', args: [`r${i++}`] }),
      get: () => client.request({ api: 'get', objref: node as never, property: 'id' }),
      invoke: () => client.request({ api: 'invoke', objref: node as never, method: 'tryGetContext', args: ['missing'] }),
    };
    if (client.capabilities.pipeline) {
      cases['pipelined create'] = () => client.send({ api: 'create', fqn: 'constructs.RootConstruct', args: [`p${i++}`], objid: client.allocateId() });
    }
    const timed = (op: () => void, n: number): number => {
      const started = process.hrtime.bigint();
      for (let k = 0; k < n; k++) op();
      client.flush();
      return Number(process.hrtime.bigint() - started) / 1000 / n;
    };
    const names = Object.keys(cases);
    for (const c of names) timed(cases[c] as () => void, Math.min(calls, 2000));
    const samples = new Map<string, number[]>(names.map((c) => [c, []]));
    for (let r = 0; r < rounds; r++) {
      for (const c of r % 2 === 0 ? names : [...names].reverse()) (samples.get(c) as number[]).push(timed(cases[c] as () => void, calls));
    }
    return names.map((c) => {
      const values = samples.get(c) as number[];
      return { name: `${name}: ${c}`, usPerOp: round(median(values), 3), minUs: round(Math.min(...values), 3), maxUs: round(Math.max(...values), 3), rounds, callsPerRound: calls };
    });
  } finally {
    await client.close();
  }
}

/** The round-trip chart: one group of bars per api, one bar per transport, min–max over rounds. */
export function roundTripChart(roundTrip: Readonly<Record<string, readonly RoundTripCase[]>>, transports: readonly string[], loadAverage?: number): string {
  const find = (t: string, api: string): RoundTripCase | undefined => roundTrip[t]?.find((c) => c.name === `${t}: ${api}`);
  const first = Object.values(roundTrip)[0]?.[0];
  const load = loadAverage === undefined ? '' : `; 1-min load average ${loadAverage} before the run`;
  return groupedBarChart({
    id: 'round-trip',
    title: 'Sync round trip per api and transport',
    subtitle: first?.rounds === undefined
      ? `benchmark.js mean per call from a fresh kernel, no lead-in${load}`
      : `median of ${first.rounds} rounds after a lead-in; bars: min–max${load}`,
    categories: [...ROUND_TRIP_APIS],
    series: transports.map((t) => ({
      name: t,
      values: ROUND_TRIP_APIS.map((api) => find(t, api)?.usPerOp ?? null),
      spread: ROUND_TRIP_APIS.map((api) => {
        const c = find(t, api);
        return c?.minUs === undefined ? null : ([c.minUs, c.maxUs] as const);
      }),
    })),
    xLabel: 'api (constructs objects)',
    yLabel: 'µs per round trip (log scale)',
    logScale: true,
  });
}

/** Runs the micro suite. */
export async function microSuite(ctx: BenchContext): Promise<SuiteReport> {
  let env = startEnvironment(ctx.command);
  const progress = new Progress('micro', 2 + Object.keys(TRANSPORTS).length, ctx.silent);
  progress.step('ring');
  const ring = ringCases(ctx.microSeconds);
  progress.step('codec');
  const codec = codecCases(ctx.microSeconds);
  const roundTrip: Record<string, RoundTripCase[]> = {};
  const rounds = ctx.quick ? 3 : 7;
  for (const [name, options] of Object.entries(TRANSPORTS)) {
    progress.step(`round trips: ${name}`);
    roundTrip[name] = await transportCases(name, options, rounds, callsPerRound(options, ctx.quick));
  }
  env = finishEnvironment(env);

  const roundTripUs = Object.fromEntries(Object.entries(roundTrip).map(([transport, cases]) => [
    transport,
    Object.fromEntries(cases.map((c) => [c.name.slice(transport.length + 2), c.usPerOp])),
  ]));
  const result = {
    environment: env,
    maxTimeSeconds: ctx.microSeconds,
    roundTripMethod: `median over ${rounds} rounds of a timed loop per case (round-trip cases in alternating order), after an untimed lead-in of every case; one kernel alive at a time`,
    ring,
    codec,
    roundTrip,
    roundTripUs,
  };
  const files = [writeJson(ctx.resultsDir, 'bench-micro.json', result)];
  files.push(writeChart(ctx.chartsDir, 'round-trip.svg', roundTripChart(roundTrip, Object.keys(TRANSPORTS), env.loadAverageBefore[0])));

  const rows = ROUND_TRIP_APIS.map((api) => [api, ...Object.keys(TRANSPORTS).map((t) => fmt(roundTripUs[t]?.[api], 1))]);
  rows.push(['pipelined create', ...Object.keys(TRANSPORTS).map((t) => fmt(roundTripUs[t]?.['pipelined create'], 2))]);
  const markdown = [
    '### Micro-benchmarks',
    '',
    `Sync round trip of one request through each transport, µs: the median of ${rounds} rounds of a timed loop (after an untimed lead-in of every case, so the JIT and the wait policy are in their steady state; one kernel alive at a time), as \`benchmarks/protocol/round-trip.ts\` measures the headline's empty request. The kernel serves \`constructs\` objects; \`pipelined create\` is the steady-state cost per request under the default cap. Min–max over the rounds in the results file.`,
    '',
    table(['api', ...Object.keys(TRANSPORTS)], rows, ['l', ...Object.keys(TRANSPORTS).map(() => 'r' as const)]),
    '',
    '![round trip per transport](charts/round-trip.svg)',
    '',
    `benchmark.js, ${ctx.microSeconds} s per case:`,
    '',
    table(['case', 'µs', '±'], [...ring, ...codec].map((c) => [c.name, fmt(c.usPerOp, 3), `${fmt(c.rmePercent, 1)} %`]), ['l', 'r', 'r']),
    '',
    describeEnvironment(env),
  ].join('\n');
  return { id: 'micro', markdown, files };
}
