/**
 * `bin/jsii-runtime.js` (our kernel over stdio) on the wire, side by side with the reference
 * runtime: the same lines in, the same answers out (stacks aside: they name each runtime's
 * own files), for every field a real host sends.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { ensureFixtures } from '../helpers/fixture.js';
import { repoRoot } from '../helpers/repo-root.js';
import { type Runtime, StdioProcess, withoutStack } from './stdio-process.js';

const CALC = '@jsii-ring/calc';
const RUNTIMES: readonly Runtime[] = ['ours', 'reference'];

function load(): Record<string, unknown> {
  const pkg = ensureFixtures().calc;
  return { api: 'load', name: pkg.name, version: pkg.version, tarball: pkg.tarball };
}

const byref = (ref: string): { '$jsii.byref': string } => ({ '$jsii.byref': ref });
const CALCULATOR = byref(`${CALC}.Calculator@10000`);

/** Runs `steps` on both runtimes and returns each one's answers (without stacks). */
async function both(steps: (p: StdioProcess) => Promise<unknown[]>, env: Record<string, string> = {}): Promise<Record<Runtime, unknown[]>> {
  const out = {} as Record<Runtime, unknown[]>;
  await Promise.all(RUNTIMES.map(async (runtime) => {
    const p = new StdioProcess(runtime, env);
    try {
      await p.next(); // hello
      out[runtime] = await steps(p);
    } finally {
      await p.end();
    }
  }));
  return out;
}

test('the hello names @jsii/runtime@1.140.0, what every official host accepts; our capabilities ride alongside', async (t) => {
  const p = new StdioProcess('ours');
  const hello = await p.next();
  t.is(hello.hello, '@jsii/runtime@1.140.0');
  const { version } = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
  t.deepEqual(hello.capabilities, { protocol: 1, codecs: ['json'], extensions: ['objid', 'load-path', 'pipeline', 'alias-notices'], server: `jsii-ring@${version}` });
  t.deepEqual(await p.end(), { code: 0, signal: null });
  const reference = new StdioProcess('reference');
  t.deepEqual(await reference.next(), { hello: '@jsii/runtime@1.140.0' });
  await reference.end();
});

test('JSII_RING_RUNTIME_VERSION sets the hello version; a malformed one stops the server with a message', async (t) => {
  const p = new StdioProcess('ours', { JSII_RING_RUNTIME_VERSION: '1.141.0' });
  t.is((await p.next()).hello, '@jsii/runtime@1.141.0');
  await p.end();
  const bad = new StdioProcess('ours', { JSII_RING_RUNTIME_VERSION: 'latest' });
  t.is(await bad.nextLine(), null);
  const exit = await bad.exited();
  t.is(exit.code, 1);
  t.regex(bad.decodedStderr(), /options\.runtimeVersion must be a semantic version .*got "latest"/);
});

test('a callback completed with err: null succeeds; a falsy err is no error; err named Fault or anything else fails it', async (t) => {
  const answers = await both(async (p) => {
    const out: unknown[] = [await p.request(load())];
    out.push(await p.request({ api: 'create', fqn: `${CALC}.Calculator`, args: [], overrides: [{ method: 'bonus', cookie: 'c1' }] }));
    const cases = [
      { err: null, result: 5 },
      { err: '', result: 7 },
      { err: 'boom', name: '@jsii/kernel.Fault' },
      { err: 'bang', name: 'ValueError' },
      { err: 'plain' },
    ];
    for (const completion of cases) {
      const callback = (await p.request({ api: 'invoke', objref: CALCULATOR, method: 'total', args: [] })).callback as { cbid: string };
      out.push(callback);
      out.push(withoutStack(await p.request({ complete: { cbid: callback.cbid, ...completion } })));
    }
    return out;
  });
  t.deepEqual(answers.ours, answers.reference);
  t.deepEqual(answers.ours.slice(3, 4), [{ ok: { result: 5 } }]);
  t.deepEqual(answers.ours[9], { error: 'bang', name: '@jsii/kernel.RuntimeError' });
  t.deepEqual(answers.ours[11], { error: 'plain', name: '@jsii/kernel.RuntimeError' });
});

test('a complete naming a callback that is not pending, or an unknown api, fails the pending one, as in the reference', async (t) => {
  const answers = await both(async (p) => {
    await p.request(load());
    await p.request({ api: 'create', fqn: `${CALC}.Calculator`, args: [], overrides: [{ method: 'bonus' }] });
    const callback = (await p.request({ api: 'invoke', objref: CALCULATOR, method: 'total', args: [] })).callback as { cbid: string };
    const wrong = await p.request({ complete: { cbid: `${callback.cbid}0`, err: null, result: 5 } });
    // The callback is over: the next request is served normally.
    const after = await p.request({ api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'add', args: [1, 2] });
    // So does a request for an api that does not exist.
    await p.request({ api: 'invoke', objref: CALCULATOR, method: 'total', args: [] });
    const unknown = await p.request({ api: 'bogus' });
    return [withoutStack(wrong), after, withoutStack(unknown)];
  });
  t.deepEqual(answers.ours, answers.reference);
  t.deepEqual(answers.ours[0], { error: 'Malformed request, "api" field is required', name: '@jsii/kernel.Fault' });
  t.deepEqual(answers.ours[2], { error: 'Error: Invalid kernel api call: bogus', name: '@jsii/kernel.RuntimeError' });
});

test('requests nested in a callback are answered before the completion; exit during a callback interrupts it', async (t) => {
  const answers = await both(async (p) => {
    await p.request(load());
    await p.request({ api: 'create', fqn: `${CALC}.Calculator`, args: [], overrides: [{ method: 'bonus' }] });
    const first = (await p.request({ api: 'invoke', objref: CALCULATOR, method: 'total', args: [] })).callback as { cbid: string };
    const nested = await p.request({ api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'add', args: [2, 3] });
    const nestedError = withoutStack(await p.request({ api: 'create', fqn: `${CALC}.Nope` }));
    const done = await p.request({ complete: { cbid: first.cbid, result: 4 } });
    const second = (await p.request({ api: 'invoke', objref: CALCULATOR, method: 'total', args: [] })).callback;
    const interrupted = withoutStack(await p.request({ exit: 0 }));
    return [nested, nestedError, done, second !== undefined, interrupted];
  });
  t.deepEqual(answers.ours, answers.reference);
  t.deepEqual(answers.ours[4], { error: 'Interrupted before callback returned', name: '@jsii/kernel.Fault' });
});

test('error answers: the reference names, and a stack on every one', async (t) => {
  const answers = await both(async (p) => {
    const requests = [
      { api: 'load', name: 'missing', version: '1.0.0', tarball: '/nonexistent/missing-1.0.0.tgz' },
      load(),
      { api: 'create', fqn: `${CALC}.Nope` },
      { api: 'sinvoke', fqn: `${CALC}.Thrower`, method: 'throwType', args: [] },
      { api: 'create', fqn: `${CALC}.Thrower`, args: [true] },
      { api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'add', args: ['x', 1] },
      { api: 'invoke', objref: byref(`${CALC}.Calculator@99999`), method: 'add', args: [1] },
    ];
    const out: unknown[] = [];
    for (const request of requests) {
      const answer = await p.request(request);
      if ('error' in answer) {
        out.push({ ...withoutStack(answer), stackIsString: typeof answer.stack === 'string' && answer.stack.length > 0 });
      } else {
        out.push(answer);
      }
    }
    return out;
  });
  t.deepEqual(answers.ours, answers.reference);
  t.like(answers.ours[0], { name: 'Error', error: "ENOENT: no such file or directory, open '/nonexistent/missing-1.0.0.tgz'", stackIsString: true });
});

test('a file that is no tar archive fails under the reference\'s error name (the host\'s exception class follows it)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'jsii-ring-bad-tarballs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const calc = readFileSync(ensureFixtures().calc.tarball);
  const files: Record<string, Buffer> = {
    text: Buffer.from('this is not a tarball at all'),
    empty: Buffer.alloc(0),
    truncatedGzip: calc.subarray(0, 3000),
    gzippedText: gzipSync(Buffer.from('hello\n')),
  };
  const answers = await both(async (p) => {
    const out: unknown[] = [];
    for (const [what, bytes] of Object.entries(files)) {
      const tarball = join(dir, `${what}.tgz`);
      writeFileSync(tarball, bytes);
      const answer = await p.request({ api: 'load', name: CALC, version: '1.0.0', tarball });
      out.push({ what, name: answer.name, stack: typeof answer.stack === 'string' });
    }
    return out;
  });
  t.deepEqual(answers.ours, answers.reference);
  t.deepEqual(answers.ours.map((a) => (a as { name: string }).name), ['Error', 'Error', 'ZlibError', 'Error']);
});

test('JSII_NOSTACK leaves the stack out, as the reference', async (t) => {
  const answers = await both(async (p) => [await p.request({ api: 'create', fqn: 'nope.Nope' })], { JSII_NOSTACK: '1' });
  t.deepEqual(answers.ours, answers.reference);
  t.false('stack' in (answers.ours[0] as object));
});

test('console output of the library is framed on stderr as {"stdout"|"stderr": base64}', async (t) => {
  const text = 'héllo ✓ \u{1F600}';
  for (const runtime of RUNTIMES) {
    const p = new StdioProcess(runtime);
    await p.next();
    await p.request(load());
    t.deepEqual(await p.request({ api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'say', args: [text] }), { ok: { result: text.length } }, runtime);
    t.deepEqual(await p.request({ api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'warn', args: ['careful'] }), { ok: { result: 7 } }, runtime);
    await p.end();
    const console = p.console();
    t.is(console.stdout, `${text}\n`, runtime);
    t.true(console.stderr.endsWith('careful\n'), runtime);
    if (runtime === 'ours') {
      t.deepEqual(console.raw, [], 'every stderr line of ours is framed');
    }
  }
});

test('JSII_DEBUG logs each request and answer, framed on stderr', async (t) => {
  const p = new StdioProcess('ours', { JSII_DEBUG: '1' });
  await p.next();
  await p.request({ api: 'stats' });
  await p.end();
  t.is(p.console().stderr, '> {"api":"stats"}\n< {"ok":{"objectCount":0}}\n');
});

test('$jsii.stacktrace is published to the library for the request that carries it', async (t) => {
  const trace = [['app.py', 12, 0, 'main'], ['lib.py', 3, 4, 'helper']];
  const answers = await both(async (p) => {
    await p.request(load());
    const call = { api: 'sinvoke', fqn: `${CALC}.Statics`, method: 'hostStackTrace', args: [] };
    return [await p.request({ ...call, '$jsii.stacktrace': trace }), await p.request(call)];
  });
  t.deepEqual(answers.ours, answers.reference);
  t.deepEqual(answers.ours, [{ ok: { result: JSON.stringify(trace) } }, { ok: { result: 'null' } }]);
});

test('{"exit": code} ends the server with that code; the end of input with 0', async (t) => {
  const p = new StdioProcess('ours');
  await p.next();
  p.send({ exit: 3 });
  t.deepEqual(await p.exited(), { code: 3, signal: null });
  const q = new StdioProcess('ours');
  await q.next();
  t.deepEqual(await q.end(), { code: 0, signal: null });
});

test('malformed lines are answered with a Fault and the server keeps serving', async (t) => {
  const p = new StdioProcess('ours');
  await p.next();
  const bad = ['{"negotiate":null}', '{"negotiate":{"extensions":"objid"}}', '{"negotiate":{"extensions":["js-values"]}}', 'not json', '[1]', '7', '{"api":5}'];
  const messages: string[] = [];
  for (const line of bad) {
    const answer = await p.request(line);
    t.is(answer.name, '@jsii/kernel.Fault', line);
    t.is(typeof answer.stack, 'string', line);
    messages.push(String(answer.error));
  }
  t.deepEqual(messages.slice(0, 3), [
    'Malformed negotiate: expected {"negotiate": {"extensions": ["<name>", ...]}}',
    'Malformed negotiate: expected {"negotiate": {"extensions": ["<name>", ...]}}',
    "Unknown extension 'js-values' (this server offers: objid, load-path, pipeline, alias-notices)",
  ]);
  // A blank line is skipped (the reference takes it for the end of input and exits).
  p.send('');
  p.send('   ');
  t.deepEqual(await p.request({ negotiate: { extensions: ['objid'] } }), { ok: { extensions: ['objid'] } });
  t.deepEqual(await p.request({ api: 'stats' }), { ok: { objectCount: 0 } });
  t.deepEqual(await p.end(), { code: 0, signal: null });
});
