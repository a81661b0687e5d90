// Tests run on the compiled output (`npm run build` first).
module.exports = {
  files: ['dist/test/**/*.test.js'],
  timeout: '5m',
  workerThreads: false,
};
