import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { CACHE_DIR_ENV, resolveCacheDir } from '../../../lib/kernel/assemblies/index.js';

/** Runs `body` with environment variables set (or deleted for `undefined`), then restores them. */
function withEnv(vars: Record<string, string | undefined>, body: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    body();
  } finally {
    apply(saved);
  }
}

test('options.cacheDir wins over the environment, and is made absolute', (t) => {
  withEnv({ [CACHE_DIR_ENV]: '/from/env' }, () => {
    t.is(resolveCacheDir({ cacheDir: '/from/options' }), '/from/options');
    t.is(resolveCacheDir({ cacheDir: 'relative' }), path.resolve('relative'));
  });
});

test('JSII_RING_CACHE_DIR is used when no option is given; empty means unset', (t) => {
  t.is(CACHE_DIR_ENV, 'JSII_RING_CACHE_DIR');
  withEnv({ JSII_RING_CACHE_DIR: '/from/env' }, () => t.is(resolveCacheDir(), '/from/env'));
  let unset = '';
  withEnv({ JSII_RING_CACHE_DIR: undefined }, () => (unset = resolveCacheDir()));
  withEnv({ JSII_RING_CACHE_DIR: '' }, () => t.is(resolveCacheDir(), unset));
  t.not(unset, path.resolve(''));
});

test('the default is the user cache directory (XDG_CACHE_HOME, else ~/.cache on Linux)', (t) => {
  if (process.platform !== 'linux') {
    t.true(path.isAbsolute(resolveCacheDir()));
    return;
  }
  withEnv({ JSII_RING_CACHE_DIR: undefined, XDG_CACHE_HOME: '/xdg' }, () => t.is(resolveCacheDir(), '/xdg/jsii-ring'));
  withEnv({ JSII_RING_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined }, () =>
    t.is(resolveCacheDir(), path.join(os.homedir(), '.cache', 'jsii-ring')),
  );
  // A relative XDG_CACHE_HOME is invalid per the spec and ignored.
  withEnv({ JSII_RING_CACHE_DIR: undefined, XDG_CACHE_HOME: 'relative' }, () =>
    t.is(resolveCacheDir(), path.join(os.homedir(), '.cache', 'jsii-ring')),
  );
});

test('a bad options.cacheDir is a TypeError naming the option', (t) => {
  t.throws(() => resolveCacheDir({ cacheDir: '' }), { instanceOf: TypeError, message: 'options.cacheDir must be a non-empty string' });
  t.throws(() => resolveCacheDir({ cacheDir: 5 as unknown as string }), {
    instanceOf: TypeError,
    message: 'options.cacheDir must be a non-empty string',
  });
});
