/**
 * Shorthands for writing conformance scripts over the `@jsii-ring/calc` fixture.
 * Object references are passed by capture name: `ref('c')` is the template `${c}`.
 */
import { FAULT_NAME, RUNTIME_ERROR_NAME } from '../../../lib/protocol/api.js';
import type { Step } from '../script.js';

/** The fixture's assembly name. */
export const CALC = '@jsii-ring/calc';

/** Fully-qualified name of a fixture type. */
export function fqn(type: string): string {
  return `${CALC}.${type}`;
}

/** The template of a captured value. */
export function ref(capture: string): string {
  return `\${${capture}}`;
}

/** The wire form of an enum member. */
export function enumValue(type: string, member: string): { '$jsii.enum': string } {
  return { '$jsii.enum': `${fqn(type)}/${member}` };
}

/** A step that must succeed. */
export function ok(label: string, request: unknown, extra: Partial<Step> = {}): Step {
  return { label, request, expect: 'ok', ...extra };
}

/** A step that must fail with `@jsii/kernel.Fault`. */
export function fault(label: string, request: unknown, extra: Partial<Step> = {}): Step {
  return { label, request, expect: 'error', errorName: FAULT_NAME, ...extra };
}

/** A step that must fail with `@jsii/kernel.RuntimeError` (the library threw). */
export function runtimeError(label: string, request: unknown, extra: Partial<Step> = {}): Step {
  return { label, request, expect: 'error', errorName: RUNTIME_ERROR_NAME, ...extra };
}

/** The reference's name for a value that could not be (de)serialized as its declared type. */
export const SERIALIZATION_ERROR_NAME = '@jsii/kernel.SerializationError';

/** A step that must fail with `@jsii/kernel.SerializationError` (a value of the wrong type). */
export function serializationError(label: string, request: unknown, extra: Partial<Step> = {}): Step {
  return { label, request, expect: 'error', errorName: SERIALIZATION_ERROR_NAME, ...extra };
}

/**
 * A step whose argument has the wrong type for an invoke, sinvoke or set. The reference
 * reports these as `@jsii/kernel.RuntimeError` (message starting with
 * `@jsii/kernel.SerializationError:`), while the same mistake in `create` arguments or in a
 * returned value is reported as `@jsii/kernel.SerializationError` itself.
 */
export function argumentError(label: string, request: unknown, extra: Partial<Step> = {}): Step {
  return { label, request, expect: 'error', errorName: RUNTIME_ERROR_NAME, ...extra };
}

/** A step that must fail with exactly this error name (the reference's own, even if odd). */
export function failsAs(errorName: string, label: string, request: unknown, extra: Partial<Step> = {}): Step {
  return { label, request, expect: 'error', errorName, ...extra };
}

/** Request builders. */
export const req = {
  load: () => ({ api: 'load', name: ref('calc/name'), version: ref('calc/version'), tarball: ref('calc/tarball') }),
  create: (type: string, args: readonly unknown[] = [], more: Record<string, unknown> = {}) =>
    ({ api: 'create', fqn: type === 'Object' ? 'Object' : fqn(type), args, ...more }),
  del: (capture: string) => ({ api: 'del', objref: ref(capture) }),
  get: (capture: string, property: string) => ({ api: 'get', objref: ref(capture), property }),
  set: (capture: string, property: string, value: unknown) => ({ api: 'set', objref: ref(capture), property, value }),
  sget: (type: string, property: string) => ({ api: 'sget', fqn: fqn(type), property }),
  sset: (type: string, property: string, value: unknown) => ({ api: 'sset', fqn: fqn(type), property, value }),
  invoke: (capture: string, method: string, args: readonly unknown[] = []) => ({ api: 'invoke', objref: ref(capture), method, args }),
  sinvoke: (type: string, method: string, args: readonly unknown[] = []) => ({ api: 'sinvoke', fqn: fqn(type), method, args }),
  begin: (capture: string, method: string, args: readonly unknown[] = []) => ({ api: 'begin', objref: ref(capture), method, args }),
  end: (capture: string) => ({ api: 'end', promiseid: ref(capture) }),
  callbacks: () => ({ api: 'callbacks' }),
  complete: (cbidTemplate: string, answer: Record<string, unknown>) => ({ api: 'complete', cbid: cbidTemplate, ...answer }),
  naming: (assembly: string) => ({ api: 'naming', assembly }),
  stats: () => ({ api: 'stats' }),
};

/** Loads the fixture (the first step of almost every script). */
export const LOAD: Step = ok('load', req.load(), { expectOk: { assembly: CALC, types: 27 } });

/** Creates `type` and captures its ref as `capture`. */
export function create(capture: string, type: string, args: readonly unknown[] = [], more: Record<string, unknown> = {}): Step {
  return ok(`create ${capture}`, req.create(type, args, more), { capture: { [capture]: '' } });
}
