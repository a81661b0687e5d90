/**
 * Temporary directories for assembly tests, removed when the test ends.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecutionContext } from 'ava';

/** A fresh directory that is removed after the test (pass or fail). */
export function tempDir(t: ExecutionContext, prefix = 'jsii-ring-assemblies-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file and directory under `dir`, relative, sorted (symlinks not followed). */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      out.push(rel);
      if (entry.isDirectory()) {
        walk(rel);
      }
    }
  };
  walk('');
  return out.sort();
}
