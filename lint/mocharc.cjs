// `npm run lint:output`: the generated output through the real linters (tools install on first use).
const path = require('node:path');

module.exports = {
  spec: [path.join(__dirname, '*.spec.ts')],
  extension: ['ts'],
  require: ['yeoman-test/mocha-cleanup', path.join(__dirname, '../test/support/test-adapter.ts')],
  timeout: 120000,
};
