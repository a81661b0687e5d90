/** benchmarks/profile/per-call: runs on a few calls and reports every layer of both calls. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/repo-root.js';

test('the per-call budget times every layer of a pipelined create and invoke and of a sync read, and the whole call through the worker', (t) => {
  const script = path.join(repoRoot(), 'dist', 'benchmarks', 'profile', 'per-call.js');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'per-call-')), 'per-call.json');
  const run = spawnSync(process.execPath, [script, '--calls', '300', '--rounds', '2', '--out', out], { encoding: 'utf8', timeout: 120_000 });
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, /^\| µs per call \| pipelined create \(`new Construct`\) \| pipelined invoke \(`addMetadata`\) \| sync read \(`node.id`\) \|/);
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { calls: number; rounds: number; report: Record<string, Record<string, number>>; raw: Record<string, unknown[]> };
  t.is(result.calls, 300);
  for (const op of ['create', 'invoke', 'read']) {
    const r = result.report[op]!;
    t.is(result.raw[op]!.length, 2, `${op}: one set of figures per round`);
    // Each call is exactly one pipelined request, of a plausible size.
    t.is(r['requestsPerCall'], 1, op);
    t.true(r['frameBytes']! > 40 && r['frameBytes']! < 400, `${op}: ${r['frameBytes']} bytes`);
    for (const key of ['hostBindings', 'hostEncode', 'hostRingWrite', 'hostInSitu', 'kernelDecode', 'kernelDispatch', 'kernelInSitu', 'wallInSitu']) {
      t.true(Number.isFinite(r[key]) && r[key]! > 0, `${op}.${key} = ${r[key]}`);
    }
    t.true(r['hostSum']! >= r['hostBindings']! + r['hostEncode']!, `${op}: the sum has its layers`);
    t.true(Number.isInteger(r['kernelWakes']! * 2) && r['kernelWakes']! >= 0, `${op}: kernel wakes ${r['kernelWakes']}`);
    // Only the sync read has a response frame to encode and decode.
    t.is(r['kernelResponseEncode']! > 0, op === 'read', `${op}: response encode ${r['kernelResponseEncode']}`);
    t.is(r['hostResponseDecode']! > 0, op === 'read', `${op}: response decode ${r['hostResponseDecode']}`);
  }
  t.regex(run.stdout, /\| host, whole call through the worker \(busy time\) \|/);
  t.regex(run.stdout, /"node":"v\d+/);
});
