/**
 * Shared setup of the kernel tests: a kernel with the `@jsii-ring/calc` fixture library
 * loaded, and helpers that call it the way a wire would (answers cloned through JSON).
 *
 * Each kernel loads the fixture from its tarball into its own install directory, so every
 * kernel gets its own copy of the library modules: tests running side by side never share
 * the library's static state.
 */
import type { ExecutionContext } from 'ava';
import { JsiiFault, JsiiRuntimeError } from '../../lib/errors.js';
import { Kernel, type KernelOptions } from '../../lib/kernel/index.js';
import type { Callback, KernelRequest } from '../../lib/protocol/api.js';
import { ensureFixtures, type FixturePackage } from '../helpers/fixture.js';

/** The fixture's assembly name; its types are `${CALC}.<Name>`. */
export const CALC = '@jsii-ring/calc';

/** The fqn of a fixture type. */
export function fqn(name: string): string {
  return `${CALC}.${name}`;
}

/** The built fixture package. */
export function calcPackage(): FixturePackage {
  return ensureFixtures().calc;
}

/** A kernel with extra helpers for tests. */
export interface TestKernel {
  readonly kernel: Kernel;
  /** Dispatches and clones the answer through JSON (as a wire would). */
  call(request: Record<string, unknown>): any;
  /** Like `call`, for `end`. */
  callAsync(request: Record<string, unknown>): Promise<any>;
  /** Replaces the callback handler (answers in wire form, as `complete` would carry). */
  onCallback(handler: (cb: Callback) => unknown): void;
  /** Callbacks seen so far, cloned. */
  readonly callbacks: Callback[];
}

/** Options of `calcKernel`. */
export interface CalcKernelOptions extends KernelOptions {
  /** Extensions to turn on before loading. @default none */
  readonly extensions?: readonly string[];
  /** Load from the package directory (extension `load-path`) instead of the tarball. */
  readonly fromPath?: boolean;
}

/** A fresh kernel with the calc fixture loaded. */
export function calcKernel(options: CalcKernelOptions = {}): TestKernel {
  const seen: Callback[] = [];
  let handler: (cb: Callback) => unknown = () => {
    throw new Error('no callback expected');
  };
  const kernel = new Kernel({
    ...options,
    callbackHandler: (cb: Callback) => {
      seen.push(clone(cb));
      return clone(handler(clone(cb)));
    },
  });
  const extensions = [...(options.extensions ?? [])];
  if (options.fromPath === true && !extensions.includes('load-path')) {
    extensions.push('load-path');
  }
  kernel.enableExtensions(extensions);
  const pkg = calcPackage();
  kernel.dispatch({
    api: 'load', name: pkg.name, version: pkg.version,
    ...(options.fromPath === true ? { path: pkg.packageDir } : { tarball: pkg.tarball }),
  } as KernelRequest);
  return {
    kernel,
    call: (request) => clone(kernel.dispatch(clone(request) as unknown as KernelRequest)),
    callAsync: async (request) => clone(await (kernel.dispatch(clone(request) as unknown as KernelRequest) as Promise<unknown>)),
    onCallback: (h) => {
      handler = h;
    },
    callbacks: seen,
  };
}

/** JSON round trip (`undefined` stays `undefined`). */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Asserts `fn` throws a Fault whose message matches; returns the error. */
export function throwsFault(t: ExecutionContext, fn: () => unknown, message: string | RegExp): JsiiFault {
  const error = t.throws(fn, { instanceOf: JsiiFault, message });
  t.is(error?.name, '@jsii/kernel.Fault');
  return error as JsiiFault;
}

/** Asserts `fn` throws a kernel runtime error with this wire name and message; returns it. */
export function throwsRuntime(t: ExecutionContext, fn: () => unknown, name: string, message: string | RegExp): JsiiRuntimeError {
  const error = t.throws(fn, { instanceOf: JsiiRuntimeError, message });
  t.is(error?.name, name);
  return error as JsiiRuntimeError;
}

/** `{"$jsii.byref": ref}`. */
export function ref(r: string): { '$jsii.byref': string } {
  return { '$jsii.byref': r };
}

/** Wire name of a plain runtime error. */
export const RUNTIME = '@jsii/kernel.RuntimeError';
/** Wire name of an unwrapped conversion failure. */
export const SERIALIZATION = '@jsii/kernel.SerializationError';
