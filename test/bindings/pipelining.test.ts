/**
 * Which calls are pipelined and which are sync points, decided from the declared types of
 * the calc fixture's assembly; checked on a scripted connection that records each request.
 */
import test from 'ava';
import { load, sameObject } from '../../lib/bindings/index.js';
import { TOKEN_REF } from '../../lib/protocol/api.js';
import type { CreateRequest, InvokeRequest, KernelRequest } from '../../lib/protocol/api.js';
import { calcResolveFrom } from './helpers/packages.js';
import { ScriptedConnection } from './helpers/scripted-connection.js';

function setup(capabilities: ConstructorParameters<typeof ScriptedConnection>[0] = {}): { conn: ScriptedConnection; calc: any } {
  const conn = new ScriptedConnection(capabilities);
  const calc = load('@jsii-ring/calc', { connection: conn, resolveFrom: calcResolveFrom() });
  return { conn, calc };
}

function ref(request: KernelRequest): string | undefined {
  return 'objref' in request ? request.objref[TOKEN_REF] : undefined;
}

test('load pipelines one load request with the package path when the kernel can load paths', (t) => {
  const { conn } = setup();
  const loads = conn.log.filter((r) => r.request.api === 'load');
  t.is(loads.length, 1);
  // A pipelining connection: the program goes on while the kernel loads.
  t.is(loads[0]!.mode, 'send');
  t.like(loads[0]!.request, { api: 'load', name: '@jsii-ring/calc', version: '1.0.0' });
  t.truthy((loads[0]!.request as { path?: string }).path);
});

test('new is a pipelined create with a client id; the ref is fqn@id', (t) => {
  const { conn, calc } = setup();
  const c = new calc.Calculator({ initialValue: 1 });
  const create = conn.last();
  t.is(create.mode, 'send');
  t.like(create.request, { api: 'create', fqn: '@jsii-ring/calc.Calculator', objid: 'h1' });
  t.deepEqual((create.request as CreateRequest).args, [{ '$jsii.struct': { fqn: '@jsii-ring/calc.CalculatorProps', data: { initialValue: 1 } } }]);
  c.add(2);
  t.is(ref(conn.last().request), '@jsii-ring/calc.Calculator@h1');
});

test('a method returning a class is pipelined and hands out a proxy of the declared type', (t) => {
  const { conn, calc } = setup();
  const c = new calc.Calculator();
  const same = c.itself();
  const call = conn.last();
  t.is(call.mode, 'send');
  t.like(call.request, { api: 'invoke', method: 'itself', objid: 'h2' });
  t.true(same instanceof calc.Calculator);
  // No alias notice yet: a distinct proxy under its own id.
  t.not(same, c);
  t.false(sameObject(same, c));
  same.add(1);
  t.is(ref(conn.last().request), '@jsii-ring/calc.Calculator@h2');
});

test('a static method returning an interface gives a proxy of the interface binding', (t) => {
  const { conn, calc } = setup();
  const shape = calc.ShapeFactory.square(3);
  t.like(conn.last(), { mode: 'send', request: { api: 'sinvoke', method: 'square', objid: 'h1' } });
  t.true(shape instanceof calc.IShape);
  // Only the declared type is known for a pipelined result.
  t.false(shape instanceof calc.Square);
  conn.responder = () => ({ value: 9 });
  t.is(shape.area, 9);
  t.like(conn.last(), { mode: 'request', request: { api: 'get', property: 'area' } });
  t.is(ref(conn.last().request), '@jsii-ring/calc.IShape@h1');
});

test('values, optional results, structs, enums and collections are sync points', (t) => {
  const { conn, calc } = setup();
  const c = new calc.Calculator();
  conn.responder = () => ({ result: 3 });
  t.is(c.add(3), 3);
  conn.responder = () => ({});
  t.is(c.last(), undefined); // Literal | undefined: optional, read
  conn.responder = () => ({ result: { '$jsii.struct': { fqn: '@jsii-ring/calc.Point', data: { x: 1, y: 2 } } } });
  t.deepEqual(calc.Geometry.midpoint({ start: { x: 0, y: 0 }, end: { x: 2, y: 4 } }), { x: 1, y: 2 });
  conn.responder = () => ({ result: { '$jsii.enum': '@jsii-ring/calc.Color/BLUE' } });
  t.is(calc.Geometry.nextColor(calc.Color.GREEN), calc.Color.BLUE);
  conn.responder = () => ({ value: [] });
  t.deepEqual(c.historyItems, []);
  t.deepEqual(conn.calls(), ['send create', 'request invoke', 'request invoke', 'request sinvoke', 'request sinvoke', 'request get']);
});

test('void methods and property writes are pipelined', (t) => {
  const { conn, calc } = setup();
  const square = new calc.Square(2);
  square.scale(3);
  square.side = 4;
  calc.Statics.mode = 'x';
  calc.Statics.reset();
  t.deepEqual(conn.calls(), ['send create', 'send invoke', 'send set', 'send sset', 'send sinvoke']);
  t.like(conn.log[conn.log.length - 3]!.request, { api: 'set', property: 'side', value: 4 });
});

test('without client ids, object-producing calls are sync points', (t) => {
  const { conn, calc } = setup({ objid: false });
  conn.responder = (r) => (r.api === 'create' ? { [TOKEN_REF]: '@jsii-ring/calc.Calculator@10000' } : { result: { [TOKEN_REF]: '@jsii-ring/calc.Calculator@10000' } });
  const c = new calc.Calculator();
  const same = c.itself();
  t.is(same, c);
  t.deepEqual(conn.calls(), ['request create', 'request invoke']);
  t.is((conn.log[conn.log.length - 1]!.request as InvokeRequest).objid, undefined);
});

test('an alias notice delivered during the send makes the call return the first proxy', (t) => {
  const { conn, calc } = setup();
  const c = new calc.Calculator();
  conn.afterSend = (r) => {
    if (r.api === 'invoke' && r.objid !== undefined) conn.aliasHandler!(r.objid, '@jsii-ring/calc.Calculator@h1');
  };
  t.is(c.itself(), c);
});

test('an alias notice delivered later makes both proxies the same object, and later refs resolve to the first', (t) => {
  const { conn, calc } = setup();
  const c = new calc.Calculator();
  const other = c.itself();
  t.not(other, c);
  conn.aliasHandler!('h2', '@jsii-ring/calc.Calculator@h1');
  t.true(sameObject(other, c));
  t.not(other, c);
  // A result naming the alias id resolves to the first proxy.
  conn.responder = () => ({ result: { [TOKEN_REF]: '@jsii-ring/calc.Calculator@h2' } });
  t.is(calc.Values.echoAny(1), c);
});

test('a host object passed as an interface becomes one create of Object, remembered', (t) => {
  const { conn, calc } = setup();
  const pipeline = new calc.Pipeline();
  const op = { name: 'inc', apply: (x: number) => x + 1, extra: 1 };
  pipeline.add(op);
  pipeline.add(op);
  const creates = conn.log.filter((r) => r.request.api === 'create').map((r) => r.request as CreateRequest);
  t.is(creates.length, 2); // the Pipeline, then the host object once
  t.like(creates[1], { fqn: 'Object', interfaces: ['@jsii-ring/calc.IOperation'] });
  t.deepEqual(creates[1]!.overrides, [{ property: 'name' }, { method: 'apply' }, { property: 'extra' }]);
  const adds = conn.log.filter((r) => r.request.api === 'invoke').map((r) => r.request as InvokeRequest);
  t.deepEqual(adds.map((a) => a.args), [[{ [TOKEN_REF]: 'Object@h2' }], [{ [TOKEN_REF]: 'Object@h2' }]]);
});

test('a host subclass sends overrides for the members it defines, methods and accessors', (t) => {
  const { conn, calc } = setup();
  class Mine extends calc.Calculator {
    public bonus(): number { return 1; }
    public get label(): string { return 'mine'; }
    public helper(): number { return 2; } // not a jsii member: an untyped override
    public get area(): number { return 1; } // IShape's, not Calculator's
  }
  class Deeper extends Mine {
    public format(v: number): string { return String(v); }
  }
  new Deeper();
  const create = conn.last().request as CreateRequest;
  t.is(create.fqn, '@jsii-ring/calc.Calculator');
  t.deepEqual(create.overrides, [{ method: 'format' }, { method: 'bonus' }, { property: 'label' }, { method: 'helper' }, { property: 'area' }]);
});

test('a failed pipelined create leaves no registered object behind', (t) => {
  const { conn, calc } = setup({ pipeline: false });
  conn.afterSend = () => { throw new Error('kernel says no'); };
  const error = t.throws(() => new calc.Calculator());
  t.is(error?.message, 'kernel says no');
  conn.afterSend = () => undefined;
  // h1 was the failed object's id: a later ref to it must not find the half-made object.
  conn.responder = () => ({ result: { [TOKEN_REF]: '@jsii-ring/calc.Literal@h1' } });
  const got = calc.Values.literalOrNothing(1);
  t.true(got instanceof calc.Literal);
  t.false(got instanceof calc.Calculator);
});

test('async methods begin (sync), poll callbacks, then end asynchronously', async (t) => {
  const { conn, calc } = setup();
  const c = new calc.Calculator();
  conn.responder = (r) => {
    switch (r.api) {
      case 'begin': return { promiseid: 'p1' };
      case 'callbacks': return { callbacks: [] };
      case 'end': return { result: 5 };
      default: return {};
    }
  };
  t.is(await c.addLater(4), 5);
  t.deepEqual(conn.calls(), ['send create', 'request begin', 'request callbacks', 'request callbacks', 'requestAsync end']);
});
