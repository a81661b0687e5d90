/**
 * `jsii-ring synth app.ts STACK...`: the stacks of the cloud assembly that the patterns
 * select, and the template of one of them printed as `cdk synth STACK` prints it.
 *
 * The rules are the CDK CLI's (aws-cdk 2.x, `cdk synth`):
 * - a pattern is matched against each stack's hierarchical id (its display name, e.g.
 *   `Prod/Api` for a stack in a Stage, else its artifact id), in the top-level assembly and
 *   every nested one; `*` and `?` match within a path segment, `**` across segments,
 *   `{a,b}` either, a leading `!` excludes;
 * - only the stacks named are selected, not the ones they depend on (`cdk synth` always
 *   selects exclusively, with or without `--exclusively`);
 * - exactly one selected stack: its template on stdout, as YAML (YAML 1.1, no line
 *   folding), or JSON with `--json`, without the bootstrap version check rule;
 * - several: where the assembly is and which ids to give, on stderr;
 * - none: an error naming the patterns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ErrorCode, JsiiRingError } from '../errors.js';

/** A stack artifact of a cloud assembly (nested assemblies included). */
export interface StackArtifactInfo {
  /** Artifact id in its assembly's manifest. */
  readonly id: string;
  /** Display name (`Stage/Stack`), else the id: what patterns match. */
  readonly hierarchicalId: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string };
}

interface Manifest {
  readonly artifacts?: Readonly<Record<string, ManifestArtifact>>;
}

const STACK_TYPE = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_TYPE = 'cdk:cloud-assembly';

function readManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (error) {
    throw new JsiiRingError(ErrorCode.STACK_SELECTION, `cannot read the cloud assembly manifest ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Every stack of the cloud assembly in `outdir`: the top-level assembly's first, then each
 * nested assembly's, breadth first (the CDK's `stacksRecursively` order).
 */
export function listStacks(outdir: string): StackArtifactInfo[] {
  const stacks: StackArtifactInfo[] = [];
  const queue = [path.resolve(outdir)];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    const artifacts = Object.entries(readManifest(dir).artifacts ?? {});
    for (const [id, artifact] of artifacts) {
      if (artifact.type === STACK_TYPE && artifact.properties?.templateFile !== undefined) {
        stacks.push({ id, hierarchicalId: artifact.displayName ?? id, templateFile: path.join(dir, artifact.properties.templateFile) });
      }
    }
    for (const [, artifact] of artifacts) {
      if (artifact.type === NESTED_ASSEMBLY_TYPE && artifact.properties?.directoryName !== undefined) {
        queue.push(path.join(dir, artifact.properties.directoryName));
      }
    }
  }
  return stacks;
}

/** A glob pattern as a regular expression over a hierarchical id. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**` spans segments; `a/**/b` also matches `a/b`.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          source += '(?:.*/)?';
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) {
        source += '\\{';
      } else {
        source += `(?:${glob.slice(i + 1, end).split(',').map((alt) => globToRegExp(alt).source.slice(1, -1)).join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) {
        source += '\\[';
      } else {
        const body = glob.slice(i + 1, end);
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else {
      source += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * The stacks of `all` that `patterns` select, in assembly order. No match is an error
 * naming the patterns and the stacks there are.
 */
export function selectStacks(all: readonly StackArtifactInfo[], patterns: readonly string[]): StackArtifactInfo[] {
  if (all.length === 0) {
    throw new JsiiRingError(ErrorCode.STACK_SELECTION, 'the app has no stacks');
  }
  const unique = [...new Set(patterns)];
  const positives = unique.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const negatives = unique.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  const selects = (id: string): boolean => (positives.length === 0 || positives.some((r) => r.test(id))) && !negatives.some((r) => r.test(id));
  const selected = all.filter((s) => selects(s.hierarchicalId));
  if (selected.length === 0) {
    throw new JsiiRingError(ErrorCode.STACK_SELECTION, `no stack matches ${unique.join(', ')} (the stacks: ${all.map((s) => s.hierarchicalId).join(', ')})`);
  }
  return selected;
}

/**
 * The template as `cdk synth STACK` prints it: the bootstrap version check rule left out,
 * YAML 1.1 without line folding (or JSON indented by two), and a final empty line.
 */
export function formatTemplate(templateFile: string, json: boolean): string {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Rules?: Record<string, unknown> };
  if (template.Rules?.CheckBootstrapVersion !== undefined) {
    if (Object.keys(template.Rules).length > 1) delete template.Rules.CheckBootstrapVersion;
    else delete template.Rules;
  }
  return `${json ? JSON.stringify(template, undefined, 2) : stringify(template, { schema: 'yaml-1.1', lineWidth: 0 })}\n`;
}
