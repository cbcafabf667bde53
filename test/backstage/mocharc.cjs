// `npm run test:backstage`: Backstage's published run:yeoman action runs our template's step, with
// Backstage's pinned scaffolder packages (./package.json, installed into ./node_modules on first use).
const path = require('node:path');

module.exports = {
  spec: [path.join(__dirname, '*.spec.ts')],
  extension: ['ts'],
  timeout: 120000,
};
