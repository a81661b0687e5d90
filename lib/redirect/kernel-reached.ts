/**
 * After a program ran in a kernel mode: did it reach the kernel, and did it load a jsii
 * library natively beside it? Either is an error naming the module and the fix, never a
 * silent native run.
 */
import { ErrorCode, JsiiRingError } from '../errors.js';
import type { KernelClient } from '../host/kernel-client.js';
import type { Redirection } from './cjs-hook.js';
import { jsiiPackageHolding } from './targets.js';

/**
 * A kernel mode that never reached the kernel, or that loaded a jsii library natively
 * beside it, did not do what was asked: an error naming the module and the fix, never a
 * silent native run.
 */
export function checkKernelReached(client: KernelClient, redirection: Redirection | undefined): void {
  const native = nativeJsiiModules();
  if (native.length > 0) {
    const first = native[0]!;
    throw new JsiiRingError(
      ErrorCode.NATIVE_OBJECT,
      `the app loaded the jsii library in ${first.packageDir} natively (${first.file}${first.requiredBy !== undefined ? `, required by ${first.requiredBy}` : ''}) instead of through the kernel; `
      + 'import it by its package name (\'aws-cdk-lib\', \'aws-cdk-lib/aws-s3\'), not by a file path, so jsii-ring can redirect it',
    );
  }
  // Loading packages (the synth watch loads aws-cdk-lib itself) and beforeExit are not the
  // app's own calls.
  const { sync, pipelined } = client.stats;
  const own = [...Object.entries(sync), ...Object.entries(pipelined)].filter(([api]) => api !== 'load' && api !== 'beforeExit');
  if (own.every(([, n]) => n === 0)) {
    throw new JsiiRingError(
      ErrorCode.NO_KERNEL_CALLS,
      `the app made no calls into the kernel: it imported no jsii package (aws-cdk-lib, constructs, …) through jsii-ring${redirection !== undefined && redirection.redirected.size === 0 ? ' (no import was redirected)' : ''}. `
      + 'Run it with --mode native to run it without the kernel, or check that it imports the library by its package name',
    );
  }
}

/** Files of jsii packages in this thread's module cache (loaded natively, not through the kernel). */
export function nativeJsiiModules(): Array<{ file: string; packageDir: string; requiredBy: string | undefined }> {
  const out: Array<{ file: string; packageDir: string; requiredBy: string | undefined }> = [];
  for (const [file, module] of Object.entries(require.cache)) {
    if (file.endsWith('.json')) continue;
    const packageDir = jsiiPackageHolding(file);
    if (packageDir === undefined) continue;
    const parent = (module as { parent?: { filename?: string } | null } | undefined)?.parent?.filename;
    // Modules a jsii package loads for itself came in with the first one: report that one.
    if (parent !== undefined && jsiiPackageHolding(parent) !== undefined) continue;
    out.push({ file, packageDir, requiredBy: parent });
  }
  return out;
}
