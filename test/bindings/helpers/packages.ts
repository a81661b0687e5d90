/**
 * Where tests load packages from: the calc fixture is not installed in the repository's
 * `node_modules`, so a private directory gets a `node_modules/@jsii-ring/calc` symlink to
 * it, and `load(..., { resolveFrom })` finds it there as `require` would.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureFixtures } from '../../helpers/fixture.js';
import { repoRoot } from '../../helpers/repo-root.js';

let calcRoot: string | undefined;

/** A directory from which `@jsii-ring/calc` resolves to the built fixture. */
export function calcResolveFrom(): string {
  if (calcRoot !== undefined) return calcRoot;
  const { calc } = ensureFixtures();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-bindings-'));
  const scope = path.join(root, 'node_modules', '@jsii-ring');
  fs.mkdirSync(scope, { recursive: true });
  fs.symlinkSync(calc.packageDir, path.join(scope, 'calc'), 'dir');
  process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  calcRoot = root;
  return root;
}

/** The repository root, from which `aws-cdk-lib` and `constructs` resolve. */
export function repoResolveFrom(): string {
  return repoRoot();
}
