/**
 * 250,000 requests of every common kind (with callbacks, nested requests and errors mixed
 * in) leave the kernel exactly as it started: the same stack depth inside a callback, no
 * objects, callbacks or promises left behind, and a heap that does not grow with the
 * number of requests.
 */
import test from 'ava';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Kernel } from '../../lib/kernel/index.js';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { calcPackage, fqn } from './kernel-fixture.js';

const REQUESTS = 250_000;

/** Forces a full garbage collection (the flag can be set at run time; `gc` then exists in new contexts). */
function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

function stackDepth(): number {
  return (new Error().stack ?? '').split('\n').length;
}

test('250k requests: the stack does not grow and nothing is left behind', (t) => {
  let onCallback: () => unknown = () => 1;
  // A bare kernel: the test helpers record every callback, which would grow the heap.
  const kernel = new Kernel({ callbackHandler: () => onCallback() });
  const pkg = calcPackage();
  kernel.dispatch({ api: 'load', name: pkg.name, version: pkg.version, tarball: pkg.tarball } as KernelRequest);
  const calc = kernel.dispatch({ api: 'create', fqn: fqn('Calculator'), overrides: [{ method: 'bonus' }] }) as { '$jsii.byref': string };
  const baseline = (kernel.dispatch({ api: 'stats' }) as { objectCount: number }).objectCount;
  const depths: number[] = [];
  let callbacks = 0;
  // Raised so the line count is not capped by the default limit of 10 frames.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 200;
  onCallback = () => {
    callbacks++;
    if (callbacks === 1 || callbacks % 10_000 === 0) {
      depths.push(stackDepth());
    }
    if (callbacks % 100 === 0) {
      // A nested request from inside the callback.
      kernel.dispatch({ api: 'get', objref: calc, property: 'value' });
    }
    return 1;
  };

  const segment = { start: { x: 0, y: 0 }, end: { x: 3, y: 4 } };
  let faults = 0;
  let heapBefore = 0;
  for (let i = 0; i < REQUESTS; i++) {
    if (i === 20_000) {
      collectGarbage();
      heapBefore = process.memoryUsage().heapUsed;
    }
    switch (i % 8) {
      case 0: {
        const literal = kernel.dispatch({ api: 'create', fqn: fqn('Literal'), args: [i] });
        kernel.dispatch({ api: 'del', objref: literal as { '$jsii.byref': string } });
        break;
      }
      case 1: kernel.dispatch({ api: 'invoke', objref: calc, method: 'total' }); break;
      case 2: kernel.dispatch({ api: 'sget', fqn: fqn('Statics'), property: 'ANSWER' }); break;
      case 3: kernel.dispatch({ api: 'sinvoke', fqn: fqn('Geometry'), method: 'length', args: [segment] }); break;
      case 4: kernel.dispatch({ api: 'invoke', objref: calc, method: 'format', args: [i] }); break;
      case 5: kernel.dispatch({ api: 'sinvoke', fqn: fqn('Values'), method: 'echoAny', args: [{ a: [i, { b: 'c' }] }] }); break;
      case 6:
        try {
          kernel.dispatch({ api: 'invoke', objref: calc, method: 'nope' });
        } catch {
          faults++;
        }
        break;
      default: kernel.dispatch({ api: 'set', objref: calc, property: 'label', value: `l${i % 100}` }); break;
    }
  }
  Error.stackTraceLimit = limit;
  collectGarbage();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

  t.true(callbacks > 30_000, `callbacks: ${callbacks}`);
  t.true(faults > 30_000, `faults: ${faults}`);
  t.true(depths.length > 3);
  t.deepEqual(new Set(depths).size, 1, `stack depth inside callbacks: ${depths.join(', ')}`);
  t.deepEqual(kernel.dispatch({ api: 'stats' }), { objectCount: baseline });
  t.deepEqual(kernel.dispatch({ api: 'callbacks' }), { callbacks: [] });
  // The library keeps a history entry per `add`; none are made here, so growth is noise only.
  t.true(heapGrowth < 2 * 1024 * 1024, `heap grew by ${heapGrowth} bytes over ${REQUESTS - 20_000} requests`);
  t.log(`heap growth ${(heapGrowth / 1024).toFixed(0)} KiB; stack depth in callbacks ${depths[0]}`);
});
