/**
 * One run of the user's own program in a given mode, with the same per-phase figures as
 * the example app's runs (app-run.ts), so the sweep, overlap and mode suites can run on it
 * (`jsii-ring bench sweep|overlap|cdk --app FILE`, `--script FILE`).
 *
 * The program runs unchanged, as `jsii-ring synth` runs it: every import of a jsii package
 * resolves to bindings of one kernel (lib/redirect), TypeScript is transpiled on require.
 * Two kinds of program:
 *  - `cdk`: an ordinary CDK app (imports aws-cdk-lib, writes a cloud assembly to
 *    CDK_OUTDIR). Phases: build = from requiring the app until it calls `synth()` on an App
 *    or Stage (or, without such a call, until the program returns), then a flush, so a
 *    pipelined run is timed until the kernel has caught up; synth = the rest, the CDK's own
 *    synth at exit included; close = closing the kernel.
 *  - `script`: any program that uses jsii packages (the library-level recipe). Build = the
 *    whole program, then a flush; what it prints on stdout is kept, so every mode can be
 *    compared with the native run's output.
 *
 * Imports happen while the program runs, so loading packages is part of the build phase
 * here (the example app loads them in a phase of its own).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flush } from '../../lib/bindings/index.js';
import { setDefaultConnection, setDefaultNative } from '../../lib/bindings/session.js';
import { assemblyWrittenSince, kernelCdk, nativeCdk, watchSynth } from '../../lib/cli/synth-watch.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { installRedirection } from '../../lib/redirect/cjs-hook.js';
import type { Redirection } from '../../lib/redirect/cjs-hook.js';
import { checkKernelReached } from '../../lib/redirect/kernel-reached.js';
import { installTypeScriptLoader } from '../../lib/redirect/typescript.js';
import { clientOptionsFor, withTrace } from './app-run.js';
import type { AppMode, AppRunResult } from './app-run.js';
import { timelineNow } from '../../lib/transports/timeline.js';
import { buildTimelineOf, phaseBetween, snapshot } from './metrics.js';
import type { BuildTimeline, Snapshot } from './metrics.js';
import { RequestTrace } from './schedule.js';
import type { TracePoint } from './schedule.js';

/** What the program is: a CDK app (writes a cloud assembly) or any program using jsii packages. */
export type ProgramKind = 'cdk' | 'script';

/** Options of one run of the user's program. */
export interface UserAppRunOptions {
  /** Absolute path of the program (`.ts` or `.js`). */
  readonly file: string;
  readonly kind: ProgramKind;
  readonly mode: AppMode;
  /** Where a CDK app writes its cloud assembly (CDK_OUTDIR; emptied first). */
  readonly outdir: string;
  /** The CDK's template validation during synth. */
  readonly validation: boolean;
  /** Pending cap for `ringPipelined`. @default the client's default */
  readonly pendingCap?: number;
  /** Busy microseconds spent on the host per request. @default 0 */
  readonly hostWorkUs?: number;
  /** Record a trace point per request of the build phase (ring modes). @default false */
  readonly trace?: boolean;
  /** Record the per-request timeline of both threads (ring modes). @default false */
  readonly timeline?: boolean;
}

/** Figures of one run: the example app's shape, plus what the program printed. */
export interface UserAppRunResult extends AppRunResult {
  /** What the program wrote to stdout (a `script`'s output, compared across modes). */
  readonly output: string;
  /** Whether the program called `synth()` itself (a CDK app). */
  readonly synthCalled: boolean;
  /** Requests of the whole run through the worker or stdio client (0 natively and in-thread). */
  readonly kernelCalls: number;
  /** The build phase's split from the per-request timeline (with `timeline`). */
  readonly buildTimeline?: BuildTimeline;
}


/** Runs the program once in this process (a child process of the bench: see user-app-child.ts). */
export async function runUserAppOnce(options: UserAppRunOptions): Promise<UserAppRunResult> {
  if (options.validation) delete process.env['CDK_VALIDATION'];
  else process.env['CDK_VALIDATION'] = 'false';
  // The kernel worker copies the environment when it starts: set it first.
  process.env['CDK_OUTDIR'] = options.outdir;
  fs.rmSync(options.outdir, { recursive: true, force: true });
  fs.mkdirSync(options.outdir, { recursive: true });
  const startedAt = Date.now();

  const native = options.mode === 'native';
  const ringMode = options.mode === 'ringSync' || options.mode === 'ringPipelined';
  const kernelVisible = ringMode || options.mode === 'inThread';
  const trace = options.trace === true && ringMode ? new RequestTrace() : undefined;
  let client: KernelClient | undefined;
  let direct: DirectConnection | undefined;
  let redirection: Redirection | undefined;
  const output: string[] = [];
  const stdoutWrite = process.stdout.write;
  try {
    const s0 = snapshot(undefined, kernelVisible);
    installTypeScriptLoader();
    const appDir = path.dirname(options.file);
    if (native) {
      setDefaultNative(true);
    } else if (options.mode === 'inThread') {
      direct = new DirectConnection();
      setDefaultConnection(direct);
      redirection = installRedirection({ connection: direct });
    } else {
      // clientOptionsFor installs the host-work hook (none at 0 µs): no per-request
      // callback unless the run asks for host work or a trace.
      let clientOptions = clientOptionsFor({ mode: options.mode, outdir: options.outdir, scale: 1, validation: options.validation, hostWorkUs: options.hostWorkUs ?? 0, ...(options.pendingCap !== undefined ? { pendingCap: options.pendingCap } : {}) });
      if (options.timeline === true && ringMode) clientOptions = { ...clientOptions, timeline: true };
      clientOptions = withTrace(clientOptions, trace, options.hostWorkUs ?? 0, () => client);
      client = KernelClient.start(clientOptions);
      setDefaultConnection(client);
      redirection = installRedirection({ connection: client });
    }
    const connection = direct ?? client;
    let s2: Snapshot | undefined;
    let timelineTo = Infinity;
    // The build phase ends where the program asks for synth (after the kernel caught up).
    const endBuild = (): void => {
      if (s2 !== undefined) return;
      if (connection !== undefined) flush(connection);
      s2 = snapshot(client ?? direct, kernelVisible);
      timelineTo = timelineNow();
    };
    // Whether the program itself called synth() (not the CDK's handler at exit, later).
    let synthCalled = false;
    let programReturned = false;
    if (options.kind === 'cdk') {
      // Loads aws-cdk-lib (natively or into the kernel): part of the load phase.
      watchSynth(native ? nativeCdk(appDir) : kernelCdk(appDir), () => {
        if (!programReturned) synthCalled = true;
        endBuild();
      });
    }
    const s1 = snapshot(client ?? direct, kernelVisible);
    const timelineFrom = timelineNow();
    const traceFrom = trace?.length ?? 0;
    // The program's stdout is kept (and still shown, on stderr: the bench's stdout is its report).
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (process.stderr.write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(options.file);
    const entry = (exported as { default?: unknown } | undefined)?.default ?? exported;
    if (typeof (entry as PromiseLike<unknown> | undefined)?.then === 'function') await entry;
    programReturned = true;
    endBuild();
    // What a process does when its event loop empties (the CDK's synth at exit among it).
    if (client === undefined) {
      (process as NodeJS.EventEmitter).emit('beforeExit', 0);
    } else {
      client.flush();
      if (client.capabilities.beforeExit) client.request({ api: 'beforeExit' });
    }
    process.stdout.write = stdoutWrite;
    if (client !== undefined) checkKernelReached(client, redirection);
    if (direct !== undefined && redirection !== undefined && redirection.redirected.size === 0) {
      throw new Error('the program imported no jsii package through jsii-ring (no import was redirected)');
    }
    const s3 = snapshot(client ?? direct, kernelVisible);
    const build = s2 as Snapshot;
    const buildTrace = trace?.window(tracePoint(s1), tracePoint(build), traceFrom, trace.length);
    redirection?.uninstall();
    redirection = undefined;
    const closing = performance.now();
    await client?.close();
    await direct?.close();
    const closeMs = performance.now() - closing;
    const beforeExit = client?.capabilities.beforeExit ?? true;
    const calls = client === undefined ? 0 : client.stats.syncPoints + client.stats.pipelinedTotal;
    const recorded = client?.timeline;
    const buildTimeline = recorded === undefined ? undefined : buildTimelineOf(recorded, timelineFrom, timelineTo);
    client = undefined;
    if (options.kind === 'cdk' && !assemblyWrittenSince(options.outdir, startedAt) && !synthCalled && !beforeExit) {
      throw new Error('the app leaves synth to the CDK at exit (it has no app.synth() call), which this kernel cannot run (no before-exit extension): add app.synth() to the app, or leave this mode out');
    }
    if (options.kind === 'cdk' && !assemblyWrittenSince(options.outdir, startedAt)) {
      const relative = path.relative(process.cwd(), options.file);
      const shown = relative !== '' && !relative.startsWith('..') ? relative : options.file;
      throw new Error(`${shown} is not a CDK app: it finished without writing a cloud assembly to CDK_OUTDIR (does it create an App, and call app.synth()? For any other program that uses jsii packages, use --script)`);
    }
    return {
      mode: options.mode,
      phases: { load: phaseBetween(s0, s1), build: phaseBetween(s1, build), synth: phaseBetween(build, s3) },
      totalMs: s3.at - s0.at + closeMs,
      closeMs,
      expectedResources: 0,
      auditedResources: 0,
      outdir: options.outdir,
      output: output.join(''),
      synthCalled,
      kernelCalls: calls,
      ...(buildTrace !== undefined ? { buildTrace } : {}),
      ...(buildTimeline !== undefined ? { buildTimeline } : {}),
    };
  } finally {
    process.stdout.write = stdoutWrite;
    redirection?.uninstall();
    await client?.terminate();
  }
}

function tracePoint(s: Snapshot): TracePoint {
  return { at: s.at, hostWaitMs: s.hostWaitMs, kernelBusyMs: s.kernelBusyMs ?? 0 };
}
