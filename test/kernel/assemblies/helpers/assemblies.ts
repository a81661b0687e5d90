/**
 * Synthetic jsii packages for assembly tests, and the reference full parse to compare with.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type * as spec from '@jsii/spec';

/** A minimal valid-looking assembly with `types` named `<name>.T<i>`. */
export function syntheticAssembly(name: string, typeCount: number, extra: Record<string, unknown> = {}): spec.Assembly {
  const types: Record<string, spec.Type> = {};
  for (let i = 0; i < typeCount; i++) {
    const fqn = `${name}.T${i}`;
    types[fqn] = {
      assembly: name,
      fqn,
      kind: 'class',
      name: `T${i}`,
      docs: { summary: `Type ${i} with "quotes", \\backslashes\\, {braces} and [brackets], ünïcödé ✓.` },
      properties: [{ name: 'p', type: { primitive: 'string' } }],
    } as spec.Type;
  }
  return {
    schema: 'jsii/0.10.0',
    name,
    version: '1.0.0',
    description: 'synthetic',
    homepage: 'https://example.com',
    author: { name: 'test', roles: ['author'] },
    license: 'Apache-2.0',
    repository: { type: 'git', url: 'https://example.com' },
    jsiiVersion: '6.0.0',
    fingerprint: 'x',
    targets: { js: { npm: name } },
    types,
    ...extra,
  } as spec.Assembly;
}

/**
 * Writes a package with `assembly` as its `.jsii`, or as `.jsii.gz` behind a redirect, and
 * returns the package directory.
 */
export function writePackage(dir: string, assembly: unknown, options: { compress?: boolean } = {}): string {
  const { name, version } = assembly as { name: string; version: string };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version }));
  if (options.compress) {
    fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify({ schema: 'jsii/file-redirect', compression: 'gzip', filename: '.jsii.gz' }));
    fs.writeFileSync(path.join(dir, '.jsii.gz'), zlib.gzipSync(JSON.stringify(assembly)));
  } else {
    fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify(assembly, null, 2));
  }
  return dir;
}

/** The reference: the whole assembly parsed at once, redirects followed. */
export function fullParse(packageDir: string): spec.Assembly {
  const redirect = JSON.parse(fs.readFileSync(path.join(packageDir, '.jsii'), 'utf8')) as { schema?: string; filename?: string };
  if (redirect.schema === 'jsii/file-redirect') {
    return JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(packageDir, redirect.filename as string))).toString('utf8')) as spec.Assembly;
  }
  return redirect as unknown as spec.Assembly;
}

/** A small deterministic PRNG (mulberry32), so sampled tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Metadata as plain JSON, resolving lazy getters, for equality with a full parse. */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
