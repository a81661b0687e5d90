/**
 * Making the calls: each member's plan (argument converters, result kind, result
 * converter) is compiled on its first use and reused; the call itself is a request built
 * from the plan, sent pipelined or as a sync point as the plan decided.
 */
import * as spec from '@jsii/spec';
import type { KernelConnection } from '../host/connection.js';
import type { KernelRequest, ObjRef } from '../protocol/api.js';
import { ConversionError } from './convert.js';
import type { ConversionHost, Converters, FromWire, ToWire } from './convert.js';
import { resultKind } from './decide.js';
import type { ResultKind } from './decide.js';
import { captureHostFrames, withHostStack } from './host-stack.js';
import { stateOf } from './object-table.js';
import type { ObjectState } from './object-table.js';

/** What calls need from the runtime of their connection. */
export interface CallHost extends ConversionHost {
  readonly connection: KernelConnection;
  readonly converters: Converters;
  /** The proxy for a pipelined result named `objid`, of the declared type. */
  handle(objid: string, declaredFqn: string): object;
  /** Serves the async callbacks the kernel has queued, until it has none. */
  serveQueuedCallbacks(): Promise<void>;
  /**
   * True when every pipelined request must be followed by a flush: ordered callbacks are
   * on and the kernel holds host objects it may call back into.
   */
  readonly flushAfterSend: boolean;
}

/** One parameter, ready to convert. */
interface ParamPlan {
  readonly name: string;
  readonly optional: boolean;
  readonly variadic: boolean;
  readonly conv: ToWire;
}

/** Converts a call's arguments; `label` names the callable in errors (`Calculator.add`). */
export class ArgsPlan {
  readonly #params: readonly ParamPlan[];
  readonly #label: string;

  public constructor(host: CallHost, params: readonly spec.Parameter[] | undefined, label: string) {
    this.#label = label;
    this.#params = (params ?? []).map((p) => ({
      name: p.name,
      optional: p.optional === true || acceptsNothing(p.type),
      variadic: p.variadic === true,
      conv: host.converters.toWire(p.type),
    }));
  }

  /** The wire arguments: checked, converted, trailing omitted ones trimmed. */
  public convert(args: ArrayLike<unknown>): unknown[] {
    const params = this.#params;
    const out: unknown[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.variadic) {
        for (let j = i; j < args.length; j++) {
          out.push(this.#one(p, args[j], `[${j - i}]`));
        }
        return out;
      }
      const value = args[i];
      if (value === undefined || value === null) {
        if (!p.optional) throw new TypeError(`${this.#label}: parameter '${p.name}' is required, got ${String(value)}`);
        out.push(undefined);
      } else {
        out.push(this.#one(p, value, ''));
      }
    }
    let end = out.length;
    while (end > 0 && out[end - 1] === undefined) end--;
    out.length = end;
    return out;
  }

  #one(p: ParamPlan, value: unknown, index: string): unknown {
    if (value === undefined || value === null) {
      throw new TypeError(`${this.#label}: parameter '${p.name}${index}' must not be ${String(value)}`);
    }
    try {
      return p.conv(value);
    } catch (e) {
      if (e instanceof ConversionError) {
        throw new TypeError(`${this.#label}: parameter '${p.name}${index}${e.path}' ${e.message}`, { cause: e });
      }
      throw e;
    }
  }
}

/** `any` and `json` take `null`/`undefined` even where not declared optional (as jsii does). */
export function acceptsNothing(type: spec.TypeReference): boolean {
  return spec.isPrimitiveTypeReference(type) && (type.primitive === spec.PrimitiveType.Any || type.primitive === spec.PrimitiveType.Json);
}

/** A method (instance or static), compiled. */
export interface MethodPlan {
  readonly label: string;
  readonly name: string;
  readonly args: ArgsPlan;
  readonly kind: ResultKind;
  readonly async: boolean;
  /** Declared fqn of a `handle` result. */
  readonly declared: string | undefined;
  readonly result: FromWire;
}

/** A property (instance or static), compiled. */
export interface PropertyPlan {
  readonly label: string;
  readonly name: string;
  readonly kind: ResultKind;
  readonly declared: string | undefined;
  readonly optional: boolean;
  readonly result: FromWire;
  readonly value: ToWire;
}

/** Compiles a method's plan. */
export function planMethod(host: CallHost, method: spec.Method, typeName: string): MethodPlan {
  const returns = method.returns;
  const kind = resultKind(returns, host.types);
  return {
    label: `${typeName}.${method.name}`,
    name: method.name,
    args: new ArgsPlan(host, method.parameters, `${typeName}.${method.name}`),
    kind,
    async: method.async === true,
    declared: kind === 'handle' ? (returns!.type as spec.NamedTypeReference).fqn : undefined,
    result: returns === undefined ? () => undefined : host.converters.fromWire(returns.type),
  };
}

/** Compiles a property's plan. */
export function planProperty(host: CallHost, property: spec.Property, typeName: string): PropertyPlan {
  const kind = resultKind(property, host.types);
  return {
    label: `${typeName}.${property.name}`,
    name: property.name,
    kind,
    declared: kind === 'handle' ? (property.type as spec.NamedTypeReference).fqn : undefined,
    optional: property.optional === true || acceptsNothing(property.type),
    result: host.converters.fromWire(property.type),
    value: host.converters.toWire(property.type),
  };
}

/** The state of `self`, or a TypeError saying the member needs a jsii object. */
export function requireState(self: unknown, label: string): ObjectState {
  const state = stateOf(self);
  if (state === undefined) {
    throw new TypeError(`${label} must be called on an instance of a jsii class (got ${self === null ? 'null' : typeof self})`);
  }
  return state;
}

/** Calls an instance method. */
export function invokeMethod(host: CallHost, plan: MethodPlan, self: unknown, args: ArrayLike<unknown>): unknown {
  const objref = requireState(self, plan.label).ref;
  const wireArgs = plan.args.convert(args);
  if (plan.async) return callAsync(host, plan, objref, wireArgs);
  return dispatch(host, plan.kind, plan.declared, plan.result, { api: 'invoke', objref, method: plan.name, args: wireArgs });
}

/** Calls a static method. */
export function invokeStatic(host: CallHost, plan: MethodPlan, fqn: string, args: ArrayLike<unknown>): unknown {
  const wireArgs = plan.args.convert(args);
  if (plan.async) {
    // The protocol's `begin` takes an object: the kernel decides what a static async
    // method means (the reference refuses it). Either way the caller gets a promise.
    try {
      return Promise.resolve(dispatch(host, 'value', undefined, plan.result, { api: 'sinvoke', fqn, method: plan.name, args: wireArgs }));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  return dispatch(host, plan.kind, plan.declared, plan.result, { api: 'sinvoke', fqn, method: plan.name, args: wireArgs });
}

/** Reads an instance property. */
export function getProperty(host: CallHost, plan: PropertyPlan, self: unknown): unknown {
  const objref = requireState(self, plan.label).ref;
  return dispatch(host, plan.kind, plan.declared, plan.result, { api: 'get', objref, property: plan.name });
}

/** Reads a static property. */
export function getStatic(host: CallHost, plan: PropertyPlan, fqn: string): unknown {
  return dispatch(host, plan.kind, plan.declared, plan.result, { api: 'sget', fqn, property: plan.name });
}

/** Writes an instance property (pipelined). */
export function setProperty(host: CallHost, plan: PropertyPlan, self: unknown, value: unknown): void {
  const objref = requireState(self, plan.label).ref;
  send(host, { api: 'set', objref, property: plan.name, value: propertyValue(plan, value) });
}

/** Writes a static property (pipelined). */
export function setStatic(host: CallHost, plan: PropertyPlan, fqn: string, value: unknown): void {
  send(host, { api: 'sset', fqn, property: plan.name, value: propertyValue(plan, value) });
}

function propertyValue(plan: PropertyPlan, value: unknown): unknown {
  if (value === undefined || value === null) {
    if (!plan.optional) throw new TypeError(`${plan.label}: cannot be set to ${String(value)}`);
    return undefined;
  }
  try {
    return plan.value(value);
  } catch (e) {
    if (e instanceof ConversionError) {
      throw new TypeError(`${plan.label}${e.path}: value ${e.message}`, { cause: e });
    }
    throw e;
  }
}

type ObjectProducing = Extract<KernelRequest, { api: 'invoke' | 'sinvoke' | 'get' | 'sget' }>;

/**
 * Sends a call the way its plan says: `void` pipelined, `handle` pipelined under a fresh
 * `objid` (a proxy of the declared type comes back at once), `value` as a sync point.
 */
function dispatch(host: CallHost, kind: ResultKind, declared: string | undefined, result: FromWire, request: ObjectProducing): unknown {
  const connection = host.connection;
  if (kind === 'void') {
    send(host, request);
    return undefined;
  }
  if (kind === 'handle' && connection.capabilities.objid) {
    const objid = connection.allocateId();
    // The request is this call's own: the id goes on it, no copy.
    (request as { objid?: string }).objid = objid;
    send(host, request);
    return host.handle(objid, declared!);
  }
  let response: { readonly result?: unknown; readonly value?: unknown };
  try {
    response = connection.request(request as never) as { readonly result?: unknown; readonly value?: unknown };
  } catch (e) {
    throw withHostStack(e);
  }
  host.table.syncPoint();
  const wire = request.api === 'get' || request.api === 'sget' ? response.value : response.result;
  return wire === undefined || wire === null ? undefined : result(wire);
}

/**
 * `connection.send`, with the host call site added to a failure thrown right here, and a
 * flush after it when callbacks must run in program order (`flushAfterSend`).
 */
export function send(host: CallHost, request: KernelRequest): void {
  const connection = host.connection;
  try {
    connection.send(request);
    if (host.flushAfterSend) {
      connection.flush();
      host.table.syncPoint();
    }
  } catch (e) {
    throw withHostStack(e);
  }
}

/** `connection.request`, with the host call site added to a failure. */
export function syncRequest<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw withHostStack(e);
  }
}

/**
 * An async method: `begin` (a sync point), then serve the async callbacks the library
 * queued (host overrides of async methods), then `end` without blocking the event loop.
 */
async function callAsync(host: CallHost, plan: MethodPlan, objref: ObjRef, args: unknown[]): Promise<unknown> {
  // The frames are captured now: after the first await the caller is gone from the stack.
  const frames = captureHostFrames();
  const connection = host.connection;
  let promiseid: string;
  try {
    promiseid = connection.request({ api: 'begin', objref, method: plan.name, args }).promiseid;
  } catch (e) {
    throw withHostStack(e, frames);
  }
  try {
    await host.serveQueuedCallbacks();
    const response = await connection.requestAsync({ api: 'end', promiseid });
    const wire = response.result;
    return wire === undefined || wire === null ? undefined : plan.result(wire);
  } catch (e) {
    throw withHostStack(e, frames);
  }
}
