/**
 * Type declarations for the run-time bindings, generated from jsii assemblies
 * (`jsii-ring types <package>`).
 */
export {
  generate,
  generateDeclarations,
  layoutOf,
  readAssembly,
  PACKAGE_JSON,
  type AssemblyReader,
  type DeclarationOptions,
  type GeneratedDeclarations,
} from './generate.js';
export { resolvePackageDir, writeDeclarations, type WriteDeclarationsOptions, type WrittenDeclarations } from './write.js';
export { AssemblyLayout, moduleFile, type TypeLocation } from './layout.js';
export { typeClosure } from './closure.js';
