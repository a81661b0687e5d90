/**
 * Compares two cloud assemblies the way the project judges "same output": every file
 * (templates, `manifest.json`, `tree.json`, asset manifests, staged assets) byte for byte,
 * and the same stacks in both manifests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Result of {@link compareCloudAssemblies}. */
export interface CloudAssemblyComparison {
  /** True when there are no differences. */
  readonly identical: boolean;
  /** One line per difference, stable order. */
  readonly differences: string[];
  /** Templates in the first assembly. */
  readonly templates: number;
  /** CloudFormation resources in the first assembly's templates. */
  readonly resources: number;
  /** Stack artifact ids in the first assembly's manifest, sorted. */
  readonly stacks: string[];
  /**
   * Files that differ only in stack traces (metadata `trace` arrays, creation stacks, the
   * construct traces of a validation report): those
   * list the frames of whatever ran the program (a loader, a CLI, the kernel's host), so
   * they cannot match between two ways of running it. Not counted as differences.
   */
  readonly traceOnly: string[];
}

/** Counts of one cloud assembly. */
export interface CloudAssemblySummary {
  /** Relative paths of every `*.template.json` (nested assemblies included), sorted. */
  readonly templateFiles: string[];
  readonly templates: number;
  readonly resources: number;
  /** Stack artifact ids (`aws:cloudformation:stack`) from the manifest(s), sorted. */
  readonly stacks: string[];
  /** Resources per template file. */
  readonly resourcesByTemplate: ReadonlyMap<string, number>;
}

const TEMPLATE_SUFFIX = '.template.json';
const STACK_ARTIFACT_TYPE = 'aws:cloudformation:stack';

/** Options of {@link compareCloudAssemblies}. */
export interface CompareOptions {
  /**
   * `'all'`: every file of the assembly; `'templates'`: the `*.template.json` files only
   * (for two runs that differ on purpose elsewhere, e.g. validation on and off).
   * @default 'all'
   */
  readonly files?: 'all' | 'templates';
}

/** Compares the files and stack lists of two cloud assembly directories. */
export function compareCloudAssemblies(dirA: string, dirB: string, options: CompareOptions = {}): CloudAssemblyComparison {
  const a = summarizeCloudAssembly(dirA);
  const b = summarizeCloudAssembly(dirB);
  const differences: string[] = [];

  const templatesOnly = options.files === 'templates';
  const filesA = templatesOnly ? a.templateFiles : listFiles(dirA, '').sort();
  const filesB = templatesOnly ? b.templateFiles : listFiles(dirB, '').sort();
  const inA = new Set(filesA);
  const inB = new Set(filesB);
  for (const file of filesA) if (!inB.has(file)) differences.push(`${file}: only in ${dirA}`);
  for (const file of filesB) if (!inA.has(file)) differences.push(`${file}: only in ${dirB}`);
  const traceOnly: string[] = [];
  for (const file of filesA) {
    if (!inB.has(file)) continue;
    const bytesA = fs.readFileSync(path.join(dirA, file));
    const bytesB = fs.readFileSync(path.join(dirB, file));
    if (bytesA.equals(bytesB)) continue;
    if (file.endsWith('.json') && sameWithoutTraces(bytesA, bytesB)) traceOnly.push(file);
    else differences.push(`${file}: ${describeDifference(bytesA, bytesB)}`);
  }

  const stacksB = new Set(b.stacks);
  const stacksA = new Set(a.stacks);
  for (const stack of a.stacks) if (!stacksB.has(stack)) differences.push(`stack ${stack}: only in ${dirA}`);
  for (const stack of b.stacks) if (!stacksA.has(stack)) differences.push(`stack ${stack}: only in ${dirB}`);

  return {
    identical: differences.length === 0,
    differences,
    templates: a.templates,
    resources: a.resources,
    stacks: a.stacks,
    traceOnly,
  };
}

/**
 * True if two JSON documents differ in their stack traces and nowhere else: equal once
 * every trace is removed, and different with them (so a difference of layout alone, which
 * parsing would hide, is still a difference).
 */
function sameWithoutTraces(a: Buffer, b: Buffer): boolean {
  try {
    const docA: unknown = JSON.parse(a.toString('utf8'));
    const docB: unknown = JSON.parse(b.toString('utf8'));
    if (JSON.stringify(docA) === JSON.stringify(docB)) return false;
    return JSON.stringify(dropTraces(docA)) === JSON.stringify(dropTraces(docB));
  } catch {
    return false;
  }
}

/** Keys under which the CDK records stack traces (metadata entries, validation reports). */
const TRACE_KEYS = new Set(['trace', 'stackTrace', 'stackTraces', 'acknowledgedStackTrace']);

/** A rendered stack trace: a string, or an array of strings. */
function isTrace(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((line) => typeof line === 'string'));
}

function dropTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropTraces);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  // A trace is a `trace` array of an entry, or the `data` of a creation-stack entry.
  const creationStack = (value as { type?: unknown }).type === 'aws:cdk:creationStack';
  for (const [key, child] of Object.entries(value)) {
    if ((TRACE_KEYS.has(key) || (creationStack && key === 'data')) && isTrace(child)) continue;
    out[key] = dropTraces(child);
  }
  return out;
}

/** Lists the templates, stacks and resource counts of a cloud assembly directory. */
export function summarizeCloudAssembly(dir: string): CloudAssemblySummary {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`${dir} is not a cloud assembly (no manifest.json)`);
  }
  const templateFiles = listTemplates(dir, '').sort();
  const resourcesByTemplate = new Map<string, number>();
  let resources = 0;
  for (const file of templateFiles) {
    const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { Resources?: object };
    const count = Object.keys(template.Resources ?? {}).length;
    resourcesByTemplate.set(file, count);
    resources += count;
  }
  const stacks = listStacks(dir, '').sort();
  return { templateFiles, templates: templateFiles.length, resources, stacks, resourcesByTemplate };
}

/** Template files under `dir/rel`, recursing into nested assemblies (stages). */
function listTemplates(dir: string, rel: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      // Asset staging directories hold user files, not synthesized templates.
      if (!entry.name.startsWith('asset.')) out.push(...listTemplates(dir, child));
    } else if (entry.name.endsWith(TEMPLATE_SUFFIX)) {
      out.push(child);
    }
  }
  return out;
}

/** Every file under `dir/rel`, as paths relative to `dir` with `/` separators. */
function listFiles(dir: string, rel: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(dir, child));
    else out.push(child);
  }
  return out;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly properties?: { readonly directoryName?: string };
}

/** Stack artifact ids of the manifest in `dir/rel`, following nested assemblies. */
function listStacks(dir: string, rel: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, rel, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, ManifestArtifact>;
  };
  const out: string[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === STACK_ARTIFACT_TYPE) {
      out.push(rel === '' ? id : `${rel}/${id}`);
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName !== undefined) {
      const nested = rel === '' ? artifact.properties.directoryName : `${rel}/${artifact.properties.directoryName}`;
      out.push(...listStacks(dir, nested));
    }
  }
  return out;
}

/** Where two byte strings first differ, as `line L, column C` with a short excerpt of each. */
function describeDifference(a: Buffer, b: Buffer): string {
  const limit = Math.min(a.length, b.length);
  let offset = 0;
  while (offset < limit && a[offset] === b[offset]) offset++;
  const before = a.subarray(0, offset).toString('utf8');
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const excerpt = (buf: Buffer): string => JSON.stringify(buf.subarray(offset, offset + 60).toString('utf8'));
  return `differs at byte ${offset} (line ${line}, column ${column}; sizes ${a.length} and ${b.length}): ${excerpt(a)} vs ${excerpt(b)}`;
}
