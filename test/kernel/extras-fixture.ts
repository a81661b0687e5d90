/**
 * A second, tiny jsii library for the kernel tests, for what `@jsii-ring/calc` does not
 * exercise: async overrides taking objects and dates, submodules and nested types, and
 * reading the host stack-trace context. Its sources live here; it is written to a
 * directory named by their hash under the OS temp dir and built (once, cached) by the
 * shared fixture builder with the real jsii compiler.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFixtureAt, type FixturePackage } from '../helpers/fixture.js';

/** The library's assembly name. */
export const EXTRAS = 'kernel-extras';

const PACKAGE_JSON = {
  name: EXTRAS,
  version: '1.0.0',
  description: 'Kernel test library.',
  license: 'Apache-2.0',
  author: { name: 'jsii-ring contributors', url: 'https://github.com/jsii-ring/jsii-ring', organization: false },
  repository: { type: 'git', url: 'https://github.com/jsii-ring/jsii-ring.git' },
  main: 'lib/index.js',
  types: 'lib/index.d.ts',
  jsii: { outdir: 'dist', targets: {} },
};

const INDEX_TS = `
export * as nested from './nested';

declare const globalThis: { [key: symbol]: unknown };

export interface IShape { area(): number }

export class Box implements IShape {
  public constructor(public readonly side: number) {}
  public area(): number { return this.side * this.side; }
}

export abstract class Describer {
  public async describe(shape: IShape, when: Date, label: string): Promise<string> {
    return label + shape.area() + when.getTime();
  }
  public async run(): Promise<string> {
    return this.describe(new Box(2), new Date(0), 'box:');
  }
}

export class Context {
  /** What the host published for the current request, or null. */
  public static hostTrace(): any {
    return globalThis[Symbol.for('jsii.context.hostStackTrace')] ?? null;
  }
  /** The directory the runtime published as its own. */
  public static hostDirName(): string {
    return String(globalThis[Symbol.for('jsii.context.hostDirName')]);
  }
}

export class Grumpy {
  /** Throws a bare string (not an Error) from the constructor. */
  public constructor(mood: string) {
    if (mood === 'string') { throw 'grumpy string'; }
    if (mood === 'named') { const e = new Error('grumpy validation'); e.name = 'ValidationError'; throw e; }
  }
  /** Throws an Error named as given (e.g. pretending to be a kernel Fault). */
  public static throwNamed(name: string): void {
    const e = new Error('named ' + name);
    e.name = name;
    throw e;
  }
  /** Returns the same object every time. */
  public static shared(): Box { return SHARED; }
}
const SHARED = new Box(5);

export class Outer {
  public static makeInner(): Outer.Inner { return new Outer.Inner(); }
}
export namespace Outer {
  export class Inner { public hello(): string { return 'inner'; } }
  export enum Mood { HAPPY = 'happy' }
}
`;

const NESTED_TS = `
export class Leaf {
  public static make(): Leaf { return new Leaf(); }
  public name(): string { return 'leaf'; }
}
`;

let memo: FixturePackage | undefined;

/** Builds (once, cached on disk by source hash) and returns the extras library. */
export function extrasPackage(): FixturePackage {
  if (memo !== undefined) {
    return memo;
  }
  const hash = createHash('sha256').update(JSON.stringify(PACKAGE_JSON)).update(INDEX_TS).update(NESTED_TS).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `jsii-ring-kernel-extras-${hash}`);
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeIfChanged(join(dir, 'package.json'), JSON.stringify(PACKAGE_JSON, null, 2));
  writeIfChanged(join(dir, 'lib', 'index.ts'), INDEX_TS);
  writeIfChanged(join(dir, 'lib', 'nested.ts'), NESTED_TS);
  memo = ensureFixtureAt(dir);
  return memo;
}

function writeIfChanged(file: string, content: string): void {
  // Same content every time (the directory is named by its hash): rewriting would only
  // race with a concurrent build reading it.
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw e;
    }
  }
}
