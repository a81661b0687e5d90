import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies } from '../../examples/cdk-app/compare.js';

// Tests run on the compiled output: dist/test/examples -> dist/examples/cdk-app.
const EXAMPLE_DIR = path.join(__dirname, '..', '..', 'examples', 'cdk-app');
const ENV = { ...process.env, CDK_VALIDATION: 'false' };

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cli-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('synth-native --json reports counts and phase timings', (t) => {
  const outdir = tempDir(t);
  const stdout = execFileSync(
    process.execPath,
    [path.join(EXAMPLE_DIR, 'synth-native.js'), '--scale', '0.02', '--no-validation', '--json', '--outdir', outdir],
    { env: ENV, encoding: 'utf8' },
  );
  const report = JSON.parse(stdout) as Record<string, unknown> & { timings: Record<string, number> };
  t.like(report, { outdir, stacks: 6, templates: 6, resources: 59, expectedResources: 59, auditedResources: 59, validation: false });
  t.deepEqual(Object.keys(report.timings), ['loadMs', 'buildMs', 'synthMs']);
  for (const ms of Object.values(report.timings)) t.true(ms >= 0);
});

test('main --native synthesizes the same templates as synth-native', (t) => {
  const viaMain = tempDir(t);
  const viaSynth = tempDir(t);
  const stdout = execFileSync(process.execPath, [path.join(EXAMPLE_DIR, 'main.js'), '--native', '--scale', '0.02', '--outdir', viaMain], {
    env: ENV,
    encoding: 'utf8',
  });
  t.regex(stdout, /^native: 6 stacks, 59 resources in /);
  execFileSync(process.execPath, [path.join(EXAMPLE_DIR, 'synth-native.js'), '--scale', '0.02', '--outdir', viaSynth], {
    env: ENV,
  });
  t.deepEqual(compareCloudAssemblies(viaMain, viaSynth).differences, []);
});

test('JSII_RING_NATIVE=1 selects the native libraries', (t) => {
  const outdir = tempDir(t);
  const stdout = execFileSync(process.execPath, [path.join(EXAMPLE_DIR, 'main.js'), '--scale', '0.02', '--outdir', outdir], {
    env: { ...ENV, JSII_RING_NATIVE: '1' },
    encoding: 'utf8',
  });
  t.regex(stdout, /^native: 6 stacks/);
});

test('unknown arguments are usage errors', (t) => {
  for (const script of ['main.js', 'synth-native.js']) {
    const run = spawnSync(process.execPath, [path.join(EXAMPLE_DIR, script), '--bogus'], { env: ENV, encoding: 'utf8' });
    t.is(run.status, 1);
    t.regex(run.stderr, /unknown argument --bogus; usage: /);
  }
});
