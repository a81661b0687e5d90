/**
 * Checks on the fields of incoming requests. The reference reads fields without checking
 * them and answers a malformed request with whatever TypeError follows (or crashes); we
 * answer with a Fault that names the field.
 */
import { JsiiFault } from '../errors.js';
import { HOST_ID_PREFIX } from '../protocol/api.js';
import type { KernelCore } from './kernel-core.js';

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** The string field `field` of the request, or a Fault. */
export function stringField(request: object, field: string): string {
  const value = (request as Record<string, unknown>)[field];
  if (typeof value !== 'string') {
    throw new JsiiFault(`Malformed request: "${field}" must be a string, got ${describe(value)}`);
  }
  return value;
}

/** The `args` of a request: a list, or none (`undefined`/`null` as the reference allows). */
export function argsField(request: object): readonly unknown[] {
  const args = (request as { args?: unknown }).args;
  if (args == null) {
    return NO_ARGS;
  }
  if (!Array.isArray(args)) {
    throw new JsiiFault(`Malformed request: "args" must be a list, got ${describe(args)}`);
  }
  return args;
}

/** An optional list of strings (`interfaces`), or a Fault. */
export function stringListField(request: object, field: string): readonly string[] | undefined {
  const value = (request as Record<string, unknown>)[field];
  if (value == null) {
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new JsiiFault(`Malformed request: "${field}" must be a list of strings, got ${describe(value)}`);
  }
  return value as string[];
}

/** The `objid` a request carries (checked, as its number), if the extension is on and it has one. */
export function hostIdOf(core: KernelCore, request: object): number | undefined {
  if (!core.objid) {
    return undefined;
  }
  const objid = (request as { objid?: unknown }).objid;
  return objid === undefined ? undefined : core.objects.checkHostId(objid);
}

/**
 * Runs a request that carries host id `hostId`, bookkeeping the id: on success `wireOf`
 * the response must be the object (fresh: it took the id; known: the id becomes an alias,
 * noticed); on failure the id is remembered as failed, with the reason.
 */
export function withHostId<R>(core: KernelCore, hostId: number | undefined, what: () => string, run: () => R, wireOf: (response: R) => unknown): R {
  if (hostId === undefined) {
    return run();
  }
  let response: R;
  try {
    response = run();
  } catch (e) {
    core.objects.markFailed(hostId, `the request that was to produce it (${what()}) failed: ${messageOf(e)}`);
    throw e;
  } finally {
    core.objects.clearReservation();
  }
  const target = core.objects.settleHostId(hostId, wireOf(response), what);
  if (target !== undefined) {
    core.noticeAlias(`${HOST_ID_PREFIX}${-hostId - 1}`, target);
  }
  return response;
}

function messageOf(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.split('\n')[0]! : String(e);
}

function describe(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return typeof value;
  }
}

/**
 * `{ result }`, or `{}` when there is none: an absent key, as JSON would carry it, so
 * every codec sends the same thing.
 */
export function resultOf(result: unknown): { result?: unknown } {
  return result === undefined ? {} : { result };
}

/** `{ value }`, or `{}` when there is none (see `resultOf`). */
export function valueOf(value: unknown): { value?: unknown } {
  return value === undefined ? {} : { value };
}
