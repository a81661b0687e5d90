/**
 * The stdio server as a program of its own, for hosts that start a jsii runtime by path
 * (`JSII_RUNTIME=…/bin/jsii-runtime.js`; `jsii-ring serve --stdio` runs the same code).
 *
 * The process ends when the host is done, whatever timers the libraries left behind, and
 * on SIGTERM/SIGINT/SIGHUP through `process.exit`, so the kernel's temporary install
 * directory is removed. An error no request caught (a library's timer threw) is written to
 * stderr framed like console output, and ends the process with code 1.
 */
import * as os from 'node:os';
import { serveStdio, stdioOptionsFromEnv } from '../transports/stdio-server.js';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Runs the stdio server in this process until the host is done; never returns. */
export async function runStdioServer(): Promise<never> {
  for (const signal of SIGNALS) {
    process.once(signal, () => process.exit(128 + os.constants.signals[signal]));
  }
  const crash = (error: unknown): void => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    try {
      process.stderr.write(`jsii-ring: uncaught error, the kernel stops: ${text}\n`);
    } finally {
      process.exit(1);
    }
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const code = await serveStdio(stdioOptionsFromEnv());
  process.exit(code);
}

if (require.main === module) {
  void runStdioServer();
}
