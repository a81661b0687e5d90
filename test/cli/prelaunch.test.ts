/**
 * Which `jsii-ring synth` command lines start the kernel worker before the command loads
 * (lib/cli/prelaunch.ts): those the command runs through our kernel over the ring; never
 * help, native mode, another transport, a flag that does not parse or a missing app file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { prelaunchForSynth } from '../../lib/cli/prelaunch.js';
import { discardPrelaunched, hasPrelaunched } from '../../lib/host/launch.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-prelaunch-'));
const app = path.join(dir, 'app.ts');
fs.writeFileSync(app, '');
test.after.always(() => {
  discardPrelaunched();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.serial('a synth through the worker prelaunches it (any mode over the ring, any spin budget)', (t) => {
  for (const argv of [[app], ['--app', app], [app, 'Stack*', '--json'], [app, '--mode', 'sync'], [app, '--spin', '0', '--transport', 'ring']]) {
    t.true(prelaunchForSynth(argv), argv.join(' '));
    t.true(hasPrelaunched());
    discardPrelaunched();
  }
});

test.serial('nothing is started for help, native mode, another transport, a bad flag or a missing app', (t) => {
  for (const argv of [
    [app, '--help'],
    [app, '--mode', 'native'],
    [app, '--transport', 'stdio'],
    [app, '--transport', 'in-thread'],
    [app, '--spin', 'lots'],
    [app, '--interrupt-budget', '0'],
    [app, '--no-such-flag'],
    [path.join(dir, 'missing.ts')],
    [],
  ]) {
    t.false(prelaunchForSynth(argv), argv.join(' '));
    t.false(hasPrelaunched());
  }
});

test.serial('JSII_RING_PRELAUNCH=0 turns it off', (t) => {
  process.env['JSII_RING_PRELAUNCH'] = '0';
  try {
    t.false(prelaunchForSynth([app]));
    t.false(hasPrelaunched());
  } finally {
    delete process.env['JSII_RING_PRELAUNCH'];
  }
});
