/**
 * Packages some commands need that an installed jsii-ring does not depend on (the bench's
 * development-only dependencies): found from the program's directory or from jsii-ring's,
 * and when missing, one line naming the package and the command that installs it.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ErrorCode, JsiiRingError } from '../errors.js';

/** Where a dependency is looked for: the current directory's project, then jsii-ring's own. */
function searchPaths(): string[] {
  return [process.cwd(), __dirname];
}

/** An error naming what needs `packageName` and how to install it (`ERR_MISSING_DEPENDENCY`). */
export function missingDependency(packageName: string, neededBy: string, version?: string): JsiiRingError {
  const spec = version === undefined ? packageName : `${packageName}@${version}`;
  return new JsiiRingError(ErrorCode.MISSING_DEPENDENCY, `${neededBy} needs the package ${packageName}, which is not installed: run 'npm install --save-dev ${spec}'`);
}

/** True if `packageName` can be found from the current directory or from jsii-ring. */
export function hasDependency(packageName: string): boolean {
  try {
    require.resolve(`${packageName}/package.json`, { paths: searchPaths() });
    return true;
  } catch {
    return false;
  }
}

/** Requires `packageName` (as found by {@link hasDependency}), or throws {@link missingDependency}. */
export function requireDependency<T>(packageName: string, neededBy: string, version?: string): T {
  let manifest: string;
  try {
    manifest = require.resolve(`${packageName}/package.json`, { paths: searchPaths() });
  } catch {
    throw missingDependency(packageName, neededBy, version);
  }
  return createRequire(path.join(path.dirname(manifest), 'noop.js'))(packageName) as T;
}
