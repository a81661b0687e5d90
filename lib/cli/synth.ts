/**
 * `jsii-ring synth <app>`: runs a CDK app unchanged, every import of a jsii package
 * redirected to bindings of the worker kernel (lib/redirect), and prints what it did.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setDefaultConnection, setDefaultNative } from '../bindings/session.js';
import { compareCloudAssemblies, summarizeCloudAssembly } from '../cloud-assembly.js';
import { DirectConnection } from '../host/direct-connection.js';
import { KernelClient } from '../host/kernel-client.js';
import { applyJitPolicy, KERNEL_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../host/jit-policy.js';
import type { JitPolicy } from '../host/jit-policy.js';
import type { KernelBusy } from '../host/stats.js';
import { enableCompileCache, type CompileCacheState } from '../host/compile-cache.js';
import { DEFAULT_PENDING_CAP, DEFAULT_SPIN } from '../host/options.js';
import { preloadEnabled, readPreloadList, savePreloadList } from '../host/type-preload.js';
import { watchdogStarts } from '../host/watchdog.js';
import type { KernelClientOptions, RequestEvent } from '../host/options.js';
import { CODEC_NAMES } from '../protocol/codec.js';
import { HOST_TIMELINE_FIELDS, KERNEL_TIMELINE_FIELDS, summarizeTimeline } from '../transports/timeline.js';
import type { TimelineSummary } from '../transports/timeline.js';
import type { CodecName } from '../protocol/codec.js';
import { UsageError, integerFlag, parseCommandLine } from './args.js';
import { budgetFlag, SYNTH_OPTIONS } from './synth-args.js';
import { Progress } from './progress.js';
import { installTypeScriptLoader } from '../redirect/typescript.js';
import { installRedirection } from '../redirect/cjs-hook.js';
import type { Redirection } from '../redirect/cjs-hook.js';
import { checkKernelReached } from '../redirect/kernel-reached.js';
import { assemblyWrittenSince, kernelCdk, nativeCdk, sendStdoutToStderr, watchSynth } from './synth-watch.js';
import { formatTemplate, listStacks, selectStacks } from './stack-selection.js';

export const SYNTH_HELP = `Usage: jsii-ring synth <app.(js|ts)> [STACK...] [options]   (or --app <file>)

Runs a CDK app unchanged (it imports aws-cdk-lib, its submodules, constructs and other
jsii libraries the ordinary way; each import resolves to bindings of one kernel in a worker
thread), writes the cloud assembly, and prints a summary on stderr. TypeScript apps run
without a build step (esbuild, with the app's tsconfig.json and source maps).

With STACK patterns, as 'cdk synth STACK': the template of the one stack selected is
printed on stdout as YAML (--json: JSON); patterns match stack ids (Stage/Stack for a
stack in a Stage), '*' within a segment, '**' across, '!' excludes; when several stacks
match, their ids are listed on stderr. The app's own stdout then goes to stderr.

Options:
  --mode MODE          pipelined (default), sync, or native (the packages themselves, no kernel)
  --pending-cap N      most pipelined requests in flight (default 64; 0 = sync; 'unlimited')
  --transport T        ring (default), stdio (our kernel in a child process), or in-thread
                       (our kernel in this thread, no worker: the yardstick the worker must beat)
  --codec C            msgpack (default) or json
  --spin N             spin iterations before a blocked side sleeps (default 300000, about
                       3 ms; 0 = always sleep: least CPU, slowest)
  --interrupt-budget N V8's interrupt budget for this process, all modes (default ${KERNEL_INTERRUPT_BUDGET}:
                       optimize only hot library code, leaving the cores to the two threads;
                       'v8' = V8's own ${V8_DEFAULT_INTERRUPT_BUDGET}, no flag set); node's own --interrupt-budget wins
  --app FILE           the app file (instead of giving it as the argument)
  -o, --output DIR     where the cloud assembly goes (default: $CDK_OUTDIR, else cdk.out);
                       also --outdir DIR
  -c, --context K=V    context value for the app, as the CDK CLI's -c (repeatable; merged
                       over $CDK_CONTEXT_JSON)
  --trace FILE         write one JSON line per kernel call (api, type, member, pipelined, ms)
  --timeline FILE      record when each request was issued, picked up, served and answered
                       on both threads; write it to FILE and summarize where the time went
                       (ring transport)
  --compare native     also run the app natively in a child process; compare time and templates
  --json               print the summary as JSON on stdout (the app's own stdout goes to stderr);
                       with STACK patterns, the template as JSON instead of YAML
  -e, --exclusively    accepted as 'cdk synth' accepts it: only the stacks named are selected
  -q, --quiet          no progress, no summary
  --verbose            stack traces on errors
  -h, --help           show this help

CDK conventions: CDK_OUTDIR and CDK_CONTEXT_JSON are honoured, so a cdk.json with
  "app": "npx jsii-ring synth app.ts"
makes 'cdk synth' work. CDK_VALIDATION=false turns off the CDK's template validation.
On Node 22.1 and later, modules are compiled once and then read from Node's compile cache
(in jsii-ring's cache directory, every mode, the kernel worker too); NODE_DISABLE_COMPILE_CACHE=1
turns it off.
JSII_RING_CALL_SITES=1 records where each pipelined call was issued, so a call that
fails later names its line (costs ~2 µs per pipelined call).
The kernel worker is started before the command's own modules load, so the two overlap;
JSII_RING_PRELAUNCH=0 starts it later, when the synth command needs it.
From an app's second run on, the worker loads the classes the app's last run used while it
waits for requests (the list is kept per app in jsii-ring's cache directory);
JSII_RING_PRELOAD=0 turns that off.

Exit codes: 0 success, 1 the app or the kernel failed, 2 usage error.`;

type Mode = 'pipelined' | 'sync' | 'native';
type Transport = 'ring' | 'stdio' | 'in-thread';

/** What a synth run measured (the --json output). */
export interface SynthReport {
  readonly app: string;
  readonly mode: Mode;
  readonly transport: string;
  readonly codec: string;
  readonly pendingCap: number | 'unlimited';
  /** Spin budget of the client's rings (kernel modes). */
  readonly spin?: number;
  /** The JIT policy the run had (V8's interrupt budget, and who set it). */
  readonly jit: JitPolicy;
  /** Node's compile cache (Node ≥ 22.1), on in every mode; the kernel worker follows this thread. */
  readonly compileCache: CompileCacheState;
  readonly outdir: string;
  readonly stacks: number;
  readonly resources: number;
  readonly timings: { readonly startMs: number; readonly buildMs: number; readonly synthMs: number; readonly totalMs: number };
  readonly calls?: Record<string, unknown>;
  /** Where the time went: the kernel thread serving requests, the host blocked waiting for it. */
  readonly threads?: {
    readonly kernelBusyMs: number;
    readonly hostWaitMs: number;
    /** Waits for a kernel answer that ended while the host spun, and those that slept in `Atomics.wait`. */
    readonly hostSpinHits: number;
    readonly hostSleeps: number;
    /** Requests and callback completions that found the kernel asleep, so the host had to wake it (`Atomics.notify`). */
    readonly kernelWakes: number;
    /** The kernel worker was started before the command's modules loaded (prelaunch.ts). */
    readonly prelaunched: boolean;
    /** The watchdog thread was started (the host slept longer than its grace in a wait; host/watchdog.ts). */
    readonly watchdog: boolean;
  };
  /**
   * The kernel's busy time (kernel modes, over the ring and in this thread; the same measure
   * in both, not visible over stdio): serving
   * requests, callbacks the kernel makes included, by phase. In the worker this is the kernel thread's
   * critical path; in this thread (in-thread transport) it is the part of the run no worker
   * could overlap with the host's own work, so `buildMs / timings.buildMs` bounds what moving
   * the kernel to a worker can save.
   */
  readonly kernel?: {
    /** Busy ms in all, before the app ran (the start phase: loads), and in the build phase (the rest is the synth phase's). */
    readonly ms: number; readonly startMs: number; readonly buildMs: number; readonly requests: number;
    /** Of `ms`, waiting for the callbacks the kernel made (the host's handlers), and how many. */
    readonly callbackMs: number; readonly callbacks: number;
  };
  /**
   * Type preloading (ring transport; host/type-preload.ts): classes listed by the app's last
   * run, how many the kernel loaded ahead of their first use and in how many ms, and whether
   * this run's list was saved (`true`: written, `false`: unchanged, a string: why it could not be).
   */
  readonly preload?: { readonly listed: number; readonly preloaded: number; readonly ms: number; readonly saved: boolean | string };
  /** With --timeline: the file, and where the time went in the build phase and the whole run. */
  readonly timeline?: { readonly file: string; readonly build: TimelineSummary; readonly run: TimelineSummary };
  readonly compare?: { readonly nativeTotalMs: number; readonly nativeBuildMs: number; readonly identical: boolean; readonly differences: string[]; readonly traceOnly: string[] };
}

export async function synthCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, SYNTH_OPTIONS, SYNTH_HELP);
  if (values.help === true) {
    process.stdout.write(`${SYNTH_HELP}\n`);
    return 0;
  }
  const appArg = typeof values.app === 'string' ? values.app : positionals[0];
  if (appArg === undefined) {
    throw new UsageError('synth needs the app file (synth app.ts, or --app app.ts)', SYNTH_HELP);
  }
  // After the app file: stack patterns, as for 'cdk synth'. A second app file is a mistake.
  const stackPatterns = values.app === undefined ? positionals.slice(1) : positionals;
  const secondApp = stackPatterns.find((p) => /\.[cm]?[jt]s$/.test(p) && fs.existsSync(p));
  if (secondApp !== undefined) {
    throw new UsageError(`synth takes one app file (got ${appArg}, ${secondApp})`, SYNTH_HELP);
  }
  const selecting = stackPatterns.length > 0;
  if (values.outdir !== undefined && values.output !== undefined) {
    throw new UsageError('give --outdir or -o/--output, not both', SYNTH_HELP);
  }
  applyContext(values.context as string[] | undefined);
  const mode = (values.mode ?? 'pipelined') as Mode;
  if (!['pipelined', 'sync', 'native'].includes(mode)) {
    throw new UsageError(`--mode must be pipelined, sync or native (got ${JSON.stringify(values.mode)})`, SYNTH_HELP);
  }
  const transport = (values.transport ?? 'ring') as Transport;
  if (transport !== 'ring' && transport !== 'stdio' && transport !== 'in-thread') {
    throw new UsageError(`--transport must be ring, stdio or in-thread (got ${JSON.stringify(values.transport)})`, SYNTH_HELP);
  }
  const codec = (values.codec ?? 'msgpack') as CodecName;
  if (!CODEC_NAMES.includes(codec)) {
    throw new UsageError(`--codec must be ${CODEC_NAMES.join(' or ')} (got ${JSON.stringify(values.codec)})`, SYNTH_HELP);
  }
  if (values.compare !== undefined && values.compare !== 'native') {
    throw new UsageError(`--compare takes 'native' (got ${JSON.stringify(values.compare)})`, SYNTH_HELP);
  }
  const cap = integerFlag(values['pending-cap'], 'pending-cap', SYNTH_HELP);
  const spin = integerFlag(values.spin, 'spin', SYNTH_HELP, { unlimited: false });
  const interruptBudget = budgetFlag(values['interrupt-budget'], SYNTH_HELP);
  const appFile = path.resolve(appArg);
  if (!fs.existsSync(appFile)) {
    throw new UsageError(`app file not found: ${appArg}`, SYNTH_HELP);
  }
  const outdirArg = values.outdir ?? values.output;
  const outdir = path.resolve(typeof outdirArg === 'string' ? outdirArg : process.env.CDK_OUTDIR ?? 'cdk.out');
  // The kernel worker copies the environment when it starts: set it first.
  process.env.CDK_OUTDIR = outdir;
  // With --json alone stdout is the report, so nothing else is printed; with stack
  // patterns stdout is the template, and progress and the summary stay on stderr.
  const quiet = values.quiet === true || (values.json === true && !selecting);

  const timeline = values.timeline as string | undefined;
  if (timeline !== undefined && (mode === 'native' || transport !== 'ring')) {
    throw new UsageError('--timeline needs the kernel over the ring (--mode pipelined or sync, --transport ring)', SYNTH_HELP);
  }
  // Before anything is compiled or any thread starts: V8 flags are per process.
  const jit = applyJitPolicy(interruptBudget);
  const compileCache = enableCompileCache();
  const finished = await runApp({ appFile, mode, transport, codec, cap, spin, trace: values.trace as string | undefined, timeline, quiet, outdir, stdoutToStderr: values.json === true || selecting });
  let compare: SynthReport['compare'];
  if (values.compare === 'native') {
    const progress = new Progress(quiet);
    progress.phase('running the app natively in a child process, for comparison');
    try {
      compare = compareWithNative(appFile, outdir, jit.interruptBudget);
    } finally {
      progress.done();
    }
  }
  const full: SynthReport = { ...finished, jit, compileCache, compare };
  if (values.json === true && !selecting) {
    process.stdout.write(`${JSON.stringify(full, null, 2)}\n`);
  } else if (values.quiet !== true) {
    process.stderr.write(formatReport(full));
  }
  if (selecting) {
    printSelectedStacks(outdir, stackPatterns, values.json === true);
  }
  return compare !== undefined && !compare.identical ? 1 : 0;
}

/**
 * As `cdk synth STACK...`: one selected stack's template on stdout; for several, where
 * they are and their ids, on stderr.
 */
function printSelectedStacks(outdir: string, patterns: readonly string[], json: boolean): void {
  const selected = selectStacks(listStacks(outdir), patterns);
  const [only, ...more] = selected;
  if (only !== undefined && more.length === 0) {
    process.stdout.write(formatTemplate(only.templateFile, json));
    return;
  }
  process.stderr.write(`Successfully synthesized to ${outdir}\nSupply a stack id (${selected.map((s) => s.hierarchicalId).join(', ')}) to display its template.\n`);
}

/**
 * `-c key=value` (repeatable), as the CDK CLI takes it: merged over `CDK_CONTEXT_JSON`
 * (which the App reads), values as strings. Set before the kernel starts.
 */
function applyContext(pairs: readonly string[] | undefined): void {
  if (pairs === undefined || pairs.length === 0) return;
  let context: Record<string, unknown> = {};
  const existing = process.env.CDK_CONTEXT_JSON;
  if (existing !== undefined && existing !== '') {
    try {
      context = JSON.parse(existing) as Record<string, unknown>;
    } catch {
      throw new UsageError('CDK_CONTEXT_JSON is not JSON, so -c cannot add to it', SYNTH_HELP);
    }
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`-c/--context takes key=value (got ${JSON.stringify(pair)})`, SYNTH_HELP);
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
}

interface RunOptions {
  readonly appFile: string;
  readonly mode: Mode;
  readonly transport: Transport;
  readonly codec: CodecName;
  readonly cap: number | undefined;
  readonly spin: number | undefined;
  readonly trace: string | undefined;
  readonly timeline: string | undefined;
  readonly quiet: boolean;
  readonly outdir: string;
  /** What the app prints to stdout goes to stderr (stdout is for the JSON report). */
  readonly stdoutToStderr: boolean;
}

async function runApp(options: RunOptions): Promise<Omit<SynthReport, 'compare' | 'jit' | 'compileCache'>> {
  const started = performance.now();
  const startedAt = Date.now();
  const watchdogStartsBefore = watchdogStarts();
  const progress = new Progress(options.quiet);
  const traceFd = options.trace !== undefined ? fs.openSync(options.trace, 'w') : undefined;
  let synthIssuedAt: number | undefined;
  let synthSeq: number | undefined;
  /** The kernel's busy ms when the synth phase started, by this thread's clock. */
  let kernelBusyAtSynth: number | undefined;
  // Where the synth phase starts for the kernel: through the worker the kernel notes it when
  // it begins the next request (pipelined requests it has yet to serve are the build's);
  // the value by this thread's clock is the fallback, and the figure in this thread.
  const markSynthStart = (): number | undefined => {
    client?.markNextRequest();
    return (client ?? direct)?.kernelBusy.ms;
  };
  // The synth phase starts when the program calls synth() on a Stage (or the CDK does, at
  // exit): measured at the same place in every mode, before the call, not when it returns.
  const onSynth = (): void => {
    if (synthIssuedAt !== undefined) return;
    synthIssuedAt = performance.now();
    kernelBusyAtSynth = markSynthStart();
    // The synth request is the next one the client issues.
    synthSeq = client !== undefined ? client.issued + 1 : undefined;
    progress.phase(options.mode === 'native' ? 'synthesizing'
      : client !== undefined ? `${client.issued.toLocaleString('en-US')} kernel calls; synthesizing (the kernel writes the cloud assembly)`
        : 'synthesizing (the kernel writes the cloud assembly)');
  };
  // Tracing costs every request an event; progress only a counter check.
  const onRequest = traceFd === undefined ? undefined : (event: RequestEvent): void => {
    fs.writeSync(traceFd, `${JSON.stringify(event)}\n`);
  };
  const onProgress = (issued: number): void => {
    progress.update(`${issued.toLocaleString('en-US')} kernel calls${synthIssuedAt === undefined ? '' : '; synthesizing'}`);
  };
  const pendingCap = options.mode === 'sync' ? 0 : options.cap;
  let client: KernelClient | undefined;
  /** The in-thread kernel (--transport in-thread). */
  let direct: DirectConnection | undefined;
  let kernelBusy: KernelBusy | undefined;
  let responseRing: { readonly spinHits: number; readonly sleeps: number } = { spinHits: 0, sleeps: 0 };
  let kernelWakes = 0;
  // The classes the app named in its last run, for the worker to load while idle (the list
  // prelaunch.ts started the worker with, read the same way).
  const preloading = options.mode !== 'native' && options.transport === 'ring' && preloadEnabled();
  const preloadList = preloading ? readPreloadList(options.appFile) : [];
  let typesNamed: readonly string[] | undefined;
  let preloaded = { types: 0, ms: 0 };
  installTypeScriptLoader();
  let redirection: Redirection | undefined;
  const appDir = path.dirname(options.appFile);
  if (options.mode === 'native') {
    setDefaultNative(true);
    watchSynth(nativeCdk(appDir), onSynth);
  } else if (options.transport === 'in-thread') {
    direct = new DirectConnection();
    setDefaultConnection(direct);
    redirection = installRedirection({ connection: direct });
    watchSynth(kernelCdk(appDir), onSynth);
  } else {
    const clientOptions: KernelClientOptions = {
      transport: options.transport, codec: options.codec, pendingCap, spin: options.spin, onRequest, onProgress, timeline: options.timeline !== undefined, preloadTypes: preloadList,
    };
    // The worker boots while this thread opens the assemblies and loads the app; the
    // handshake completes when the first load needs it.
    client = KernelClient.spawn(clientOptions);
    setDefaultConnection(client);
    redirection = installRedirection({ connection: client });
    watchSynth(kernelCdk(appDir), onSynth);
  }
  const appStarted = performance.now();
  // What the kernel did before the app ran (the loads) is the start phase's, not the build's.
  const kernelBusyAtApp = (client ?? direct)?.kernelBusy.ms ?? 0;
  progress.phase(options.mode === 'native' ? 'running the app natively' : 'running the app');
  const restoreStdout = options.stdoutToStderr ? sendStdoutToStderr() : undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(options.appFile);
    const entry = (exported as { default?: unknown } | undefined)?.default ?? exported;
    if (typeof (entry as PromiseLike<unknown> | undefined)?.then === 'function') {
      await entry;
    }
    // The program is done: what a process does when its event loop empties, the CDK's
    // automatic synth of an App (CDK_OUTDIR is set) among it, happens now in every mode.
    // (A library in this thread, natively or in the in-thread kernel, listens on this
    // process; in the worker it listens on the worker's.)
    if (client === undefined) {
      const issued = performance.now();
      const busy = markSynthStart();
      // In this thread the library's own listener (the CDK's synth at exit) is the kernel's work.
      const exit = (): boolean => (process as NodeJS.EventEmitter).emit('beforeExit', 0);
      if (direct !== undefined) direct.asKernel(exit);
      else exit();
      // The CDK synthesized at exit (no synth() call of the program's own): as over the ring.
      if (synthIssuedAt === undefined && assemblyWrittenSince(options.outdir, startedAt)) {
        synthIssuedAt = issued;
        kernelBusyAtSynth = busy;
      }
    } else {
      progress.phase(synthIssuedAt === undefined ? 'waiting for the kernel to finish' : 'waiting for the kernel to finish synthesizing');
      client.flush();
      if (client.capabilities.beforeExit) {
        const issued = performance.now();
        const busy = synthIssuedAt === undefined ? markSynthStart() : undefined;
        client.request({ api: 'beforeExit' });
        // The CDK synthesized inside the kernel (no synth() call of the program's own).
        if (synthIssuedAt === undefined && assemblyWrittenSince(options.outdir, startedAt)) {
          synthIssuedAt = issued;
          kernelBusyAtSynth = busy;
        }
      }
      checkKernelReached(client, redirection);
      typesNamed = client.typesNamed;
    }
  } finally {
    restoreStdout?.();
    redirection?.uninstall();
    if (traceFd !== undefined) {
      fs.closeSync(traceFd);
    }
    setDefaultConnection(undefined);
    // Over stdio the kernel's time is not visible (the relay only moves frames).
    kernelBusy = options.transport === 'stdio' ? undefined : (client ?? direct)?.kernelBusy;
    if (kernelBusyAtSynth !== undefined) kernelBusyAtSynth = client?.kernelBusyAtMark ?? kernelBusyAtSynth;
    const rings = client?.ringStats;
    responseRing = rings?.response ?? responseRing;
    kernelWakes = rings === undefined ? 0 : rings.request.notifies + rings.callback.notifies;
    preloaded = client?.kernelPreloaded ?? preloaded;
    // The process ends after the report: the worker's teardown need not be waited for.
    await client?.close({ awaitExit: false });
    await direct?.close();
    progress.done();
  }
  const ended = performance.now();
  const buildEnd = synthIssuedAt ?? ended;
  let timeline: SynthReport['timeline'];
  const recorded = client?.timeline;
  if (options.timeline !== undefined && recorded !== undefined) {
    fs.writeFileSync(options.timeline, `${JSON.stringify({ synthSeq: synthSeq ?? null, hostRecord: HOST_TIMELINE_FIELDS, kernelRecord: KERNEL_TIMELINE_FIELDS, ...recorded })}\n`);
    timeline = { file: options.timeline, build: summarizeTimeline(recorded, 1, synthSeq ?? Infinity), run: summarizeTimeline(recorded) };
  }
  if (!assemblyWrittenSince(options.outdir, startedAt)) {
    const stale = fs.existsSync(path.join(options.outdir, 'manifest.json'));
    throw new Error(`the app finished but wrote no cloud assembly to ${options.outdir}${stale ? ' (the manifest.json there is from an earlier run)' : ''}: did it create an App, and call app.synth() or run with CDK_OUTDIR set?`);
  }
  const summary = summarizeCloudAssembly(options.outdir);
  let preload: SynthReport['preload'];
  if (preloading && typesNamed !== undefined) {
    const saved = savePreloadList(options.appFile, typesNamed, preloadList);
    preload = { listed: preloadList.length, preloaded: preloaded.types, ms: preloaded.ms, saved: saved instanceof Error ? saved.message : saved };
  }
  return {
    app: path.relative(process.cwd(), options.appFile) || options.appFile,
    mode: options.mode,
    transport: options.mode === 'native' ? 'none' : options.transport,
    codec: options.codec,
    pendingCap: direct !== undefined ? 0 : pendingCap === Infinity ? 'unlimited' : (pendingCap ?? (client?.capabilities.pipeline === false ? 0 : DEFAULT_PENDING_CAP)),
    ...(options.mode === 'native' ? {} : { spin: options.spin ?? DEFAULT_SPIN }),
    outdir: options.outdir,
    stacks: summary.stacks.length,
    resources: summary.resources,
    timings: { startMs: appStarted - started, buildMs: buildEnd - appStarted, synthMs: ended - buildEnd, totalMs: ended - started },
    calls: client?.stats.toJSON(),
    threads: client === undefined ? undefined : { kernelBusyMs: kernelBusy?.ms ?? 0, hostWaitMs: client.stats.hostWaitMs, hostSpinHits: responseRing.spinHits, hostSleeps: responseRing.sleeps, kernelWakes, prelaunched: client.prelaunched, watchdog: watchdogStarts() > watchdogStartsBefore },
    kernel: kernelBusy === undefined ? undefined : { ...kernelBusy, startMs: kernelBusyAtApp, buildMs: (kernelBusyAtSynth ?? kernelBusy.ms) - kernelBusyAtApp },
    preload,
    timeline,
  };
}

/** Runs the same app natively in a child process (with the same JIT policy) and compares templates. */
function compareWithNative(appFile: string, outdir: string, interruptBudget: number): NonNullable<SynthReport['compare']> {
  const nativeOut = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-native-'));
  try {
    const args = [path.join(__dirname, 'main.js'), 'synth', appFile, '--mode', 'native', '--outdir', nativeOut, '--json', '--interrupt-budget', String(interruptBudget)];
    const child = spawnSync(process.execPath, args, {
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: nativeOut },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0) {
      throw new Error(`the native run of the app failed:\n${child.stderr}`);
    }
    const native = JSON.parse(child.stdout) as SynthReport;
    const comparison = compareCloudAssemblies(nativeOut, outdir);
    return { nativeTotalMs: native.timings.totalMs, nativeBuildMs: native.timings.buildMs, identical: comparison.identical, differences: comparison.differences, traceOnly: comparison.traceOnly };
  } finally {
    fs.rmSync(nativeOut, { recursive: true, force: true });
  }
}

function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** The human summary. */
export function formatReport(report: SynthReport): string {
  const lines = [
    `jsii-ring synth ${report.app}: ${report.mode}${report.mode === 'native' ? '' : `, ${report.transport}, ${report.codec}, pending cap ${report.pendingCap}`}` +
      `, V8 interrupt budget ${report.jit.interruptBudget.toLocaleString('en-US')}${report.jit.source === 'command line' ? ' (node command line)' : report.jit.source === 'v8' ? " (V8's own, left as it is)" : ''}` +
      (report.compileCache.enabled ? ', compile cache on' : ''),
    `  output    ${report.outdir}: ${report.stacks} stacks, ${report.resources.toLocaleString('en-US')} resources`,
    `  time      start ${ms(report.timings.startMs)} · build ${ms(report.timings.buildMs)} · synth ${ms(report.timings.synthMs)} · total ${ms(report.timings.totalMs)}`,
  ];
  const calls = report.calls as { sync: Record<string, number>; pipelined: Record<string, number>; syncPoints: number; pipelinedTotal: number; callbacks: number; pipelinedFailures: number } | undefined;
  if (calls !== undefined) {
    const total = calls.syncPoints + calls.pipelinedTotal;
    const share = total === 0 ? 0 : (100 * calls.pipelinedTotal) / total;
    lines.push(`  calls     ${total.toLocaleString('en-US')} kernel calls: ${calls.pipelinedTotal.toLocaleString('en-US')} pipelined (${share.toFixed(1)}%), ${calls.syncPoints.toLocaleString('en-US')} sync points; ${calls.callbacks.toLocaleString('en-US')} callbacks`);
    const kinds = new Map<string, [number, number]>();
    for (const [api, n] of Object.entries(calls.pipelined)) kinds.set(api, [n, 0]);
    for (const [api, n] of Object.entries(calls.sync)) kinds.set(api, [kinds.get(api)?.[0] ?? 0, n]);
    const byKind = [...kinds.entries()].sort((a, b) => b[1][0] + b[1][1] - (a[1][0] + a[1][1]))
      .map(([api, [p, s]]) => `${api} ${(p + s).toLocaleString('en-US')}${p > 0 && s > 0 ? ` (${p.toLocaleString('en-US')} pipelined)` : p > 0 ? ' (pipelined)' : ''}`);
    lines.push(`  by kind   ${byKind.join(' · ')}`);
  }
  if (report.preload !== undefined) {
    const { listed, preloaded, ms: preloadMs, saved } = report.preload;
    const savedNote = saved === true ? 'list of classes saved for the next run' : saved === false ? 'list unchanged' : `list not saved: ${saved}`;
    lines.push(listed === 0
      ? `  preload   no list from an earlier run; ${savedNote}`
      : `  preload   ${listed.toLocaleString('en-US')} classes the last run used: ${preloaded.toLocaleString('en-US')} loaded while the kernel was idle (${ms(preloadMs)}); ${savedNote}`);
  }
  if (report.kernel !== undefined) {
    const { ms: busy, startMs: startBusy, buildMs: buildBusy, callbackMs, callbacks } = report.kernel;
    const share = report.timings.buildMs > 0 ? ` (${((100 * buildBusy) / report.timings.buildMs).toFixed(0)}% of the build phase)` : '';
    const waited = callbacks > 0 ? ` · of it waiting on ${callbacks.toLocaleString('en-US')} callbacks ${ms(callbackMs)}` : '';
    lines.push(`  kernel    busy ${ms(busy)}: start ${ms(startBusy)}, build ${ms(buildBusy)}${share}, synth ${ms(busy - startBusy - buildBusy)}${waited}` +
      (report.transport === 'in-thread' ? '; the build phase\'s rest is the host\'s own work, all a worker could overlap' : ''));
  }
  if (report.threads !== undefined) {
    const { kernelBusyMs, hostWaitMs, hostSpinHits, hostSleeps, kernelWakes: wakes, prelaunched } = report.threads;
    lines.push(`  threads   kernel busy ${ms(kernelBusyMs)} · host waited for the kernel ${ms(hostWaitMs)} of ${ms(report.timings.totalMs - report.timings.startMs)} (${hostSpinHits.toLocaleString('en-US')} waits spun, ${hostSleeps.toLocaleString('en-US')} slept; kernel woken ${wakes.toLocaleString('en-US')} times)` +
      `${prelaunched ? ' · worker started before the CLI loaded' : ''}`);
  }
  if (report.timeline !== undefined) {
    const line = (label: string, t: TimelineSummary): string =>
      `${label} kernel served ${ms(t.kernelServeMs)} + decoded ${ms(t.kernelDecodeMs)}, waited for the host ${ms(t.kernelWaitedForHostMs)}, ` +
      `hand-over ${ms(t.handoverMs)}; host waited ${ms(t.hostSyncWaitMs)} on ${t.syncRequests.toLocaleString('en-US')} sync requests, ${ms(t.hostWaitKernelIdleMs)} of it with the kernel idle`;
    lines.push(line('  timeline  build:', report.timeline.build));
    lines.push(line('            whole run:', report.timeline.run));
    lines.push(`            written to ${report.timeline.file}`);
  }
  if (report.compare !== undefined) {
    const c = report.compare;
    lines.push(`  native    build ${ms(c.nativeBuildMs)} · total ${ms(c.nativeTotalMs)} → build ${(report.timings.buildMs / c.nativeBuildMs).toFixed(2)}× · total ${(report.timings.totalMs / c.nativeTotalMs).toFixed(2)}× native`);
    lines.push(`  templates ${c.identical ? 'byte-identical to the native run (every file of the cloud assembly)' : `DIFFER from the native run:\n    ${c.differences.slice(0, 10).join('\n    ')}`}`);
    if (c.traceOnly.length > 0) {
      lines.push(`            ${c.traceOnly.length} file(s) differ only in construct stack traces, which name the frames of whatever ran the app: ${c.traceOnly.slice(0, 3).join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
