/**
 * `jsii-ring bench [suite...] [--quick]`: the protocol research bench (modes, pending-cap
 * sweep, simulated host work, codec, synthetic mixes, the CDK mode comparison, the kernel
 * request replay). The work is in benchmarks/; this file is the command line.
 */
import { UsageError, parseCommandLine } from './args.js';

const HELP = `Usage: jsii-ring bench [suite...] [options]

Suites (default: all, in this order):
  micro       ring, codec and per-api round trips per transport (benchmark.js)
  synthetic   synthetic request mixes (creates, chains, a sync read every k calls)
  codec       msgpack vs JSON on the example app's build phase
  overlap     simulated host work per call: pipelined vs sync vs the ideal (alias: hostwork)
  sweep       pending cap 0, 1, 2, ..., 1024, unlimited on the example app's build phase
  spin        spin budgets of the client's rings (the wait policy) on the whole app vs native
  jit         V8 interrupt budgets (the JIT policy) on the whole app vs native
  cdk         the example app in every mode, fresh processes, validation off and on (alias: modes)
  replay      the example app's request stream replayed into the kernel vs native
  python      a Python CDK app on the official Python client: reference vs ours, sync and
              pipelined (only when named; options: jsii-ring bench python --help)

Full runs write benchmarks/results/*.json, benchmarks/charts/*.svg and their sections of
benchmarks/RESULTS.md, and print the Markdown tables. Progress goes to stderr.

Options:
  --quick              CI smoke: small app, one round, short micro runs (under two
                       minutes for all suites); writes to a scratch folder unless --out
  --out DIR            write results and charts to DIR instead (RESULTS.md left alone)
  --scale N            example app scale (default 1; quick 0.05)
  --repeats N          measured rounds per variant (default 5; quick 1)
  --calls N            pipelinable calls per synthetic run (default 10000; quick 1000)
  --host-work LIST     host work settings of the overlap suite, µs per call
                       (default 0,20,50,100; the equal-work setting is always added)
  --sweep-host-work LIST
                       host work settings of the sweep, µs per call (default 0,50)
  --list               list the suites and exit
  -h, --help           show this help

Exit codes: 0 success, 1 a benchmark failed, 2 usage error.`;

/** Parses `--scale`-like numbers. */
function positiveNumber(value: string | boolean | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got ${JSON.stringify(value)})`, HELP);
  }
  return n;
}

/** Parses a comma-separated list of non-negative integers. */
function microsecondList(value: string | boolean | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [];
  const numbers = items.map(Number);
  if (items.length === 0 || items.some((s) => s === '') || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new UsageError(`--${name} must be a comma-separated list of non-negative integers (got ${JSON.stringify(value)})`, HELP);
  }
  return numbers;
}

/** Runs `jsii-ring bench`; resolves to the exit code. */
export async function benchCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'python') {
    return (await import('../../benchmarks/python/cli.js')).pythonBenchCommand(argv.slice(1));
  }
  const { values, positionals } = parseCommandLine(argv, {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    scale: { type: 'string' },
    repeats: { type: 'string' },
    calls: { type: 'string' },
    'host-work': { type: 'string' },
    'sweep-host-work': { type: 'string' },
    list: { type: 'boolean' },
  }, HELP);
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  // Loaded only now: `--help` must not pay for the benchmarks' imports.
  const { SUITES, SUITE_ALIASES, runBench } = await import('../../benchmarks/research/runner.js');
  if (values.list === true) {
    process.stdout.write(`${Object.entries(SUITES).map(([name, s]) => `${name.padEnd(10)} ${s.summary}`).join('\n')}\n`);
    return 0;
  }
  for (const name of positionals) {
    if (name !== 'all' && SUITES[name] === undefined && SUITE_ALIASES[name] === undefined) {
      throw new UsageError(`unknown suite '${name}' (suites: ${Object.keys(SUITES).join(', ')}, all)`, HELP);
    }
  }
  if (values.out !== undefined && (typeof values.out !== 'string' || values.out === '')) {
    throw new UsageError('--out needs a directory', HELP);
  }
  const { reports, context } = await runBench({
    suites: positionals,
    quick: values.quick === true,
    ...(typeof values.out === 'string' ? { out: values.out } : {}),
    ...optional('scale', positiveNumber(values.scale, 'scale', false)),
    ...optional('repeats', positiveNumber(values.repeats, 'repeats', true)),
    ...optional('syntheticCalls', positiveNumber(values.calls, 'calls', true)),
    ...optional('hostWork', microsecondList(values['host-work'], 'host-work')),
    ...optional('sweepHostWork', microsecondList(values['sweep-host-work'], 'sweep-host-work')),
    command: ['jsii-ring bench', ...argv].join(' '),
  });
  process.stdout.write(`${reports.map((r) => r.markdown).join('\n\n')}\n`);
  process.stderr.write(`Results in ${context.resultsDir}, charts in ${context.chartsDir}${context.resultsMd !== undefined ? `, sections of ${context.resultsMd} updated` : ''}.\n`);
  return 0;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
