/**
 * Every binding feature on the calc fixture, end to end through a real kernel. Registered
 * once per kind of connection (our kernel in this thread, the reference runtime over
 * stdio); `pipelined` says whether the connection takes client ids, which changes what a
 * pipelined result can know (its declared type) and when `===` holds.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { KernelConnection } from '../../../lib/host/connection.js';
import { flush, HOST_STACK_MARKER, JsiiObject, load, sameObject } from '../../../lib/bindings/index.js';
import { calcResolveFrom } from './packages.js';

/** How to reach a kernel for one run of the suite. */
export interface SuiteTarget {
  /** Prefix of every test title. */
  readonly name: string;
  readonly connect: () => KernelConnection;
  /** Library frames appear in kernel error stacks (our kernel keeps them; the reference does not). */
  readonly libraryFrames: boolean;
}

/** Registers the suite. One connection for the file, closed after. */
export function registerCalcSuite(target: SuiteTarget): void {
  let connection: KernelConnection | undefined;
  let calc: any;
  test.before(() => {
    connection = target.connect();
    calc = load('@jsii-ring/calc', { connection, resolveFrom: calcResolveFrom() });
  });
  test.after.always(async () => {
    await connection?.close();
  });
  const it = (title: string, fn: (t: ExecutionContext, calc: any) => void | Promise<void>): void => {
    test.serial(`${target.name}: ${title}`, (t) => fn(t, calc));
  };
  const pipelined = (): boolean => connection!.capabilities.objid;

  it('static methods, constants, properties and variadics', (t, calc) => {
    calc.Statics.reset();
    t.is(calc.Statics.add(2, 3), 5);
    t.is(calc.Statics.ANSWER, 42);
    t.is(calc.Statics.GREETING, 'hello');
    t.is(calc.Statics.join('/', 'a', 'b', 'c'), 'a/b/c');
    t.is(calc.Statics.mode, 'normal');
    calc.Statics.mode = 'fast';
    t.is(calc.Statics.mode, 'fast');
    new calc.Statics('x');
    t.is(calc.Statics.instanceCount, 1);
    calc.Statics.precision = 4;
    t.is(calc.Statics.precision, 4);
    const error = t.throws(() => {
      calc.Statics.precision = 42;
      calc.Statics.add(0, 0); // a sync point reports a pipelined failure
    });
    t.regex(error!.message, /precision must be an integer between 0 and 10, got 42/);
    t.is(calc.Statics.singleton().name, 'singleton');
  });

  it('enums in and out', (t, calc) => {
    t.is(calc.Geometry.nextColor(calc.Color.RED), calc.Color.GREEN);
    t.is(calc.Geometry.nextColor(calc.Color.BLUE), calc.Color.RED);
    t.is(calc.Geometry.round(1.5, calc.Rounding.DOWN), 1);
    t.is(calc.Geometry.round(1.5, calc.Rounding.UP), 2);
    const c = new calc.Calculator({ display: { precision: 1, rounding: calc.Rounding.UP } });
    t.is(c.displayOptions.rounding, calc.Rounding.UP);
  });

  it('structs in and out: nested, optional fields, frozen results', (t, calc) => {
    t.is(calc.Geometry.length({ start: { x: 0, y: 0 }, end: { x: 3, y: 4 } }), 5);
    const segment = calc.Geometry.segment(0, 0, 2, 4, 'diag');
    t.deepEqual({ ...segment }, { start: { x: 0, y: 0 }, end: { x: 2, y: 4 }, label: 'diag' });
    t.true(Object.isFrozen(segment));
    t.true(Object.isFrozen(segment.end));
    t.false('label' in calc.Geometry.segment(0, 0, 1, 1));
    t.deepEqual({ ...calc.Geometry.midpoint(segment) }, { x: 1, y: 2 });
    const echoed = calc.Geometry.echoProps({ initialValue: 3, tags: { env: 'dev' }, createdAt: new Date(5), display: { precision: 1 } });
    t.is(echoed.initialValue, 3);
    t.deepEqual({ ...echoed.tags }, { env: 'dev' });
    t.deepEqual(echoed.createdAt, new Date(5));
    t.is(echoed.display.precision, 1);
    // A key the struct does not declare: the reference drops it; a kernel that takes values
    // as JavaScript wrote them (js-values) keeps it, as the library called natively would.
    t.deepEqual(
      calc.Geometry.propKeys({ initialValue: 1, tags: {}, extra: true }),
      connection!.capabilities.jsValues ? ['extra', 'initialValue', 'tags'] : ['initialValue', 'tags'],
    );
  });

  it('classes: constructors, properties, setters that throw, inheritance', (t, calc) => {
    const c = new calc.Calculator({ initialValue: 10, name: 'c1' });
    t.is(c.add(5), 15);
    t.is(c.mul(2), 30);
    t.is(c.addAll(1, 2, 3), 36);
    t.is(c.value, 36);
    t.is(c.summary(), 'c1=36.00');
    c.value = 1;
    t.is(c.value, 1);
    const clamped = new calc.ClampedLiteral(5, 3, 10);
    t.throws(() => {
      clamped.max = -1;
      clamped.describe(); // a sync point reports a pipelined failure
    }, { message: /max must not be negative, got -1/ });
    t.is(clamped.value, 10);
    clamped.factor = 1;
    t.is(clamped.value, 5);
    t.is(clamped.describe(), 'ClampedLiteral(5)');
    t.true(clamped instanceof calc.ScaledLiteral);
    t.true(clamped instanceof calc.Operand);
    t.true(clamped instanceof JsiiObject);
    t.is(calc.Token.of(7).toString(), '#7');
    t.throws(() => new calc.Token(1), { instanceOf: TypeError, message: /Token has no public constructor/ });
  });

  it('interfaces implemented by plain host objects: methods, property reads and writes', (t, calc) => {
    const pipeline = new calc.Pipeline();
    const inc = { name: 'inc', apply: (x: number) => x + 1 };
    pipeline.add(inc).add(new calc.Doubler());
    t.is(pipeline.run(3), 8);
    t.deepEqual(pipeline.names(), ['inc', 'double']);
    const formatter = { prefix: '<', suffix: '>', format: (v: number) => `v${v}` };
    t.is(calc.Pipeline.formatWith(formatter, 2), '<v2>');
    calc.Pipeline.decorate(formatter, '!'); // void: pipelined; its callback runs by the next sync point
    flush(connection);
    t.is(formatter.suffix, '!');
    t.is(calc.ShapeFactory.areaOf({ area: 12 }), 12);
    t.is(calc.ShapeFactory.nameOf({ area: 1, name: 'duck' }), 'duck');
  });

  it('interfaces implemented by host classes extending the interface binding', (t, calc) => {
    class Triple extends calc.IOperation {
      public get name(): string { return 'triple'; }
      public apply(x: number): number { return x * 3; }
    }
    const op = new Triple();
    t.true(op instanceof calc.IOperation);
    t.is(new calc.Pipeline().add(op).run(2), 6);
    t.throws(() => new calc.IOperation(), { instanceOf: TypeError, message: /IOperation is a jsii interface/ });
  });

  it('subclasses override methods and properties; super reaches the library', (t, calc) => {
    class Mine extends calc.Calculator {
      public constructor(props: unknown) {
        super(props);
      }
      public bonus(): number { return 100 + super.bonus(); }
      public get label(): string { return `mine:${super.label}`; }
      public format(value: number): string { return `[${super.format(value)}]`; }
    }
    const m = new Mine({ initialValue: 1, name: 'm' });
    t.is(m.total(), 101);
    t.is(m.summary(), 'mine:m=[1.00]');
    class Five extends calc.Operand {
      public get value(): number { return 5; }
      public kind(): string { return `Five/${super.kind()}`; }
    }
    const five = new Five();
    t.is(five.describe(), 'Five/Operand(5)');
    t.is(new calc.Literal(2).plus(five), 7);
    // A subclass that also implements an interface its jsii class does not.
    class SquareLiteral extends calc.Literal {
      public constructor(value: number) {
        super(value);
      }
      public get area(): number { return this.value * this.value; }
      public get name(): string { return `sq${this.value}`; }
    }
    const sq = new SquareLiteral(3);
    t.is(calc.ShapeFactory.areaOf(sq), 9);
    t.is(calc.ShapeFactory.nameOf(sq), 'sq3');
  });

  it('async methods, including a host override of an async method', async (t, calc) => {
    const c = new calc.Calculator({ initialValue: 1 });
    t.is(await c.addLater(2), 3);
    await t.throwsAsync(() => c.failLater('nope'), { message: /failLater: nope/ });
    class Bonus extends calc.Calculator {
      public async fetchBonus(): Promise<number> {
        await new Promise((resolve) => setImmediate(resolve));
        return 10;
      }
    }
    t.is(await new Bonus().addFetchedBonus(), 10);
    // `begin` takes an object: kernels refuse static async methods; the caller still gets a promise.
    const sum = calc.Pipeline.sumFrom({ next: async () => 1 }, 2);
    t.true(sum instanceof Promise);
    await t.throwsAsync(sum, { message: /sumFrom is an async method/ });
  });

  it('library errors carry the message and both stacks', (t, calc) => {
    const error = t.throws(() => {
      calc.Thrower.throwDeep(2); // void: pipelined, reported at the next sync point
      flush(connection);
    });
    t.regex(error!.message, /deep failure in levelThree/);
    // Host frames: ours (after HOST_STACK_MARKER) or, when the connection recorded where
    // it issued the request, the connection's; library frames where the kernel keeps them.
    const stack = error!.stack!;
    t.regex(stack.slice(stack.indexOf('\n')), /calc-suite\.[jt]s/);
    if (target.libraryFrames) t.regex(stack, /levelThree/);
    if (stack.includes(HOST_STACK_MARKER)) t.regex(stack.split(HOST_STACK_MARKER)[1]!, /calc-suite\.[jt]s/);
    t.throws(() => {
      calc.Thrower.throwType();
      flush(connection);
    }, { message: /not the right type/ });
    t.throws(() => {
      calc.Thrower.throwString();
      flush(connection);
    }, { message: /a bare string/ });
  });

  it('host errors in callbacks propagate through library frames', (t, calc) => {
    const failing = { name: 'bad', apply(): number { throw new Error('host boom'); } };
    t.throws(() => calc.Thrower.applyThrough(failing, 1), { message: /host boom/ });
    t.is(calc.Thrower.catchFrom(failing, 1), 'caught:host boom');
    t.is(calc.Thrower.catchFrom({ name: 'ok', apply: (x: number) => x * 10 }, 2), 'ok:20');
    // Results of host code are checked against the declared return type.
    t.regex(calc.Thrower.catchFrom({ name: 'str', apply: () => 'ten' }, 2), /IOperation\.apply: the host implementation returned a value that must be a number, got string "ten"/);
    t.regex(calc.Thrower.catchFrom({ name: 'async', apply: async (x: number) => x }, 2), /returned a promise, but the library called it synchronously/);
  });

  it('identity: one host object per kernel object', (t, calc) => {
    const c = new calc.Calculator();
    const itself = c.itself();
    t.true(sameObject(itself, c));
    if (!pipelined()) t.is(itself, c);
    c.add(1);
    c.add(2);
    const history = c.historyItems;
    t.is(history.length, 2);
    t.is(history[1], c.last());
    t.is(c.historyItems[0], history[0]);
    const op = { name: 'id', apply: (x: number) => x };
    const pipeline = new calc.Pipeline();
    t.true(sameObject(pipeline.add(op), pipeline));
    t.is(pipeline.operations[0], op);
    t.is(pipeline.first(), op);
    class Seven extends calc.Operand {
      public get value(): number { return 7; }
    }
    const seven = new Seven();
    t.true(sameObject(c.store(seven), seven));
    t.is(c.memory, seven);
    t.is(c.recall(), 10);
  });

  it('instanceof: run-time class for read results, declared type for pipelined ones', (t, calc) => {
    const literal = calc.Values.literalOrNothing(3); // optional result: read, run-time class
    t.true(literal instanceof calc.Literal);
    const shape = calc.ShapeFactory.square(2); // declared IShape
    t.true(shape instanceof calc.IShape);
    t.is(shape.area, 4);
    t.is(shape instanceof calc.Square, !pipelined());
    const named = calc.ShapeFactory.named('n');
    t.true(named instanceof calc.INamed);
    t.is(named.name, 'n');
    const host = { area: 1 };
    calc.ShapeFactory.areaOf(host);
    t.true(host instanceof calc.IShape);
    t.false(host instanceof calc.INamed);
  });

  it('maps, dates, any, json, unions, optional values', (t, calc) => {
    t.is(calc.Values.sumMap({ a: 1, b: 2 }), 3);
    t.deepEqual(calc.Values.countMap(2), { key0: 0, key1: 1 });
    const literals = calc.Values.literalMap(1, 2);
    t.true(literals.l1 instanceof calc.Literal);
    t.is(calc.Values.sumLiterals(literals), 3);
    t.deepEqual(calc.Values.addDays(new Date(0), 1), new Date(86_400_000));
    t.deepEqual(calc.Values.epoch(), new Date(0));
    t.is(calc.Values.typeOfAny(new calc.Literal(1)), 'Literal');
    t.is(calc.Values.typeOfAny([1]), 'array');
    t.is(calc.Values.typeOfAny(new Date(0)), 'date');
    t.deepEqual(calc.Values.echoAny({ a: [1, 'x'] }), { a: [1, 'x'] });
    // (How the kernel carries JSON nulls is the kernel's business; the rest is checked.)
    const json = calc.Values.sampleJson();
    t.deepEqual([json.a, json.b[0], json.b[2], json.c], [1, true, 'x', { d: { e: [1.5, -2] } }]);
    t.is(calc.Values.unionKind(3), 'number:3');
    t.is(calc.Values.unionKind(new calc.Literal(4)), 'Literal:4');
    t.is(calc.Values.unionKind({ x: 1, y: 2 }), 'Point:1,2');
    t.is(calc.Values.unionKindReversed('s'), 'string:s');
    t.deepEqual(calc.Values.unionList([1, 'ab']), ['1', 2]);
    t.is(calc.Values.sumOperands(new calc.Literal(1), new calc.ScaledLiteral(2, 3)), 7);
    t.is(calc.Values.greet('hi', undefined, '?'), 'hi, world?');
    t.is(calc.Values.evenOrNothing(3), undefined);
    t.is(calc.Values.literalOrNothing(-1), undefined);
    const tricky = calc.Values.tricky();
    t.is(calc.Values.echoString(tricky), tricky);
    t.is(calc.Values.echoNumber(-1.5e300), -1.5e300);
  });
}
