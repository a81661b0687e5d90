/**
 * The stdio server as a program of its own, for hosts that start a jsii runtime by path
 * (`JSII_RUNTIME=…/bin/jsii-runtime.js`; `jsii-ring serve --stdio` runs the same code).
 *
 * The process ends when the host is done (`process.exit`, whatever timers the libraries left
 * behind), which removes the kernel's temporary install directory. Signals keep their
 * default action: the server spends its idle time blocked in a synchronous read, where a
 * JavaScript signal handler could not run, so a handler would make it ignore SIGTERM. The
 * directory of a server killed by a signal is removed by the next kernel that starts.
 * An error no request caught (a library's timer threw) is written to stderr framed like
 * console output, and ends the process with code 1.
 */
import { serveStdio, stdioOptionsFromEnv } from '../transports/stdio-server.js';

/** Runs the stdio server in this process until the host is done; never returns. */
export async function runStdioServer(): Promise<never> {
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
    code = await serveStdio(stdioOptionsFromEnv());
  } catch (error) {
    crash(error);
  }
  process.exit(code);
}

if (require.main === module) {
  void runStdioServer();
}
