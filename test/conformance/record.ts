/**
 * `node dist/test/conformance/record.js [--print] [script ...]`: runs scripts (all by
 * default) on the reference runtime and stores their transcripts under
 * `test/conformance/recordings/`. A script whose run does not meet its own expectations is
 * not recorded (the script is wrong, or the reference changed): the command says which and
 * exits with status 1. `--print` also prints each transcript.
 */
import { ensureFixtures } from '../helpers/fixture.js';
import { startReferenceRuntime } from '../helpers/reference-runtime.js';
import { toRecording, writeRecording } from './recording.js';
import { runScript } from './runner.js';
import { ALL_SCRIPTS, scriptNamed } from './scripts/index.js';
import type { ConformanceScript } from './script.js';

async function main(argv: readonly string[]): Promise<number> {
  const print = argv.includes('--print');
  const names = argv.filter((a) => !a.startsWith('--'));
  const scripts: ConformanceScript[] = [];
  for (const name of names) {
    const script = scriptNamed(name);
    if (script === undefined) {
      process.stderr.write(`unknown script: ${name}\n`);
      return 2;
    }
    scripts.push(script);
  }
  const fixtures = ensureFixtures();
  let failed = 0;
  for (const script of scripts.length > 0 ? scripts : ALL_SCRIPTS) {
    const driver = startReferenceRuntime();
    let transcript;
    try {
      transcript = await runScript(script, driver, fixtures);
    } finally {
      await driver.close();
    }
    if (print) process.stdout.write(`${JSON.stringify(transcript.entries, null, 1)}\n`);
    if (transcript.expectationFailures.length > 0) {
      failed++;
      process.stdout.write(`✗ ${script.name}: not recorded\n${transcript.expectationFailures.map((f) => `    ${f}`).join('\n')}\n`);
      continue;
    }
    const path = writeRecording(toRecording(script, transcript, fixtures.calc.sourceHash));
    process.stdout.write(`✓ ${script.name} (${transcript.entries.length} events) → ${path}\n`);
  }
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
