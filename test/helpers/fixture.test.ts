/**
 * The fixture build: real jsii output, a cache keyed by the sources, and a lock that lets
 * several processes ask at once (tested on a private copy, so other test files keep using
 * the shared fixture while this one rebuilds).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureFixtureAt, ensureFixtures, fixtureBuildReports, type FixtureBuildReport } from './fixture.js';
import { repoRoot } from './repo-root.js';

const run = promisify(execFile);

test('ensureFixtures returns a packed jsii assembly', (t) => {
  const { calc } = ensureFixtures();
  t.is(calc.name, '@jsii-ring/calc');
  t.is(calc.version, '1.0.0');
  t.true(existsSync(calc.tarball), calc.tarball);
  const assembly = JSON.parse(readFileSync(join(calc.packageDir, '.jsii'), 'utf8')) as { name: string; types: Record<string, unknown> };
  t.is(assembly.name, '@jsii-ring/calc');
  t.truthy(assembly.types['@jsii-ring/calc.Calculator']);
  t.is(ensureFixtures(), ensureFixtures(), 'memoized within a process');
});

/** Runs ensureFixtureAt(dir) in a separate process and returns what it did. */
async function buildInChild(dir: string): Promise<{ tarball: string; report: FixtureBuildReport }> {
  const fixtureModule = join(__dirname, 'fixture.js');
  const code = `const f = require(${JSON.stringify(fixtureModule)});
    const pkg = f.ensureFixtureAt(${JSON.stringify(dir)});
    process.stdout.write(JSON.stringify({ tarball: pkg.tarball, report: f.fixtureBuildReports()[0] }));`;
  const { stdout } = await run(process.execPath, ['-e', code], { encoding: 'utf8' });
  return JSON.parse(stdout) as { tarball: string; report: FixtureBuildReport };
}

test('two processes building the same fixture at once: one builds, the other waits for it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jsii-ring-fixture-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(repoRoot(), 'test', 'fixtures', 'calc');
  for (const entry of ['package.json', 'README.md']) cpSync(join(source, entry), join(dir, entry));
  cpSync(join(source, 'lib'), join(dir, 'lib'), { recursive: true, filter: (p) => !p.endsWith('.js') && !p.endsWith('.d.ts') });

  const [a, b] = await Promise.all([buildInChild(dir), buildInChild(dir)]);
  const actions = [a.report.action, b.report.action].sort();
  t.is(actions.filter((x) => x === 'built').length, 1, `actions: ${actions.join(', ')}`);
  t.true(actions.includes('built-by-other-process') || actions.includes('cached'), `actions: ${actions.join(', ')}`);
  t.is(a.tarball, b.tarball);
  t.true(existsSync(a.tarball));
  t.false(existsSync(join(dir, '.build-lock')), 'the lock is released');

  const again = ensureFixtureAt(dir);
  t.is(again.tarball, a.tarball);
  const last = fixtureBuildReports().at(-1);
  t.is(last?.action, 'cached');

  // A change to the sources invalidates the cache.
  appendFileSync(join(dir, 'lib', 'index.ts'), '\n// changed\n');
  ensureFixtureAt(dir);
  const rebuilt = fixtureBuildReports().at(-1);
  t.is(rebuilt?.action, 'built');
  t.not(rebuilt?.hash, last?.hash);
});
