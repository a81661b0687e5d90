/**
 * The process-wide default connection that `load()` uses when no `connection` option is
 * given. Host code (the worker-ring client) registers a factory here; the first `load()`
 * without a connection calls it once and keeps the connection it returns.
 */
import { ErrorCode, JsiiRingError } from '../errors.js';
import type { KernelConnection } from '../host/connection.js';

/** Makes the default connection on first use. */
export type ConnectionFactory = () => KernelConnection;

let defaultConnection: KernelConnection | undefined;
let defaultFactory: ConnectionFactory | undefined;

/**
 * Sets (or, with `undefined`, forgets) the connection `load()` uses by default. Forgetting
 * does not close it: whoever made it owns it.
 */
export function setDefaultConnection(connection: KernelConnection | undefined): void {
  defaultConnection = connection;
}

/**
 * Registers the factory that makes the default connection the first time one is needed
 * (`undefined` removes it). A connection already made is kept.
 */
export function setDefaultConnectionFactory(factory: ConnectionFactory | undefined): void {
  if (factory !== undefined && typeof factory !== 'function') {
    throw new TypeError('factory must be a function returning a KernelConnection');
  }
  defaultFactory = factory;
}

/**
 * The default connection: the one set with `setDefaultConnection`, else the one the
 * registered factory makes (once). Throws a `JsiiRingError` (`ERR_INVALID_OPTION`) when
 * there is neither.
 */
export function getDefaultConnection(): KernelConnection {
  if (defaultConnection !== undefined) {
    return defaultConnection;
  }
  if (defaultFactory === undefined) {
    throw new JsiiRingError(
      ErrorCode.INVALID_OPTION,
      'No kernel connection: pass options.connection, call setDefaultConnection(), or register a factory with setDefaultConnectionFactory()',
    );
  }
  const made = defaultFactory();
  if (made === undefined || made === null || typeof made.request !== 'function') {
    throw new JsiiRingError(ErrorCode.INVALID_OPTION, 'The default connection factory did not return a KernelConnection');
  }
  defaultConnection = made;
  return made;
}

let defaultNative = false;

/**
 * Makes `load()` without a `native` option return the packages themselves (`require`)
 * instead of kernel bindings: how `jsii-ring synth --mode native` runs an unchanged app
 * natively for comparison.
 */
export function setDefaultNative(native: boolean): void {
  if (typeof native !== 'boolean') {
    throw new TypeError('native must be a boolean');
  }
  defaultNative = native;
}

/** Whether `load()` defaults to native packages (see `setDefaultNative`). */
export function isDefaultNative(): boolean {
  return defaultNative;
}
