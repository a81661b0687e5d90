/**
 * `node --require jsii-ring/register app.js` (or `--import jsii-ring/register`, or
 * `require('jsii-ring/register')` first thing in a program): the program runs unchanged,
 * with every import of a jsii package (`aws-cdk-lib`, its submodules, `constructs`,
 * construct libraries) answered by bindings to one kernel in a worker thread, pipelined.
 * TypeScript files load too (transpiled on require).
 *
 * When the program is done (the process's `beforeExit`), the kernel is flushed, the
 * library's own exit handlers run in the kernel (the CDK synthesizes an App there when
 * `CDK_OUTDIR` is set, as under the CDK CLI), and the kernel is closed; a pipelined
 * failure not yet reported sets the exit code and is printed.
 *
 * Client options come from the environment, read in one place (`KernelClientOptions`
 * docs): `JSII_RING_PENDING_CAP` (a number or `unlimited`; 0 = synchronous).
 */
import { setDefaultConnection } from './bindings/session.js';
import { KernelClient } from './host/kernel-client.js';
import { registerOptionsFromEnv } from './host/options.js';
import { isMainThread } from 'node:worker_threads';
import { installRedirection } from './redirect/cjs-hook.js';
import type { Redirection } from './redirect/cjs-hook.js';
import { installEsmRedirection } from './redirect/esm-register.js';
import { installTypeScriptLoader } from './redirect/typescript.js';

// Worker threads inherit `--require`/`--import`: only the program's own thread registers
// (the kernel worker must load the real libraries).
if (isMainThread) register();

function register(): void {
  // The worker boots while the program loads; the handshake completes at its first use.
  const client = KernelClient.spawn(registerOptionsFromEnv());
  setDefaultConnection(client);
  installTypeScriptLoader();
  const redirection = installRedirection({ connection: client });
  installEsmRedirection();
  process.once('beforeExit', () => finish(client, redirection));
}

let finished = false;
function finish(client: KernelClient, redirection: Redirection): void {
  if (finished) return;
  finished = true;
  try {
    client.flush();
    if (client.capabilities.beforeExit) client.request({ api: 'beforeExit' });
  } catch (error) {
    process.exitCode = 1;
    process.stderr.write(`jsii-ring: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  } finally {
    redirection.uninstall();
    setDefaultConnection(undefined);
    void client.close().catch((error: unknown) => {
      process.exitCode = 1;
      process.stderr.write(`jsii-ring: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }
}
