/**
 * The package entry (`require('jsii-ring')`): what README and the docs name is exported.
 */
import test from 'ava';
import * as entry from '../lib/index.js';

test('the entry exports what the README documents', (t) => {
  for (const name of ['load', 'loadAsync', 'flush', 'sameObject', 'KernelClient', 'KernelPool', 'DirectConnection', 'PipelinedRequestError', 'summarizeTimeline', 'compareCloudAssemblies', 'applyJitPolicy'] as const) {
    t.is(typeof entry[name], 'function', name);
  }
  t.is(entry.DEFAULT_PENDING_CAP, 64);
  t.is(entry.DEFAULT_SPIN, 300_000);
  t.is(entry.KERNEL_INTERRUPT_BUDGET, 300_000);
  t.is(entry.V8_DEFAULT_INTERRUPT_BUDGET, 67_584);
  t.deepEqual([...entry.HOST_TIMELINE_FIELDS], ['seq', 'issued', 'answered', 'pipelined', 'depth']);
  t.is(entry.ErrorCode.PEER_GONE, 'ERR_PEER_GONE');
});
