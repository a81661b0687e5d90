/**
 * `jsii-ring bench [suite...] [--quick]`: the protocol research bench (modes, pending-cap
 * sweep, simulated host work, codec, synthetic mixes, the CDK mode comparison, the kernel
 * request replay) on the example app, and the sweep, overlap and mode suites on the
 * user's own app (`--app FILE`) or any program that uses jsii packages (`--script FILE`).
 * The work is in benchmarks/; this file is the command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, integerFlag, parseCommandLine } from './args.js';
import { ErrorCode, JsiiRingError } from '../errors.js';
import { hasDependency, missingDependency } from './dependencies.js';

/**
 * Fails, naming the package and its install command, when a chosen suite lacks one of its
 * development-only packages (`needs` of the suite table, those in `developmentOnly`): an
 * installed jsii-ring does not bring benchmark.js or the reference runtime.
 */
function checkSuiteDependencies(suites: readonly string[], table: Readonly<Record<string, { readonly needs: readonly string[] }>>, developmentOnly: readonly string[]): void {
  for (const suite of suites) {
    for (const name of (table[suite]?.needs ?? []).filter((n) => developmentOnly.includes(n))) {
      if (!hasDependency(name)) {
        throw missingDependency(name, `bench ${suite}`, devDependencyVersion(name));
      }
    }
  }
}

/** The version range jsii-ring itself develops with (its package.json's devDependencies). */
function devDependencyVersion(name: string): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../../package.json') as { devDependencies?: Record<string, string> }).devDependencies?.[name];
  } catch {
    return undefined;
  }
}

const HELP = `Usage: jsii-ring bench [suite...] [options]
       jsii-ring bench [sweep|overlap|cdk...] --app FILE [options]
       jsii-ring bench [sweep|overlap|cdk...] --script FILE [options]
       jsii-ring bench charts [--out DIR]

Suites on the example app (default: all, in this order):
  micro       ring, codec and per-api round trips per transport
  synthetic   synthetic request mixes (creates, chains, a sync read every k calls)
  codec       msgpack vs JSON on the example app's build phase
  overlap     simulated host work per call: pipelined vs sync vs the ideal (alias: hostwork)
  sweep       pending cap 0, 1, 2, ..., 1024, unlimited on the example app's build phase
  spin        spin budgets of the client's rings (the wait policy), whole app vs native
  jit         V8 interrupt budgets (the JIT policy) on the whole app vs native
  cdk         the example app in every mode, fresh processes, validation off and on
              (alias: modes)
  replay      the example app's request stream replayed into the kernel vs native
  python      a Python CDK app on the official Python client: reference vs ours, sync and
              pipelined (only when named; options: jsii-ring bench python --help)

Full runs write benchmarks/results/*.json, benchmarks/charts/*.svg and their sections of
benchmarks/RESULTS.md, and print the Markdown tables. Progress goes to stderr.
'charts' redraws every chart from the results files, without measuring anything.

Your own program (sweep, overlap and cdk; default: all three):
  --app FILE           an ordinary CDK app (.ts or .js; it imports aws-cdk-lib and writes
                       a cloud assembly), run unchanged as 'jsii-ring synth' runs it;
                       every run is a fresh process and its cloud assembly must be
                       byte-identical to a native run of the same app
  --script FILE        any program that uses jsii packages (the library-level recipe): the
                       whole program is the build phase; what it prints must be identical
                       to a native run
  --out DIR            where results and charts go (default ./jsii-ring-bench)
  --caps LIST          pending caps of the sweep, e.g. 0,8,64,unlimited (default
                       0,1,2,4,...,1024,unlimited; quick 0,4,64,unlimited)
  --pending-cap N      the cap of the pipelined runs of overlap and cdk (default 64)
  --modes LIST         modes of cdk, from native, reference, stdioOurs, inThread,
                       ringSync, ringPipelined (default all; native always runs)
  --validation V       off, on or both: the CDK's template validation in cdk runs
                       (default both; quick off); sweep and overlap run with it off
  --warmups N          unkept rounds first (default 0; cdk 1; quick 0)
  The current directory's cdk.json context reaches the app as CDK_CONTEXT_JSON, as the CDK
  CLI passes it (unless CDK_CONTEXT_JSON is set).

Options:
  --quick              small sizes: one round; on the example app a small app and short
                       micro runs, written to a scratch folder unless --out (CI smoke)
  --out DIR            write results and charts to DIR instead (RESULTS.md left alone)
  --scale N            example app scale (default 1; quick 0.05)
  --repeats N          measured rounds per variant (default 5; quick 1)
  --calls N            pipelinable calls per synthetic run (default 10000; quick 1000)
  --host-work LIST     host work settings of the overlap suite, µs per call
                       (default 0,20,50,100; quick with --app 0,50; the equal-work
                       setting is always added)
  --sweep-host-work LIST
                       host work settings of the sweep, µs per call (default 0,50; quick
                       with --app 0)
  --list               list the suites and exit
  --verbose            stack traces on errors (also a failed run's, with --app)
  -h, --help           show this help

Exit codes: 0 success, 1 a benchmark failed (or a run's output differed from native),
2 usage error.`;

/** Parses `--scale`-like numbers. */
function positiveNumber(value: string | boolean | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
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

/** Parses `--caps`: non-negative integers or 'unlimited', in increasing order, no repeats. */
export function capList(value: string | boolean | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [];
  const caps = items.map((s) => (s === 'unlimited' || s === 'Infinity' ? Infinity : s === '' ? NaN : Number(s)));
  if (items.length === 0 || caps.some((n) => !(Number.isInteger(n) || n === Infinity) || n < 0)) {
    throw new UsageError(`--caps must be a comma-separated list of non-negative integers or 'unlimited' (got ${JSON.stringify(value)})`, HELP);
  }
  if (new Set(caps).size !== caps.length) {
    throw new UsageError(`--caps names a cap twice (got ${JSON.stringify(value)})`, HELP);
  }
  return [...caps].sort((a, b) => a - b);
}

/** The program of `--app`/`--script`: it must be a readable file the bench can run. */
function programFile(arg: string, flag: string): string {
  const file = path.resolve(arg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${flag} ${arg}: no such file`, HELP);
  }
  if (!stat.isFile()) throw new UsageError(`${flag} ${arg}: not a file`, HELP);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new UsageError(`${flag} ${arg}: not readable`, HELP);
  }
  if (!/\.(c?ts|c?js)$/.test(file) || file.endsWith('.d.ts')) {
    throw new UsageError(`${flag} ${arg}: not a program the bench can run (a .ts or .js file; ES modules, .mjs and .mts, are not supported)`, HELP);
  }
  return file;
}

/** The suites that run on the user's program. */
const USER_SUITE_NAMES = ['sweep', 'overlap', 'cdk'] as const;
const USER_ALIASES: Readonly<Record<string, string>> = { modes: 'cdk', hostwork: 'overlap', 'host-work': 'overlap' };
const ALL_MODES = ['native', 'reference', 'stdioOurs', 'inThread', 'ringSync', 'ringPipelined'] as const;
/** The caps of a quick sweep on the user's program. */
const QUICK_CAPS = [0, 4, 64, Infinity];

/** Runs `jsii-ring bench`; resolves to the exit code. */
export async function benchCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'python') {
    // A repository tool: it generates Python bindings with jsii-pacmak and installs the
    // repository's python/ package, neither of which an installed jsii-ring ships.
    const suite = path.join(__dirname, '..', '..', 'benchmarks', 'python', 'cli.js');
    if (!fs.existsSync(suite)) {
      throw new JsiiRingError(ErrorCode.MISSING_DEPENDENCY, 'bench python runs from a clone of the jsii-ring repository (it builds Python bindings with jsii-pacmak and installs the repository\'s python/ package); the installed package does not include it');
    }
    return ((await import(suite)) as typeof import('../../benchmarks/python/cli.js')).pythonBenchCommand(argv.slice(1));
  }
  const { values, positionals } = parseCommandLine(argv, {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    scale: { type: 'string' },
    repeats: { type: 'string' },
    calls: { type: 'string' },
    'host-work': { type: 'string' },
    'sweep-host-work': { type: 'string' },
    app: { type: 'string' },
    script: { type: 'string' },
    caps: { type: 'string' },
    'pending-cap': { type: 'string' },
    modes: { type: 'string' },
    validation: { type: 'string' },
    warmups: { type: 'string' },
    list: { type: 'boolean' },
  }, HELP);
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.out !== undefined && (typeof values.out !== 'string' || values.out === '')) {
    throw new UsageError('--out needs a directory', HELP);
  }
  const caps = capList(values.caps);
  if (values.app !== undefined || values.script !== undefined) {
    return userBench(argv, values, positionals, caps);
  }
  for (const flag of ['pending-cap', 'modes', 'validation', 'warmups'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to --app or --script runs`, HELP);
  }
  if (positionals.includes('charts')) {
    if (positionals.length > 1) throw new UsageError(`'charts' redraws the charts and runs no suite (got ${positionals.join(', ')})`, HELP);
    const { redrawCharts } = await import('../../benchmarks/research/charts.js');
    const written = redrawCharts(typeof values.out === 'string' ? { out: values.out } : {});
    if (written.length === 0) {
      const { RESULTS_DIR } = await import('../../benchmarks/results.js');
      throw new UsageError(`no results files to draw charts from in ${typeof values.out === 'string' ? path.resolve(values.out) : RESULTS_DIR}`, HELP);
    }
    process.stderr.write(`Redrew ${written.map((f) => path.relative(process.cwd(), f) || f).join(', ')}.\n`);
    return 0;
  }
  // Loaded only now: `--help` must not pay for the benchmarks' imports.
  const { DEVELOPMENT_ONLY, SUITES, SUITE_ALIASES, resolveSuites, runBench } = await import('../../benchmarks/research/runner.js');
  if (values.list === true) {
    process.stdout.write(`${Object.entries(SUITES).map(([name, s]) => `${name.padEnd(10)} ${s.summary}`).join('\n')}\n`);
    return 0;
  }
  for (const name of positionals) {
    if (name !== 'all' && SUITES[name] === undefined && SUITE_ALIASES[name] === undefined) {
      throw new UsageError(`unknown suite '${name}' (suites: ${Object.keys(SUITES).join(', ')}, all)`, HELP);
    }
  }
  checkSuiteDependencies(resolveSuites(positionals), SUITES, DEVELOPMENT_ONLY);
  const { reports, context } = await runBench({
    suites: positionals,
    quick: values.quick === true,
    ...(typeof values.out === 'string' ? { out: values.out } : {}),
    ...optional('scale', positiveNumber(values.scale, 'scale', false)),
    ...optional('repeats', positiveNumber(values.repeats, 'repeats', true)),
    ...optional('syntheticCalls', positiveNumber(values.calls, 'calls', true)),
    ...optional('hostWork', microsecondList(values['host-work'], 'host-work')),
    ...optional('sweepHostWork', microsecondList(values['sweep-host-work'], 'sweep-host-work')),
    ...optional('caps', caps),
    command: ['jsii-ring bench', ...argv].join(' '),
  });
  process.stdout.write(`${reports.map((r) => r.markdown).join('\n\n')}\n`);
  process.stderr.write(`Results in ${context.resultsDir}, charts in ${context.chartsDir}${context.resultsMd !== undefined ? `, sections of ${context.resultsMd} updated` : ''}.\n`);
  return 0;
}

/** `bench [sweep|overlap|cdk] --app FILE | --script FILE`. */
async function userBench(argv: string[], values: Record<string, string | boolean | undefined>, positionals: string[], caps: number[] | undefined): Promise<number> {
  if (values.app !== undefined && values.script !== undefined) throw new UsageError('give --app or --script, not both', HELP);
  const flag = values.app !== undefined ? '--app' : '--script';
  const arg = values.app ?? values.script;
  if (typeof arg !== 'string' || arg === '') throw new UsageError(`${flag} needs a file`, HELP);
  const suites: string[] = [];
  for (const name of positionals) {
    const canonical = USER_ALIASES[name] ?? name;
    if (name === 'all') {
      suites.push(...USER_SUITE_NAMES);
    } else if ((USER_SUITE_NAMES as readonly string[]).includes(canonical)) {
      suites.push(canonical);
    } else {
      throw new UsageError(`suite '${name}' does not run with ${flag} (it runs with: ${USER_SUITE_NAMES.join(', ')})`, HELP);
    }
  }
  for (const option of ['scale', 'calls'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} applies to the example app, not to ${flag}`, HELP);
  }
  const quick = values.quick === true;
  const pendingCap = integerFlag(values['pending-cap'], 'pending-cap', HELP);
  const modes = modeList(values.modes);
  const validation = validationFlag(values.validation) ?? (quick ? [false] : [false, true]);
  const warmups = values.warmups === undefined ? undefined : integerFlag(values.warmups, 'warmups', HELP, { unlimited: false });
  const repeats = positiveNumber(values.repeats, 'repeats', true) ?? (quick ? 1 : 5);
  const hostWork = microsecondList(values['host-work'], 'host-work') ?? (quick ? [0, 50] : [0, 20, 50, 100]);
  const sweepHostWork = microsecondList(values['sweep-host-work'], 'sweep-host-work') ?? (quick ? [0] : [0, 50]);
  const file = programFile(arg, flag);
  const out = path.resolve(typeof values.out === 'string' ? values.out : 'jsii-ring-bench');
  applyCdkJsonContext();
  if (values.verbose === true) process.env['JSII_RING_BENCH_VERBOSE'] = '1';

  let chosenModes = modes ?? ALL_MODES;
  if (!hasDependency('@jsii/runtime') && chosenModes.includes('reference') && (suites.length === 0 || suites.includes('cdk'))) {
    if (modes !== undefined) throw new UsageError("the reference mode needs @jsii/runtime, which is not installed (npm install --save-dev @jsii/runtime), or leave 'reference' out of --modes", HELP);
    chosenModes = chosenModes.filter((m) => m !== 'reference');
    process.stderr.write('bench: @jsii/runtime is not installed, so cdk runs without the reference mode (npm install --save-dev @jsii/runtime to add it)\n');
  }
  const { USER_SUITES } = await import('../../benchmarks/research/user-suites.js');
  const { SWEEP_CAPS } = await import('../../benchmarks/research/sweep.js');
  const command = ['jsii-ring bench', ...argv].join(' ');
  const reports = [];
  for (const name of suites.length === 0 ? USER_SUITE_NAMES : [...new Set(suites)]) {
    const suite = USER_SUITES[name];
    if (suite === undefined) continue;
    reports.push(await suite({
      file,
      kind: flag === '--app' ? 'cdk' : 'script',
      out,
      repeats,
      warmups: warmups ?? (name === 'cdk' && !quick ? 1 : 0),
      caps: caps ?? (quick ? QUICK_CAPS : SWEEP_CAPS),
      sweepHostWork,
      hostWork,
      ...(pendingCap !== undefined ? { pendingCap } : {}),
      modes: chosenModes,
      modesNamed: modes !== undefined,
      validation,
      silent: false,
      command,
    }));
  }
  process.stdout.write(`${reports.map((r) => r.markdown).join('\n\n')}\n`);
  process.stderr.write(`Results in ${out}${reports.some((r) => r.files.some((f) => f.endsWith('.svg'))) ? `, charts in ${path.join(out, 'charts')}` : ''}.\n`);
  return 0;
}

/** `--modes`: a list of the modes (native is always run: every other mode is compared with it). */
function modeList(value: string | boolean | undefined): (typeof ALL_MODES)[number][] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [];
  const bad = items.filter((m) => !(ALL_MODES as readonly string[]).includes(m));
  if (items.length === 0 || bad.length > 0) {
    throw new UsageError(`--modes takes a comma-separated list of ${ALL_MODES.join(', ')} (got ${JSON.stringify(value)})`, HELP);
  }
  return ALL_MODES.filter((m) => m === 'native' || items.includes(m));
}

/** `--validation off|on|both`. */
function validationFlag(value: string | boolean | undefined): boolean[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'off') return [false];
  if (value === 'on') return [true];
  if (value === 'both') return [false, true];
  throw new UsageError(`--validation must be off, on or both (got ${JSON.stringify(value)})`, HELP);
}

/**
 * What the CDK CLI gives an app: the context of ./cdk.json as CDK_CONTEXT_JSON (unless the
 * variable is set already). Every run of the bench, native included, gets the same.
 */
function applyCdkJsonContext(): void {
  if (process.env['CDK_CONTEXT_JSON'] !== undefined) return;
  const file = path.resolve('cdk.json');
  if (!fs.existsSync(file)) return;
  let context: unknown;
  try {
    context = (JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: unknown }).context;
  } catch {
    throw new UsageError(`${file} is not JSON`, HELP);
  }
  if (context !== undefined) process.env['CDK_CONTEXT_JSON'] = JSON.stringify(context);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
