/**
 * Node loader hooks (registered by `esm-register.ts`; they run on Node's loader thread):
 * `import … from 'aws-cdk-lib/aws-s3'` in an ES module resolves to a generated module that
 * `require`s the same specifier from the importing file's directory, in the program's
 * thread, where the CommonJS redirection answers with the bindings, and re-exports every
 * name the namespace has. The names come from the assembly (its type and submodule names),
 * so nothing is evaluated here.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openAssembly } from '../kernel/assemblies/index.js';
import type { AssemblySource } from '../kernel/assemblies/types.js';
import { isDataSubpath, isExemptRequester, jsiiTargetOf, namespacePathOf } from './targets.js';

const SCHEME = 'jsii-ring-module:';

interface ResolveContext { readonly parentURL?: string }
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;
type NextLoad = (url: string, context: unknown) => Promise<unknown>;

/** Loader hook: jsii packages imported from program files resolve to the generated module. */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<unknown> {
  const parent = context.parentURL?.startsWith('file:') === true ? fileURLToPath(context.parentURL) : undefined;
  if (parent !== undefined && !isExemptRequester(parent)) {
    const target = jsiiTargetOf(specifier, parent);
    if (target !== undefined && !isDataSubpath(target.subpath)) {
      const query = new URLSearchParams({ from: parent });
      return { url: `${SCHEME}${specifier}?${query.toString()}`, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

/** Loader hook: the source of a generated module. */
export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<unknown> {
  if (!url.startsWith(SCHEME)) return nextLoad(url, context);
  const [specifier = '', search = ''] = url.slice(SCHEME.length).split('?', 2);
  const from = new URLSearchParams(search).get('from') ?? path.join(process.cwd(), 'index.js');
  const names = exportNames(specifier, from);
  const lines = [
    "import { createRequire } from 'node:module';",
    `const ns = createRequire(${JSON.stringify(from)})(${JSON.stringify(specifier)});`,
    'export default ns;',
    ...names.map((name) => `export const ${name} = ns[${JSON.stringify(name)}];`),
  ];
  return { format: 'module', source: lines.join('\n'), shortCircuit: true };
}

/** Assemblies opened on this thread, by package directory: one open per package, not per import. */
const ASSEMBLIES = new Map<string, AssemblySource>();

/** Names a namespace of the assembly has directly under it: its types and submodules. */
function exportNames(specifier: string, from: string): string[] {
  const target = jsiiTargetOf(specifier, from);
  if (target === undefined) return [];
  let assembly = ASSEMBLIES.get(target.packageDir);
  if (assembly === undefined) {
    assembly = openAssembly(target.packageDir);
    ASSEMBLIES.set(target.packageDir, assembly);
  }
  const prefix = [assembly.name, ...namespacePathOf(target, { name: assembly.name, submodules: Object.keys(assembly.metadata.submodules ?? {}) })].join('.');
  const names = new Set<string>();
  const childOf = (fqn: string): void => {
    if (!fqn.startsWith(`${prefix}.`)) return;
    const name = fqn.slice(prefix.length + 1).split('.')[0]!;
    if (/^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default') names.add(name);
  };
  for (const submodule of Object.keys(assembly.metadata.submodules ?? {})) childOf(submodule);
  for (const fqn of assembly.typeNames()) childOf(fqn);
  return [...names];
}
