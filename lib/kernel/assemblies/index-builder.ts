/**
 * Turns an assembly's JSON text into the contents of its index: each type's and each
 * metadata member's JSON text exactly as found in the assembly (byte slices, never
 * re-serialised), except `submodules`, whose readmes are split out (see `IndexContents`).
 */
import { type Blob, type IndexContents } from './index-format.js';
import { type Member, scanAssembly } from './json-scan.js';

/** Metadata key whose value gets its readmes split out. */
export const SUBMODULES_KEY = 'submodules';

/** Scans `text` (the assembly's UTF-8 JSON) and collects what the index stores. */
export function indexContents(text: Buffer): IndexContents {
  const layout = scanAssembly(text);
  const slice = (m: Member): Blob => ({ name: m.key, bytes: text.subarray(m.value.start, m.value.end) });
  const types = dedupe(layout.types).map(slice);
  const metadata: Blob[] = [];
  let readmes: Blob[] = [];
  for (const member of dedupe(layout.metadata)) {
    const blob = slice(member);
    if (member.key === SUBMODULES_KEY && text[member.value.start] === 0x7b /* { */) {
      const split = splitReadmes(blob.bytes);
      metadata.push({ name: member.key, bytes: split.submodules });
      readmes = split.readmes;
    } else {
      metadata.push(blob);
    }
  }
  return { types, metadata, readmes };
}

/**
 * Replaces every submodule's `readme` object by `null` (so the key keeps its place in the
 * object) and returns the readmes apart. Small (~3 MB), so a plain parse is fine here.
 */
function splitReadmes(bytes: Buffer): { submodules: Buffer; readmes: Blob[] } {
  const submodules = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  const readmes: Blob[] = [];
  for (const [fqn, submodule] of Object.entries(submodules)) {
    if (typeof submodule !== 'object' || submodule === null) {
      continue;
    }
    const readme = (submodule as { readme?: unknown }).readme;
    if (typeof readme === 'object' && readme !== null) {
      readmes.push({ name: fqn, bytes: Buffer.from(JSON.stringify(readme), 'utf8') });
      (submodule as { readme?: unknown }).readme = null;
    }
  }
  return { submodules: Buffer.from(JSON.stringify(submodules), 'utf8'), readmes };
}

/** Later duplicates replace earlier members, keeping the first position (as `JSON.parse`). */
function dedupe(members: readonly Member[]): Member[] {
  const byKey = new Map<string, Member>();
  for (const member of members) {
    byKey.set(member.key, member);
  }
  return byKey.size === members.length ? [...members] : [...byKey.values()];
}
