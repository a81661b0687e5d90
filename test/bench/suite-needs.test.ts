/** Suites say which packages they need before anything runs, instead of failing midway. */
import test from 'ava';
import { SUITES, checkSuiteNeeds, missingPackages } from '../../benchmarks/research/runner.js';
import { BENCHMARK_FAILED } from '../../benchmarks/research/errors.js';

test('missingPackages finds what is installed and names what is not', (t) => {
  t.deepEqual(missingPackages(['constructs', 'aws-cdk-lib', '@jsii/runtime', 'benchmark']), []);
  t.deepEqual(missingPackages(['constructs', 'no-such-package-of-jsii-ring', '@no-such/scope']), ['no-such-package-of-jsii-ring', '@no-such/scope']);
});

test('every suite of the example app needs only what this checkout has installed', (t) => {
  t.notThrows(() => checkSuiteNeeds(Object.keys(SUITES)));
  t.true(SUITES['cdk']?.needs.includes('@jsii/runtime'));
  t.true(SUITES['sweep']?.needs.includes('aws-cdk-lib'));
});

test('a suite whose package is missing fails before it runs, naming the suite, the package and the install command', (t) => {
  const table = { sweep: { needs: ['aws-cdk-lib', 'no-such-cdk-lib'] }, micro: { needs: ['no-such-bench-lib'] }, codec: { needs: ['constructs'] } };
  const error = t.throws(() => checkSuiteNeeds(['sweep', 'micro', 'codec'], table));
  t.is((error as { code?: string }).code, BENCHMARK_FAILED);
  t.is(error?.message, 'sweep needs no-such-cdk-lib; micro needs no-such-bench-lib: not installed (npm install --save-dev no-such-cdk-lib no-such-bench-lib; or run sweep, overlap or cdk on your own app with --app FILE)');
});
