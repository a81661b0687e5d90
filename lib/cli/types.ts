/** `jsii-ring types <package>`: .d.ts declarations for the bindings of a jsii package. */
import * as path from 'node:path';
import { writeDeclarations } from '../bindings/declarations/index.js';
import { UsageError, parseCommandLine } from './args.js';

const HELP = `Usage: jsii-ring types <package> [--out DIR] [--submodules a,b] [--no-docs]

Generates TypeScript declarations for the run-time bindings of an installed jsii package
(and of the jsii packages it depends on) from its .jsii assembly: classes and members with
their docs, structs as interfaces, enums, submodules.

A program that has the package's own declarations needs none of this:
  load<typeof import('aws-cdk-lib')>('aws-cdk-lib') is typed by them. These type load() where
  it has not: load<typeof import('./jsii-types/<package>/index.js')>('<package>').

Options:
  --out DIR          output directory (default: jsii-types); writes DIR/<package>/...
  --submodules LIST  only these submodules (comma-separated), to keep big packages small
  --no-docs          leave out the doc comments
  -h, --help         show this help`;

export async function typesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { out: { type: 'string' }, submodules: { type: 'string' }, 'no-docs': { type: 'boolean' } }, HELP);
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError('types needs exactly one package name', HELP);
  }
  const outDir = path.resolve(typeof values.out === 'string' ? values.out : 'jsii-types');
  const submodules = typeof values.submodules === 'string' ? values.submodules.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
  const written = writeDeclarations(positionals[0] as string, outDir, { submodules, docs: values['no-docs'] !== true });
  for (const w of written) {
    process.stdout.write(`${w.packageName}@${w.version}: ${w.files.length} files, ${(w.bytes / 1024).toFixed(0)} KiB in ${path.relative(process.cwd(), w.dir) || w.dir}\n`);
  }
  return 0;
}
