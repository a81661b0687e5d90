/**
 * The bindings of one connection: its type system, object table, converters, and the
 * bindings built so far. Installs the connection's callback and alias handlers. One per
 * connection (`BindingRuntime.of`).
 */
import { hostStackTrace } from './host-stack.js';
import { hostStackTracesFromEnv } from '../host/options.js';
import { STACKTRACE_FIELD } from '../kernel/host-context.js';
import * as spec from '@jsii/spec';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { ErrorCode, JsiiRingError } from '../errors.js';
import type { KernelConnection } from '../host/connection.js';
import { TOKEN_ENUM, TOKEN_INTERFACES, TOKEN_REF } from '../protocol/api.js';
import type { Callback, CreateRequest, ObjRef, WireEnum } from '../protocol/api.js';
import { ArgsPlan, planMethod, planProperty, send, syncRequest } from './calls.js';
import type { MethodPlan, PropertyPlan } from './calls.js';
import { BINDING_FQN, buildClassBinding, JsiiObject } from './class-binding.js';
import type { BindingClass, BindingHost } from './class-binding.js';
import { Converters } from './convert.js';
import { buildEnumBinding, parseEnumRef } from './enum-binding.js';
import type { EnumBinding, JsiiEnumValue } from './enum-binding.js';
import { buildInterfaceBinding, buildProxyClass } from './interface-binding.js';
import { buildNamespace, NamespaceIndex } from './namespace.js';
import { ObjectTable, stateOf } from './object-table.js';
import { failureOf, hostObjectOverrides, serveCallback, subclassOverrides } from './overrides.js';
import { fqnOfRef, idOfRef, OBJECT_FQN, TypeSystem } from './type-system.js';

const RUNTIMES = new WeakMap<KernelConnection, BindingRuntime>();

/** The bindings of one connection. */
export class BindingRuntime implements BindingHost {
  public readonly connection: KernelConnection;
  public readonly types = new TypeSystem();
  public readonly table: ObjectTable;
  public readonly converters: Converters;
  readonly #bindings = new Map<string, unknown>();
  readonly #proxyClasses = new Map<string, BindingClass>();
  readonly #methodPlans = new WeakMap<spec.Method, MethodPlan>();
  readonly #propertyPlans = new WeakMap<spec.Property, PropertyPlan>();
  readonly #initializerPlans = new WeakMap<spec.ClassType, ArgsPlan>();
  readonly #indexes = new Map<string, NamespaceIndex>();
  readonly #namespaces = new Map<string, Record<string, unknown>>();
  /** Host objects created with overrides: the kernel may call back into them. */
  #callbackTargets = 0;
  /**
   * Flush after every pipelined request once the kernel may call back into host code, so
   * that host state a callback changes is changed when the call returns (see `LoadOptions`).
   */
  public orderedCallbacks = false;
  /**
   * Send the host's stack with every `create` (`$jsii.stacktrace`), so construct traces the
   * library records name the program's lines. Costs a stack capture per object; on when
   * `JSII_HOST_STACK_TRACES=1` (as the CDK CLI sets it for `cdk synth --debug`).
   */
  public hostStackTraces = hostStackTracesFromEnv();

  /** Values cross as the program wrote them (the connection's `js-values` extension). */
  public get jsValues(): boolean {
    return this.connection.capabilities.jsValues;
  }

  /** The runtime of a connection (made, and its handlers installed, on first use). */
  public static of(connection: KernelConnection): BindingRuntime {
    let runtime = RUNTIMES.get(connection);
    if (runtime === undefined) {
      runtime = new BindingRuntime(connection);
      RUNTIMES.set(connection, runtime);
    }
    return runtime;
  }

  private constructor(connection: KernelConnection) {
    this.connection = connection;
    this.table = new ObjectTable(() => syncRequest(() => connection.flush()), (obj) => obj instanceof JsiiObject);
    this.converters = new Converters(this);
    connection.setCallbackHandler((callback) => this.#serveSyncCallback(callback));
    connection.setAliasHandler((objid, target) => this.table.alias(objid, target));
  }

  // -------------------------------------------------------------------------------------
  // Bindings
  // -------------------------------------------------------------------------------------

  /** The namespace object of a loaded assembly. */
  public namespaceOf(assemblyName: string): Record<string, unknown> {
    let ns = this.#namespaces.get(assemblyName);
    if (ns === undefined) {
      ns = buildNamespace(this.#index(assemblyName), assemblyName, (fqn) => this.bindingFor(fqn));
      this.#namespaces.set(assemblyName, ns);
    }
    return ns;
  }

  public bindingFor(fqn: string): unknown {
    const cached = this.#bindings.get(fqn);
    if (cached !== undefined) return cached;
    const type = this.types.findType(fqn);
    let binding: unknown;
    if (spec.isClassType(type)) binding = buildClassBinding(this, type);
    else if (spec.isInterfaceType(type)) binding = buildInterfaceBinding(this, type);
    else binding = buildEnumBinding(type);
    this.#bindings.set(fqn, binding);
    return binding;
  }

  public classBinding(fqn: string): BindingClass {
    const type = this.types.findType(fqn);
    if (!spec.isClassType(type)) throw new JsiiRingError(ErrorCode.LOAD, `${fqn} is not a class`);
    return this.bindingFor(fqn) as BindingClass;
  }

  /** The binding of an interface or struct. */
  public interfaceBinding(fqn: string): BindingClass {
    const type = this.types.findType(fqn);
    if (!spec.isInterfaceType(type)) throw new JsiiRingError(ErrorCode.LOAD, `${fqn} is not an interface`);
    return this.bindingFor(fqn) as BindingClass;
  }

  /** The enum object of an enum. */
  public enumBinding(fqn: string): EnumBinding {
    const type = this.types.findType(fqn);
    if (!spec.isEnumType(type)) throw new JsiiRingError(ErrorCode.LOAD, `${fqn} is not an enum`);
    return this.bindingFor(fqn) as EnumBinding;
  }

  public nestedTypes(fqn: string): ReadonlyMap<string, string> {
    const assembly = this.types.findType(fqn).assembly;
    return this.#index(assembly).nestedTypes(fqn);
  }

  #index(assemblyName: string): NamespaceIndex {
    let index = this.#indexes.get(assemblyName);
    if (index === undefined) {
      const source = this.types.assembly(assemblyName);
      if (source === undefined) throw new JsiiRingError(ErrorCode.LOAD, `Assembly ${assemblyName} is not loaded`);
      index = new NamespaceIndex(source);
      this.#indexes.set(assemblyName, index);
    }
    return index;
  }

  public get flushAfterSend(): boolean {
    return this.orderedCallbacks && this.#callbackTargets > 0;
  }

  public methodPlan(method: spec.Method, typeName: string): MethodPlan {
    let plan = this.#methodPlans.get(method);
    if (plan === undefined) {
      plan = planMethod(this, method, typeName);
      this.#methodPlans.set(method, plan);
    }
    return plan;
  }

  public propertyPlan(property: spec.Property, typeName: string): PropertyPlan {
    let plan = this.#propertyPlans.get(property);
    if (plan === undefined) {
      plan = planProperty(this, property, typeName);
      this.#propertyPlans.set(property, plan);
    }
    return plan;
  }

  // -------------------------------------------------------------------------------------
  // Creating kernel objects
  // -------------------------------------------------------------------------------------

  public construct(self: object, newTarget: object, binding: BindingClass, type: spec.ClassType, args: unknown[]): void {
    if (type.initializer === undefined) {
      throw new TypeError(`${type.name} has no public constructor (${type.fqn})`);
    }
    let argsPlan = this.#initializerPlans.get(type);
    if (argsPlan === undefined) {
      argsPlan = new ArgsPlan(this, type.initializer.parameters, `new ${type.name}`);
      this.#initializerPlans.set(type, argsPlan);
    }
    const wireArgs = argsPlan.convert(args);
    const subclass = newTarget !== binding;
    const overrides = subclass ? subclassOverrides(newTarget as { prototype: object }, binding, this.types.instanceMembers(type.fqn)) : [];
    const request: CreateRequest = overrides.length === 0
      ? { api: 'create', fqn: type.fqn, args: wireArgs }
      : { api: 'create', fqn: type.fqn, args: wireArgs, overrides };
    // Host subclass instances are held strongly: the kernel may call back into them and
    // they carry host state a fresh proxy would not have.
    this.#create(self, request, [], subclass, overrides.length > 0);
  }

  public implement(self: object, newTarget: object, binding: BindingClass, type: spec.InterfaceType): void {
    const overrides = subclassOverrides(newTarget as { prototype: object }, binding, this.types.instanceMembers(type.fqn));
    this.#create(self, { api: 'create', fqn: OBJECT_FQN, interfaces: [type.fqn], overrides }, [type.fqn], true, overrides.length > 0);
  }

  public hostObjectRef(value: object, iface: string | undefined): ObjRef {
    const interfaces = iface === undefined ? [] : [iface];
    const overrides = hostObjectOverrides(value, this.types.membersOf(OBJECT_FQN, interfaces));
    return this.#create(value, { api: 'create', fqn: OBJECT_FQN, interfaces, overrides }, interfaces, true, overrides.length > 0).ref;
  }

  /**
   * Creates the kernel object for `self`. With client ids the object is registered before
   * the (pipelined) request goes out, so a callback made while it is created finds it.
   */
  #create(self: object, request: CreateRequest, interfaces: readonly string[], host: boolean, callbacks: boolean): { ref: ObjRef } {
    const connection = this.connection;
    if (callbacks) this.#callbackTargets++;
    if (this.hostStackTraces) request = { ...request, [STACKTRACE_FIELD]: hostStackTrace() } as CreateRequest;
    if (connection.capabilities.objid) {
      const objid = connection.allocateId();
      const state = this.table.register(self, `${request.fqn}@${objid}`, request.fqn, interfaces, host, false, objid);
      try {
        // The request is this call's own: the id goes on it, no copy.
        (request as { objid?: string }).objid = objid;
        send(this, request);
      } catch (e) {
        this.table.unregister(self);
        throw e;
      }
      return state;
    }
    const ref = syncRequest(() => connection.request(request));
    this.table.syncPoint();
    return this.table.register(self, ref[TOKEN_REF], request.fqn, ref[TOKEN_INTERFACES] ?? interfaces, host);
  }

  // -------------------------------------------------------------------------------------
  // Objects from the wire
  // -------------------------------------------------------------------------------------

  public handle(objid: string, declaredFqn: string): object {
    // With a same-thread kernel the alias notice has already arrived: reuse the object.
    const existing = this.table.lookupFresh(objid);
    if (existing !== undefined) return existing;
    const type = this.types.findType(declaredFqn);
    const cls = spec.isClassType(type) ? this.classBinding(declaredFqn) : this.interfaceBinding(declaredFqn);
    const proxy = Object.create(cls.prototype as object) as object;
    this.table.register(proxy, `${declaredFqn}@${objid}`, declaredFqn, [], false, true, objid);
    return proxy;
  }

  public objectFromRef(ref: ObjRef, declared: string | undefined): unknown {
    const refString = ref[TOKEN_REF];
    const existing = this.table.lookup(idOfRef(refString));
    if (existing !== undefined) return existing;
    const fqn = fqnOfRef(refString);
    const interfaces = ref[TOKEN_INTERFACES] ?? [];
    const struct = this.#structTypeOf(fqn, interfaces, declared);
    if (struct !== undefined) return this.readStruct(ref, struct);
    const known = [...interfaces];
    let base: BindingClass = JsiiObject;
    const type = this.types.tryFindType(fqn);
    if (type !== undefined && spec.isClassType(type)) {
      base = this.classBinding(fqn);
    } else if (declared !== undefined && spec.isInterfaceType(this.types.tryFindType(declared))) {
      base = this.interfaceBinding(declared);
      if (!known.includes(declared)) known.unshift(declared);
    }
    // Only interfaces the base binding does not already implement add members.
    const baseFqn = base[BINDING_FQN];
    const extra = baseFqn === undefined ? interfaces : interfaces.filter((i) => !this.types.supertypes(baseFqn).has(i));
    const cls = extra.length === 0 ? base : this.#proxyClass(base, extra);
    const proxy = Object.create(cls.prototype as object) as object;
    this.table.register(proxy, refString, fqn, known, false);
    return proxy;
  }

  #structTypeOf(fqn: string, interfaces: readonly string[], declared: string | undefined): string | undefined {
    if (declared !== undefined && this.types.isStruct(declared)) return declared;
    if (this.types.isStruct(fqn)) return fqn;
    return interfaces.find((i) => this.types.isStruct(i));
  }

  #proxyClass(base: BindingClass, interfaces: readonly string[]): BindingClass {
    const key = `${base[BINDING_FQN] ?? OBJECT_FQN}|${interfaces.join('|')}`;
    let cls = this.#proxyClasses.get(key);
    if (cls === undefined) {
      cls = buildProxyClass(this, base, interfaces);
      this.#proxyClasses.set(key, cls);
    }
    return cls;
  }

  public readStruct(ref: ObjRef, fqn: string): unknown {
    const out: Record<string, unknown> = {};
    const connection = this.connection;
    for (const field of this.types.structFields(fqn)) {
      const { value } = syncRequest(() => connection.request({ api: 'get', objref: ref, property: field.name }));
      if (value !== undefined && value !== null) {
        Object.defineProperty(out, field.name, { value: this.converters.fromWire(field.type)(value), enumerable: true });
      }
    }
    return Object.freeze(out);
  }

  public enumValue(wire: WireEnum): JsiiEnumValue {
    const { fqn, name } = parseEnumRef(wire[TOKEN_ENUM]);
    const member = this.enumBinding(fqn)[name];
    if (member === undefined) throw new JsiiRingError(ErrorCode.FAULT, `Enum ${fqn} has no member ${name}`);
    return member;
  }

  // -------------------------------------------------------------------------------------
  // Callbacks
  // -------------------------------------------------------------------------------------

  #serveSyncCallback(callback: Callback): unknown {
    const result = serveCallback(this, callback);
    if (result instanceof Promise) {
      // Nothing can wait for it here; say so rather than hand the kernel a promise.
      result.catch(() => undefined);
      throw new JsiiRingError(ErrorCode.CALLBACK_FAILED, `Callback ${callback.cbid}: a host member returned a promise, but the library called it synchronously`);
    }
    return result;
  }

  /**
   * Serves the async callbacks queued in the kernel (host overrides of async methods that
   * the library awaits), completing each, until two polls a macrotask apart find none:
   * the library's continuation after a completed callback may only queue the next one
   * once the event loop has turned.
   */
  public async serveQueuedCallbacks(): Promise<void> {
    const connection = this.connection;
    for (let idle = 0; idle < 2;) {
      const { callbacks } = syncRequest(() => connection.request({ api: 'callbacks' }));
      if (callbacks.length === 0) {
        idle++;
        if (idle < 2) await nextMacrotask();
        continue;
      }
      idle = 0;
      for (const callback of callbacks) {
        let completion: { result: unknown } | { err: string; name: string };
        try {
          completion = { result: await serveCallback(this, callback) };
        } catch (e) {
          completion = failureOf(e);
        }
        syncRequest(() => connection.request({ api: 'complete', cbid: callback.cbid, ...completion }));
      }
    }
  }

  /** True if the value is a proxy or host object of this runtime's connection. */
  public owns(value: unknown): boolean {
    return stateOf(value)?.table === this.table;
  }
}
