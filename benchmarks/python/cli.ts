/** `jsii-ring bench python`: the command line of the Python CDK benchmark (suite.ts). */
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError, parseCommandLine } from '../../lib/cli/args.js';
import { parseCaps, runPythonSuite } from './suite.js';

/** The pending caps of `--sweep`. */
export const SWEEP_CAPS: readonly number[] = [0, 1, 4, 16, 64, 256, Infinity];

export const PYTHON_HELP = `Usage: jsii-ring bench python [options]

An ordinary Python CDK app (benchmarks/python/cdk_app.py) run by the official Python jsii
client on the reference runtime and on jsii-ring's stdio server, synchronous and
pipelined (the jsii_ring Python package), fresh processes in interleaved rounds; every
cloud assembly compared byte for byte. The first run generates Python bindings of
aws-cdk-lib with jsii-pacmak into .cache/python-cdk (minutes, ~2 GB of memory); later
runs reuse them. Writes benchmarks/results/python.json and the "python" section of
benchmarks/RESULTS.md; progress goes to stderr.

Options:
  --resources N       CloudFormation resources at least (default 2200; quick 120)
  --repeats N         measured rounds (default 5; quick 1)
  --warmups N         unkept rounds first (default 1; quick 0)
  --pending-cap LIST  pipelined variants at these pending caps (comma-separated;
                      'unlimited' allowed), besides reference and ours
  --sweep             pending caps 0,1,4,16,64,256,unlimited (its own section and
                      chart, benchmarks/charts/python-sweep.svg)
  --batch LIST        pipelined lines per write (JSII_RING_BATCH; default the package's);
                      several values: one variant per cap and value (section "python-batch")
  --validation        keep the CDK's template validation on (default off:
                      CDK_VALIDATION=false; the same library work on every runtime)
  --quick             small app, one round; writes to a scratch folder unless --out
  --out DIR           write python.json to DIR (RESULTS.md left alone)
  -h, --help          show this help

Exit codes: 0 success, 1 a run failed or an output differed, 2 usage error.`;

function count(value: string | boolean | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer of at least ${min} (got ${JSON.stringify(value)})`, PYTHON_HELP);
  }
  return n;
}

function batchList(text: string): number[] {
  const items = text.split(',').map((s) => count(s.trim(), 'batch', 1) as number);
  return [...new Set(items)];
}

/** Runs `jsii-ring bench python ...`; resolves to the exit code. */
export async function pythonBenchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    resources: { type: 'string' },
    repeats: { type: 'string' },
    warmups: { type: 'string' },
    'pending-cap': { type: 'string' },
    sweep: { type: 'boolean' },
    validation: { type: 'boolean' },
    batch: { type: 'string' },
    quick: { type: 'boolean' },
    out: { type: 'string' },
  }, PYTHON_HELP);
  if (values.help === true) {
    process.stdout.write(`${PYTHON_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals[0]}'`, PYTHON_HELP);
  }
  const quick = values.quick === true;
  let caps: number[] = [];
  if (typeof values['pending-cap'] === 'string') {
    try {
      caps = parseCaps(values['pending-cap']);
    } catch (error) {
      throw new UsageError(`--pending-cap: ${(error as Error).message}`, PYTHON_HELP);
    }
  }
  if (values.sweep === true) caps = [...new Set([...caps, ...SWEEP_CAPS])];
  if (values.out !== undefined && (typeof values.out !== 'string' || values.out === '')) {
    throw new UsageError('--out needs a directory', PYTHON_HELP);
  }
  const out = typeof values.out === 'string' ? values.out : quick ? path.join(os.tmpdir(), 'jsii-ring-bench-quick') : undefined;
  const result = await runPythonSuite({
    app: 'cdk',
    resources: count(values.resources, 'resources', 1) ?? (quick ? 120 : 2200),
    repeats: count(values.repeats, 'repeats', 1) ?? (quick ? 1 : 5),
    warmups: count(values.warmups, 'warmups', 0) ?? (quick ? 0 : 1),
    pendingCaps: caps,
    validation: values.validation === true,
    ...(typeof values.batch === 'string' ? { batches: batchList(values.batch) } : {}),
    ...(out !== undefined ? { out } : {}),
    // A kernel cache of its own (other checkouts' kernels may share the default one) is part
    // of what reproduces the run.
    command: [...(process.env.JSII_RING_CACHE_DIR !== undefined ? [`JSII_RING_CACHE_DIR=${shownPath(process.env.JSII_RING_CACHE_DIR)}`] : []), 'jsii-ring bench python', ...argv].join(' '),
  });
  process.stdout.write(`${result.markdown}\n`);
  process.stderr.write(`Results in ${result.file}.\n`);
  if (!result.identical) {
    process.stderr.write('Some runs wrote a different cloud assembly (listed under "mismatches" in the results file).\n');
    return 1;
  }
  return 0;
}

/** A path as the results show it: relative to the working directory when inside it. */
function shownPath(dir: string): string {
  const relative = path.relative(process.cwd(), path.resolve(dir));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
}
