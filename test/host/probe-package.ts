/**
 * Tiny jsii packages written by hand (a minimal `.jsii` assembly and an `index.js`) into a
 * temporary directory, loaded with the `load-path` extension. They let tests make library
 * code do what no well-behaved library does: end its thread, throw from a timer, or fail
 * at module scope; and they measure the kernel thread from inside (stack depth, heap).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KernelClient } from '../../lib/host/kernel-client.js';

/** The probe package's name and the fqns of its classes. */
export const PROBE = 'jsii-ring-probe';
export const PROBE_CLASS = `${PROBE}.Probe`;
/** `new Recorder(file, line)` appends `line` to `file`. */
export const RECORDER_CLASS = `${PROBE}.Recorder`;
/** A class whose module never finishes loading (its lazy export spins forever). */
export const STUCK_CLASS = `${PROBE}.Stuck`;

/** What the package's module does when it is required. */
export type ModuleBehaviour = 'ok' | 'exit-on-load' | 'throw-on-load' | 'throw-later-on-load';

const number = { primitive: 'number' };
const string = { primitive: 'string' };

/** Static methods of `Probe` (all void unless `returns`). */
const METHODS = [
  { name: 'exitNow', static: true, parameters: [{ name: 'code', type: number }] },
  { name: 'exitLater', static: true, parameters: [{ name: 'code', type: number }] },
  { name: 'throwLater', static: true, parameters: [{ name: 'message', type: string }] },
  { name: 'rejectLater', static: true, parameters: [{ name: 'message', type: string }] },
  { name: 'stackDepth', static: true, returns: { type: number } },
  { name: 'heapUsed', static: true, returns: { type: number } },
  { name: 'spinForever', static: true },
  { name: 'hogMemory', static: true },
  { name: 'fail', static: true, parameters: [{ name: 'message', type: string }] },
  { name: 'sleep', static: true, parameters: [{ name: 'ms', type: number }] },
  { name: 'never', async: true, returns: { type: number } },
  { name: 'later', async: true, parameters: [{ name: 'value', type: number }], returns: { type: number } },
];

const PROBE_SOURCE = `'use strict';
const RTTI = Symbol.for('jsii.rtti');
let gc;
class Probe {
  static exitNow(code) { process.exit(code); }
  static exitLater(code) { setTimeout(() => process.exit(code), 0); }
  static throwLater(message) { setTimeout(() => { throw new Error(message); }, 0); }
  static rejectLater(message) { Promise.reject(new Error(message)); }
  /** A library that never returns. */
  static spinForever() { for (;;) { /* stuck */ } }
  /** A library that allocates until its isolate runs out of heap. */
  static hogMemory() { const hoard = []; for (;;) hoard.push(new Array(100000).fill(1.5)); }
  static fail(message) { throw new Error(message); }
  /** Blocks the kernel thread for \`ms\` (no event loop turn). */
  static sleep(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }
  /** How many frames this thread can still push: shrinks if the server's stack grows. */
  static stackDepth() {
    let depth = 0;
    const dive = () => { depth++; dive(); };
    try { dive(); } catch { /* RangeError: the bottom */ }
    return depth;
  }
  /** Heap used by this thread's isolate after a full collection. */
  static heapUsed() {
    if (gc === undefined) {
      require('node:v8').setFlagsFromString('--expose-gc');
      gc = require('node:vm').runInNewContext('gc');
    }
    gc();
    return process.memoryUsage().heapUsed;
  }
  never() { return new Promise(() => undefined); }
  later(value) { return new Promise((resolve) => setTimeout(() => resolve(value), 0)); }
}
Object.defineProperty(Probe, RTTI, { value: { fqn: '${PROBE_CLASS}', version: '1.0.0' } });
exports.Probe = Probe;
/** Appends a line to a file when constructed: evidence, outside the process, that a create was served. */
class Recorder {
  constructor(file, line) { require('node:fs').appendFileSync(file, line + '\\n'); }
}
Object.defineProperty(Recorder, RTTI, { value: { fqn: '${PROBE}.Recorder', version: '1.0.0' } });
exports.Recorder = Recorder;
/** A class whose (lazy) export never finishes loading: a module stuck at its top level. */
Object.defineProperty(exports, 'Stuck', { enumerable: true, get() { for (;;) { /* stuck */ } } });
`;

const MODULE_PRELUDE: Record<ModuleBehaviour, string> = {
  'ok': '',
  'exit-on-load': 'process.exit(7);\n',
  'throw-on-load': "throw new Error('broken at module scope');\n",
  'throw-later-on-load': "setTimeout(() => { throw new Error('thrown by a timer set at module scope'); }, 0);\n",
};

/** A written probe package. */
export interface ProbePackage {
  readonly name: string;
  readonly version: string;
  readonly packageDir: string;
}

/** Writes a probe package named `name` whose module behaves as `behaviour`, under `root`. */
export function writeProbePackage(root: string, name: string = PROBE, behaviour: ModuleBehaviour = 'ok'): ProbePackage {
  const version = '1.0.0';
  const packageDir = path.join(root, name);
  const fqn = `${name}.Probe`;
  const assembly = {
    schema: 'jsii/0.10.0',
    name,
    version,
    description: 'A probe of the kernel thread, for tests',
    homepage: 'https://example.com',
    author: { name: 'jsii-ring tests', roles: ['author'] },
    license: 'Apache-2.0',
    repository: { type: 'git', url: 'https://example.com' },
    jsiiVersion: '6.0.16',
    fingerprint: 'hand-written',
    targets: { js: { npm: name } },
    types: {
      [fqn]: { assembly: name, fqn, kind: 'class', name: 'Probe', initializer: {}, methods: METHODS },
      [`${name}.Recorder`]: {
        assembly: name, fqn: `${name}.Recorder`, kind: 'class', name: 'Recorder',
        initializer: { parameters: [{ name: 'file', type: string }, { name: 'line', type: string }] },
      },
      [`${name}.Stuck`]: { assembly: name, fqn: `${name}.Stuck`, kind: 'class', name: 'Stuck', initializer: {} },
    },
  };
  fs.mkdirSync(packageDir, { recursive: true });
  fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name, version, main: 'index.js', jsii: { outdir: 'dist', targets: {} } }));
  fs.writeFileSync(path.join(packageDir, '.jsii'), JSON.stringify(assembly));
  fs.writeFileSync(path.join(packageDir, 'index.js'), MODULE_PRELUDE[behaviour] + PROBE_SOURCE.split(PROBE).join(name));
  return { name, version, packageDir };
}

/** A fresh temporary directory (removed by the returned function). */
export function tempRoot(): { root: string; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-probe-'));
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Loads a probe package into a client (a sync request). */
export function loadProbe(client: KernelClient, probe: ProbePackage): void {
  client.request({ api: 'load', name: probe.name, version: probe.version, path: probe.packageDir });
}
