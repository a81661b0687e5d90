/** `jsii-ring serve --stdio`: our kernel as a drop-in for the reference runtime's program. */
import { UsageError, parseCommandLine } from './args.js';

const HELP = `Usage: jsii-ring serve --stdio

Serves the jsii kernel protocol on stdin/stdout (one JSON message per line), exactly
as the reference @jsii/runtime program does, so an existing jsii host can run on it
(for hosts that take a script path, name bin/jsii-runtime.js in JSII_RUNTIME).
Library console output goes to stderr as {"stdout"|"stderr": base64} lines, as the
reference frames it. Extensions (client-allocated ids, loading from an installed
directory) are off until the host negotiates them.

Environment:
  JSII_RING_RUNTIME_VERSION   version in the hello line (@jsii/runtime@<version>), default 1.140.0
  JSII_DEBUG                  log requests and answers to stderr
  JSII_NOSTACK                leave stack out of error answers

Options:
  --stdio       serve over stdin/stdout (the only transport this command offers)
  -h, --help    show this help`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { stdio: { type: 'boolean' } }, HELP);
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.stdio !== true) {
    throw new UsageError('serve needs --stdio', HELP);
  }
  const { runStdioServer } = await import('./jsii-runtime.js');
  return runStdioServer();
}
