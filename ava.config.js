// Tests run on the compiled output (`npm run build` first), so the worker entry is
// exercised exactly as shipped.
module.exports = {
  files: ['dist/test/**/*.test.js'],
  timeout: '5m',
  workerThreads: false,
  concurrency: 2,
};
