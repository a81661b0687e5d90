/**
 * The compile cache lever (Node ≥ 22.1; lib/host/compile-cache.ts): an app run natively and
 * through the worker, each with Node's compile cache on (warm: filled by an earlier run) and
 * off (NODE_DISABLE_COMPILE_CACHE=1), fresh processes, variants interleaved, medians of
 * `jsii-ring synth`'s own clock (start + build + synth).
 *
 *   node dist/benchmarks/profile/compile-cache.js [--node BIN] [--rounds N] [--app FILE ...]
 *
 * The native run gets the same cache as ours, so the figure says what the cache is worth to
 * each, not a gain one side has and the other lacks.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../results.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');


function main(): void {
  const { values } = parseArgs({
    options: {
      node: { type: 'string', default: process.execPath },
      rounds: { type: 'string', default: '5' },
      app: { type: 'string', multiple: true },
    },
  });
  const apps = values.app ?? [path.join(ROOT, 'examples', 'corpus', 'rest-api-lambda', 'bin', 'rest-api-lambda.ts'), path.join(ROOT, 'examples', 'cdk-app', 'cdk-app.ts')];
  const rounds = Number(values.rounds);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cc-bench-'));
  const version = spawnSync(values.node!, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const variants = [
    { name: 'native, cache off', mode: 'native', cache: false },
    { name: 'native, cache on', mode: 'native', cache: true },
    { name: 'worker, cache off', mode: 'pipelined', cache: false },
    { name: 'worker, cache on', mode: 'pipelined', cache: true },
  ];
  const load = os.loadavg()[0]!;
  process.stdout.write(`Node ${version}; ${rounds} rounds after a warm-up; load ${load.toFixed(2)}\n\n| app | variant | total ms (median) | min–max |\n| --- | --- | ---: | ---: |\n`);
  for (const app of apps) {
    const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (let round = -1; round < rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const env: NodeJS.ProcessEnv = { ...process.env, CDK_VALIDATION: 'false', JSII_RING_CACHE_DIR: cacheDir };
        delete env.NODE_DISABLE_COMPILE_CACHE;
        if (!v.cache) env.NODE_DISABLE_COMPILE_CACHE = '1';
        const out = path.join(cacheDir, 'out');
        const run = spawnSync(values.node!, [path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'), 'synth', app, '--mode', v.mode, '--outdir', out, '--json'], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
        if (run.status !== 0) throw new Error(`${v.name} failed: ${run.stderr.slice(-1500)}`);
        const report = JSON.parse(run.stdout) as { timings: { totalMs: number }; compileCache: { enabled: boolean } };
        if (report.compileCache.enabled !== v.cache) throw new Error(`${v.name}: compile cache ${report.compileCache.enabled ? 'on' : 'off'} (this Node may have none)`);
        if (round >= 0) times.get(v.name)!.push(report.timings.totalMs);
        process.stderr.write(`${path.basename(app)} round ${round + 1}/${rounds} ${v.name}: ${Math.round(report.timings.totalMs)} ms\n`);
      }
    }
    for (const v of variants) {
      const xs = times.get(v.name)!;
      process.stdout.write(`| ${path.basename(app)} | ${v.name} | ${Math.round(median(xs)).toLocaleString('en-US')} | ${Math.round(Math.min(...xs)).toLocaleString('en-US')}–${Math.round(Math.max(...xs)).toLocaleString('en-US')} |\n`);
    }
  }
  process.stdout.write(`\nload after: ${os.loadavg()[0]!.toFixed(2)}\n`);
  fs.rmSync(cacheDir, { recursive: true, force: true });
}

if (require.main === module) main();
