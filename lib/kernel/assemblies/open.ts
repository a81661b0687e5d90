/**
 * Opening the assembly of an installed package.
 */
import type * as spec from '@jsii/spec';
import { JsiiFault } from '../../errors.js';
import { AssemblyFileError, locateAssembly, readAssemblyBytes } from './assembly-file.js';
import { unsupportedFeatures } from './features.js';
import { ParsedAssemblySource } from './parsed-source.js';
import type { AssemblySource, AssemblyStoreOptions } from './types.js';

/**
 * Opens the assembly of the package installed in `packageDir`, following `.jsii` redirects
 * and decompressing as needed, and checks its `usedFeatures`. Throws `JsiiFault` if the
 * assembly is missing, unreadable, or uses a feature this kernel does not support.
 */
export function openAssembly(packageDir: string, options?: AssemblyStoreOptions): AssemblySource {
  void options;
  let assembly: spec.Assembly;
  try {
    const located = locateAssembly(packageDir);
    assembly = JSON.parse(readAssemblyBytes(located).toString('utf8')) as spec.Assembly;
  } catch (e) {
    if (e instanceof AssemblyFileError || e instanceof SyntaxError) {
      throw new JsiiFault(`Cannot open the assembly in ${packageDir}: ${e.message}`, { cause: e });
    }
    throw e;
  }
  const problem = unsupportedFeatures(assembly.usedFeatures);
  if (problem !== undefined) {
    throw new JsiiFault(`Cannot open the assembly ${assembly.name}@${assembly.version} in ${packageDir}: ${problem}`);
  }
  return new ParsedAssemblySource(assembly);
}
