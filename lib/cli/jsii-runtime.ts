/**
 * The stdio server as a program of its own, for hosts that start a jsii runtime by path
 * (`JSII_RUNTIME=…/bin/jsii-runtime.js`; `jsii-ring serve --stdio` runs the same code).
 *
 * The server runs with `--preserve-symlinks`: a package loaded from a tarball is then put in
 * place by one symlink to its cache entry instead of a tree of hard links (thousands of
 * files for aws-cdk-lib), and keeps its install path for resolving its dependencies. A
 * process started without the flag (as every host starts it) starts the server as a child
 * with it, on the same stdin, stdout and stderr, passes SIGTERM, SIGINT and SIGHUP on, and
 * ends as the child ends (the reference runtime is a parent and a child too).
 *
 * The process ends when the host is done (`process.exit`, whatever timers the libraries left
 * behind), which removes the kernel's temporary install directory. Signals keep their
 * default action in the server: it spends its idle time blocked in a synchronous read, where
 * a JavaScript signal handler could not run, so a handler would make it ignore SIGTERM. The
 * directory of a server killed by a signal is removed by the next kernel that starts.
 * An error no request caught (a library's timer threw) is written to stderr framed like
 * console output, and ends the process with code 1.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { keepsSymlinks } from '../preserve-symlinks.js';

/** The program hosts name in JSII_RUNTIME. */
export const RUNTIME_SCRIPT = path.resolve(__dirname, '..', '..', '..', 'bin', 'jsii-runtime.js');

/** Runs the stdio server until the host is done; never returns. */
export async function runStdioServer(): Promise<never> {
  if (!keepsSymlinks()) {
    return runAsChild();
  }
  const crash = (error: unknown): void => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    try {
      process.stderr.write(`jsii-ring: the kernel stops: ${text}\n`);
    } finally {
      process.exit(1);
    }
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  let code = 1;
  try {
    // Loaded only here: the program that starts the serving child needs none of it.
    const { serveStdio, stdioOptionsFromEnv } = await import('../transports/stdio-server.js');
    code = await serveStdio(stdioOptionsFromEnv());
  } catch (error) {
    crash(error);
  }
  process.exit(code);
}

const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Serves from a child started with `--preserve-symlinks` on this process's stdio. */
function runAsChild(): Promise<never> {
  return new Promise<never>(() => {
    const child = spawn(process.execPath, [...process.execArgv, '--preserve-symlinks', RUNTIME_SCRIPT], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    child.once('error', (error) => {
      process.stderr.write(`jsii-ring: cannot start the kernel process: ${error.message}\n`);
      process.exit(1);
    });
    child.once('exit', (code, signal) => {
      if (signal !== null) {
        for (const s of FORWARDED) process.removeListener(s, forward);
        process.kill(process.pid, signal); // end as the child ended
        return;
      }
      process.exit(code ?? 1);
    });
  });
}

if (require.main === module) {
  void runStdioServer();
}
