/** Options of the stdio server: defaults, the environment, and each bad option's message. */
import test from 'ava';
import { REFERENCE_RUNTIME_VERSION, resolveStdioOptions, stdioOptionsFromEnv } from '../../lib/transports/stdio-options.js';

test('defaults: the reference version, no debug log, stacks on errors', (t) => {
  t.deepEqual(resolveStdioOptions(), { runtimeVersion: REFERENCE_RUNTIME_VERSION, debug: false, noStack: false, cacheDir: undefined });
  t.is(REFERENCE_RUNTIME_VERSION, '1.140.0');
});

test('the environment: JSII_DEBUG and JSII_NOSTACK are on for any non-empty value, as in the reference', (t) => {
  t.deepEqual(stdioOptionsFromEnv({}), { debug: false, noStack: false });
  t.deepEqual(stdioOptionsFromEnv({ JSII_DEBUG: '0', JSII_NOSTACK: 'false' }), { debug: true, noStack: true });
  t.deepEqual(stdioOptionsFromEnv({ JSII_DEBUG: '', JSII_RING_RUNTIME_VERSION: '1.141.0-dev.3' }), { runtimeVersion: '1.141.0-dev.3', debug: false, noStack: false });
});

test('bad options name the option', (t) => {
  t.throws(() => resolveStdioOptions({ runtimeVersion: 'latest' }), {
    instanceOf: RangeError,
    message: 'options.runtimeVersion must be a semantic version such as 1.140.0 (JSII_RING_RUNTIME_VERSION), got "latest"',
  });
  t.throws(() => resolveStdioOptions({ cacheDir: '' }), { instanceOf: TypeError, message: 'options.cacheDir must be a non-empty string' });
});
