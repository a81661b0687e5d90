import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildApp, FULL_SCALE_UNITS, unitsForScale } from '../../examples/cdk-app/app.js';
import { compareCloudAssemblies, summarizeCloudAssembly } from '../../examples/cdk-app/compare.js';
import { loadNativeLibraries, synthNative, type SynthNativeResult } from '../../examples/cdk-app/synth-native.js';

// The library's WASM CloudFormation check costs ~5 s per synth; only the test that is about
// it turns it back on.
process.env['CDK_VALIDATION'] = 'false';

const SMALL_SCALE = 0.02;
/** CloudFormation's per-stack limit, which aws-cdk-lib enforces at synth. */
const STACK_RESOURCE_LIMIT = 500;

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown>; DeletionPolicy?: string }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

function tempDir(t: { teardown(fn: () => void): void }, label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jsii-ring-${label}-`));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function readTemplate(dir: string, stack: string): Template {
  return JSON.parse(fs.readFileSync(path.join(dir, `${stack}.template.json`), 'utf8')) as Template;
}

function resourcesOfType(template: Template, type: string): Template['Resources'][string][] {
  return Object.values(template.Resources).filter((r) => r.Type === type);
}

// One small app shared by the feature tests below (synth is deterministic, so sharing loses
// nothing); removed when the file's tests are done.
const SMALL_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-ring-small-'));
test.after.always(() => fs.rmSync(SMALL_DIR, { recursive: true, force: true }));
let small: SynthNativeResult | undefined;
function smallApp(): SynthNativeResult {
  small ??= synthNative({ outdir: SMALL_DIR, scale: SMALL_SCALE });
  return small;
}

test.serial('two native synths of the small app are byte-identical', (t) => {
  const first = synthNative({ outdir: tempDir(t, 'a'), scale: SMALL_SCALE });
  const second = synthNative({ outdir: tempDir(t, 'b'), scale: SMALL_SCALE });
  const comparison = compareCloudAssemblies(first.outdir, second.outdir);
  t.deepEqual(comparison.differences, []);
  t.true(comparison.identical);
  t.is(comparison.templates, 6);
  t.deepEqual(comparison.stacks, ['Monitoring', 'Services1', 'Services2', 'Services3', 'Services4', 'Shared']);
  t.is(comparison.resources, first.summary.resources);
});

test.serial('small app: resource counts match what the app built and what the aspect saw', (t) => {
  const result = smallApp();
  t.is(unitsForScale(SMALL_SCALE), 4);
  t.is(result.summary.resources, result.expectedResources);
  t.is(result.auditedResources, result.expectedResources);
  t.true(result.summary.resources > 40 && result.summary.resources < 80, `${result.summary.resources} resources`);
});

test.serial('small app: cross-stack references become exports and Fn::ImportValue', (t) => {
  const { outdir } = smallApp();
  const shared = readTemplate(outdir, 'Shared');
  const exportNames = Object.values(shared.Outputs ?? {}).flatMap((o) => (o.Export ? [o.Export.Name] : []));
  t.true(exportNames.includes('Shared-config'));
  t.true(exportNames.some((n) => typeof n === 'string' && n.startsWith('Shared:ExportsOutputRefAlerts')));

  const services = fs.readFileSync(path.join(outdir, 'Services1.template.json'), 'utf8');
  t.regex(services, /"Fn::ImportValue": "Shared:ExportsOutputRefAlerts/);
  t.regex(services, /"Fn::ImportValue": "Shared-config"/);
  // The dashboard reads queue names of every service stack.
  const monitoring = fs.readFileSync(path.join(outdir, 'Monitoring.template.json'), 'utf8');
  t.regex(monitoring, /"Fn::ImportValue": "Services4:ExportsOutputFnGetAttUnit003Work/);
});

test.serial('small app: tags, enum props, durations and removal policies reach the templates', (t) => {
  const template = readTemplate(smallApp().outdir, 'Services2');
  const buckets = resourcesOfType(template, 'AWS::S3::Bucket');
  t.is(buckets.length, 1);
  const bucket = buckets[0]!;
  t.deepEqual(bucket.Properties?.['Tags'], [
    { Key: 'cost-center', Value: 'research' },
    { Key: 'project', Value: 'jsii-ring-example' },
    { Key: 'service-group', Value: 'Services2' },
  ]);
  t.deepEqual(bucket.Properties?.['OwnershipControls'], { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  t.is(JSON.stringify(bucket.Properties?.['BucketEncryption']).includes('"SSEAlgorithm":"AES256"'), true);
  t.is(bucket.DeletionPolicy, 'Retain'); // unit 1: RemovalPolicy.RETAIN
  const queues = resourcesOfType(template, 'AWS::SQS::Queue');
  t.deepEqual(
    queues.map((q) => [q.Properties?.['MessageRetentionPeriod'], q.Properties?.['VisibilityTimeout']]),
    [[1209600, undefined], [undefined, 90]],
  );
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[0];
  t.deepEqual(fn?.Properties?.['Tags'], [
    { Key: 'cost-center', Value: 'research' },
    { Key: 'project', Value: 'jsii-ring-example' },
    { Key: 'service-group', Value: 'Services2' },
    { Key: 'units', Value: '1' },
  ]);
});

test.serial('small app: inline Lambda code, token strings reused, Fn helpers', (t) => {
  const template = readTemplate(smallApp().outdir, 'Services1');
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[0];
  const props = fn?.Properties ?? {};
  t.regex(String((props['Code'] as { ZipFile?: unknown }).ZipFile), /^exports\.handler = async/);
  t.is(props['Runtime'], 'nodejs24.x');
  t.deepEqual(props['Description'], { 'Fn::Join': ['', ['Consumes ', { 'Fn::GetAtt': ['Unit000WorkE0DCDED6', 'QueueName'] }]] });
  const variables = (props['Environment'] as { Variables: Record<string, unknown> }).Variables;
  t.deepEqual(variables['BUCKET_NAME'], { Ref: 'Unit000StoreF050635E' });
  t.deepEqual(variables['TOPIC_NAME'], { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'Unit000Events71B99AD2' }] }] });
  t.deepEqual(variables['REGION'], { Ref: 'AWS::Region' });
  const policy = JSON.stringify(resourcesOfType(template, 'AWS::IAM::Policy')[0]);
  t.true(policy.includes('"Fn::Sub":["arn:${AWS::Partition}:s3:::${Name}/tags/*",{"Name":{"Ref":"Unit000StoreF050635E"}}]'));
});

test.serial('small app: the host-implemented aspect changed the templates during synth', (t) => {
  const result = smallApp();
  const template = readTemplate(result.outdir, 'Services3');
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[0];
  const variables = (fn?.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;
  t.is(variables['CONSTRUCT_PATH'], 'Services3/Unit002/Handler/Resource');
  for (const queue of resourcesOfType(template, 'AWS::SQS::Queue')) {
    t.deepEqual(queue.Metadata?.['Audit'], { auditedBy: 'AuditAspect', depth: 4 });
  }
  // The Lazy output was produced by a host callback after the aspect ran over every stack.
  const shared = readTemplate(result.outdir, 'Shared');
  t.is(shared.Outputs?.['AuditedResources']?.Value, String(result.expectedResources));
});

test.serial('the aspect report counts resources by type', (t) => {
  const outdir = tempDir(t, 'report');
  const handle = buildApp(loadNativeLibraries(), { outdir, scale: SMALL_SCALE });
  handle.app.synth();
  const report = handle.aspect.report();
  t.is(report.resources, handle.expectedResources);
  t.is(report.resourcesByType.get('AWS::Lambda::Function'), handle.units);
  t.is(report.resourcesByType.get('AWS::SQS::Queue'), handle.units * 2 + 1);
  t.deepEqual([...report.resourcesByType.keys()], [...report.resourcesByType.keys()].sort());
  t.true(report.constructs > report.resources);
});

test.serial('full-scale app: exact resource count, every stack under the CloudFormation limit', (t) => {
  const result = synthNative({ outdir: tempDir(t, 'full') });
  t.is(unitsForScale(1), FULL_SCALE_UNITS);
  t.is(result.summary.resources, 2196);
  t.is(result.expectedResources, 2196);
  t.is(result.auditedResources, 2196);
  t.is(result.summary.stacks.length, 7);
  for (const [file, count] of result.summary.resourcesByTemplate) {
    t.true(count <= STACK_RESOURCE_LIMIT, `${file}: ${count}`);
  }
});

test.serial('the app synthesizes with the CloudFormation validation on, to the same templates', (t) => {
  const off = smallApp();
  process.env['CDK_VALIDATION'] = 'true';
  let on: SynthNativeResult;
  try {
    on = synthNative({ outdir: tempDir(t, 'validated'), scale: SMALL_SCALE });
  } finally {
    process.env['CDK_VALIDATION'] = 'false';
  }
  t.true(fs.existsSync(path.join(on.outdir, 'validation-report.json')));
  const report = JSON.parse(fs.readFileSync(path.join(on.outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: unknown[];
  };
  t.deepEqual(report.pluginReports, []);
  // Validation writes its report beside the templates; the templates are the same.
  t.deepEqual(compareCloudAssemblies(off.outdir, on.outdir, { files: 'templates' }).differences, []);
});

test('scale must be a positive number', (t) => {
  for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const error = t.throws(() => unitsForScale(scale), { instanceOf: RangeError });
    t.regex(error?.message ?? '', /^options\.scale must be a positive number/);
  }
  t.is(unitsForScale(0.0001), 2);
});

test('summarizeCloudAssembly rejects a directory that is not a cloud assembly', (t) => {
  const dir = tempDir(t, 'empty');
  t.throws(() => summarizeCloudAssembly(dir), { message: /is not a cloud assembly \(no manifest\.json\)/ });
});
