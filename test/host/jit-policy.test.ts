/**
 * The JIT policy (lib/host/jit-policy.ts): the budget really changes what V8 optimizes, a
 * budget on node's command line is left alone, bad budgets are refused.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { applyJitPolicy, commandLineBudget, HAS_INTERRUPT_BUDGET, jitFlag, KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../lib/host/jit-policy.js';

const POLICY = path.resolve(__dirname, '..', '..', 'lib', 'host', 'jit-policy.js');

/**
 * Runs a child that applies a budget (or not), makes a small function hot, and prints what
 * applyJitPolicy returned and whether TurboFan optimized the function
 * (%GetOptimizationStatus, bit 64; the V8 of Node 22 and later may still compile it with
 * Maglev, which the policy leaves alone).
 */
function probe(budget: number | undefined, nodeFlags: string[] = []): { policy: { interruptBudget: number; source: string } | null; optimized: boolean } {
  const script = `
    const { applyJitPolicy } = require(${JSON.stringify(POLICY)});
    const policy = ${budget === undefined ? 'null' : `applyJitPolicy(${budget})`};
    function hot(a) { let s = 0; for (let i = 0; i < 50; i++) s += a * i; return s; }
    let total = 0;
    for (let i = 0; i < 20000; i++) total += hot(i);
    console.log(JSON.stringify({ policy, optimized: (%GetOptimizationStatus(hot) & 64) !== 0, total: total > 0 }));
  `;
  // Synchronous recompilation: the tier-up happens at the check, not whenever a background
  // compile finishes, so a loaded machine cannot make the answer late.
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', ...nodeFlags, '-e', script], { encoding: 'utf8' });
  // V8 prints a flag it does not know on stderr and goes on: nothing may be printed.
  if (child.status !== 0 || child.stderr !== '') throw new Error(child.stderr);
  return JSON.parse(child.stdout) as { policy: { interruptBudget: number; source: string } | null; optimized: boolean };
}

test("the budget changes what V8 optimizes: a hot function is optimized at V8's budget, not at a huge one", (t) => {
  const v8Default = probe(undefined);
  t.true(v8Default.optimized, 'the probe function is hot enough for V8 to optimize at its own budget');
  const applied = probe(100_000_000);
  t.deepEqual(applied.policy, { interruptBudget: 100_000_000, source: 'applied' });
  t.false(applied.optimized, 'a budget of 100,000,000 keeps it unoptimized');
  const unchanged = probe(V8_DEFAULT_INTERRUPT_BUDGET);
  t.true(unchanged.optimized);
  // V8's own budget sets no flag at all (a flag set to its default still costs Node's
  // built-ins their code cache).
  t.deepEqual(unchanged.policy, { interruptBudget: V8_DEFAULT_INTERRUPT_BUDGET, source: 'v8' });
});

test("back to V8's budget after another one sets the flag again", (t) => {
  const script = `
    const { applyJitPolicy } = require(${JSON.stringify(POLICY)});
    applyJitPolicy(100000000);
    const back = applyJitPolicy(${V8_DEFAULT_INTERRUPT_BUDGET});
    function hot(a) { let s = 0; for (let i = 0; i < 50; i++) s += a * i; return s; }
    let total = 0;
    for (let i = 0; i < 20000; i++) total += hot(i);
    console.log(JSON.stringify({ back, optimized: (%GetOptimizationStatus(hot) & 64) !== 0 }));
  `;
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '-e', script], { encoding: 'utf8' });
  t.is(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout) as { back: { source: string }; optimized: boolean };
  t.is(result.back.source, 'applied');
  t.true(result.optimized, "V8's budget is in force again");
});

test("a budget on node's command line wins and is reported", (t) => {
  // The flag this V8 has: --interrupt-budget, or the equivalent TurboFan invocation count.
  const result = probe(V8_DEFAULT_INTERRUPT_BUDGET, [jitFlag(100_000_000)]);
  t.is(result.policy?.source, 'command line');
  t.true(Math.abs(result.policy!.interruptBudget - 100_000_000) <= 100_000_000 / 1000, String(result.policy?.interruptBudget));
  t.false(result.optimized, "the command line's budget stayed in force");
});

test('commandLineBudget reads both spellings, a separate value, and the last one given', (t) => {
  t.is(commandLineBudget([]), undefined);
  t.is(commandLineBudget(['--max-old-space-size=100']), undefined);
  t.is(commandLineBudget(['--interrupt-budget=5000']), 5000);
  t.is(commandLineBudget(['--interrupt_budget=7000']), 7000);
  t.is(commandLineBudget(['--interrupt-budget', '9000']), 9000);
  t.is(commandLineBudget(['--interrupt-budget=1', '--stack-size=900', '--interrupt-budget=2']), 2);
  t.is(commandLineBudget(['--invocation-count-for-turbofan=3000']), V8_DEFAULT_INTERRUPT_BUDGET);
  t.is(commandLineBudget(['--invocation_count_for_turbofan', '30000']), 10 * V8_DEFAULT_INTERRUPT_BUDGET);
});

test("the policy's flag is one this V8 has", (t) => {
  t.is(jitFlag(KERNEL_INTERRUPT_BUDGET), HAS_INTERRUPT_BUDGET ? '--interrupt-budget=300000' : '--invocation-count-for-turbofan=13317');
  const child = spawnSync(process.execPath, [jitFlag(KERNEL_INTERRUPT_BUDGET), '-e', '0'], { encoding: 'utf8' });
  t.is(child.status, 0, child.stderr);
  t.is(child.stderr, '');
});

test('bad budgets are refused before anything changes', (t) => {
  for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
    t.throws(() => applyJitPolicy(bad), { instanceOf: RangeError, message: /interruptBudget must be a positive integer/ });
  }
  t.true(KERNEL_INTERRUPT_BUDGET > V8_DEFAULT_INTERRUPT_BUDGET);
});
