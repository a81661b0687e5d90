/**
 * The package as a user gets it: `npm pack` here, `npm install` of the tarball in a CDK
 * project (packed-project.ts), then the README's commands and snippets there, as written:
 * `npx jsii-ring synth` of a TypeScript app (no `typescript` installed), stack selection,
 * the `cdk.json` recipe with the CDK CLI, `require`/`import` from CommonJS and ES modules,
 * `jsii-ring/register`, the jsii runtime program, the bench, and the README's TypeScript
 * under `tsc --strict` (typed `load()`). The tests share one packed project.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childOutput, type ChildRun } from '../helpers/child-output.js';
import { repoRoot } from '../helpers/repo-root.js';
import { packedProject } from './packed-project.js';
import type { PackedProject } from './packed-project.js';

const ROOT = repoRoot();
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

type Run = ChildRun;

/** Runs `command` with `sh -c` in the project (a README line as written), without blocking other tests. */
function sh(project: PackedProject, command: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return childOutput(spawn('sh', ['-c', command], { cwd: project.dir, env: { ...project.env, CDK_VALIDATION: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** The README's fenced code blocks of one language, in order. */
function codeBlocks(lang: string): string[] {
  return [...README.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);
}

/** The commands of a shell block: each line without its comment. */
function commands(block: string): string[] {
  return block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line !== '');
}

/** The README's shell block that contains `command`. */
function blockWith(command: string): string[] {
  const block = codeBlocks('sh').map(commands).find((c) => c.includes(command));
  if (block === undefined) throw new Error(`no shell block of README.md runs '${command}'`);
  return block;
}

/** The README's TypeScript block that starts with `// <file>`. */
function snippet(file: string): string {
  const found = codeBlocks('ts').find((block) => block.startsWith(`// ${file}`));
  if (found === undefined) throw new Error(`README.md has no TypeScript block starting with '// ${file}'`);
  return found;
}

function write(project: PackedProject, file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(project.dir, file)), { recursive: true });
  fs.writeFileSync(path.join(project.dir, file), content);
}

/**
 * Writes `file` unless a test already did: tests run at once, and a file must not be
 * rewritten while another test's command reads it.
 */
function writeOnce(project: PackedProject, file: string, content: string): void {
  if (!fs.existsSync(path.join(project.dir, file))) write(project, file, content);
}

test('the tarball holds what runs, and no tests, sources, source maps or results', async (t) => {
  const { files, manifest } = await packedProject();
  for (const needed of [
    'package.json', 'README.md', 'LICENSE', 'bin/jsii-runtime.js',
    'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/register.js', 'dist/lib/register.d.ts', 'dist/lib/cli/main.js',
    'dist/lib/worker/kernel-worker.js', 'dist/lib/worker/watchdog-worker.js', 'dist/lib/transports/stdio-relay-worker.js', 'dist/lib/redirect/esm-hooks.js',
    'native-free-ring/package.json', 'native-free-ring/dist/src/index.js', 'native-free-ring/dist/src/index.d.ts',
    'dist/benchmarks/research/runner.js', 'dist/benchmarks/research/app-child.js', 'dist/examples/cdk-app/app.js',
  ]) {
    t.true(files.includes(needed), needed);
  }
  const unwanted = files.filter((f) =>
    f.split('/').includes('test') || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || /\.(map|tsbuildinfo)$/.test(f) ||
    f.startsWith('lib/') || f.startsWith('benchmarks/') || f.includes('/results/') || f.endsWith('RESULTS.md') || f.includes('corpus') || /(^|\/)tsconfig[^/]*\.json$/.test(f));
  t.deepEqual(unwanted, []);
  // Run-time dependencies only; the ring package from inside the tarball, not a registry.
  const dependencies = manifest.dependencies ?? {};
  for (const devOnly of ['benchmark', 'typescript', 'ts-node', '@jsii/runtime', 'aws-cdk-lib', 'constructs', 'ava', 'jsii']) {
    t.false(devOnly in dependencies, devOnly);
  }
  t.is(dependencies['atomics-ring-buffer'], 'file:native-free-ring');
  t.regex(manifest.scripts?.prepack ?? '', /npm run build/);
});

test('npm install of the tarball: the ring package is the copy inside it; no TypeScript, no benchmark.js', async (t) => {
  const project = await packedProject();
  const [pack, install] = blockWith('npm pack');
  t.is(pack, 'npm pack');
  t.is(install, `npm install ./${path.basename(project.tarball)}`);
  const modules = path.join(project.dir, 'node_modules');
  t.is(fs.realpathSync(path.join(modules, 'atomics-ring-buffer')), fs.realpathSync(path.join(modules, 'jsii-ring', 'native-free-ring')));
  const lock = JSON.parse(fs.readFileSync(path.join(project.dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; link?: boolean; version?: string }> };
  t.deepEqual(lock.packages['node_modules/atomics-ring-buffer'], { resolved: 'node_modules/jsii-ring/native-free-ring', link: true });
  for (const absent of ['typescript', 'benchmark', 'ts-node', '@jsii/runtime']) {
    t.false(fs.existsSync(path.join(modules, absent)), absent);
  }
  const version = await sh(project, 'npx jsii-ring --version');
  t.is(version.stdout, `${project.manifest.version}\n`, version.stderr);
});

test("npx jsii-ring synth runs the README's TypeScript app, and prints a stack's template", async (t) => {
  const project = await packedProject();
  writeOnce(project, 'bin/app.ts', snippet('bin/app.ts'));
  const [, , synth, synthStack] = blockWith('npm pack');
  t.is(synth, 'npx jsii-ring synth bin/app.ts');
  t.is(synthStack, 'npx jsii-ring synth bin/app.ts Demo');
  const ran = await sh(project, synth!);
  t.is(ran.status, 0, ran.stderr);
  t.is(ran.stdout, '');
  t.regex(ran.stderr, /output {4}.*cdk\.out: 1 stacks, 1 resources/);
  const manifest = JSON.parse(fs.readFileSync(path.join(project.dir, 'cdk.out', 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string }> };
  t.is(manifest.artifacts.Demo?.type, 'aws:cloudformation:stack');
  const template = JSON.parse(fs.readFileSync(path.join(project.dir, 'cdk.out', 'Demo.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties?: { BucketEncryption?: unknown } }> };
  const buckets = Object.values(template.Resources).filter((r) => r.Type === 'AWS::S3::Bucket');
  t.is(buckets.length, 1);
  t.deepEqual(buckets[0]!.Properties?.BucketEncryption, { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
  const printed = await sh(project, synthStack!);
  t.is(printed.status, 0, printed.stderr);
  t.regex(printed.stdout, /^Resources:\n {2}B[0-9A-F]{8}:\n {4}Type: AWS::S3::Bucket\n/);
  t.regex(printed.stdout, /SSEAlgorithm: AES256/);
});

test("the README's cdk.json recipe: the CDK CLI runs the app through the installed package", async (t) => {
  const project = await packedProject();
  const recipe = codeBlocks('json').find((block) => block.includes('"app"'));
  t.truthy(recipe);
  t.is((JSON.parse(recipe!) as { app: string }).app, 'npx jsii-ring synth bin/app.ts');
  // The project has the CDK CLI (this repository's copy, linked in). The app and its
  // cdk.json sit in a folder of their own, so the CLI's cdk.out is apart from other tests'.
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'aws-cdk'), path.join(project.dir, 'node_modules', 'aws-cdk'), 'dir');
  fs.symlinkSync('../aws-cdk/bin/cdk', path.join(project.dir, 'node_modules', '.bin', 'cdk'));
  write(project, 'cdk-app/bin/app.ts', snippet('bin/app.ts'));
  write(project, 'cdk-app/cdk.json', recipe!);
  const line = /npx cdk synth Demo > template\.yaml/.exec(README)?.[0];
  t.is(line, 'npx cdk synth Demo > template.yaml');
  const ran = await sh({ ...project, dir: path.join(project.dir, 'cdk-app') }, line!);
  t.is(ran.status, 0, ran.stderr);
  const yaml = fs.readFileSync(path.join(project.dir, 'cdk-app', 'template.yaml'), 'utf8');
  t.regex(yaml, /^Resources:\n {2}B[0-9A-F]{8}:\n {4}Type: AWS::S3::Bucket\n/);
  t.notRegex(yaml, /jsii-ring|kernel calls/);
  // The summary went to stderr, through the CLI.
  t.regex(ran.stderr, /kernel calls/);
});

test('require from CommonJS, import from an ES module, and jsii-ring/register for both', async (t) => {
  const project = await packedProject();
  const program = (outdir: string): string => `
const cdk = load('aws-cdk-lib');
const app = new cdk.App({ outdir: '${outdir}' });
const stack = new cdk.Stack(app, 'Loaded');
new cdk.aws_sqs.Queue(stack, 'Q');
const out = app.synth().directory;
console.log(JSON.stringify({ kernel: app instanceof JsiiObject, stacks: fs.readdirSync(out).filter((f) => f.endsWith('.template.json')) }));
`;
  // An ES module imports the package and a CommonJS file requires it, in one program.
  write(project, 'cjs.cjs', `const fs = require('node:fs');\nconst { load, JsiiObject } = require('jsii-ring');\n${program('out-cjs')}`);
  write(project, 'esm.mjs', `import * as fs from 'node:fs';\nimport { load, JsiiObject } from 'jsii-ring';\n${program('out-esm')}await import('./cjs.cjs');\n`);
  // Ordinary programs: nothing in them knows about jsii-ring but the check.
  const ordinary = (outdir: string): string => `
const app = new cdk.App({ outdir: '${outdir}' });
new cdk.aws_sqs.Queue(new cdk.Stack(app, 'Registered'), 'Q');
const out = app.synth().directory;
console.log(JSON.stringify({ kernel: app instanceof JsiiObject, stacks: fs.readdirSync(out).filter((f) => f.endsWith('.template.json')) }));
`;
  write(project, 'app.js', `const fs = require('node:fs');\nconst cdk = require('aws-cdk-lib');\nconst { JsiiObject } = require('jsii-ring');\n${ordinary('out-register-cjs')}`);
  write(project, 'app.mjs', `import * as fs from 'node:fs';\nimport * as cdk from 'aws-cdk-lib';\nimport { JsiiObject } from 'jsii-ring';\n${ordinary('out-register-esm')}`);
  const registerLine = blockWith('node --require jsii-ring/register app.js').find((c) => c.startsWith('node --require'));
  t.is(registerLine, 'node --require jsii-ring/register app.js');
  const [both, registerCjs, registerEsm] = await Promise.all([
    sh(project, 'node esm.mjs'),
    sh(project, registerLine!),
    sh(project, 'node --import jsii-ring/register app.mjs'),
  ]);
  t.is(both.status, 0, both.stderr);
  t.deepEqual(both.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown), [{ kernel: true, stacks: ['Loaded.template.json'] }, { kernel: true, stacks: ['Loaded.template.json'] }]);
  t.true(fs.existsSync(path.join(project.dir, 'out-esm')) && fs.existsSync(path.join(project.dir, 'out-cjs')));
  for (const [label, run] of [['--require jsii-ring/register', registerCjs], ['--import jsii-ring/register', registerEsm]] as const) {
    t.is(run.status, 0, `${label}: ${run.stderr}`);
    t.deepEqual(JSON.parse(run.stdout), { kernel: true, stacks: ['Registered.template.json'] }, label);
  }
});

test('the jsii runtime program of the installed package says hello as the reference does', async (t) => {
  const project = await packedProject();
  const hello = await sh(project, 'node node_modules/jsii-ring/bin/jsii-runtime.js < /dev/null');
  t.is(hello.status, 0, hello.stderr);
  const first = JSON.parse(hello.stdout.split('\n')[0]!) as { hello: string; capabilities: { server: string } };
  t.is(first.hello, '@jsii/runtime@1.140.0');
  t.is(first.capabilities.server, `jsii-ring@${project.manifest.version}`);
});

test('jsii-ring bench from the installed package: a suite runs; those that need a development dependency name it in one line', async (t) => {
  const project = await packedProject();
  const list = await sh(project, 'npx jsii-ring bench --list');
  t.is(list.status, 0, list.stderr);
  const suites = list.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(' ')[0]);
  t.true(suites.includes('micro') && suites.includes('sweep') && suites.includes('spin'), list.stdout);
  const devDependencies = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
  const [micro, synthetic, cdk, spin, python] = await Promise.all([
    sh(project, 'npx jsii-ring bench micro --quick'),
    sh(project, 'npx jsii-ring bench synthetic --quick'),
    sh(project, 'npx jsii-ring bench cdk --quick'),
    sh(project, 'npx jsii-ring bench spin --quick --out bench-out'),
    sh(project, 'npx jsii-ring bench python --quick'),
  ]);
  t.is(python.status, 1);
  t.regex(python.stderr, /^jsii-ring: bench python runs from a clone of the jsii-ring repository .* \[ERR_MISSING_DEPENDENCY\]\n$/);
  t.is(micro.status, 1);
  t.is(micro.stderr, `jsii-ring: bench micro needs the package benchmark, which is not installed: run 'npm install --save-dev benchmark@${devDependencies.benchmark}' [ERR_MISSING_DEPENDENCY]\n`);
  for (const [name, run] of [['synthetic', synthetic], ['cdk', cdk]] as const) {
    t.is(run.status, 1);
    t.is(run.stderr, `jsii-ring: bench ${name} needs the package @jsii/runtime, which is not installed: run 'npm install --save-dev @jsii/runtime@${devDependencies['@jsii/runtime']}' [ERR_MISSING_DEPENDENCY]\n`);
  }
  t.is(spin.status, 0, spin.stderr);
  t.regex(spin.stdout, /spin/i);
  t.true(fs.readdirSync(path.join(project.dir, 'bench-out')).some((f) => f.endsWith('.json')));
});

test("the README's TypeScript type-checks under tsc --strict; typed load() is typed, not any", async (t) => {
  const project = await packedProject();
  const typesLine = blockWith('npx jsii-ring types constructs --out jsii-types')[0]!;
  const types = await sh(project, typesLine);
  t.is(types.status, 0, types.stderr);
  t.true(fs.existsSync(path.join(project.dir, 'jsii-types', 'constructs', 'index.d.ts')));
  // Every TypeScript block of the README: a file it names in its first line, else one of its
  // own (an ES module where it awaits at top level).
  const files = codeBlocks('ts').map((block, i) => {
    const named = /^\/\/ ([\w/.-]+\.ts)\b/.exec(block)?.[1];
    const file = named !== undefined ? path.join('readme', named) : `readme/snippet-${i}.${/^await /m.test(block) ? 'mts' : 'ts'}`;
    write(project, file, block);
    return file;
  });
  t.true(files.length >= 4, files.join(', '));
  // The relative import of the generated declarations, from where the snippet now sits.
  fs.symlinkSync(path.join(project.dir, 'jsii-types'), path.join(project.dir, 'readme', 'jsii-types'), 'dir');
  write(project, 'bad.ts', [
    "import { load } from 'jsii-ring';",
    "const cdk = load<typeof import('aws-cdk-lib')>('aws-cdk-lib');",
    'new cdk.App({ outdir: 42 });',
    "const constructs = load<typeof import('./jsii-types/constructs/index.js')>('constructs');",
    'constructs.RootConstruct.nope();',
    '',
  ].join('\n'));
  // One program (aws-cdk-lib's declarations are read once): the README's files must bring
  // no error, bad.ts exactly its two.
  const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], skipLibCheck: true };
  write(project, 'tsconfig.readme.json', JSON.stringify({ compilerOptions, files: [...files, 'bad.ts'] }));
  // The package's own declarations, checked as a consumer's compiler sees them.
  write(project, 'consumer.ts', "import { load, KernelClient, type LoadOptions } from 'jsii-ring';\nimport 'jsii-ring/register';\nconst options: LoadOptions = { native: false };\nexport const loaded: unknown = [load, KernelClient, options];\n");
  write(project, 'tsconfig.consumer.json', JSON.stringify({ compilerOptions: { ...compilerOptions, skipLibCheck: false }, files: ['consumer.ts'] }));
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const [readme, consumer] = await Promise.all([
    sh(project, `node ${tsc} -p tsconfig.readme.json`),
    sh(project, `node ${tsc} -p tsconfig.consumer.json`),
  ]);
  t.is(consumer.status, 0, consumer.stdout);
  t.is(readme.status, 2, readme.stdout);
  const errors = readme.stdout.split('\n').filter((line) => / error TS\d+/.test(line));
  t.is(errors.length, 2, readme.stdout);
  t.regex(errors[0] ?? '', /^bad\.ts\(3,15\): error TS2322: Type 'number' is not assignable to type 'string'/);
  t.regex(errors[1] ?? '', /^bad\.ts\(5,26\): error TS2339: Property 'nope' does not exist/);
  // The typed snippet runs as it reads.
  const typed = await sh(project, 'npx jsii-ring synth readme/typed.ts -q -o cdk.out.typed');
  t.is(typed.status, 0, typed.stderr);
  t.true(fs.existsSync(path.join(project.dir, 'cdk.out.typed', 'Typed.template.json')));
});
