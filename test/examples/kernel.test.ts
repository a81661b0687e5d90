import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies } from '../../examples/cdk-app/compare.js';
import { runApp, type RunMode } from '../../examples/cdk-app/main.js';

// Set before any kernel worker starts: a worker copies the environment when it starts.
process.env['CDK_VALIDATION'] = 'false';

const SCALE = 0.02;

function tempDir(t: { teardown(fn: () => void): void }, label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jsii-ring-${label}-`));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const mode of ['sync', 'pipelined'] as const satisfies readonly RunMode[]) {
  test.serial(`through the kernel (${mode}) the small app synthesizes byte-identical templates to native`, async (t) => {
    const native = await runApp({ mode: 'native', outdir: tempDir(t, 'native'), scale: SCALE });
    const kernel = await runApp({ mode, outdir: tempDir(t, mode), scale: SCALE });
    t.is(kernel.mode, mode);
    t.is(kernel.summary.resources, native.expectedResources);
    t.is(kernel.expectedResources, native.expectedResources);
    // The host aspect ran as kernel callbacks during synth and saw every resource.
    t.is(kernel.auditedResources, native.expectedResources);
    const comparison = compareCloudAssemblies(native.outdir, kernel.outdir);
    t.deepEqual(comparison.differences, []);
    t.true(comparison.identical);
    t.is(comparison.templates, 6);
  });
}
