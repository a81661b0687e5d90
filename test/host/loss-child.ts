/**
 * Run by worker-loss.test.ts in a process of its own (`node --max-old-space-size=…`, so the
 * kernel worker's heap is small): a kernel runs out of memory while the host is blocked in
 * a sync request (`sync`), in `flush()` (`flush`), or waiting for room in a full request
 * ring (`ring`). Prints one JSON line: what the host
 * caught, then what `close()` added once the worker's end was heard.
 */
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelLostError } from '../../lib/host/kernel-lost.js';
import { PROBE_CLASS, loadProbe, tempRoot, writeProbePackage } from './probe-package.js';

async function main(where: string): Promise<void> {
  const { root, remove } = tempRoot();
  // The safety net only turns a hang into ERR_RING_TIMEOUT, which the test refuses.
  const client = KernelClient.start({ pendingCap: Infinity, requestTimeoutMs: 60_000, requestRingBytes: where === 'ring' ? 4096 : undefined });
  loadProbe(client, writeProbePackage(root));
  let caught: KernelLostError | undefined;
  try {
    if (where === 'sync') {
      client.request({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'hogMemory', args: [] });
    } else if (where === 'ring') {
      client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'hogMemory', args: [] });
      const big = 'x'.repeat(1000);
      // The dying kernel reads none of these: the small ring fills and the host waits for room.
      for (let i = 0; i < 10_000; i++) client.send({ api: 'create', fqn: 'Object', args: [big], objid: client.allocateId() });
      client.flush();
    } else {
      for (let i = 0; i < 10; i++) client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
      client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'hogMemory', args: [] });
      for (let i = 0; i < 20; i++) client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
      client.flush();
    }
  } catch (error) {
    caught = error as KernelLostError;
  }
  const atCatch = { code: caught?.code, message: caught?.message, serving: caught?.serving, unserved: caught?.unserved, pending: client.pending };
  await client.close();
  const end = caught?.workerEnd as { exitCode: number; error?: { code?: string } } | undefined;
  process.stdout.write(`${JSON.stringify({ ...atCatch, exitCode: end?.exitCode, workerErrorCode: end?.error?.code, finalMessage: caught?.message })}\n`);
  remove();
}

void main(process.argv[2] ?? 'sync');
