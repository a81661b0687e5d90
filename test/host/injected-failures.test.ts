/**
 * Pipelined sequences with failures injected at random positions (seeded): a model of the
 * kernel's state predicts, for every request, whether it succeeds, fails on its own (a root
 * failure) or fails because it uses an id whose creation failed (a dependent failure, whose
 * error must name that id and the root cause). At random sync points the test checks that
 * exactly the failures issued since the previous sync point are reported, once, in order,
 * and that the independent requests took effect (values and object counts).
 */
import test from 'ava';
import { KernelClient } from '../../lib/host/kernel-client.js';
import { PipelinedRequestError } from '../../lib/host/pipeline.js';
import { FAULT_NAME, RUNTIME_ERROR_NAME } from '../../lib/protocol/api.js';
import type { KernelRequest } from '../../lib/protocol/api.js';
import { calcFqn, loadCalc, refOf } from './calc.js';
import { SeededRandom } from './seeded-random.js';

const CALCULATOR = calcFqn('Calculator');
const LITERAL = calcFqn('Literal');
const THROWER = calcFqn('Thrower');
const OPERATIONS = 400;

/** A failure the model predicts. */
interface Expected {
  readonly seq: number;
  readonly api: string;
  readonly jsiiName: string;
  /** Texts the error message must contain (the root id and root cause, for dependents). */
  readonly mentions: readonly string[];
}

/** An id whose creating request failed, and what its users' errors must mention. */
interface FailedId {
  readonly id: string;
  readonly mentions: readonly string[];
}

class Model {
  /** Live calculators by id, with their value. */
  public readonly calculators = new Map<string, number>();
  public readonly literals: string[] = [];
  public readonly failed: FailedId[] = [];
  public readonly deleted: string[] = [];
  /** Live objects (aliases are not objects). */
  public objects = 0;
  /** Failures issued since the last sync point, in seq order. */
  public pending: Expected[] = [];
  public allExpected: Expected[] = [];
  public sent = 0;

  public expect(failure: Expected): void {
    this.pending.push(failure);
    this.allExpected.push(failure);
  }
}

const SEEDS = [
  { seed: 1, cap: 1 },
  { seed: 2, cap: 3 },
  { seed: 3, cap: 16 },
  { seed: 4, cap: 64 },
  { seed: 5, cap: Infinity },
  { seed: 6, cap: 256 },
];

for (const { seed, cap } of SEEDS) {
  test(`seed ${seed}, pending cap ${cap}: every injected failure is reported once, at the next sync point, with its root cause`, async (t) => {
    const random = new SeededRandom(seed);
    let lastSeq = 0;
    const client = KernelClient.start({ pendingCap: cap, onRequest: (e) => (lastSeq = e.seq) });
    t.teardown(() => client.terminate());
    loadCalc(client);
    const model = new Model();
    const reported: number[] = [];
    let syncPoints = 0;

    const send = (request: KernelRequest): number => {
      client.send(request);
      model.sent++;
      return lastSeq;
    };
    const liveCalc = (): string | undefined => (model.calculators.size === 0 ? undefined : random.pick([...model.calculators.keys()]));

    /** Checks that the failures of the sync point just reached are exactly the model's. */
    const checkReported = (error: unknown): void => {
      const expected = model.pending;
      model.pending = [];
      if (expected.length === 0) {
        if (error !== undefined) throw error;
        return;
      }
      if (!(error instanceof PipelinedRequestError)) {
        t.fail(`seed ${seed}: expected ${expected.length} deferred failure(s) (first #${expected[0]?.seq}), got ${String(error)}`);
        return;
      }
      const all = [error, ...error.others];
      reported.push(...all.map((e) => e.seq));
      t.deepEqual(all.map((e) => e.seq), expected.map((e) => e.seq), `seed ${seed}: failures reported at sync point ${syncPoints}`);
      all.forEach((e, i) => {
        const want = expected[i];
        if (want === undefined) return;
        t.is(e.code, 'ERR_DEFERRED_FAILURE');
        t.is(e.request.api, want.api, `seed ${seed}: api of #${e.seq}`);
        t.is(e.jsiiName, want.jsiiName, `seed ${seed}: error name of #${e.seq}: ${e.message}`);
        for (const text of want.mentions) {
          t.true(e.message.includes(text), `seed ${seed}: #${e.seq} must mention ${text}: ${e.message}`);
        }
      });
    };

    /** A sync point of a random kind. */
    const syncPoint = (): void => {
      syncPoints++;
      const calc = liveCalc();
      const kind = random.pick(['flush', 'stats', 'get'] as const);
      let error: unknown;
      let read: unknown;
      const issue = (): unknown => {
        if (kind === 'flush') return client.flush();
        if (kind === 'stats' || calc === undefined) return client.request({ api: 'stats' }).objectCount;
        return client.request({ api: 'get', objref: refOf(CALCULATOR, calc), property: 'value' }).value;
      };
      try {
        read = issue();
      } catch (e) {
        error = e;
      }
      checkReported(error);
      if (error !== undefined && kind !== 'flush') {
        // The read itself was served; its answer gave way to the deferred failure. Reads
        // have no effect, so ask again.
        read = issue();
      }
      if (kind === 'stats' || (kind === 'get' && calc === undefined)) {
        t.is(read, model.objects, `seed ${seed}: object count at sync point ${syncPoints}`);
      } else if (kind === 'get' && calc !== undefined) {
        t.is(read, model.calculators.get(calc), `seed ${seed}: value of ${calc} at sync point ${syncPoints}`);
      }
    };

    for (let op = 0; op < OPERATIONS; op++) {
      const roll = random.next();
      const calc = liveCalc();
      if (roll < 0.2 || calc === undefined) {
        const id = client.allocateId();
        const value = random.int(0, 1000);
        send({ api: 'create', fqn: CALCULATOR, args: [{ initialValue: value }], objid: id });
        model.calculators.set(id, value);
        model.objects++;
      } else if (roll < 0.35) {
        const value = random.int(-1000, 1000);
        send({ api: 'set', objref: refOf(CALCULATOR, calc), property: 'value', value });
        model.calculators.set(calc, value);
      } else if (roll < 0.42) {
        const id = client.allocateId();
        send({ api: 'create', fqn: LITERAL, args: [random.int(0, 9)], objid: id });
        model.literals.push(id);
        model.objects++;
      } else if (roll < 0.47 && model.literals.length > 0) {
        // A handle-returning invoke: the new id becomes an alias of the stored literal.
        const literal = random.pick(model.literals);
        const alias = client.allocateId();
        send({ api: 'invoke', objref: refOf(CALCULATOR, calc), method: 'store', args: [refOf(LITERAL, literal)], objid: alias });
        model.literals.push(alias);
      } else if (roll < 0.52) {
        // Root failure with an id: an unknown type.
        const id = client.allocateId();
        const seq = send({ api: 'create', fqn: 'no.such.Type', objid: id });
        model.expect({ seq, api: 'create', jsiiName: FAULT_NAME, mentions: ['no.such.Type'] });
        model.failed.push({ id, mentions: [`@${id}`, 'no.such.Type'] });
      } else if (roll < 0.56) {
        // Root failure with an id: a constructor that throws.
        const id = client.allocateId();
        const seq = send({ api: 'create', fqn: THROWER, args: [true], objid: id });
        // A throwing library constructor keeps its JavaScript error name, as in the reference.
        model.expect({ seq, api: 'create', jsiiName: 'Error', mentions: ['deep failure in levelThree'] });
        model.failed.push({ id, mentions: [`@${id}`, 'deep failure in levelThree'] });
      } else if (roll < 0.6) {
        // Root failure without an id: a void static method that throws.
        const seq = send({ api: 'sinvoke', fqn: THROWER, method: 'throwDeep', args: [random.int(1, 4)] });
        model.expect({ seq, api: 'sinvoke', jsiiName: RUNTIME_ERROR_NAME, mentions: ['deep failure in levelThree'] });
      } else if (roll < 0.72 && model.failed.length > 0) {
        // Dependent failure: a request that uses an id whose creation failed.
        const root = random.pick(model.failed);
        const how = random.int(0, 2);
        if (how === 0) {
          const seq = send({ api: 'set', objref: refOf(CALCULATOR, root.id), property: 'value', value: 1 });
          model.expect({ seq, api: 'set', jsiiName: FAULT_NAME, mentions: root.mentions });
        } else if (how === 1) {
          const seq = send({ api: 'del', objref: refOf(CALCULATOR, root.id) });
          model.expect({ seq, api: 'del', jsiiName: FAULT_NAME, mentions: root.mentions });
        } else {
          // A chain: the failed id as an argument of a call that was to produce another id.
          const id = client.allocateId();
          const seq = send({ api: 'invoke', objref: refOf(CALCULATOR, calc), method: 'store', args: [refOf(LITERAL, root.id)], objid: id });
          model.expect({ seq, api: 'invoke', jsiiName: FAULT_NAME, mentions: root.mentions });
          model.failed.push({ id, mentions: [`@${id}`, ...root.mentions] });
        }
      } else if (roll < 0.76) {
        // An independent object is deleted; using it later is a root failure.
        send({ api: 'del', objref: refOf(CALCULATOR, calc) });
        model.calculators.delete(calc);
        model.deleted.push(calc);
        model.objects--;
      } else if (roll < 0.8 && model.deleted.length > 0) {
        const gone = random.pick(model.deleted);
        const seq = send({ api: 'set', objref: refOf(CALCULATOR, gone), property: 'value', value: 2 });
        model.expect({ seq, api: 'set', jsiiName: FAULT_NAME, mentions: [`@${gone}`] });
      } else {
        const value = random.int(0, 50);
        send({ api: 'set', objref: refOf(CALCULATOR, calc), property: 'value', value });
        model.calculators.set(calc, value);
      }
      if (random.chance(0.06)) {
        syncPoint();
      }
    }
    syncPoint();

    // Nothing dropped, nothing reported twice, every independent request served.
    t.deepEqual([...reported].sort((a, b) => a - b), model.allExpected.map((e) => e.seq), `seed ${seed}: reported failures`);
    t.is(new Set(reported).size, reported.length, `seed ${seed}: a failure was reported twice`);
    t.is(client.stats.pipelinedTotal, model.sent);
    t.is(client.stats.pipelinedFailures, model.allExpected.length);
    t.true(model.allExpected.length >= 20, `seed ${seed}: only ${model.allExpected.length} failures injected`);
    t.true(model.sent - model.allExpected.length >= 200, `seed ${seed}: too few independent requests`);
    t.is(client.request({ api: 'stats' }).objectCount, model.objects);
    for (const [id, value] of model.calculators) {
      t.is(client.request({ api: 'get', objref: refOf(CALCULATOR, id), property: 'value' }).value, value);
    }
    t.log(`seed ${seed}: ${model.sent} pipelined, ${model.allExpected.length} failed, ${syncPoints} sync points, ${client.stats.capWaits} cap waits, ${client.stats.aliases} aliases`);
    await client.close();
  });
}
