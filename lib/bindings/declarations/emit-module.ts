/**
 * Emits the declaration file of one module: imports, child submodule re-exports, then the
 * module's classes, interfaces (structs included) and enums, with nested types in namespaces
 * merged with their parent type.
 */
import type * as spec from '@jsii/spec';
import { renderDocs } from './docs.js';
import { type AssemblyLayout, moduleLeaf, moduleSpecifier } from './layout.js';
import { type DeclaredNames, ReferenceRenderer } from './references.js';

/** What one module file contains. */
export interface ModuleInput {
  /** Submodule path (`''` for the root). */
  readonly module: string;
  /** Types declared in this module, with their path inside it. */
  readonly types: readonly { readonly path: readonly string[]; readonly type: spec.Type }[];
  /** Direct child submodules to re-export (paths relative to the assembly). */
  readonly children: readonly string[];
  /** First line of the file. */
  readonly header: string;
  /** Emit JSDoc comments. */
  readonly docs: boolean;
}

const INDENT = '    ';
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Node {
  type?: spec.Type;
  readonly children: Map<string, Node>;
}

/** Renders the `.d.ts` text of one module. */
export function emitModule(layout: AssemblyLayout, input: ModuleInput): string {
  const root: Node = { children: new Map() };
  const declared = new Map<string, Set<string>>();
  for (const { path, type } of input.types) {
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const name = path[i] ?? '';
      const scope = path.slice(0, i).join('.');
      let names = declared.get(scope);
      if (names === undefined) declared.set(scope, (names = new Set()));
      names.add(name);
      let child = node.children.get(name);
      if (child === undefined) node.children.set(name, (child = { children: new Map() }));
      node = child;
    }
    node.type = type;
  }
  const childNames = input.children.map(moduleLeaf);
  const refs = new ReferenceRenderer(layout, input.module, declared as DeclaredNames, childNames);
  const emitter = new TypeEmitter(refs, input.docs);

  let body = '';
  for (const [name, node] of sortedEntries(root.children)) body += emitter.node(name, node, [], '');

  let out = `${input.header}\n`;
  const imports = refs.importLines();
  if (imports.length > 0) out += `${imports.join('\n')}\n`;
  if (input.children.length > 0) {
    out += '\n';
    for (const child of input.children) out += `export * as ${moduleLeaf(child)} from '${moduleSpecifier(child)}';\n`;
  }
  if (body !== '') out += `\n${body}`;
  // An empty module file must still be a module, not a global script.
  if (imports.length === 0 && input.children.length === 0 && body === '') out += 'export {};\n';
  return out;
}

function sortedEntries(map: ReadonlyMap<string, Node>): [string, Node][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Emits one type (and the namespace of its nested types). */
class TypeEmitter {
  readonly #refs: ReferenceRenderer;
  readonly #docs: boolean;

  public constructor(refs: ReferenceRenderer, docs: boolean) {
    this.#refs = refs;
    this.#docs = docs;
  }

  /** A node of the type tree: its type (if emitted) then a namespace for its children. */
  public node(name: string, node: Node, scope: readonly string[], indent: string): string {
    // Only the file's top level needs `declare`; namespace bodies are already ambient.
    const exportKw = scope.length === 0 ? 'export declare ' : 'export ';
    let out = '';
    if (node.type !== undefined) out += this.#type(node.type, scope, indent, exportKw);
    if (node.children.size > 0) {
      const inner = [...scope, name];
      out += `${indent}${exportKw}namespace ${name} {\n`;
      for (const [childName, child] of sortedEntries(node.children)) {
        out += this.node(childName, child, inner, indent + INDENT);
      }
      out += `${indent}}\n`;
    }
    return out;
  }

  #type(type: spec.Type, scope: readonly string[], indent: string, exportKw: string): string {
    const docs = this.#doc(type.docs, indent);
    switch (type.kind) {
      case 'class':
        return docs + this.#class(type as spec.ClassType, scope, indent, exportKw);
      case 'interface':
        return docs + this.#interface(type as spec.InterfaceType, scope, indent);
      case 'enum':
        return docs + this.#enum(type as spec.EnumType, indent, exportKw);
      default:
        throw new TypeError(`unknown jsii type kind in ${JSON.stringify((type as { fqn?: unknown }).fqn)}`);
    }
  }

  #class(type: spec.ClassType, scope: readonly string[], indent: string, exportKw: string): string {
    let head = `${indent}${exportKw}${type.abstract ? 'abstract ' : ''}class ${type.name}`;
    if (type.base !== undefined) head += ` extends ${this.#refs.named(type.base, scope)}`;
    if (type.interfaces !== undefined && type.interfaces.length > 0) {
      head += ` implements ${type.interfaces.map((fqn) => this.#refs.named(fqn, scope)).join(', ')}`;
    }
    const inner = indent + INDENT;
    let out = `${head} {\n`;
    if (type.initializer === undefined) {
      // jsii: no initializer means the class cannot be created (nor subclassed) from outside.
      out += `${inner}private constructor();\n`;
    } else {
      const init = type.initializer;
      out += this.#doc(init.docs, inner, init.parameters);
      out += `${inner}${init.protected ? 'protected ' : ''}constructor(${this.#params(init.parameters, scope)});\n`;
    }
    for (const property of type.properties ?? []) out += this.#property(property, scope, inner, true);
    for (const method of type.methods ?? []) out += this.#method(method, scope, inner, true);
    return `${out}${indent}}\n`;
  }

  #interface(type: spec.InterfaceType, scope: readonly string[], indent: string): string {
    // `interface` needs no `declare` even at the top level.
    const exportKw = 'export ';
    let head = `${indent}${exportKw}interface ${type.name}`;
    if (type.interfaces !== undefined && type.interfaces.length > 0) {
      head += ` extends ${type.interfaces.map((fqn) => this.#refs.named(fqn, scope)).join(', ')}`;
    }
    const inner = indent + INDENT;
    let out = `${head} {\n`;
    // jsii marks interface members `abstract`; TypeScript allows no modifier there.
    for (const property of type.properties ?? []) out += this.#property(property, scope, inner, false);
    for (const method of type.methods ?? []) out += this.#method(method, scope, inner, false);
    return `${out}${indent}}\n`;
  }

  #enum(type: spec.EnumType, indent: string, exportKw: string): string {
    // Members carry no values: the jsii wire form of an enum is its member name, and the
    // bindings decide what a member is at run time.
    const inner = indent + INDENT;
    let out = `${indent}${exportKw}enum ${type.name} {\n`;
    type.members.forEach((member, i) => {
      out += this.#doc(member.docs, inner);
      out += `${inner}${member.name}${i < type.members.length - 1 ? ',' : ''}\n`;
    });
    return `${out}${indent}}\n`;
  }

  #property(property: spec.Property, scope: readonly string[], indent: string, inClass: boolean): string {
    let modifiers = '';
    if (inClass && property.protected) modifiers += 'protected ';
    if (inClass && property.static) modifiers += 'static ';
    if (inClass && property.abstract) modifiers += 'abstract ';
    if (property.immutable || property.const) modifiers += 'readonly ';
    const optional = property.optional ? '?' : '';
    const type = this.#refs.render(property.type, scope);
    return `${this.#doc(property.docs, indent)}${indent}${modifiers}${memberName(property.name)}${optional}: ${type};\n`;
  }

  #method(method: spec.Method, scope: readonly string[], indent: string, inClass: boolean): string {
    let modifiers = '';
    if (inClass && method.protected) modifiers += 'protected ';
    if (inClass && method.static) modifiers += 'static ';
    if (inClass && method.abstract) modifiers += 'abstract ';
    let returns = method.returns === undefined ? 'void' : this.#refs.render(method.returns.type, scope);
    if (method.returns?.optional && returns !== 'any') returns = `${returns} | undefined`;
    if (method.async) returns = `${this.#refs.globalName('Promise')}<${returns}>`;
    const docs = this.#doc(method.docs, indent, method.parameters);
    return `${docs}${indent}${modifiers}${memberName(method.name)}(${this.#params(method.parameters, scope)}): ${returns};\n`;
  }

  #params(params: readonly spec.Parameter[] | undefined, scope: readonly string[]): string {
    return (params ?? [])
      .map((param) => {
        const type = this.#refs.render(param.type, scope);
        if (param.variadic) return `...${param.name}: ${/[|&]/.test(type) ? `(${type})` : type}[]`;
        return `${param.name}${param.optional ? '?' : ''}: ${type}`;
      })
      .join(', ');
  }

  #doc(docs: spec.Docs | undefined, indent: string, params?: readonly spec.Parameter[]): string {
    return this.#docs ? renderDocs(docs, indent, params) : '';
  }
}

/** A member name as written in a declaration (quoted if it is not an identifier). */
function memberName(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}
