/**
 * Async methods and async overrides: `begin`/`end`, `callbacks`/`complete`.
 *
 * `begin` starts an async method and answers at once with a promise id; `end` waits for it
 * (the only request whose answer is a Promise). While async code runs, it may call async
 * host overrides: each queues a callback that the host fetches with `callbacks` and answers
 * with `complete`.
 *
 * A host must let the event loop run (promise jobs) after `begin` and `complete` before it
 * expects the effects of the library's continuation (the reference answers those two only
 * after a `setImmediate`); see `SETTLE_AFTER`.
 */
import { JsiiFault, JsiiRuntimeError } from '../errors.js';
import { FAULT_NAME } from '../protocol/api.js';
import type {
  BeginRequest, BeginResponse, Callback, CallbacksResponse, CompleteRequest, CompleteResponse, EndRequest, EndResponse,
} from '../protocol/api.js';
import type { KernelCore } from './kernel-core.js';
import { asyncCallError, passThroughError } from './kernel-errors.js';
import { instanceMethodOf } from './object-requests.js';
import { stringField, resultOf } from './requests.js';
import { deserialize, serialize } from './serialization.js';
import type { ContextFn } from './serialization-error.js';

/** Requests after which a host should let promise jobs run before answering or going on. */
export const SETTLE_AFTER: ReadonlySet<string> = new Set(['begin', 'complete']);

const ASYNC_CONTEXT: ContextFn = (fqn, method) => `async method ${fqn !== undefined ? `${String(fqn)}#` : ''}${String(method)}`;
const IN_CALLBACK = 'Cannot handle async operations while waiting for a sync callback to return';

/** `begin`: starts an async method. */
export function begin(core: KernelCore, req: BeginRequest): BeginResponse {
  const inProgress = core.describeSync();
  if (inProgress !== undefined) {
    throw new JsiiFault(`Cannot invoke async method '${String(req.objref?.['$jsii.byref'])}.${String(req.method)}' while sync ${inProgress} is being processed`);
  }
  if (core.callbackDepth > 0) {
    // The reference's host refuses this too, after the kernel has started the method.
    throw new JsiiFault(IN_CALLBACK);
  }
  const { entry, name, args, method, fn } = instanceMethodOf(core, req);
  if (!method.isAsync) {
    throw new JsiiFault(`Method ${name} is expected to be an async method`);
  }
  const jsArgs = core.convertArgs(method, args, true, ASYNC_CONTEXT, core.types.jsiiTypeFqn(entry.instance), name);
  let promise: Promise<unknown>;
  try {
    promise = Promise.resolve(fn.apply(entry.instance, jsArgs));
  } catch (e) {
    throw passThroughError(e);
  }
  // Settled later, in `end`: observe the rejection now so it is never "unhandled".
  promise.catch(() => undefined);
  const promiseid = core.nextPromiseId();
  core.promises.set(promiseid, { promise, method });
  return { promiseid };
}

/** `end`: waits for a started async method and answers with its result. */
export async function end(core: KernelCore, req: EndRequest): Promise<EndResponse> {
  if (core.callbackDepth > 0) {
    throw new JsiiFault(IN_CALLBACK);
  }
  const promiseid = (req as { promiseid?: unknown }).promiseid;
  const pending = typeof promiseid === 'string' ? core.promises.get(promiseid) : undefined;
  if (pending === undefined) {
    throw new JsiiFault(`Cannot find promise with ID: ${String(promiseid)}`);
  }
  let result: unknown;
  try {
    result = await pending.promise;
  } catch (e) {
    throw asyncCallError(e);
  } finally {
    core.promises.delete(promiseid as string);
  }
  return resultOf(serialize(core, pending.method.returns, result, `returned by async method ${pending.method.name}`));
}

/** `callbacks`: hands out the queued async override calls (each once). */
export function callbacks(core: KernelCore): CallbacksResponse {
  const out: Callback[] = [];
  for (const [cbid, cb] of core.queuedCallbacks) {
    core.waitingCallbacks.set(cbid, cb);
    const invoke = { objref: cb.objref, method: cb.method, args: cb.args };
    out.push(cb.cookie === undefined ? { cbid, invoke } : { cbid, cookie: cb.cookie, invoke });
  }
  core.queuedCallbacks.clear();
  return { callbacks: out };
}

/**
 * `complete`: the host's answer to an async override call. A result the declared type
 * cannot take fails the call (the library sees the error) as well as this request; the
 * reference leaves the call pending forever instead, so its `end` never answers.
 */
export function complete(core: KernelCore, req: CompleteRequest): CompleteResponse {
  if (core.callbackDepth > 0) {
    throw new JsiiFault(IN_CALLBACK);
  }
  const cbid = (req as { cbid?: unknown }).cbid;
  const cb = typeof cbid === 'string' ? core.waitingCallbacks.get(cbid) : undefined;
  if (cb === undefined) {
    throw new JsiiFault(`Callback ${String(cbid)} not found`);
  }
  core.waitingCallbacks.delete(cbid as string);
  if (req.err) {
    const message = String(req.err);
    cb.fail(req.name === FAULT_NAME ? new JsiiFault(message) : new JsiiRuntimeError(message));
    return { cbid: cbid as string };
  }
  let value: unknown;
  try {
    // `[object Object]`: the reference renders its callback record with `toString()`.
    value = deserialize(core, cb.returns, req.result, 'returned by callback [object Object]');
  } catch (e) {
    cb.fail(e);
    throw e;
  }
  cb.succeed(value);
  return { cbid: stringField(req, 'cbid') };
}
