import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareCloudAssemblies, summarizeCloudAssembly } from '../../examples/cdk-app/compare.js';

/** Writes a minimal cloud assembly: a manifest naming `stacks` and one template per stack. */
function writeAssembly(
  t: { teardown(fn: () => void): void },
  templates: Record<string, unknown>,
  extraFiles: Record<string, string> = {},
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-compare-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const artifacts: Record<string, unknown> = {};
  for (const [stack, template] of Object.entries(templates)) {
    artifacts[stack] = { type: 'aws:cloudformation:stack', properties: { templateFile: `${stack}.template.json` } };
    fs.writeFileSync(path.join(dir, `${stack}.template.json`), JSON.stringify(template, undefined, 1));
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '1', artifacts }));
  for (const [file, content] of Object.entries(extraFiles)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const TEMPLATE_A = { Resources: { Q: { Type: 'AWS::SQS::Queue' }, T: { Type: 'AWS::SNS::Topic' } } };
const TEMPLATE_B = { Resources: { B: { Type: 'AWS::S3::Bucket' } } };

test('identical assemblies compare equal and are counted; every file counts, unless templates only are asked for', (t) => {
  const a = writeAssembly(t, { One: TEMPLATE_A, Two: TEMPLATE_B }, { 'tree.json': '{"same":true}' });
  const b = writeAssembly(t, { One: TEMPLATE_A, Two: TEMPLATE_B }, { 'tree.json': '{"same":true}' });
  t.deepEqual(compareCloudAssemblies(a, b), { identical: true, differences: [], templates: 2, resources: 3, stacks: ['One', 'Two'], traceOnly: [] });
  const c = writeAssembly(t, { One: TEMPLATE_A, Two: TEMPLATE_B }, { 'tree.json': '{"different":"on purpose"}', 'extra.json': '{}' });
  const all = compareCloudAssemblies(a, c);
  t.false(all.identical);
  t.deepEqual(all.differences.map((d) => d.split(':')[0]), ['extra.json', 'tree.json']);
  t.true(compareCloudAssemblies(a, c, { files: 'templates' }).identical);
});

test('files that differ only in stack traces are reported apart, not as differences', (t) => {
  const meta = (trace: string[]): string => JSON.stringify({ '/S': [{ type: 'aws:cdk:logicalId', data: 'Q', trace }, { type: 'aws:cdk:creationStack', data: trace }] }, undefined, 2);
  const a = writeAssembly(t, { One: TEMPLATE_A }, { 'One.metadata.json': meta(['new S (app.ts:3:1)']), 'report.json': JSON.stringify({ stackTraces: ['x'], acknowledgedStackTrace: 'y' }) });
  const b = writeAssembly(t, { One: TEMPLATE_A }, { 'One.metadata.json': meta(['...jsii runtime...']), 'report.json': JSON.stringify({ stackTraces: ['z'], acknowledgedStackTrace: 'w' }) });
  const result = compareCloudAssemblies(a, b);
  t.true(result.identical);
  t.deepEqual(result.traceOnly, ['One.metadata.json', 'report.json']);
  // A difference beside a trace is still a difference.
  const c = writeAssembly(t, { One: TEMPLATE_A }, { 'One.metadata.json': meta(['...jsii runtime...']).replace('"Q"', '"R"'), 'report.json': JSON.stringify({ stackTraces: ['x'], acknowledgedStackTrace: 'y' }) });
  t.deepEqual(compareCloudAssemblies(a, c).differences.map((d) => d.split(':')[0]), ['One.metadata.json']);
});

test('a one-byte template difference is reported with its position', (t) => {
  const a = writeAssembly(t, { One: TEMPLATE_A });
  const b = writeAssembly(t, { One: { Resources: { Q: { Type: 'AWS::SQS::Queue' }, T: { Type: 'AWS::SNS::Topix' } } } });
  const result = compareCloudAssemblies(a, b);
  t.false(result.identical);
  t.is(result.differences.length, 1);
  t.regex(result.differences[0] ?? '', /^One\.template\.json: differs at byte 96 \(line 7, column 27; sizes 107 and 107\): "c\\"/);
});

test('templates and stacks present on one side only are reported', (t) => {
  const a = writeAssembly(t, { One: TEMPLATE_A, Two: TEMPLATE_B });
  const b = writeAssembly(t, { One: TEMPLATE_A, Three: TEMPLATE_B });
  const result = compareCloudAssemblies(a, b);
  t.false(result.identical);
  // Every file counts: the manifests name other stacks, so they differ too.
  t.deepEqual(result.differences.filter((d) => !d.startsWith('manifest.json: differs')), [
    `Two.template.json: only in ${a}`,
    `Three.template.json: only in ${b}`,
    `stack Two: only in ${a}`,
    `stack Three: only in ${b}`,
  ]);
  t.true(result.differences.some((d) => d.startsWith('manifest.json: differs at byte')));
});

test('whitespace-only differences count: the comparison is byte for byte', (t) => {
  const a = writeAssembly(t, { One: TEMPLATE_B });
  const b = writeAssembly(t, {}, { 'One.template.json': JSON.stringify(TEMPLATE_B) });
  const manifest = JSON.parse(fs.readFileSync(path.join(a, 'manifest.json'), 'utf8')) as unknown;
  fs.writeFileSync(path.join(b, 'manifest.json'), JSON.stringify(manifest));
  const result = compareCloudAssemblies(a, b);
  t.false(result.identical);
  t.regex(result.differences[0] ?? '', /^One\.template\.json: differs at byte 1 /);
});

test('nested assemblies (stages) are followed; asset directories are not', (t) => {
  const dir = writeAssembly(t, { Top: TEMPLATE_B }, {
    'assembly-Stage/Inner.template.json': JSON.stringify(TEMPLATE_A),
    'assembly-Stage/manifest.json': JSON.stringify({
      version: '1',
      artifacts: { Inner: { type: 'aws:cloudformation:stack' } },
    }),
    'asset.abc123/data.template.json': JSON.stringify(TEMPLATE_A),
  });
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { artifacts: Record<string, unknown> };
  manifest.artifacts['assembly-Stage'] = { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));

  const summary = summarizeCloudAssembly(dir);
  t.deepEqual(summary.templateFiles, ['Top.template.json', 'assembly-Stage/Inner.template.json']);
  t.deepEqual(summary.stacks, ['Top', 'assembly-Stage/Inner']);
  t.is(summary.resources, 3);
  t.deepEqual([...summary.resourcesByTemplate], [['Top.template.json', 1], ['assembly-Stage/Inner.template.json', 2]]);
});
