/**
 * Recorded conversations: the reference runtime's transcript of each script, stored as
 * JSON under `test/conformance/recordings/` so our kernel can be checked against them
 * without starting the reference (the fast regression suite, `replay.test.ts`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/repo-root.js';
import { normalizePaths } from './comparator.js';
import type { Transcript, TranscriptEntry } from './runner.js';
import type { ConformanceScript } from './script.js';

/** Bumped when the recording format changes. */
export const RECORDING_FORMAT = 1;

/** One stored conversation. */
export interface Recording {
  readonly format: number;
  readonly script: string;
  /** Hash of the script's definition: a mismatch means the recording is stale. */
  readonly scriptHash: string;
  /** `@jsii/runtime@<version>` that answered. */
  readonly runtime: string;
  /** Source hash of the fixture library the conversation ran against. */
  readonly fixtureHash: string;
  /** The reference's transcript, repository path replaced by `<root>`, stacks dropped. */
  readonly transcript: Transcript;
}

/** Where recordings live (in the source tree, not in `dist/`). */
export function recordingsDir(): string {
  return join(repoRoot(), 'test', 'conformance', 'recordings');
}

/** Hash of a script's definition. */
export function scriptHash(script: ConformanceScript): string {
  return createHash('sha256').update(JSON.stringify(script)).digest('hex');
}

/** The reference runtime's version string. */
export function referenceRuntimeVersion(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'node_modules', '@jsii', 'runtime', 'package.json'), 'utf8')) as { version: string };
  return `@jsii/runtime@${manifest.version}`;
}

/** Turns a live transcript into its stored form. */
export function toRecording(script: ConformanceScript, transcript: Transcript, fixtureHash: string): Recording {
  const entries = normalizePaths(transcript.entries, repoRoot()).map(dropStack);
  return {
    format: RECORDING_FORMAT,
    script: script.name,
    scriptHash: scriptHash(script),
    runtime: referenceRuntimeVersion(),
    fixtureHash,
    transcript: { ...transcript, entries },
  };
}

function dropStack(entry: TranscriptEntry): TranscriptEntry {
  if (entry.kind !== 'response' || !('error' in entry.envelope)) return entry;
  const { stack: _stack, ...envelope } = entry.envelope;
  return { ...entry, envelope };
}

/** Writes a recording (temp file + rename, so a reader never sees half a file). */
export function writeRecording(recording: Recording): string {
  const path = join(recordingsDir(), `${recording.script}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(recording, null, 1)}\n`);
  renameSync(tmp, path);
  return path;
}

/** Reads the recording of a script, if there is one. */
export function readRecording(name: string): Recording | undefined {
  const path = join(recordingsDir(), `${name}.json`);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Recording;
}

/** Names of every stored recording. */
export function recordingNames(): string[] {
  if (!existsSync(recordingsDir())) return [];
  return readdirSync(recordingsDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}
