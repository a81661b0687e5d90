/**
 * The bindings' building blocks on their own: the default-connection session, result
 * kinds from declared types, the type system's member tables, the object table's
 * identity and aliases, and the namespace index.
 */
import test from 'ava';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  getDefaultConnection, resultKind, setDefaultConnection, setDefaultConnectionFactory, TypeSystem,
} from '../../lib/bindings/index.js';
import { NamespaceIndex } from '../../lib/bindings/namespace.js';
import { ObjectTable, PROXY_HOLD_MS, sameObject, stateOf } from '../../lib/bindings/object-table.js';
import { idOfRef, fqnOfRef } from '../../lib/bindings/type-system.js';
import { ErrorCode, JsiiRingError } from '../../lib/errors.js';
import { openAssembly, type AssemblySource } from '../../lib/kernel/assemblies/index.js';
import { ensureFixtures } from '../helpers/fixture.js';
import { repoResolveFrom } from './helpers/packages.js';
import { ScriptedConnection } from './helpers/scripted-connection.js';
import type * as spec from '@jsii/spec';

const CALC = '@jsii-ring/calc';

function calcTypes(): TypeSystem {
  const types = new TypeSystem();
  types.addAssembly(openAssembly(ensureFixtures().calc.packageDir));
  return types;
}

function method(types: TypeSystem, type: string, name: string): spec.Method {
  const t = types.findType(`${CALC}.${type}`) as spec.ClassType;
  const m = t.methods?.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no method ${type}.${name}`);
  return m;
}

function property(types: TypeSystem, type: string, name: string): spec.Property {
  const t = types.findType(`${CALC}.${type}`) as spec.ClassType;
  const p = t.properties?.find((x) => x.name === name);
  if (p === undefined) throw new Error(`no property ${type}.${name}`);
  return p;
}

// --- session --------------------------------------------------------------------------

test.serial('getDefaultConnection without a connection or a factory is a JsiiRingError', (t) => {
  setDefaultConnection(undefined);
  setDefaultConnectionFactory(undefined);
  const error = t.throws(() => getDefaultConnection(), { instanceOf: JsiiRingError });
  t.is(error?.code, ErrorCode.INVALID_OPTION);
  t.regex(error?.message ?? '', /setDefaultConnectionFactory/);
});

test.serial('the default connection factory is called once; a set connection wins', (t) => {
  setDefaultConnection(undefined);
  let calls = 0;
  const made = new ScriptedConnection();
  setDefaultConnectionFactory(() => {
    calls++;
    return made;
  });
  t.is(getDefaultConnection(), made);
  t.is(getDefaultConnection(), made);
  t.is(calls, 1);
  const other = new ScriptedConnection();
  setDefaultConnection(other);
  t.is(getDefaultConnection(), other);
  setDefaultConnection(undefined);
  setDefaultConnectionFactory(undefined);
});

test.serial('a factory that returns no connection is reported', (t) => {
  setDefaultConnection(undefined);
  setDefaultConnectionFactory(() => undefined as never);
  t.throws(() => getDefaultConnection(), { instanceOf: JsiiRingError, message: /did not return a KernelConnection/ });
  setDefaultConnectionFactory(undefined);
  t.throws(() => setDefaultConnectionFactory(42 as never), { instanceOf: TypeError, message: /factory must be a function/ });
});

// --- result kinds ---------------------------------------------------------------------

test('result kinds follow the declared return types', (t) => {
  const types = calcTypes();
  const kind = (type: string, name: string): string => resultKind(method(types, type, name).returns, types);
  t.is(kind('Calculator', 'itself'), 'handle'); // class
  t.is(kind('Calculator', 'store'), 'handle'); // abstract class
  t.is(kind('ShapeFactory', 'square'), 'handle'); // interface
  t.is(kind('Statics', 'singleton'), 'handle'); // static, class
  t.is(kind('Pipeline', 'add'), 'handle'); // fluent
  t.is(kind('Calculator', 'last'), 'value'); // optional class
  t.is(kind('Pipeline', 'first'), 'value'); // optional interface
  t.is(kind('Calculator', 'add'), 'value'); // number
  t.is(kind('Geometry', 'midpoint'), 'value'); // struct
  t.is(kind('Geometry', 'nextColor'), 'value'); // enum
  t.is(kind('Values', 'literalMap'), 'value'); // map of classes
  t.is(kind('Values', 'makeUnion'), 'value'); // union
  t.is(kind('Values', 'echoAny'), 'value'); // any
  t.is(kind('Square', 'scale'), 'void');
  t.is(kind('Statics', 'reset'), 'void');
  t.is(resultKind(property(types, 'Calculator', 'memory'), types), 'value'); // optional class property
  t.is(resultKind(property(types, 'Calculator', 'displayOptions'), types), 'value'); // struct property
  t.is(resultKind(property(types, 'Calculator', 'historyItems'), types), 'value'); // array
});

// --- type system ----------------------------------------------------------------------

test('instance members include inherited ones, the most derived declaration first', (t) => {
  const types = calcTypes();
  const members = types.instanceMembers(`${CALC}.ClampedLiteral`);
  t.is(members.get('value')?.owner, `${CALC}.ClampedLiteral`);
  t.is(members.get('factor')?.owner, `${CALC}.ScaledLiteral`);
  t.is(members.get('itself')?.owner, `${CALC}.Literal`);
  t.is(members.get('describe')?.owner, `${CALC}.Operand`);
  t.false(members.has('of')); // statics are not instance members
  t.deepEqual(types.structFields(`${CALC}.ExtendedCalculatorProps`).map((f) => f.name).sort(),
    ['createdAt', 'display', 'initialValue', 'maxValue', 'name', 'tags']);
});

test('supertypes cover bases and implemented interfaces', (t) => {
  const types = calcTypes();
  const s = types.supertypes(`${CALC}.Square`);
  t.true(s.has(`${CALC}.IShape`) && s.has(`${CALC}.INamed`) && s.has(`${CALC}.IScalable`));
  t.true(types.supertypes(`${CALC}.ClampedLiteral`).has(`${CALC}.Operand`));
  t.deepEqual([...types.supertypes('Object')], ['Object']);
  t.true(types.isStruct(`${CALC}.Point`));
  t.false(types.isStruct(`${CALC}.IShape`));
});

test('unknown types are a clear error; a second version of an assembly is refused', (t) => {
  const types = calcTypes();
  t.throws(() => types.findType(`${CALC}.Nope`), { instanceOf: JsiiRingError, message: /@jsii-ring\/calc\.Nope is not declared/ });
  const source = openAssembly(ensureFixtures().calc.packageDir);
  const other = { ...source, version: '9.9.9', name: source.name, getType: source.getType.bind(source), hasType: source.hasType.bind(source), typeNames: source.typeNames.bind(source) };
  t.throws(() => types.addAssembly(other), { instanceOf: JsiiRingError, message: /already loaded at version 1\.0\.0/ });
});

test('ref strings split at the last @ (scoped fqns start with one)', (t) => {
  t.is(idOfRef('@aws-cdk/cloud-assembly-schema.Manifest@10023'), '10023');
  t.is(fqnOfRef('@aws-cdk/cloud-assembly-schema.Manifest@h7'), '@aws-cdk/cloud-assembly-schema.Manifest');
});

// --- object table ---------------------------------------------------------------------

test('the object table finds objects by id and follows aliases to the first object', (t) => {
  const table = new ObjectTable();
  const first = {};
  const second = {};
  table.register(first, 'x.C@10000', 'x.C', [], false);
  table.register(second, 'x.C@h1', 'x.C', [], false);
  t.is(table.lookup('10000'), first);
  t.false(sameObject(first, second));
  table.alias('h1', 'x.C@10000');
  t.true(sameObject(first, second));
  t.true(sameObject(second, first));
  t.is(table.lookup('h1'), first);
  t.is(stateOf(second)?.ref['$jsii.byref'], 'x.C@h1');
  t.false(sameObject(first, {}));
  t.false(sameObject(1, 1.5));
  t.true(sameObject('a', 'a'));
});

test('an alias that arrives before its object is registered still resolves', (t) => {
  const table = new ObjectTable();
  table.alias('h5', 'x.C@10001');
  const obj = {};
  table.register(obj, 'x.C@h5', 'x.C', [], false);
  t.is(table.lookup('10001'), obj);
  t.is(table.canonicalId('h5'), '10001');
});

test('objects of two tables are never the same object', (t) => {
  const a = new ObjectTable();
  const b = new ObjectTable();
  const x = {};
  const y = {};
  a.register(x, 'x.C@1', 'x.C', [], false);
  b.register(y, 'x.C@1', 'x.C', [], false);
  t.false(sameObject(x, y));
});

test('proxies are held weakly and host objects strongly', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const table = new ObjectTable();
  (function register(): void {
    table.register({}, 'x.C@1', 'x.C', [], false);
    table.register({}, 'x.C@2', 'x.C', [], true);
  })();
  // Held strongly for PROXY_HOLD_MS (a WeakRef would keep it until the job ends anyway).
  gc();
  t.truthy(table.lookup('1'));
  t.is(table.size.weak, 1);
  await new Promise((resolve) => setTimeout(resolve, PROXY_HOLD_MS + 20));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  t.is(table.lookup('1'), undefined);
  t.truthy(table.lookup('2'));
});

// --- namespaces -----------------------------------------------------------------------

test('the namespace index of aws-cdk-lib has submodules, types and nested types', (t) => {
  const dir = path.join(repoResolveFrom(), 'node_modules', 'aws-cdk-lib');
  const index = new NamespaceIndex(openAssembly(dir));
  const root = index.children('aws-cdk-lib');
  t.is(root.get('aws_s3'), null);
  t.is(root.get('Stack'), 'aws-cdk-lib.Stack');
  t.is(index.children('aws-cdk-lib.aws_s3').get('CfnBucket'), 'aws-cdk-lib.aws_s3.CfnBucket');
  t.is(index.nestedTypes('aws-cdk-lib.aws_s3.CfnBucket').get('CorsRuleProperty'), 'aws-cdk-lib.aws_s3.CfnBucket.CorsRuleProperty');
  t.is(index.nestedTypes('aws-cdk-lib.Stack').size, 0);
});

test('the namespace index answers the same from sorted names (binary search) and from a pass over all names', (t) => {
  const source = openAssembly(path.join(repoResolveFrom(), 'node_modules', 'aws-cdk-lib'));
  t.true(source.typeNamesSorted);
  const bySearch = new NamespaceIndex(source);
  // The same assembly, not declaring its order: the index groups every name instead.
  const unsortedView: AssemblySource = {
    name: source.name,
    version: source.version,
    metadata: source.metadata,
    typeCount: source.typeCount,
    hasType: (fqn) => source.hasType(fqn),
    getType: (fqn) => source.getType(fqn),
    typeNames: () => source.typeNames(),
  };
  const byPass = new NamespaceIndex(unsortedView);
  // Every path: the root, every namespace reached from it, every type (nested types hang off types).
  const pending = ['aws-cdk-lib'];
  let paths = 0;
  while (pending.length > 0) {
    const at = pending.pop()!;
    const expected = byPass.children(at);
    t.deepEqual(new Map([...bySearch.children(at)].sort()), new Map([...expected].sort()), at);
    paths++;
    for (const [name, fqn] of expected) pending.push(fqn ?? `${at}.${name}`);
  }
  t.true(paths > 23_000, `${paths} paths compared`);
  t.is(bySearch.children('aws-cdk-lib.no_such_module').size, 0);
  t.is(bySearch.children('aws-cdk-lib.aws_s3.CfnBucket').get('CorsRuleProperty'), 'aws-cdk-lib.aws_s3.CfnBucket.CorsRuleProperty');
});
