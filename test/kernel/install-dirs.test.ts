/**
 * Kernel install directories: removed at exit, and those of killed processes removed by the
 * next kernel that starts.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { INSTALL_DIR_PREFIX, removeStaleInstallDirs } from '../../lib/kernel/install-dirs.js';
import { ensureFixtures } from '../helpers/fixture.js';
import { runtimeScript } from '../transports/stdio-process.js';

function scratch(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-tmp-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The pid of a process that has exited (and so exists no more). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('only directories of processes that are gone are removed, and unowned ones once a day old', (t) => {
  const tmp = scratch(t);
  const dead = deadPid();
  const names = {
    dead: `${INSTALL_DIR_PREFIX}${dead}-abc123`,
    live: `${INSTALL_DIR_PREFIX}${process.pid}-abc123`,
    oldUnowned: `${INSTALL_DIR_PREFIX}Xy12Zq`,
    newUnowned: `${INSTALL_DIR_PREFIX}Ab34Cd`,
    other: 'jsii-ring-cache-abc123',
  };
  for (const name of Object.values(names)) fs.mkdirSync(path.join(tmp, name, 'node_modules'), { recursive: true });
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  fs.utimesSync(path.join(tmp, names.oldUnowned), twoDaysAgo, twoDaysAgo);
  const removed = removeStaleInstallDirs(tmp).map((d) => path.basename(d)).sort();
  t.deepEqual(removed, [names.dead, names.oldUnowned].sort());
  t.deepEqual(fs.readdirSync(tmp).sort(), [names.live, names.newUnowned, names.other].sort());
});

/** Starts our stdio server with TMPDIR=tmp, loads the fixture, and returns it once loaded. */
async function serverThatLoaded(tmp: string): Promise<ReturnType<typeof spawn>> {
  const pkg = ensureFixtures().calc;
  const child = spawn(process.execPath, [runtimeScript('ours')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: tmp } });
  child.stdin!.write(`${JSON.stringify({ api: 'load', name: pkg.name, version: pkg.version, tarball: pkg.tarball })}\n`);
  await new Promise<void>((resolve) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split('\n').length > 2) resolve();
    });
  });
  return child;
}

const installDirs = (tmp: string): string[] => fs.readdirSync(tmp).filter((n) => n.startsWith(INSTALL_DIR_PREFIX));
const exited = (child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

test('a server removes its install directory at the end of input; the next one removes those of killed servers', async (t) => {
  const tmp = scratch(t);
  const ended = await serverThatLoaded(tmp);
  t.is(installDirs(tmp).length, 1);
  ended.stdin!.end();
  await exited(ended);
  t.deepEqual(installDirs(tmp), []);

  // Each server killed leaves its directory; the next server to start removes it. The
  // program a host starts serves from a child with --preserve-symlinks (lib/cli/jsii-runtime.ts):
  // SIGTERM to the program is passed on to it; SIGKILL is sent to the serving child itself
  // (the program then ends the same way).
  let previous: string | undefined;
  for (const signal of ['SIGKILL', 'SIGTERM', undefined] as const) {
    const server = await serverThatLoaded(tmp);
    const dirs = installDirs(tmp);
    t.is(dirs.length, 1, `only the directory of the running server (after ${previous})`);
    const serving = Number(dirs[0]!.slice(INSTALL_DIR_PREFIX.length).split('-')[0]);
    t.not(serving, server.pid, 'served by a child of the program');
    if (signal === undefined) {
      server.stdin!.end();
      await exited(server);
      break;
    }
    const ended = exited(server);
    if (signal === 'SIGKILL') process.kill(serving, signal);
    else server.kill(signal);
    t.deepEqual(await ended, { code: null, signal }, 'the program ends as the serving process did');
    t.deepEqual(installDirs(tmp), dirs, `left by a server killed with ${signal}`);
    previous = signal;
  }
  t.deepEqual(installDirs(tmp), []);
});
