// `npm run test:cluster`: every generated service on a real single-node Kubernetes (root only).
const path = require('node:path');

module.exports = {
  spec: [path.join(__dirname, '*.spec.ts')],
  extension: ['ts'],
  require: ['yeoman-test/mocha-cleanup', path.join(__dirname, '../support/test-adapter.ts')],
  timeout: 600000,
};
