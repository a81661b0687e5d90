/**
 * Question: how should the msgpack codec read a frame that sits in a ring's shared memory?
 *
 * Rivals, in one process, rounds interleaved, medians:
 * - msgpackr's default Node entry, which loads its optional native addon (msgpackr-extract)
 *   for strings; that addon is several times slower on shared views, so each frame is first
 *   copied out (what lib/protocol/codec.ts did before);
 * - the same entry reading the shared view directly (for the record);
 * - our codec (lib/protocol/codec.ts): msgpackr's pure-JavaScript build reading the shared
 *   view directly.
 * Plus the cost of loading each entry, in fresh processes (what every thread that loads the
 * codec pays at start-up).
 *
 * The frames are shaped like the protocol's (a create with a struct, a get, a string
 * response, a callback, a 3,000-character string response), written into a SharedArrayBuffer
 * as the rings hold them.
 *
 * Run: `npm run build && node dist/benchmarks/protocol/shared-decode.js [--quick]`
 * Prints a Markdown table.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { createCodec } from '../../lib/protocol/codec.js';
import { median } from '../results.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 15;
const LOAD_RUNS = quick ? 3 : 11;

const FRAMES: Record<string, unknown> = {
  'create (struct, 13 strings)': [3, 1234, 0, { api: 'create', fqn: 'aws-cdk-lib.aws_s3.Bucket', args: [{ '$jsii.byref': 'constructs.Construct@10005' }, 'MyBucket', { '$jsii.struct': { fqn: 'aws-cdk-lib.aws_s3.BucketProps', data: { bucketName: 'some-bucket-name-here', versioned: true, removalPolicy: { '$jsii.enum': 'aws-cdk-lib.RemovalPolicy/DESTROY' }, lifecycleRules: [{ expiration: { '$jsii.byref': 'aws-cdk-lib.Duration@10010' }, prefix: 'logs/' }] } } }], overrides: [], interfaces: [], objid: 'aws-cdk-lib.aws_s3.Bucket@10012' }],
  'get': [3, 1235, 0, { api: 'get', objref: { '$jsii.byref': 'aws-cdk-lib.aws_s3.Bucket@10012' }, property: 'bucketArn' }],
  'string response': [4, 1234, 0, { result: '${Token[TOKEN.1234]}' }],
  'callback': [5, 77, 0, { cbid: 'jsii::callback::20001', invoke: { objref: { '$jsii.byref': 'Object@20000', interfaces: ['constructs.IValidation'] }, method: 'validate', args: [] } }],
  'response, 3,000-char string': [4, 1, 0, { result: 'x'.repeat(3000) }],
};

interface Unpacker { unpack(bytes: Uint8Array): unknown }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Packr: DefaultPackr } = require('msgpackr') as typeof import('msgpackr');
const defaultEntry: Unpacker = new DefaultPackr({ useRecords: false, moreTypes: false, mapsAsObjects: true, variableMapSize: true });
const ours = createCodec('msgpack');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nativeLoaded = (require('msgpackr') as { isNativeAccelerationEnabled?: boolean }).isNativeAccelerationEnabled === true;

const VARIANTS: Record<string, (view: Uint8Array) => unknown> = {
  'default entry (native addon), copied out first': (view) => defaultEntry.unpack(Buffer.from(view)),
  'default entry (native addon), shared view': (view) => defaultEntry.unpack(view),
  'ours: pure JavaScript, shared view': (view) => ours.decode(view),
};

function sharedViews(): Record<string, Uint8Array> {
  const sab = new SharedArrayBuffer(1 << 16);
  const views: Record<string, Uint8Array> = {};
  let offset = 8;
  for (const [name, frame] of Object.entries(FRAMES)) {
    const bytes = ours.encode(frame);
    const view = new Uint8Array(sab, offset, bytes.byteLength);
    view.set(bytes);
    views[name] = view;
    offset += bytes.byteLength + 64;
  }
  return views;
}

function loadMs(specifier: string): number {
  const runs: number[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    const child = spawnSync(process.execPath, ['-e', `const t = performance.now(); require(${JSON.stringify(specifier)}); console.log(performance.now() - t);`], { encoding: 'utf8', cwd: __dirname });
    if (child.status !== 0) throw new Error(`loading ${specifier} failed: ${child.stderr}`);
    runs.push(Number(child.stdout));
  }
  return median(runs);
}

function main(): void {
  const views = sharedViews();
  const samples: Record<string, Record<string, number[]>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? Object.entries(VARIANTS) : Object.entries(VARIANTS).reverse();
    for (const [variant, decode] of order) {
      for (const [frame, view] of Object.entries(views)) {
        const n = (quick ? 2_000 : 40_000) / (view.byteLength > 1000 ? 5 : 1);
        const started = process.hrtime.bigint();
        for (let i = 0; i < n; i++) decode(view);
        ((samples[variant] ??= {})[frame] ??= []).push(Number(process.hrtime.bigint() - started) / n);
      }
    }
  }
  const frames = Object.keys(views);
  const lines = [
    `| decode, ns per frame (median of ${ROUNDS}) | ${frames.map((f) => `${f} (${views[f]!.byteLength} B)`).join(' | ')} |`,
    `| --- | ${frames.map(() => '---:').join(' | ')} |`,
    ...Object.keys(VARIANTS).map((v) => `| ${v} | ${frames.map((f) => Math.round(median(samples[v]![f]!)).toLocaleString('en-US')).join(' | ')} |`),
  ];
  const defaultLoad = loadMs('msgpackr');
  const pureLoad = loadMs('msgpackr/index-no-eval');
  process.stdout.write(`${lines.join('\n')}\n\n`);
  process.stdout.write(`Loading the entry in a fresh process, ms (median of ${LOAD_RUNS}): default (native addon ${nativeLoaded ? 'loaded' : 'not found'}) ${defaultLoad.toFixed(1)}, pure JavaScript ${pureLoad.toFixed(1)}.\n`);
  process.stdout.write(`Node ${process.version} · ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} vCPUs · load ${os.loadavg()[0]!.toFixed(2)}\n`);
}

main();
