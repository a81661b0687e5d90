#!/usr/bin/env node
/**
 * `jsii-ring`: synthesize a CDK app through the worker kernel, benchmark the protocol,
 * serve the kernel over stdio, generate type declarations.
 *
 * Exit codes: 0 success; 1 the command failed (the app threw, a kernel error, a
 * benchmark failed); 2 usage error (bad flag, missing argument, unknown command).
 */
import { ErrorCode, JsiiRingError } from '../errors.js';
import { UsageError } from './args.js';

interface Command {
  readonly summary: string;
  readonly run: (argv: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  synth: { summary: 'synthesize a CDK app written against the bindings', run: async (argv) => (await import('./synth.js')).synthCommand(argv) },
  bench: { summary: 'benchmark the protocol (modes, pending cap, codec)', run: async (argv) => (await import('./bench.js')).benchCommand(argv) },
  serve: { summary: 'serve our kernel over stdio, as a drop-in for the jsii runtime', run: async (argv) => (await import('./serve.js')).serveCommand(argv) },
  types: { summary: 'generate .d.ts declarations for a jsii package', run: async (argv) => (await import('./types.js')).typesCommand(argv) },
};

function usage(): string {
  const lines = [
    'Usage: jsii-ring <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`),
    '',
    "Run 'jsii-ring <command> --help' for a command's options.",
    '',
    'Exit codes: 0 success, 1 failure, 2 usage error.',
  ];
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    process.stdout.write(`${(require('../../../package.json') as { version: string }).version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    throw new UsageError(`unknown command '${name}'`);
  }
  if (name === 'synth') {
    // Before the command's modules load: the kernel worker boots meanwhile (prelaunch.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('./prelaunch.js') as typeof import('./prelaunch.js')).prelaunchForSynth(rest);
  }
  return command.run(rest);
}

const verbose = process.argv.includes('--verbose');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      // One or two lines, not the whole help: what was wrong, and where the options are.
      const command = /^Usage: (jsii-ring(?: \w+)?)/.exec(error.help ?? '')?.[1] ?? 'jsii-ring';
      process.stderr.write(`jsii-ring: ${error.message}\nRun '${command} --help' for the options.\n`);
      process.exitCode = 2;
      return;
    }
    const e = error instanceof Error ? error : new Error(String(error));
    const code = e instanceof JsiiRingError ? ` [${e.code}]` : '';
    // A missing package or a stack pattern that matched nothing is said in one line: the
    // stack would tell nothing more.
    const plain = e instanceof JsiiRingError && (e.code === ErrorCode.MISSING_DEPENDENCY || e.code === ErrorCode.STACK_SELECTION);
    const hint = plain ? '' : '(run with --verbose for the stack)\n';
    process.stderr.write(verbose ? `jsii-ring: ${e.stack ?? e.message}\n` : `jsii-ring: ${e.message}${code}\n${hint}`);
    process.exitCode = 1;
  },
);
