/**
 * A CDK project in a temporary directory with this repository's tarball installed in it,
 * as a user would have it: `npm pack` here, the tarball copied there, `npm install
 * ./jsii-ring-<version>.tgz`.
 *
 * The project's package-lock.json, before the install, pins the registry packages the
 * tarball depends on at the versions (and tarball addresses) of this repository's
 * lockfile, so npm needs no registry metadata and takes each package from its cache by
 * integrity (`npm ci` filled it): the install runs offline (`npm_config_offline`). How the
 * tarball's own dependencies are met (the ring package inside it, the registry ones by
 * their ranges) is npm's doing, as for a user. The CDK project's own packages
 * (`aws-cdk-lib`, `constructs`, `@types/node`) are this repository's, linked in: npm
 * would spend most of the install unpacking aws-cdk-lib.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/repo-root.js';

const run = promisify(execFile);

/** What the CDK project has before jsii-ring: linked from this repository's node_modules. */
const PROJECT_PACKAGES = ['aws-cdk-lib', 'constructs', '@types/node'];

interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly inBundle?: boolean;
  readonly link?: boolean;
  readonly dev?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}

interface Lockfile {
  readonly packages: Record<string, LockEntry>;
}

/** The packed and installed project. */
export interface PackedProject {
  /** The project directory. */
  readonly dir: string;
  /** The tarball, in the project directory. */
  readonly tarball: string;
  /** Every path in the tarball, without the leading `package/`. */
  readonly files: readonly string[];
  /** The package.json in the tarball. */
  readonly manifest: { readonly name: string; readonly version: string; readonly dependencies?: Record<string, string>; readonly scripts?: Record<string, string>; readonly files?: string[] };
  /** Environment for commands run in the project (offline npm, no CI behaviour of the CDK CLI). */
  readonly env: NodeJS.ProcessEnv;
}

/** Entries of `lock` for `roots` and everything they need, at the paths the lock has them. */
export function lockClosure(lock: Lockfile, roots: readonly string[]): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const find = (from: string, name: string): string | undefined => {
    // Node's lookup: from/node_modules/name, then each enclosing node_modules.
    for (let dir = from; ;) {
      const key = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
      const entry = lock.packages[key];
      if (entry !== undefined && entry.link !== true) return key;
      if (dir === '') return undefined;
      const i = dir.lastIndexOf('/node_modules/');
      dir = i < 0 ? '' : dir.slice(0, i);
    }
  };
  const add = (key: string): void => {
    if (out[key] !== undefined) return;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[key]!;
    // Where the tarball is, so that npm takes it from its cache by integrity and needs no
    // registry metadata (the lockfile leaves registry addresses out).
    out[key] = entry.resolved === undefined && entry.inBundle !== true && entry.version !== undefined
      ? { ...entry, resolved: registryTarball(key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version) }
      : entry;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const found = find(key, name);
      if (found !== undefined) add(found);
    }
    // Bundled dependencies sit under the package's own node_modules.
    for (const nested of Object.keys(lock.packages)) {
      if (nested.startsWith(`${key}/node_modules/`) && !nested.slice(key.length + '/node_modules/'.length).includes('/node_modules/')) add(nested);
    }
  };
  for (const root of roots) {
    const key = find('', root);
    if (key === undefined) throw new Error(`${root} is not in the repository's package-lock.json`);
    add(key);
  }
  return out;
}

/** The registry address of a package's tarball, as npm names it. */
function registryTarball(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${REGISTRY}${name}/-/${base}-${version}.tgz`;
}

const REGISTRY = 'https://registry.npmjs.org/';

let shared: Promise<PackedProject> | undefined;

/** The project, made once per test process. */
export function packedProject(): Promise<PackedProject> {
  shared ??= makeProject();
  return shared;
}

async function makeProject(): Promise<PackedProject> {
  const root = repoRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-installed-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  delete env.CI;
  // `npm pack` as the README says, but for its prepack script (`npm run build`): `npm test`
  // has just built, and a build that finds nothing to do still costs 5 to 25 s here.
  const packed = await run('npm', ['pack', '--ignore-scripts'], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
  const name = packed.stdout.trim().split('\n').pop()!;
  const tarball = path.join(dir, name);
  fs.copyFileSync(path.join(root, name), tarball);
  fs.rmSync(path.join(root, name));
  const listing = await run('tar', ['-tzf', tarball], { maxBuffer: 16 * 1024 * 1024 });
  const files = listing.stdout.split('\n').filter((line) => line !== '' && !line.endsWith('/')).map((line) => line.replace(/^package\//, ''));
  const manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'], { maxBuffer: 16 * 1024 * 1024 })).stdout) as PackedProject['manifest'];

  // The project before jsii-ring: its package.json, and a lockfile of what the tarball will need.
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  const registryDependencies = Object.entries(manifest.dependencies ?? {}).filter(([, spec]) => !spec.startsWith('file:')).map(([dep]) => dep);
  const project = { name: 'cdk-project', version: '1.0.0', private: true };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(project, null, 2)}\n`);
  const projectLock = { ...project, lockfileVersion: 3, requires: true, packages: { '': project, ...lockClosure(lock, registryDependencies) } };
  fs.writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify(projectLock, null, 2)}\n`);

  await run('npm', ['install', `./${name}`], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
  for (const pkg of PROJECT_PACKAGES) {
    fs.mkdirSync(path.dirname(path.join(dir, 'node_modules', pkg)), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules', pkg), path.join(dir, 'node_modules', pkg), 'dir');
  }
  return { dir, tarball, files, manifest, env };
}
