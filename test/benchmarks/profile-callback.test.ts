/** benchmarks/profile/callback: runs on a few callbacks and prints one row per handler. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/repo-root.js';

test('the callback profile serves every callback through both connections and reports each handler', (t) => {
  const script = path.join(repoRoot(), 'dist', 'benchmarks', 'profile', 'callback.js');
  const run = spawnSync(process.execPath, [script, '--callbacks', '40', '--rounds', '3'], { encoding: 'utf8', timeout: 120_000 });
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, /^40 callbacks per request, 3 rounds; Node v\d+/);
  t.regex(run.stdout, /\| µs per callback \(median, min–max\) \| worker \(ring, pipelined\) \| in the host thread \|/);
  for (const handler of ['empty', 'nested sync read', 'nested pipelined call']) {
    const row = run.stdout.split('\n').find((line) => line.startsWith(`| ${handler} |`));
    t.truthy(row, handler);
    const cells = row!.split('|').slice(2, -1).map((cell) => cell.trim());
    t.is(cells.length, 2);
    for (const cell of cells) {
      const [med, low, high] = /^([\d.]+) \(([\d.]+)–([\d.]+)\)$/.exec(cell)!.slice(1).map(Number);
      t.true(med! > 0 && low! <= med! && med! <= high!, `${handler}: ${cell}`);
    }
  }
});
