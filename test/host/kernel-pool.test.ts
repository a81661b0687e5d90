/**
 * `KernelPool`: leases are fresh kernels with the preloaded packages already loaded;
 * release closes the lease (reporting its deferred failures) and warms a replacement;
 * misuse is refused with stable codes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { KernelPool } from '../../lib/host/kernel-pool.js';
import { JsiiRingError } from '../../lib/errors.js';
import { ensureFixtures } from '../helpers/fixture.js';
import { CALC, calcFqn, refOf } from './calc.js';
import { tempRoot } from './probe-package.js';

const { root, remove } = tempRoot();
test.after.always(remove);

/** A directory from which `@jsii-ring/calc` resolves (a symlink to the built fixture). */
function calcResolveFrom(): string {
  const scope = path.join(root, 'node_modules', '@jsii-ring');
  if (!fs.existsSync(path.join(scope, 'calc'))) {
    fs.mkdirSync(scope, { recursive: true });
    fs.symlinkSync(ensureFixtures().calc.packageDir, path.join(scope, 'calc'), 'dir');
  }
  return root;
}

function calcPool(size: number): KernelPool {
  return new KernelPool({ size, preload: [CALC], resolveFrom: calcResolveFrom() });
}

const modeOf = (client: KernelClient): unknown => client.request({ api: 'sget', fqn: calcFqn('Statics'), property: 'mode' }).value;

test('leases are fresh kernels with the preloaded package loaded; nothing leaks from one lease to the next', async (t) => {
  const pool = calcPool(2);
  t.teardown(() => pool.close());
  t.is(pool.warm, 2);
  const first = pool.acquire();
  const second = pool.acquire();
  t.not(first, second);
  t.not(first.worker.threadId, second.worker.threadId);
  t.is(pool.warm, 0);
  // Loaded already: no `load` needed before using the package.
  const id = first.allocateId();
  first.send({ api: 'create', fqn: calcFqn('Calculator'), args: [{ initialValue: 4 }], objid: id });
  t.deepEqual(first.request({ api: 'invoke', objref: refOf(calcFqn('Calculator'), id), method: 'add', args: [1] }), { result: 5 });
  first.request({ api: 'sset', fqn: calcFqn('Statics'), property: 'mode', value: 'changed by a lease' });
  t.is(modeOf(first), 'changed by a lease');
  t.is(modeOf(second), 'normal', 'another lease is another kernel');
  await pool.release(first);
  const third = pool.acquire();
  t.is(modeOf(third), 'normal', 'a released kernel is never handed out again');
  t.is(third.request({ api: 'stats' }).objectCount, 0);
  await pool.release(second);
  await pool.release(third);
});

test('release closes the client and warms a replacement, even when the lease had failures to report', async (t) => {
  const pool = calcPool(1);
  t.teardown(() => pool.close());
  const client = pool.acquire();
  t.is(pool.warm, 0);
  client.send({ api: 'del', objref: refOf('Object', 'h31337') });
  await t.throwsAsync(pool.release(client), { code: 'ERR_DEFERRED_FAILURE' });
  t.throws(() => client.request({ api: 'stats' }), { code: 'ERR_CLOSED' });
  t.is(pool.warm, 1, 'a replacement is warmed');
  const next = pool.acquire();
  t.not(next, client);
  t.is(next.request({ api: 'naming', assembly: CALC }).naming !== undefined, true);
  // Past the warm ones, acquire starts a kernel on the spot, preloaded all the same.
  const extra = pool.acquire();
  t.is(extra.request({ api: 'sget', fqn: calcFqn('Statics'), property: 'ANSWER' }).value, 42);
  await pool.release(next);
  await pool.release(extra);
});

test('misuse: double release, foreign clients, a closed pool, bad options', async (t) => {
  const pool = calcPool(1);
  const client = pool.acquire();
  await pool.release(client);
  const twice = await t.throwsAsync(pool.release(client), { instanceOf: JsiiRingError });
  t.is(twice?.message, 'This client was not leased from this pool (or was already released)');
  t.is((twice as JsiiRingError | undefined)?.code, 'ERR_INVALID_OPTION');
  const foreign = KernelClient.start();
  t.teardown(() => foreign.close());
  await t.throwsAsync(pool.release(foreign), { message: 'This client was not leased from this pool (or was already released)' });

  const leased = pool.acquire();
  await pool.close();
  t.throws(() => pool.acquire(), { code: 'ERR_CLOSED', message: 'This kernel pool is closed' });
  t.throws(() => leased.request({ api: 'stats' }), { code: 'ERR_CLOSED' }, 'closing the pool closes its leases');
  t.is(pool.warm, 0);
  await t.notThrowsAsync(pool.close());

  t.throws(() => new KernelPool({ size: 0 }), { instanceOf: RangeError, message: 'options.size must be a positive integer (got 0)' });
  t.throws(() => new KernelPool({ size: 1.5 }), { instanceOf: RangeError, message: 'options.size must be a positive integer (got 1.5)' });
  t.throws(() => new KernelPool({ preload: ['@jsii-ring/no-such-package'], resolveFrom: root }), { message: /Cannot find module '@jsii-ring\/no-such-package\/package.json'/ });
});
