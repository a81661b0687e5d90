/**
 * A program that forgets `close()`: when its event loop empties, the client flushes on
 * `beforeExit`, so pipelined requests are all served and their failures are not lost (the
 * process exits non-zero with them printed). Run in child processes, as a program would be.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { tempRoot, writeProbePackage } from './probe-package.js';

const CHILD = path.join(__dirname, 'before-exit-child.js');
/** Only a safety net against a hang; nothing depends on time. */
const SAFETY_TIMEOUT_MS = 120_000;
const { root, remove } = tempRoot();
test.after.always(remove);

function runChild(...args: string[]): { status: number | null; stderr: string; stdout: string } {
  return runChildWith({}, ...args);
}

function runChildWith(env: NodeJS.ProcessEnv, ...args: string[]): { status: number | null; stderr: string; stdout: string } {
  const child = spawnSync(process.execPath, [CHILD, ...args], { encoding: 'utf8', timeout: SAFETY_TIMEOUT_MS, env: { ...process.env, ...env } });
  return { status: child.status, stderr: child.stderr, stdout: child.stdout };
}

test('pipelined failures of a program that never closes: it exits non-zero with the deferred error printed', (t) => {
  const { status, stderr } = runChildWith({ JSII_RING_CALL_SITES: '1' }, 'fail');
  t.not(status, 0);
  t.not(status, null, 'the child must exit by itself, not be killed by the safety timeout');
  t.regex(stderr, /PipelinedRequestError \[ERR_DEFERRED_FAILURE\]: Pipelined request #11 \(del Object@h424242\) failed/);
  t.regex(stderr, /and 1 more failed pipelined request/);
  t.regex(stderr, /issued at:[\s\S]*before-exit-child/, 'the call site of the failed request is printed');
});

test('without JSII_RING_CALL_SITES the deferred error says how to record the call site', (t) => {
  const { status, stderr } = runChildWith({ JSII_RING_CALL_SITES: '' }, 'fail');
  t.not(status, 0);
  t.regex(stderr, /Pipelined request #11 \(del Object@h424242\) failed/);
  t.regex(stderr, /issued at: not recorded \(set the client option captureCallSites: true, or JSII_RING_CALL_SITES=1\)/);
});

test('pipelined creates of a program that never closes: every one is served before it exits', (t) => {
  const probe = writeProbePackage(root);
  const file = path.join(root, 'served.txt');
  const count = 500;
  const { status, stderr } = runChild('serve', probe.packageDir, file, String(count));
  t.is(status, 0, stderr);
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  t.deepEqual(lines, Array.from({ length: count }, (_, i) => `line ${i}`));
});
