/**
 * Keeps the last transcripts of each driver on disk (`test/conformance/.transcripts/`,
 * git-ignored), so a failing comparison can be read in full.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/repo-root.js';
import type { Transcript } from './runner.js';

/** Writes `transcript` as `<script>.<driver>.json`; returns the path. */
export function saveTranscript(transcript: Transcript): string {
  const dir = join(repoRoot(), 'test', 'conformance', '.transcripts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${transcript.script}.${transcript.driver}.json`);
  writeFileSync(path, `${JSON.stringify(transcript, null, 1)}\n`);
  return path;
}
