/**
 * A program that pipelines requests and never calls `close()` nor reaches a sync point,
 * run as a child process by `before-exit.test.ts`:
 * - `fail`: some of its requests fail; the process must exit non-zero, printing them;
 * - `serve <probeDir> <file> <count>`: `count` creates of the probe's `Recorder`, each of
 *   which appends a line to `file`; every one must be served before the process exits.
 */
import { KernelClient } from '../../lib/host/kernel-client.js';
import { PROBE, RECORDER_CLASS } from './probe-package.js';

const [mode, ...args] = process.argv.slice(2);
const client = KernelClient.start();
if (mode === 'fail') {
  for (let i = 0; i < 10; i++) {
    client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
  }
  client.send({ api: 'del', objref: { '$jsii.byref': 'Object@h424242' } });
  client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
  client.send({ api: 'del', objref: { '$jsii.byref': 'Object@h434343' } });
} else if (mode === 'serve') {
  const [probeDir, file, count] = args as [string, string, string];
  client.request({ api: 'load', name: PROBE, version: '1.0.0', path: probeDir });
  for (let i = 0; i < Number(count); i++) {
    client.send({ api: 'create', fqn: RECORDER_CLASS, args: [file, `line ${i}`], objid: client.allocateId() });
  }
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}
// No close(), no sync point: the event loop empties here.
