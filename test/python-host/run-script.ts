/**
 * Runs a Python script of this folder with the official Python jsii client, on a runtime
 * named in JSII_RUNTIME as a user would, and reads the JSON lines it wrote
 * (`{"check": name, "value": ...}`).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/repo-root.js';
import { type Runtime, runtimeScript } from '../transports/stdio-process.js';
import { QUIET_NODE_CHECKS } from './python-env.js';

/** What a run produced. */
export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The checks, by name (the last value of each). */
  readonly results: Record<string, unknown>;
  /** The results file as written. */
  readonly raw: string;
}

/** Options of {@link runScript}. */
export interface ScriptOptions {
  readonly python: string;
  /** Script file name in test/python-host/. */
  readonly script: string;
  readonly runtime: Runtime;
  /** The results file. */
  readonly out: string;
  /** Extra arguments after the results file. */
  readonly args?: readonly string[];
  /** Extra environment (JSII_RING_PIPELINE, ...). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function runScript(options: ScriptOptions): Promise<ScriptRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...QUIET_NODE_CHECKS, JSII_RUNTIME: runtimeScript(options.runtime), JSII_HOST_STACK_TRACES: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('JSII_RING_')) delete env[name];
  const child = spawn(options.python, [path.join(repoRoot(), 'test', 'python-host', options.script), options.out, ...(options.args ?? [])], {
    env: { ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const raw = fs.existsSync(options.out) ? fs.readFileSync(options.out, 'utf8') : '';
  const results: Record<string, unknown> = {};
  for (const line of raw.split('\n').filter((l) => l !== '')) {
    const { check, value } = JSON.parse(line) as { check: string; value: unknown };
    results[check] = value;
  }
  return { code, stdout, stderr, results, raw };
}
