/**
 * What `jsii-ring synth` watches and arranges around the app it runs: where the synth phase
 * starts (a `synth()` call on a Stage or App of the library the app gets, natively or
 * through the kernel), whether a cloud assembly was written by this run, and stdout kept
 * for the JSON report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from '../bindings/load.js';
import { ErrorCode, JsiiRingError } from '../errors.js';

export type SynthHolder = { prototype: { synth: (...args: unknown[]) => unknown } };
export type CdkNamespace = { Stage?: SynthHolder; App?: SynthHolder } | undefined;

/** The aws-cdk-lib the app gets natively, if it can find one (as `load()` would, native). */
export function nativeCdk(appDir: string): CdkNamespace {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('aws-cdk-lib', { paths: [appDir, process.cwd(), __dirname] })) as CdkNamespace;
  } catch {
    return undefined;
  }
}

/** The bindings of the aws-cdk-lib the app gets through the kernel, if there is one to find. */
export function kernelCdk(appDir: string): CdkNamespace {
  // From the app's directory (what its imports get), else where load() looks by default.
  for (const options of [{ resolveFrom: appDir }, {}]) {
    try {
      return load('aws-cdk-lib', options) as CdkNamespace;
    } catch (e) {
      if (!(e instanceof JsiiRingError && e.code === ErrorCode.LOAD)) throw e;
    }
  }
  return undefined;
}

/**
 * Notes when the program calls `synth()` on a `Stage` (an `App` included) of `cdk`. Each
 * class that defines `synth` itself is watched (a binding class may define its inherited
 * members as its own).
 */
export function watchSynth(cdk: CdkNamespace, onSynth: () => void): void {
  for (const holder of [cdk?.Stage, cdk?.App]) {
    const proto = holder?.prototype;
    if (proto === undefined || !Object.prototype.hasOwnProperty.call(proto, 'synth')) continue;
    const original = proto.synth;
    proto.synth = function synth(this: unknown, ...args: unknown[]): unknown {
      onSynth();
      return original.apply(this, args);
    };
  }
}

/** True if `outdir` holds a manifest written at or after `since` (ms since the epoch). */
export function assemblyWrittenSince(outdir: string, since: number): boolean {
  try {
    // File times can be a little coarser than the clock: allow a second.
    return fs.statSync(path.join(outdir, 'manifest.json')).mtimeMs >= since - 1000;
  } catch {
    return false;
  }
}

/**
 * Writes what the program prints to stdout to stderr instead, so stdout carries only the
 * JSON document that was asked for. Returns the undo.
 */
export function sendStdoutToStderr(): () => void {
  const original = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}
