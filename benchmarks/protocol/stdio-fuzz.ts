/**
 * Question: how does a stdio kernel take hostile input? Seeded bad lines of every class go
 * to `jsii-ring serve --stdio` (ours) and to the reference `@jsii/runtime`, each followed by
 * a valid request whose answer is known (`echoNumber` of a unique number). Per class it
 * counts crashes (the process exits; it is restarted), hangs (no answer within the
 * deadline; killed and restarted) and wrong answers (the valid request's answer missing or
 * not its own), and the wall time.
 *
 * Run: `npm run build && node dist/benchmarks/protocol/stdio-fuzz.js [--rounds N] [--kernel ours|reference]`
 * Prints a Markdown table (for benchmarks/RESULTS.md, "Hostile input over stdio").
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureFixtures } from '../../test/helpers/fixture.js';
import { SeededRandom } from '../../test/host/seeded-random.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const ROUNDS = Number(option('--rounds') ?? 40);
/** Bad lines per class when run as a program. */
const DEADLINE_MS = 5000;
const VALUES = '@jsii-ring/calc.Values';

const KERNELS: Record<string, string[]> = {
  ours: [path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js'), 'serve', '--stdio'],
  reference: [require.resolve('@jsii/runtime/webpack/bin/jsii-runtime.js')],
};

/** Bad lines by class; each a function of the seeded random source. */
export const CLASSES: Record<string, (r: SeededRandom) => string> = {
  'malformed JSON': (r) => r.pick(['{', '{"api":"sinv', 'not json', '{"api":}', '}{', '[1,2', '{"api":"stats"}}']) + 'x'.repeat(r.int(0, 3)),
  'not an object': (r) => r.pick(['5', '"x"', 'null', '[]', 'true', '[{"api":"stats"}]']),
  'unknown or missing api': (r) => JSON.stringify(r.pick<unknown>([{}, { api: 'nope' }, { api: 5 }, { api: '__proto__' }, { api: 'constructor' }, { api: null }])),
  'wrong argument types': (r) => JSON.stringify(r.pick<unknown>([
    { api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: ['seven'] },
    { api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: 'no list' },
    { api: 'sinvoke', fqn: 5, method: 'echoNumber', args: [1] },
    { api: 'create', fqn: 'no.Such.Class' },
    { api: 'invoke', objref: null, method: 'x', args: [] },
    { api: 'get', objref: { '$jsii.byref': 'x@1' }, property: 5 },
    { api: 'load', name: 5, version: null, tarball: [] },
    { api: 'end', promiseid: {} },
  ])),
  'null or odd control fields': (r) => JSON.stringify(r.pick<unknown>([{ negotiate: null }, { negotiate: 5 }, { complete: null }, { complete: { cbid: 5 } }, { hello: 5 }])),
  'oversized (1-3 MB)': (r) => JSON.stringify({ api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: ['x'.repeat(r.int(1e6, 3e6))] }),
  'deeply nested (600-5,000)': (r) => {
    const depth = r.int(600, 5000);
    return `{"api":"sinvoke","fqn":"${VALUES}","method":"echoAny","args":[${'['.repeat(depth)}1${']'.repeat(depth)}]}`;
  },
  'invalid UTF-8': () => '{"api":"sinvoke","fqn":"\xff\xfe","method":"x","args":[]}',
};

/** Per class: processes that ended, lines that got no answer in time, wrong answers, wall time. */
export interface Tally { crashes: number; hangs: number; wrong: number; ms: number }

class Server {
  child!: ChildProcessWithoutNullStreams;
  #lines: string[] = [];
  #buffer = '';
  #wake: (() => void) | undefined;
  #exited = false;

  public constructor(readonly command: string[]) {}

  public async start(): Promise<void> {
    this.child = spawn(process.execPath, this.command, { env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0] } });
    this.#lines = [];
    this.#buffer = '';
    this.#exited = false;
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.#buffer += chunk;
      for (let i = this.#buffer.indexOf('\n'); i !== -1; i = this.#buffer.indexOf('\n')) {
        this.#lines.push(this.#buffer.slice(0, i));
        this.#buffer = this.#buffer.slice(i + 1);
      }
      this.#wake?.();
    });
    this.child.stderr.resume();
    this.child.once('exit', () => {
      this.#exited = true;
      this.#wake?.();
    });
    this.child.stdin.on('error', () => undefined);
    await this.next(30_000); // hello
    const { calc } = ensureFixtures();
    this.send(JSON.stringify({ api: 'load', name: calc.name, version: calc.version, tarball: calc.tarball }));
    await this.next(30_000);
  }

  public send(line: string): void {
    this.child.stdin.write(`${line}\n`, 'latin1');
  }

  /** The next line; 'exit' if the process ended, 'timeout' past the deadline. */
  public async next(ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = this.#lines.shift();
      if (line !== undefined) return line;
      if (this.#exited) return 'exit';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  public async stop(): Promise<void> {
    if (!this.#exited) {
      this.child.kill('SIGKILL');
      await new Promise((resolve) => this.child.once('exit', resolve));
    }
  }
}

/** Sends `rounds` bad lines of every class to a fresh server of `kernel`, each followed by a valid request. */
export async function fuzz(kernel: string, rounds = ROUNDS): Promise<Map<string, Tally>> {
  const server = new Server(KERNELS[kernel] as string[]);
  await server.start();
  const random = new SeededRandom(0xf022);
  const tallies = new Map<string, Tally>();
  let unique = 0;
  for (const [name, make] of Object.entries(CLASSES)) {
    const tally: Tally = { crashes: 0, hangs: 0, wrong: 0, ms: 0 };
    tallies.set(name, tally);
    const started = Date.now();
    for (let round = 0; round < rounds; round++) {
      const n = ++unique + 0.5;
      server.send(make(random));
      server.send(JSON.stringify({ api: 'sinvoke', fqn: VALUES, method: 'echoNumber', args: [n] }));
      // Lines until the valid request's answer: the bad line's own answer (if any) comes first.
      let outcome: 'ok' | 'exit' | 'timeout' | 'wrong' = 'wrong';
      for (let i = 0; i < 3; i++) {
        const line = await server.next(DEADLINE_MS);
        if (line === 'exit' || line === 'timeout') {
          outcome = line;
          break;
        }
        if (line.includes(`"result":${n}`)) {
          outcome = 'ok';
          break;
        }
      }
      if (outcome === 'ok') continue;
      if (outcome === 'exit') tally.crashes++;
      else if (outcome === 'timeout') tally.hangs++;
      else tally.wrong++;
      await server.stop();
      await server.start();
    }
    tally.ms = Date.now() - started;
  }
  await server.stop();
  return tallies;
}

async function main(): Promise<void> {
  const kernels = option('--kernel') !== undefined ? [option('--kernel') as string] : ['ours', 'reference'];
  const results = new Map<string, Map<string, Tally>>();
  for (const kernel of kernels) results.set(kernel, await fuzz(kernel));
  const head = kernels.map((k) => `${k}: crashes / hangs / wrong (s)`).join(' | ');
  const lines = [`| class (${ROUNDS} lines each) | ${head} |`, `| --- |${kernels.map(() => ' ---: |').join('')}`];
  for (const name of Object.keys(CLASSES)) {
    const cells = kernels.map((k) => {
      const t = results.get(k)?.get(name) as Tally;
      return `${t.crashes} / ${t.hangs} / ${t.wrong} (${(t.ms / 1000).toFixed(1)})`;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n\nNode ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, deadline ${DEADLINE_MS} ms per line, seed 0xf022\n`);
}

if (require.main === module) void main();
