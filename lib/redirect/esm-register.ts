/**
 * Module redirection for ES modules: registers loader hooks (`esm-hooks.ts`, run by Node
 * on its loader thread) that answer an `import` of a jsii package with a small module
 * re-exporting the bindings, which it gets through `require` in this thread, so the CommonJS
 * redirection (`cjs-hook.ts`) is the one place that makes them. Needs `module.register`
 * (Node ≥ 20.6); without it, ES module imports of jsii packages stay native, which the
 * kernel modes then report (ERR_NATIVE_OBJECT / ERR_NO_KERNEL_CALLS).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nodeModule from 'node:module';

let registered = false;

/** Registers the ES module hooks once per process; false if this Node cannot. */
export function installEsmRedirection(): boolean {
  if (registered) return true;
  const register = (nodeModule as { register?: (specifier: string | URL, parentURL?: string | URL) => void }).register;
  if (typeof register !== 'function') return false;
  register(pathToFileURL(path.join(__dirname, 'esm-hooks.js')));
  registered = true;
  return true;
}
