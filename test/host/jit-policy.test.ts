/**
 * The JIT policy (lib/host/jit-policy.ts): the budget really changes what V8 optimizes, a
 * budget on node's command line is left alone, bad budgets are refused.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { applyJitPolicy, commandLineBudget, KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';

const POLICY = path.resolve(__dirname, '..', '..', 'lib', 'host', 'jit-policy.js');

/**
 * Runs a child that applies a budget (or not), makes a small function hot, and prints what
 * applyJitPolicy returned and whether V8 optimized the function (%GetOptimizationStatus,
 * bit 16 = optimized).
 */
function probe(budget: number | undefined, nodeFlags: string[] = []): { policy: { interruptBudget: number; source: string } | null; optimized: boolean } {
  const script = `
    const { applyJitPolicy } = require(${JSON.stringify(POLICY)});
    const policy = ${budget === undefined ? 'null' : `applyJitPolicy(${budget})`};
    function hot(a) { let s = 0; for (let i = 0; i < 50; i++) s += a * i; return s; }
    let total = 0;
    for (let i = 0; i < 20000; i++) total += hot(i);
    console.log(JSON.stringify({ policy, optimized: (%GetOptimizationStatus(hot) & 16) !== 0, total: total > 0 }));
  `;
  // Synchronous recompilation: the tier-up happens at the check, not whenever a background
  // compile finishes, so a loaded machine cannot make the answer late.
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', ...nodeFlags, '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as { policy: { interruptBudget: number; source: string } | null; optimized: boolean };
}

test("the budget changes what V8 optimizes: a hot function is optimized at V8's budget, not at a huge one", (t) => {
  const v8Default = probe(undefined);
  t.true(v8Default.optimized, 'the probe function is hot enough for V8 to optimize at its own budget');
  const applied = probe(100_000_000);
  t.deepEqual(applied.policy, { interruptBudget: 100_000_000, source: 'applied' });
  t.false(applied.optimized, 'a budget of 100,000,000 keeps it unoptimized');
  t.true(probe(V8_DEFAULT_INTERRUPT_BUDGET).optimized);
});

test("a budget on node's command line wins and is reported", (t) => {
  const result = probe(V8_DEFAULT_INTERRUPT_BUDGET, ['--interrupt-budget=100000000']);
  t.deepEqual(result.policy, { interruptBudget: 100_000_000, source: 'command line' });
  t.false(result.optimized, "the command line's budget stayed in force");
});

test('commandLineBudget reads both spellings, a separate value, and the last one given', (t) => {
  t.is(commandLineBudget([]), undefined);
  t.is(commandLineBudget(['--max-old-space-size=100']), undefined);
  t.is(commandLineBudget(['--interrupt-budget=5000']), 5000);
  t.is(commandLineBudget(['--interrupt_budget=7000']), 7000);
  t.is(commandLineBudget(['--interrupt-budget', '9000']), 9000);
  t.is(commandLineBudget(['--interrupt-budget=1', '--stack-size=900', '--interrupt-budget=2']), 2);
});

test('bad budgets are refused before anything changes', (t) => {
  for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
    t.throws(() => applyJitPolicy(bad), { instanceOf: RangeError, message: /interruptBudget must be a positive integer/ });
  }
  t.true(KERNEL_INTERRUPT_BUDGET > V8_DEFAULT_INTERRUPT_BUDGET);
});
