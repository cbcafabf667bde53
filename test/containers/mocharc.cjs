// `npm run test:containers`: builds and runs the generated images (needs root or a running Docker engine).
const path = require('node:path');

module.exports = {
  spec: [path.join(__dirname, '*.spec.ts')],
  extension: ['ts'],
  require: ['yeoman-test/mocha-cleanup', path.join(__dirname, '../support/test-adapter.ts')],
  timeout: 120000,
};
