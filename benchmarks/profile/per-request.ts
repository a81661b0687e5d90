/**
 * Where each microsecond of a request goes: runs an app through `jsii-ring synth` under
 * V8's sampling profiler (`--cpu-prof`, every thread), sorts each thread's CPU samples by
 * the code they were in, and divides by the number of kernel requests.
 *
 *   node dist/benchmarks/profile/per-request.js [--app FILE] [--mode pipelined|sync]
 *        [--transport ring|in-thread] [--interval US] [--out FILE.json]
 *
 * Categories (self time, by the file of the sampled function):
 * - host thread: the app and the library code it runs natively (`app`), the bindings
 *   (lib/bindings: proxies, conversions, object table), the client (lib/host), the codec
 *   (msgpackr, lib/protocol), ring writes and reads excluding waits (native-free-ring), waiting
 *   for the kernel (the ring reader's wait loop), module loading, assembly index reads, GC;
 * - kernel thread: the library (node_modules), the kernel (lib/kernel: dispatch, object
 *   table, conversions), the server loop (lib/worker), codec, ring, waiting for requests,
 *   module loading, GC.
 * A sample is wall-clock time in a function, so a thread descheduled by a busy machine
 * still counts against what it was running: run it on a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A category for a sampled function, from its file and name. */
export function categorize(url: string, functionName: string, thread: 'host' | 'kernel'): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)') return 'idle / V8';
  if (url.includes('/native-free-ring/')) {
    if (functionName === '#awaitData' || functionName === '#readBlocking') return thread === 'host' ? 'waiting for the kernel' : 'waiting for requests';
    return 'ring';
  }
  if (url.includes('/node_modules/msgpackr/') || url.includes('/dist/lib/protocol/')) return 'codec';
  if (url.includes('/dist/lib/kernel/assemblies/')) return 'assemblies (index reads)';
  if (url.includes('/dist/lib/bindings/')) return 'bindings';
  if (url.includes('/dist/lib/host/') || url.includes('/dist/lib/transports/')) return 'client';
  if (url.includes('/dist/lib/kernel/')) return 'kernel dispatch';
  if (url.includes('/dist/lib/worker/')) return 'server loop';
  if (url.includes('/dist/lib/redirect/') || url.includes('/node_modules/esbuild/')) return 'app loading (redirection, transpiling)';
  if (url.includes('/dist/lib/')) return 'jsii-ring (other)';
  if (url.startsWith('node:internal/modules') || functionName === 'compileForInternalLoader' || functionName === 'wrapSafe') return 'module loading';
  if (url.includes('/node_modules/')) return thread === 'host' ? 'app and native libraries' : 'library';
  if (url === '' ) return 'native (fs, buffers, hashing)';
  if (url.startsWith('node:')) return 'node internals';
  return thread === 'host' ? 'app and native libraries' : 'library';
}

/** Self time per category, ms. */
export function attribute(profile: CpuProfile, thread: 'host' | 'kernel'): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const out = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const category = categorize(node.callFrame.url, node.callFrame.functionName, thread);
    out.set(category, (out.get(category) ?? 0) + us / 1000);
  }
  return out;
}

function librarySamples(profile: CpuProfile): number {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let n = 0;
  for (const id of profile.samples) if (byId.get(id)?.callFrame.url.includes('/node_modules/aws-cdk-lib/') === true) n++;
  return n;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      app: { type: 'string', default: path.join(ROOT, 'examples', 'cdk-app', 'cdk-app.ts') },
      mode: { type: 'string', default: 'pipelined' },
      transport: { type: 'string', default: 'ring' },
      interval: { type: 'string', default: '100' },
      out: { type: 'string' },
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-profile-'));
  const outdir = path.join(dir, 'cdk.out');
  const args = [`--cpu-prof`, `--cpu-prof-dir=${path.join(dir, 'prof')}`, `--cpu-prof-interval=${values.interval}`,
    path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'), 'synth', values.app!, '--mode', values.mode!, '--transport', values.transport!, '--outdir', outdir, '--json'];
  process.stderr.write(`profiling: node ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CDK_VALIDATION: process.env.CDK_VALIDATION ?? 'false' }, maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`synth failed (${run.status}): ${run.stderr.slice(-2000)}`);
  const report = JSON.parse(run.stdout) as { calls?: { syncPoints: number; pipelinedTotal: number; callbacks: number }; timings: Record<string, number> };
  const requests = report.calls === undefined ? NaN : report.calls.syncPoints + report.calls.pipelinedTotal;
  const files = fs.readdirSync(path.join(dir, 'prof')).map((f) => path.join(dir, 'prof', f));
  const profiles = files.map((f) => ({ file: f, profile: JSON.parse(fs.readFileSync(f, 'utf8')) as CpuProfile }));
  // The main thread's file has thread id 0; the kernel worker is the one running the library.
  const host = profiles.find((p) => /\.0\.\d+\.cpuprofile$/.test(p.file));
  const kernel = profiles.filter((p) => p !== host).sort((a, b) => librarySamples(b.profile) - librarySamples(a.profile))[0];
  const threads: Record<string, Record<string, { ms: number; usPerRequest: number }>> = {};
  for (const [name, entry] of [['host', host], ['kernel', kernel]] as const) {
    if (entry === undefined) continue;
    const table: Record<string, { ms: number; usPerRequest: number }> = {};
    for (const [category, ms] of [...attribute(entry.profile, name)].sort((a, b) => b[1] - a[1])) {
      table[category] = { ms: Math.round(ms * 10) / 10, usPerRequest: Math.round((1000 * ms / requests) * 100) / 100 };
    }
    threads[name] = table;
  }
  const result = { app: values.app, mode: values.mode, transport: values.transport, requests, callbacks: report.calls?.callbacks, timings: report.timings, threads, node: process.version, load: os.loadavg()[0] };
  if (values.out !== undefined) fs.writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  for (const [name, table] of Object.entries(threads)) {
    process.stdout.write(`\n${name} thread (${requests.toLocaleString('en-US')} requests)\n| category | ms | µs per request |\n| --- | ---: | ---: |\n`);
    for (const [category, { ms, usPerRequest }] of Object.entries(table)) process.stdout.write(`| ${category} | ${ms.toLocaleString('en-US')} | ${usPerRequest} |\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) main();
