/**
 * Turns one benchmark run into benchmarks/results/ring.json and the "Ring transport" section of
 * benchmarks/RESULTS.md (other sections of that file are left as they are).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MicroResult } from './micro.js';

/** Everything one run measured. */
export interface RingBenchResults {
  readonly quick: boolean;
  readonly seconds: number;
  readonly settings: Record<string, number>;
  /** 1-minute load average before and after the run (other work on the machine shows here). */
  readonly loadAverage: readonly [number, number];
  readonly labels: Record<string, string>;
  /** Rival key → median µs per round trip, idle machine. */
  readonly idle: Record<string, number>;
  /** Busy-process count → rival key → median µs. */
  readonly contended: Record<string, Record<string, number>>;
  /** `ring:<size>:<capacity>:<view|copy>` or `postMessage:<size>` → messages/s (64 B) or GB/s. */
  readonly flows: Record<string, number>;
  readonly micro: readonly MicroResult[];
}

const SECTION_HEADING = '## Ring transport';
const FILE_TITLE = '# jsii-ring benchmark results';
const KIB = 1024;
const MIB = 1024 * 1024;
const SIZES = [64, 64 * KIB, MIB, 16 * MIB];

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Writes ring.json and the RESULTS.md section, relative to the repository root. */
export function writeRingResults(results: RingBenchResults): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const json = toJson(results);
  const resultsDir = path.join(root, 'benchmarks', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'ring.json'), `${JSON.stringify(json, null, 2)}\n`);
  const mdPath = path.join(root, 'benchmarks', 'RESULTS.md');
  const existing = fs.existsSync(mdPath) ? fs.readFileSync(mdPath, 'utf8') : `${FILE_TITLE}\n`;
  fs.writeFileSync(mdPath, replaceSection(existing, toMarkdown(results, json)));
}

type Json = ReturnType<typeof toJson>;

function toJson(r: RingBenchResults) {
  const idle = r.idle;
  const ringKeys = Object.keys(idle).filter((k) => k.startsWith('ring'));
  const bestRing = ringKeys.reduce((best, k) => (idle[k]! < idle[best]! ? k : best));
  const bestSpin = bestRing === 'ringAdaptive' ? r.settings['defaultSpin']! : Number(bestRing.slice('ringSpin'.length));
  const c1 = r.contended['1'] ?? {};
  const c2 = r.contended['2'] ?? {};
  const flow = (size: number, capacity: number, mode = 'view'): number => r.flows[`ring:${size}:${capacity}:${mode}`]!;
  const pm = (size: number): number => r.flows[`postMessage:${size}`]!;
  const roundTripUs = {
    ring: idle[bestRing]!,
    ringSetting: bestRing,
    futex: idle['futexSpin0']!,
    futexSpin: idle[`futexSpin${bestSpin}`]!,
    futexSpinBudget: bestSpin,
    postMessage: idle['postMessage']!,
    synckit: idle['synckit']!,
    pipe: idle['pipe']!,
    ringContended1: c1['ringAdaptive']!,
    futexContended1: c1['futexSpin0']!,
    ringContended2: c2['ringAdaptive']!,
    futexContended2: c2['futexSpin0']!,
    idle,
    contended1: c1,
    contended2: c2,
  };
  const throughput = {
    msgsPerSec64B: Math.max(flow(64, 64 * KIB), flow(64, MIB)),
    gbPerSec64KiB: flow(64 * KIB, MIB),
    gbPerSec1MiB: flow(MIB, MIB),
    gbPerSec16MiB: flow(16 * MIB, MIB),
    postMessageMsgsPerSec64B: pm(64),
    postMessageGbPerSec64KiB: pm(64 * KIB),
    postMessageGbPerSec1MiB: pm(MIB),
    postMessageGbPerSec16MiB: pm(16 * MIB),
    all: r.flows,
  };
  const fasterEverySize = SIZES.every((s) => flow(s, 64 * KIB) > pm(s) && flow(s, MIB) > pm(s));
  const targets = [
    target('round trip ≤ 2× bare spin ping-pong (same spin budget)', roundTripUs.ring / roundTripUs.futexSpin, '≤ 2', (x) => x <= 2),
    target('round trip ≥ 10× faster than postMessage', roundTripUs.postMessage / roundTripUs.ring, '≥ 10', (x) => x >= 10),
    target('2 busy processes: ≤ 1.5× plain futex under the same load', roundTripUs.ringContended2 / roundTripUs.futexContended2, '≤ 1.5', (x) => x <= 1.5),
    target('64 B messages one way, M msgs/s', throughput.msgsPerSec64B / 1e6, '≥ 3', (x) => x >= 3),
    target('1 MiB messages through a 1 MiB ring, GB/s', throughput.gbPerSec1MiB, '≥ 6', (x) => x >= 6),
    target('faster than postMessage at every size and capacity', fasterEverySize ? 1 : 0, 'yes', (x) => x === 1),
  ];
  return {
    meta: {
      command: `node dist/benchmarks/ring/run.js${r.quick ? ' --quick' : ''}`,
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cpus: os.cpus().length,
      date: new Date().toISOString(),
      seconds: Math.round(r.seconds),
      loadAverage: r.loadAverage.map((x) => Number(x.toFixed(2))),
      settings: r.settings,
    },
    roundTripUs,
    throughput,
    targets,
    micro: r.micro,
  };
}

function target(name: string, value: number, goal: string, met: (x: number) => boolean) {
  return { name, value: Number(value.toFixed(3)), goal, met: met(value) };
}

function toMarkdown(r: RingBenchResults, json: Json): string {
  const { meta, roundTripUs: rt, throughput: tp } = json;
  const us = (x: number | undefined): string => (x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
  const lines: string[] = [];
  lines.push(SECTION_HEADING, '');
  lines.push(
    `Command: \`${meta.command}\` (after \`npx tsc -p tsconfig.json\`) · Node ${meta.node} · ${meta.cpu}, ${meta.cpus} vCPUs · ` +
      `${meta.date.slice(0, 10)} · run took ${meta.seconds} s · 1-minute load average ${meta.loadAverage[0]} before, ` +
      `${meta.loadAverage[1]} after. Medians of ${r.settings['repeats']} interleaved bursts ` +
      `(${r.settings['contendedRepeats']} under load); one peer worker thread for every rival. The machine is shared ` +
      'with other jobs, so absolute figures drift between runs; compare within a column.',
    '',
  );
  lines.push('### Empty round trip, µs (lower is better)', '');
  lines.push('| rival | idle | 1 busy process | 2 busy processes |', '|---|---:|---:|---:|');
  for (const [key, value] of Object.entries(rt.idle)) {
    lines.push(`| ${r.labels[key] ?? key} | ${us(value)} | ${us(rt.contended1[key])} | ${us(rt.contended2[key])} |`);
  }
  lines.push('');
  lines.push('### Targets', '', '| target | measured | goal | met |', '|---|---:|---|---|');
  for (const t of json.targets) lines.push(`| ${t.name} | ${t.value} | ${t.goal} | ${t.met ? 'yes' : '**no**'} |`);
  lines.push('');
  lines.push(`Best ring setting: \`${rt.ringSetting}\`; compared with the bare ping-pong spinning ${rt.futexSpinBudget} iterations.`, '');
  lines.push(
    'Reading the round trips: a bare ping-pong moves one cache line per hop; the ring moves two (the published ' +
      'index, then the frame it points to) and runs its framing and checks, which is where its extra time over the ' +
      'bare spin goes. A fixed spin that is too short for the peer to answer within it (100, 1,000) makes both ' +
      'sides sleep on every hop, which on an idle VM costs a slow cross-CPU wake-up each time; a long fixed spin ' +
      'collapses when the CPUs are oversubscribed, in this run or the next depending on what else the machine does. ' +
      'The adaptive policy follows whichever pays. The "busy process" runs reuse the ring ends (and so the wait-policy ' +
      'state) of the idle runs, like a long-running program that finds the machine getting busy.',
    '',
  );
  lines.push('### One-way throughput (higher is better)', '');
  lines.push('| message | ring 64 KiB | ring 1 MiB | ring 1 MiB, `readCopy` | postMessage |', '|---|---:|---:|---:|---:|');
  for (const size of SIZES) {
    const f = (k: string): string => {
      const v = tp.all[k];
      if (v === undefined) return '–';
      return size === 64 ? `${(v / 1e6).toFixed(2)} M/s` : `${v.toFixed(2)} GB/s`;
    };
    lines.push(
      `| ${sizeLabel(size)} | ${f(`ring:${size}:${64 * KIB}:view`)} | ${f(`ring:${size}:${MIB}:view`)} | ` +
        `${f(`ring:${size}:${MIB}:copy`)} | ${f(`postMessage:${size}`)} |`,
    );
  }
  lines.push(
    '',
    'The ring reader uses `read()` (a view into the ring; a message bigger than one frame is reassembled into a ' +
      'reused buffer) or `readCopy()` (a fresh copy); `postMessage` sends a structured clone. Both receivers read one ' +
      'byte of every 64 of each message, so the data really moves to the reading core. Timed from the first write ' +
      'until the worker has read the last message. A message larger than half the ring travels as fragments of a ' +
      'quarter of the ring (16 KiB in the 64 KiB ring, so 64 hand-offs per 1 MiB message), which is what limits ' +
      'the small ring with large messages.',
    '',
  );
  lines.push('### Single-thread costs (benchmark.js)', '', '| operation | ns | ± |', '|---|---:|---:|');
  for (const m of json.micro) lines.push(`| ${m.name} | ${m.nsPerOp.toFixed(1)} | ${m.rmePercent.toFixed(1)} % |`);
  lines.push('', 'Raw figures: [`results/ring.json`](results/ring.json).', '');
  return lines.join('\n');
}

function sizeLabel(size: number): string {
  if (size >= MIB) return `${size / MIB} MiB`;
  if (size >= KIB) return `${size / KIB} KiB`;
  return `${size} B`;
}

/**
 * Replaces (or appends) the ring section: from its heading to the next `## ` heading or HTML
 * comment line (other sections of the file are delimited by marker comments; keep them).
 */
function replaceSection(document: string, section: string): string {
  const start = document.indexOf(`${SECTION_HEADING}\n`);
  if (start < 0) return `${document.trimEnd()}\n\n${section}`;
  const ends = ['\n## ', '\n<!-- ']
    .map((boundary) => document.indexOf(boundary, start + SECTION_HEADING.length))
    .filter((index) => index >= 0);
  const next = ends.length === 0 ? -1 : Math.min(...ends);
  const end = next < 0 ? document.length : next + 1;
  return `${document.slice(0, start)}${section}${next < 0 ? '' : '\n'}${document.slice(end)}`;
}
