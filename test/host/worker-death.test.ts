/**
 * The kernel worker dies (library code calls `process.exit()`, throws from a timer, leaves
 * a promise rejection unhandled, or ends the thread while its module loads) while the host
 * is blocked: in a sync request, in `end`, in `flush()`, or waiting for pipeline room. The
 * host must get `ERR_PEER_GONE` naming the cause, every later call the same, and `close()`
 * must return: never a hang. Positions, caps and the work done before are seeded.
 *
 * `requestTimeoutMs` is only a safety net: a hang would fail as ERR_RING_TIMEOUT instead of
 * stalling the suite; no assertion depends on time.
 */
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { ObjRef } from '../../lib/protocol/api.js';
import { calcFqn, loadCalc, refOf } from './calc.js';
import { PROBE_CLASS, loadProbe, tempRoot, writeProbePackage } from './probe-package.js';
import type { ProbePackage } from './probe-package.js';
import { SeededRandom } from './seeded-random.js';

const CALCULATOR = calcFqn('Calculator');
const SAFETY_TIMEOUT_MS = 60_000;
const { root, remove } = tempRoot();
const probe = writeProbePackage(root);
test.after.always(remove);

/** How the kernel dies, where the host is blocked when it does, and what the error must say. */
interface Death {
  readonly name: string;
  /** Runs the requests that kill the kernel; returns when (if) one of them throws. */
  readonly run: (client: KernelClient, random: SeededRandom) => Promise<void> | void;
  readonly cause: RegExp;
  /** Pending caps this death makes sense with. */
  readonly caps: readonly number[];
}

const ANY_CAP = [1, 2, 8, 256, Infinity];

/** Begins `never()` on a probe object and waits in `end`: the kernel's event loop turns meanwhile. */
async function waitInEnd(client: KernelClient): Promise<void> {
  const id = client.allocateId();
  client.send({ api: 'create', fqn: PROBE_CLASS, args: [], objid: id });
  const begun = client.request({ api: 'begin', objref: refOf(PROBE_CLASS, id), method: 'never', args: [] });
  await client.requestAsync({ api: 'end', promiseid: begun.promiseid });
}

const DEATHS: readonly Death[] = [
  {
    name: 'process.exit() in a sync request',
    run: (client, random) => void client.request({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'exitNow', args: [random.int(1, 9)] }),
    cause: /exited \(code [1-9]\)/,
    caps: ANY_CAP,
  },
  {
    name: 'process.exit() in a pipelined request, host in flush()',
    run: (client, random) => {
      client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'exitNow', args: [random.int(1, 9)] });
      client.flush();
    },
    cause: /exited \(code [1-9]\)/,
    caps: [2, 8, 256, Infinity],
  },
  {
    name: 'process.exit() in a pipelined request, host waiting for room',
    run: (client, random) => {
      client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'exitNow', args: [random.int(1, 9)] });
      // The cap is small: one of these waits for room that never comes.
      for (let i = 0; i < 64; i++) {
        client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() });
      }
    },
    cause: /exited \(code [1-9]\)/,
    caps: [1, 2, 4],
  },
  {
    name: 'an exception thrown by a timer, host in end',
    run: async (client) => {
      client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'throwLater', args: ['timer bomb'] });
      await waitInEnd(client);
    },
    cause: /timer bomb/,
    caps: ANY_CAP,
  },
  {
    name: 'an unhandled rejection, host in end',
    run: async (client) => {
      client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'rejectLater', args: ['nobody catches this'] });
      await waitInEnd(client);
    },
    cause: /nobody catches this/,
    caps: ANY_CAP,
  },
  {
    name: 'process.exit() from a timer, host in end',
    run: async (client, random) => {
      client.send({ api: 'sinvoke', fqn: PROBE_CLASS, method: 'exitLater', args: [random.int(1, 9)] });
      await waitInEnd(client);
    },
    cause: /exited \(code [1-9]\)/,
    caps: ANY_CAP,
  },
  {
    name: 'process.exit() at module scope, host in load',
    run: (client) => loadProbe(client, deadlyPackage('exit-on-load')),
    cause: /exited \(code 7\)/,
    caps: ANY_CAP,
  },
  {
    name: 'a timer set at module scope throws, host in end',
    run: async (client) => {
      loadProbe(client, deadlyPackage('throw-later-on-load'));
      await waitInEnd(client);
    },
    cause: /thrown by a timer set at module scope/,
    caps: ANY_CAP,
  },
];

const deadly = new Map<string, ProbePackage>();
function deadlyPackage(behaviour: 'exit-on-load' | 'throw-later-on-load'): ProbePackage {
  let found = deadly.get(behaviour);
  if (found === undefined) {
    found = writeProbePackage(root, `jsii-ring-probe-${behaviour}`, behaviour);
    deadly.set(behaviour, found);
  }
  return found;
}

/** Some ordinary traffic first, so the death comes at a random point of a live session. */
function warmUp(client: KernelClient, random: SeededRandom): void {
  const calcs: ObjRef[] = [];
  for (let i = random.int(0, 60); i > 0; i--) {
    if (calcs.length === 0 || random.chance(0.3)) {
      const id = client.allocateId();
      client.send({ api: 'create', fqn: CALCULATOR, args: [], objid: id });
      calcs.push(refOf(CALCULATOR, id));
    } else if (random.chance(0.8)) {
      client.send({ api: 'set', objref: random.pick(calcs), property: 'value', value: i });
    } else {
      client.request({ api: 'get', objref: random.pick(calcs), property: 'value' });
    }
  }
}

for (let seed = 1; seed <= 16; seed++) {
  const random = new SeededRandom(seed * 7919);
  const death = DEATHS[(seed - 1) % DEATHS.length] as Death;
  const cap = random.pick(death.caps);
  test(`seed ${seed}: ${death.name} (cap ${cap}) gives ERR_PEER_GONE with the cause, never a hang`, async (t) => {
    const client = KernelClient.start({ pendingCap: cap, requestTimeoutMs: SAFETY_TIMEOUT_MS });
    t.teardown(() => client.terminate());
    loadCalc(client);
    loadProbe(client, probe);
    warmUp(client, random);

    let error: (Error & { code?: string }) | undefined;
    try {
      await death.run(client, random);
    } catch (e) {
      error = e as Error & { code?: string };
    }
    t.truthy(error, 'the death must surface as an error');
    t.is(error?.code, 'ERR_PEER_GONE', error?.stack);
    t.regex(error?.message ?? '', /The kernel is gone/);
    t.regex(error?.message ?? '', death.cause);
    // Every later call fails the same way, at once.
    const same = { code: 'ERR_PEER_GONE', message: error?.message ?? '' };
    t.throws(() => client.request({ api: 'stats' }), same);
    t.throws(() => client.send({ api: 'create', fqn: 'Object', objid: client.allocateId() }), same);
    t.throws(() => client.flush(), same);
    await t.notThrowsAsync(client.close());
  });
}

test('a module that throws at load time fails the load, and the kernel keeps serving', async (t) => {
  const client = KernelClient.start({ requestTimeoutMs: SAFETY_TIMEOUT_MS });
  t.teardown(() => client.terminate());
  const broken = writeProbePackage(root, 'jsii-ring-probe-throw-on-load', 'throw-on-load');
  const error = t.throws(() => loadProbe(client, broken));
  t.regex(error?.message ?? '', /broken at module scope/);
  t.not((error as { code?: string } | undefined)?.code, 'ERR_PEER_GONE');
  loadProbe(client, probe);
  t.is(client.request({ api: 'stats' }).objectCount, 0);
  await client.close();
});
