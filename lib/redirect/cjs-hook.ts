/**
 * Module redirection for CommonJS (and for TypeScript compiled to it): while installed,
 * `require('aws-cdk-lib')`, `require('aws-cdk-lib/aws-s3')`, `require('constructs')`, and a
 * require of any other installed jsii package, return the jsii-ring bindings of that
 * package instead of the package itself, so the whole program shares the kernel's one
 * object model. Non-jsii modules load as they always do.
 *
 * Requests made by the libraries themselves (a file inside a jsii package, e.g.
 * aws-cdk-lib requiring constructs) and by jsii-ring's own code (the kernel, when it runs
 * in this thread) stay native: they are the library's own business.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { load } from '../bindings/load.js';
import { packageAt } from '../bindings/package-loader.js';
import type { KernelConnection } from '../host/connection.js';
import { isDataSubpath, isExemptRequester, jsiiTargetOf, namespacePathOf } from './targets.js';
import type { JsiiTarget } from './targets.js';

/** What the redirection did so far. */
export interface RedirectionReport {
  /** Requests answered with bindings, with how often each was made. */
  readonly redirected: ReadonlyMap<string, number>;
}

/** An installed redirection. */
export interface Redirection extends RedirectionReport {
  /** Restores the module loader as it was. Idempotent. */
  uninstall(): void;
}

/** Options of `installRedirection`. */
export interface RedirectionOptions {
  /** The kernel to load packages into. @default the default connection (`getDefaultConnection()`) */
  readonly connection?: KernelConnection;
}

type LoadFn = (request: string, parent: { filename?: string | null } | null | undefined, isMain: boolean) => unknown;

let active: { readonly original: LoadFn } | undefined;

/**
 * Installs the redirection in this thread's CommonJS loader. One at a time: installing
 * while one is installed is an error (uninstall it first).
 */
export function installRedirection(options: RedirectionOptions = {}): Redirection {
  if (active !== undefined) {
    throw new Error('the jsii-ring module redirection is already installed in this thread');
  }
  const internals = Module as unknown as { _load: LoadFn };
  const original = internals._load;
  const redirected = new Map<string, number>();
  const namespaces = new Map<string, unknown>();
  const namespaceOf = (target: JsiiTarget, from: string): unknown => {
    const key = `${target.packageDir}\0${target.subpath}`;
    let ns = namespaces.get(key);
    if (ns === undefined) {
      const root = load(target.packageName, { resolveFrom: from, connection: options.connection }) as Record<string, unknown>;
      const { assembly } = packageAt(target.packageDir);
      ns = root;
      for (const segment of namespacePathOf(target, { name: assembly.name, submodules: Object.keys(assembly.metadata.submodules ?? {}) })) {
        ns = (ns as Record<string, unknown>)[segment];
      }
      markEsModule(ns as object);
      namespaces.set(key, ns);
    }
    return ns;
  };
  internals._load = function redirectingLoad(this: unknown, request: string, parent, isMain: boolean): unknown {
    const parentFile = parent?.filename ?? undefined;
    if (!isMain && typeof request === 'string' && !isExemptRequester(parentFile)) {
      const target = jsiiTargetOf(request, parentFile);
      if (target !== undefined && !isDataSubpath(target.subpath)) {
        const ns = namespaceOf(target, parentFile !== undefined ? path.dirname(parentFile) : process.cwd());
        redirected.set(request, (redirected.get(request) ?? 0) + 1);
        return ns;
      }
    }
    // eslint-disable-next-line prefer-rest-params
    return original.apply(this, arguments as unknown as Parameters<LoadFn>);
  };
  active = { original };
  return {
    redirected,
    uninstall(): void {
      if (active?.original === original) {
        internals._load = original;
        active = undefined;
      }
    },
  };
}

/**
 * Marks a namespace as an ES module's namespace, as the compiled package's exports are:
 * TypeScript's and esbuild's interop helpers then use it as it is (no copy) and a default
 * import gets what it gets natively (nothing).
 */
function markEsModule(ns: object): void {
  if (!Object.prototype.hasOwnProperty.call(ns, '__esModule')) {
    Object.defineProperty(ns, '__esModule', { value: true, enumerable: false });
  }
}
