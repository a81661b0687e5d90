/** begin/end, async overrides completed through callbacks/complete. */
import type { ConformanceScript } from '../script.js';
import { LOAD, create, fault, fqn, ok, req, runtimeError } from './common.js';

/** Scripts over async methods. */
export const ASYNC: readonly ConformanceScript[] = [
  {
    name: 'async-resolves',
    description: 'An async method begun and ended; two in flight ended in reverse order.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      ok('begin addLater', req.begin('c', 'addLater', [2]), { capture: { p1: 'promiseid' } }),
      ok('end', req.end('p1'), { expectOk: { result: 2 } }),
      ok('value', req.get('c', 'value'), { expectOk: { value: 2 } }),
      ok('begin a', req.begin('c', 'addLater', [10]), { capture: { pa: 'promiseid' } }),
      ok('begin b', req.begin('c', 'addLater', [100]), { capture: { pb: 'promiseid' } }),
      ok('end b first', req.end('pb'), { expectOk: { result: 112 } }),
      ok('end a', req.end('pa'), { expectOk: { result: 12 } }),
    ],
  },
  {
    name: 'async-rejects',
    description: 'An async method that rejects: begin succeeds, end fails with the library error.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      ok('begin failLater', req.begin('c', 'failLater', ['nope']), { capture: { p: 'promiseid' } }),
      runtimeError('end rejects', req.end('p')),
      ok('still serving', req.get('c', 'value'), { expectOk: { value: 0 } }),
    ],
  },
  {
    name: 'async-override-resolves',
    description: 'An async method the host overrides: the kernel queues a callback, the host completes it.',
    steps: [
      LOAD,
      create('c', 'Calculator', [], { overrides: [{ method: 'fetchBonus', cookie: 'fb' }] }),
      ok('begin addFetchedBonus', req.begin('c', 'addFetchedBonus'), { capture: { p: 'promiseid' } }),
      ok('callbacks', req.callbacks(), { capture: { cb: 'callbacks/0/cbid' } }),
      ok('complete', req.complete('${cb}', { result: 4 })),
      ok('no more callbacks', req.callbacks(), { expectOk: { callbacks: [] } }),
      ok('end', req.end('p'), { expectOk: { result: 4 } }),
    ],
  },
  {
    name: 'async-override-rejects',
    description: 'The host completes an async override with an error: end fails.',
    steps: [
      LOAD,
      create('c', 'Calculator', [], { overrides: [{ method: 'fetchBonus' }] }),
      ok('begin', req.begin('c', 'addFetchedBonus'), { capture: { p: 'promiseid' } }),
      ok('callbacks', req.callbacks(), { capture: { cb: 'callbacks/0/cbid' } }),
      ok('complete with err', req.complete('${cb}', { err: 'no bonus today' })),
      runtimeError('end rejects', req.end('p')),
    ],
  },
  {
    name: 'async-host-interface',
    description: 'A library async method awaiting a host-implemented async interface several times.',
    steps: [
      LOAD,
      create('src', 'Object', [], { interfaces: [fqn('IAsyncSource')], overrides: [{ method: 'next' }] }),
      create('c', 'Calculator'),
      ok('begin', req.begin('c', 'addFromSource', ['${src}', 2]), { capture: { p: 'promiseid' } }),
      ok('first callback', req.callbacks(), { capture: { cb1: 'callbacks/0/cbid' } }),
      ok('complete first', req.complete('${cb1}', { result: 3 })),
      ok('second callback', req.callbacks(), { capture: { cb2: 'callbacks/0/cbid' } }),
      ok('complete second', req.complete('${cb2}', { result: 4 })),
      ok('end', req.end('p'), { expectOk: { result: 7 } }),
    ],
  },
  {
    name: 'async-errors',
    description: 'Misuse of begin/end/callbacks/complete.',
    steps: [
      LOAD,
      create('c', 'Calculator'),
      ok('callbacks when none', req.callbacks(), { expectOk: { callbacks: [] } }),
      fault('end unknown promise', { api: 'end', promiseid: 'jsii::promise::99999' }),
      fault('begin unknown method', req.begin('c', 'nope')),
      fault('begin a sync method', req.begin('c', 'total')),
      fault('invoke an async method', req.invoke('c', 'addLater', [1])),
      fault('sinvoke a static async method', req.sinvoke('Pipeline', 'sumFrom', [null, 1])),
      fault('complete unknown callback', req.complete('jsii::callback::99999', { result: 1 })),
      ok('begin', req.begin('c', 'addLater', [1]), { capture: { p: 'promiseid' } }),
      ok('end', req.end('p'), { expectOk: { result: 1 } }),
      fault('end twice', req.end('p')),
    ],
  },
];
