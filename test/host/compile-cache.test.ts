/**
 * Node's compile cache (lib/host/compile-cache.ts): on Node 20 a no-op that says why; on
 * Node ≥ 22.1 on in the calling thread, under jsii-ring's cache directory, and followed by
 * the kernel worker, whose library modules then land in the same cache.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { activeCompileCacheDir, compileCacheDir, enableCompileCache } from '../../lib/host/compile-cache.js';
import { repoRoot } from '../helpers/repo-root.js';

const HAS_CACHE = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

test('the cache lives under the jsii-ring cache directory', (t) => {
  t.is(compileCacheDir('/some/cache'), path.join('/some/cache', 'compile-cache'));
});

/** Files under `dir`, recursively. */
function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

/**
 * A child that turns the cache on (before or after starting a kernel worker), creates a
 * `constructs.Construct` through the worker (the library's code runs only there), and
 * reports what it saw.
 */
function child(cacheDir: string, enableBeforeSpawn: boolean): { state: { enabled: boolean; reason?: string; directory?: string }; active: string | null } {
  const dist = path.join(repoRoot(), 'dist', 'lib');
  const script = `
    const cc = require(${JSON.stringify(path.join(dist, 'host', 'compile-cache.js'))});
    const { KernelClient } = require(${JSON.stringify(path.join(dist, 'host', 'kernel-client.js'))});
    const { load } = require(${JSON.stringify(path.join(dist, 'bindings', 'load.js'))});
    let state;
    if (${enableBeforeSpawn}) state = cc.enableCompileCache(${JSON.stringify(cacheDir)});
    const client = KernelClient.start();
    if (!${enableBeforeSpawn}) state = cc.enableCompileCache(${JSON.stringify(cacheDir)});
    const constructs = load('constructs', { connection: client, resolveFrom: ${JSON.stringify(repoRoot())} });
    const root = new constructs.RootConstruct ? new constructs.RootConstruct() : new constructs.Construct(undefined, '');
    new constructs.Construct(root, 'child');
    client.close().then(() => console.log(JSON.stringify({ state, active: cc.activeCompileCacheDir() ?? null })));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: undefined, NODE_COMPILE_CACHE: undefined } as NodeJS.ProcessEnv });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as ReturnType<typeof child>;
}

if (!HAS_CACHE) {
  test(`Node ${process.version}: no compile cache, said plainly, nothing active`, (t) => {
    const state = enableCompileCache(fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cc-')));
    t.false(state.enabled);
    t.regex((state as { reason: string }).reason, /has no compile cache/);
    t.is(activeCompileCacheDir(), undefined);
  });
} else {
  test(`Node ${process.version}: the kernel worker follows its host thread into the cache`, (t) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-cc-'));
    const before = path.join(root, 'before');
    const after = path.join(root, 'after');
    const followed = child(before, true);
    t.true(followed.state.enabled);
    t.is(followed.active, path.join(before, 'compile-cache'));
    t.is(followed.state.directory, path.join(before, 'compile-cache'));
    // The same work, with the cache turned on only after the worker started: the worker
    // compiles its modules (the kernel's lazily loaded parts, constructs) without it.
    const late = child(after, false);
    t.true(late.state.enabled);
    const withWorker = countFiles(path.join(before, 'compile-cache'));
    const hostOnly = countFiles(path.join(after, 'compile-cache'));
    t.true(withWorker > hostOnly, `cache entries: ${withWorker} with the worker following, ${hostOnly} with the host alone`);
    fs.rmSync(root, { recursive: true, force: true });
  });
}
