// Specs by absolute path: yeoman-test moves the working directory into temporary folders, and
// snapshot files are resolved from the spec's path.
const path = require('node:path');

module.exports = {
  // The container tests have their own command and config (test/containers/mocharc.cjs).
  spec: [path.join(__dirname, 'test/*.spec.ts')],
  extension: ['ts'],
  require: ['yeoman-test/mocha-cleanup', path.join(__dirname, 'test/support/test-adapter.ts')],
  timeout: 60000,
};
