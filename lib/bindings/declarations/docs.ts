/**
 * JSDoc comments from jsii `docs`, laid out the way `tsc` declaration output has them:
 * summary, remarks, then tags (`@param`, `@returns`, `@default`, `@deprecated`, ...).
 */
import type * as spec from '@jsii/spec';

/** Custom tags that only matter to jsii's own tooling. */
const SKIPPED_CUSTOM_TAGS = new Set(['exampleMetadata']);

/** Documentation of one parameter, for a `@param` tag. */
export interface ParamDoc {
  readonly name: string;
  readonly docs?: spec.Docs;
}

/**
 * Renders a doc comment (with a trailing newline) indented by `indent`, or `''` when there
 * is nothing to say.
 */
export function renderDocs(docs: spec.Docs | undefined, indent: string, params: readonly ParamDoc[] = []): string {
  const blocks: string[] = [];
  if (docs?.summary) blocks.push(docs.summary);
  if (docs?.remarks) blocks.push(docs.remarks);
  const tags: string[] = [];
  for (const param of params) {
    const text = param.docs?.summary;
    if (text) tags.push(`@param ${param.name} ${text}`);
  }
  if (docs?.returns) tags.push(`@returns ${docs.returns}`);
  if (docs?.default !== undefined) tags.push(`@default ${docs.default}`);
  if (docs?.deprecated !== undefined) tags.push(`@deprecated ${docs.deprecated}`);
  if (docs?.see) tags.push(`@see ${docs.see}`);
  if (docs?.stability !== undefined && docs.stability !== 'stable') tags.push(`@stability ${docs.stability}`);
  if (docs?.subclassable) tags.push('@subclassable');
  for (const [tag, value] of Object.entries(docs?.custom ?? {})) {
    if (!SKIPPED_CUSTOM_TAGS.has(tag)) tags.push(value ? `@${tag} ${value}` : `@${tag}`);
  }
  if (docs?.example) tags.push(`@example\n${docs.example}`);
  if (tags.length > 0) blocks.push(tags.join('\n'));
  if (blocks.length === 0) return '';

  const lines = blocks.join('\n\n').split('\n');
  let out = `${indent}/**\n`;
  for (const line of lines) {
    out += line === '' ? `${indent} *\n` : `${indent} * ${escapeComment(line)}\n`;
  }
  return `${out}${indent} */\n`;
}

/** Keeps text from ending the comment early. */
function escapeComment(line: string): string {
  return line.replace(/\*\//g, '*\\/');
}
