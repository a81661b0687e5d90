/**
 * Options of the stdio server, and the one place that reads them from the environment.
 */

/**
 * The `@jsii/runtime` version the stdio server's hello names. Every official host checks it:
 * Python wants exactly its own version (or `0.0.0`), Java exactly its own, Go `^` its own,
 * .NET nothing. Our kernel implements this version's protocol.
 */
export const REFERENCE_RUNTIME_VERSION = '1.140.0';

/** Options of `serveStdio`. */
export interface StdioServerOptions {
  /**
   * The version in the hello line `@jsii/runtime@<version>`: set it to your host's jsii
   * version if that is not {@link REFERENCE_RUNTIME_VERSION}.
   * @default REFERENCE_RUNTIME_VERSION (environment: `JSII_RING_RUNTIME_VERSION`)
   */
  readonly runtimeVersion?: string;
  /**
   * Log every request (`> …`) and answer (`< …`) to stderr, framed like console output.
   * @default false (environment: `JSII_DEBUG`, any non-empty value, as the reference)
   */
  readonly debug?: boolean;
  /**
   * Leave `stack` out of error answers. Hosts that require it (the Python client) then fail.
   * @default false (environment: `JSII_NOSTACK`, any non-empty value, as the reference)
   */
  readonly noStack?: boolean;
  /** The kernel's package cache directory. @default the kernel's default */
  readonly cacheDir?: string;
}

/** Options with every default applied. */
export interface ResolvedStdioServerOptions {
  readonly runtimeVersion: string;
  readonly debug: boolean;
  readonly noStack: boolean;
  readonly cacheDir: string | undefined;
}

const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The options the environment sets (`JSII_RING_RUNTIME_VERSION`, `JSII_DEBUG`, `JSII_NOSTACK`). */
export function stdioOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StdioServerOptions {
  const version = env.JSII_RING_RUNTIME_VERSION;
  return {
    ...(version !== undefined && version !== '' ? { runtimeVersion: version } : {}),
    debug: Boolean(env.JSII_DEBUG),
    noStack: Boolean(env.JSII_NOSTACK),
  };
}

/** Validates `options` and applies the defaults. */
export function resolveStdioOptions(options: StdioServerOptions = {}): ResolvedStdioServerOptions {
  const runtimeVersion = options.runtimeVersion ?? REFERENCE_RUNTIME_VERSION;
  if (typeof runtimeVersion !== 'string' || !VERSION.test(runtimeVersion)) {
    throw new RangeError(`options.runtimeVersion must be a semantic version such as ${REFERENCE_RUNTIME_VERSION} (JSII_RING_RUNTIME_VERSION), got ${JSON.stringify(runtimeVersion)}`);
  }
  if (options.cacheDir !== undefined && (typeof options.cacheDir !== 'string' || options.cacheDir === '')) {
    throw new TypeError('options.cacheDir must be a non-empty string');
  }
  return {
    runtimeVersion,
    debug: options.debug === true,
    noStack: options.noStack === true,
    cacheDir: options.cacheDir,
  };
}
