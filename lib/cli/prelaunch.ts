/**
 * Starts the kernel worker of `jsii-ring synth` before the command's modules load.
 *
 * Loading the CLI, the bindings, the module redirection and the TypeScript transpiler takes
 * this thread ~150 ms; Node's bootstrap of a worker and the kernel's own modules take the
 * worker about as long. Started first, the two overlap on the two cores, and the kernel is
 * ready (often with the libraries loaded) when the app first needs it. The worker is the one
 * `KernelClient.spawn` would start with the synth's options (launch.ts: a client with other
 * options ends it and starts its own), so nothing else changes.
 *
 * Only a command line that the synth command would run through our kernel over the ring
 * prelaunches; anything else (help, native mode, another transport, a flag that does not
 * parse, an app file that is not there) leaves the synth command to start what it needs, or
 * to report the mistake.
 */
import * as fs from 'node:fs';
import { enableCompileCache } from '../host/compile-cache.js';
import { applyJitPolicy } from '../host/jit-policy.js';
import { DEFAULT_WORKER_LAUNCH, prelaunchKernel } from '../host/launch.js';
import { preloadEnabled, readPreloadList } from '../host/type-preload.js';
import { integerFlag, parseCommandLine } from './args.js';
import { budgetFlag, SYNTH_OPTIONS } from './synth-args.js';

/** Prelaunches the kernel worker for `jsii-ring synth <argv>`; returns whether it did. */
export function prelaunchForSynth(argv: readonly string[]): boolean {
  if (process.env['JSII_RING_PRELAUNCH'] === '0') return false;
  let spin: number | undefined;
  let budget: number;
  let app: string;
  try {
    const { values, positionals } = parseCommandLine([...argv], SYNTH_OPTIONS, '');
    if (values.help === true || values.mode === 'native' || (values.transport ?? 'ring') !== 'ring') return false;
    // A missing app file is the synth command's first usage error: no worker to start then.
    const appArg = typeof values.app === 'string' ? values.app : positionals[0];
    if (appArg === undefined || !fs.existsSync(appArg)) return false;
    app = appArg;
    spin = integerFlag(values.spin, 'spin', '', { unlimited: false });
    budget = budgetFlag(values['interrupt-budget'], '');
  } catch {
    return false;
  }
  // What the synth command does before it starts a thread: V8 flags and the compile cache
  // are in force for the threads started after them.
  applyJitPolicy(budget);
  enableCompileCache();
  // The classes the app's last run named: the worker loads their modules while this thread
  // loads the CLI and the app (the synth command passes the same list, and so takes it over).
  prelaunchKernel({ ...DEFAULT_WORKER_LAUNCH, spin: spin ?? DEFAULT_WORKER_LAUNCH.spin, preloadTypes: preloadEnabled() ? readPreloadList(app) : [] });
  return true;
}
