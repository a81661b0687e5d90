/**
 * The corpus of unchanged CDK apps (examples/corpus): listing them, and running one app
 * the plain way (ts-node, as `cdk synth` starts a TypeScript app) or through
 * `jsii-ring synth` in a given mode, each in a child process, into a fresh directory.
 * Both ways get what the CDK CLI gives an app: CDK_OUTDIR, and the app's cdk.json
 * `context` as CDK_CONTEXT_JSON.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CORPUS_DIR = path.join(REPO_ROOT, 'examples', 'corpus');
const CLI = path.join(REPO_ROOT, 'dist', 'lib', 'cli', 'main.js');
const TS_NODE = path.join(REPO_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');

/** One app of the corpus. */
export interface CorpusApp {
  readonly name: string;
  /** The app's directory (where cdk.json is). */
  readonly dir: string;
  /** The entry file, relative to `dir` (`bin/app.ts`). */
  readonly entry: string;
  /** Whether the app calls `app.synth()` itself (else the CDK synthesizes it at exit). */
  readonly synthCall: boolean;
  /** The `context` block of its cdk.json. */
  readonly context: Record<string, unknown>;
}

/** Every app listed in examples/corpus/apps.json. */
export function loadCorpus(): CorpusApp[] {
  const listed = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'apps.json'), 'utf8')) as Array<{ name: string; entry: string; synthCall: boolean }>;
  return listed.map((a) => {
    const dir = path.join(CORPUS_DIR, a.name);
    const cdkJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
    return { name: a.name, dir, entry: path.relative(dir, path.join(CORPUS_DIR, a.entry)), synthCall: a.synthCall, context: cdkJson.context ?? {} };
  });
}

/** How one run went. */
export interface AppRun {
  readonly ok: boolean;
  /** Wall time of the child process. */
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
  /** `jsii-ring synth --json` report (our runs only). */
  readonly report?: SynthJson;
}

/** The parts of `jsii-ring synth --json` the corpus reads. */
export interface SynthJson {
  readonly resources: number;
  readonly stacks: number;
  readonly timings: { readonly startMs: number; readonly buildMs: number; readonly synthMs: number; readonly totalMs: number };
  readonly calls?: { readonly syncPoints: number; readonly pipelinedTotal: number; readonly callbacks: number };
  readonly preload?: { readonly listed: number; readonly preloaded: number; readonly ms: number };
  readonly kernel?: { readonly ms: number; readonly callbackMs: number; readonly callbacks: number };
}

/** The environment the CDK CLI gives an app (plus whatever `extra` says). */
function cliEnv(app: CorpusApp, outdir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(app.context), ...extra };
}

function run(app: CorpusApp, args: string[], env: NodeJS.ProcessEnv): { ok: boolean; wallMs: number; stdout: string; stderr: string } {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: app.dir, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 });
  const wallMs = performance.now() - started;
  return { ok: child.status === 0, wallMs, stdout: child.stdout, stderr: child.stderr + (child.error !== undefined ? `\n${child.error.message}` : '') };
}

/** The app run the plain way: `ts-node --prefer-ts-exts <entry>` (type check skipped). */
export function runPlain(app: CorpusApp, outdir: string, extraEnv: Record<string, string> = {}): AppRun {
  fs.rmSync(outdir, { recursive: true, force: true });
  return run(app, [TS_NODE, '--prefer-ts-exts', '--transpile-only', app.entry], cliEnv(app, outdir, extraEnv));
}

/** The app run by `jsii-ring synth --mode <mode> --json [extraArgs]`. */
export function runOurs(app: CorpusApp, mode: 'pipelined' | 'sync' | 'native', outdir: string, extraEnv: Record<string, string> = {}, extraArgs: readonly string[] = []): AppRun {
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = run(app, [CLI, 'synth', app.entry, '--mode', mode, '--outdir', outdir, '--json', ...extraArgs], cliEnv(app, outdir, extraEnv));
  let report: SynthJson | undefined;
  if (result.ok) {
    try {
      report = JSON.parse(result.stdout) as SynthJson;
    } catch {
      return { ...result, ok: false, stderr: `${result.stderr}\n(stdout is not the JSON report: ${result.stdout.slice(0, 200)})` };
    }
  }
  return { ...result, report };
}
