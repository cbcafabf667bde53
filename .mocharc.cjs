// Specs by absolute path: yeoman-test moves the working directory into temporary folders, and
// snapshot files are resolved from the spec's path.
const path = require('node:path');

module.exports = {
  // The container and cluster tests have their own commands and configs (test/*/mocharc.cjs).
  spec: [path.join(__dirname, 'test/*.spec.ts')],
  extension: ['ts'],
  require: ['yeoman-test/mocha-cleanup', path.join(__dirname, 'test/support/test-adapter.ts')],
  timeout: 60000,
};
