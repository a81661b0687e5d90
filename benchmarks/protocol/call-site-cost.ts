/**
 * Question: what does recording a host call site cost, and could a shorter stack make it
 * cheap enough to leave on? `Error.captureStackTrace` on a plain object, as
 * `KernelClient.send` does with `captureCallSites: true`, at several `Error.stackTraceLimit`
 * settings and two stack depths. Medians of interleaved rounds, ns per capture.
 *
 * Run: `npm run build && node dist/benchmarks/protocol/call-site-cost.js`
 */
const CAPTURES = 200_000;
const ROUNDS = 7;
const LIMITS = [0, 1, 4, 10] as const;
const DEPTHS = [3, 25] as const;

let sink: unknown;

function captureWithLimit(limit: number): void {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, captureWithLimit);
  Error.stackTraceLimit = saved;
  sink = site;
}

/** Calls `f` with `depth` more frames on the stack. */
function atDepth(depth: number, f: () => number): number {
  return depth <= 0 ? f() : atDepth(depth - 1, f) + 0;
}

function nsPerCapture(limit: number, depth: number): number {
  return atDepth(depth, () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < CAPTURES; i++) captureWithLimit(limit);
    return Number(process.hrtime.bigint() - started) / CAPTURES;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

const samples = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const depth of DEPTHS) {
    for (const limit of LIMITS) {
      const key = `${depth}:${limit}`;
      samples.set(key, [...(samples.get(key) ?? []), nsPerCapture(limit, depth)]);
    }
  }
}
const lines = [
  `| stack depth | ${LIMITS.map((l) => `limit ${l}`).join(' | ')} |`,
  `|---|${LIMITS.map(() => '---:').join('|')}|`,
  ...DEPTHS.map((depth) => `| ${depth} frames | ${LIMITS.map((l) => `${Math.round(median(samples.get(`${depth}:${l}`) ?? []))} ns`).join(' | ')} |`),
  '',
  `ns per Error.captureStackTrace (medians of ${ROUNDS} rounds × ${CAPTURES.toLocaleString('en-US')}; Node ${process.version}; the client captures with the default limit of 10)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (sink === undefined) process.exitCode = 1;
