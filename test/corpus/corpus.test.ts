/**
 * Every app of the corpus (examples/corpus: apps written the ordinary way, importing
 * aws-cdk-lib by name) runs unchanged through `jsii-ring synth` in pipelined mode, and a
 * few of them in sync and native mode too; each cloud assembly is compared file by file
 * with a plain ts-node run of the same app (`benchmarks/corpus` runs every app in every
 * mode and times them). Stack traces aside (they name whatever ran the app), every file is
 * byte-identical.
 */
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies } from '../../lib/cloud-assembly.js';
import { loadCorpus, runOurs, runPlain } from '../../benchmarks/corpus/corpus.js';
import type { AppRun, CorpusApp } from '../../benchmarks/corpus/corpus.js';

const ENV = { CDK_VALIDATION: 'false' };
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-corpus-'));
test.after.always(() => fs.rmSync(OUT, { recursive: true, force: true }));

const apps = loadCorpus();
/** Apps also run in sync and native mode here: one with no app.synth(), host callbacks, stages. */
const ALL_MODES = new Set(['asset-lambda-api', 'order-workflow', 'governance-aspects', 'deployment-stages']);

test('the corpus has at least 25 apps, some without app.synth()', (t) => {
  t.true(apps.length >= 25, `${apps.length} apps`);
  t.true(apps.filter((a) => !a.synthCall).length >= 4);
});

function check(t: import('ava').ExecutionContext, app: CorpusApp, plainOut: string, mode: 'pipelined' | 'sync' | 'native'): void {
  const out = path.join(OUT, `${app.name}.${mode}`);
  const ours: AppRun = runOurs(app, mode, out, ENV);
  t.true(ours.ok, `${app.name} ${mode}: ${ours.stderr}`);
  if (mode !== 'native') {
    const calls = ours.report?.calls;
    t.true(calls !== undefined && calls.syncPoints + calls.pipelinedTotal > 5, `${app.name} ${mode}: reached the kernel`);
  }
  const comparison = compareCloudAssemblies(plainOut, out);
  t.deepEqual(comparison.differences, [], `${app.name} ${mode}`);
  t.true(comparison.templates > 0);
}

for (const app of apps) {
  test.serial(`${app.name}: unchanged through the kernel, identical to a plain ts-node run`, (t) => {
    const plainOut = path.join(OUT, `${app.name}.plain`);
    const plain = runPlain(app, plainOut, ENV);
    t.true(plain.ok, `${app.name} plain: ${plain.stderr}`);
    check(t, app, plainOut, 'pipelined');
    if (ALL_MODES.has(app.name)) {
      check(t, app, plainOut, 'sync');
      check(t, app, plainOut, 'native');
    }
  });
}
