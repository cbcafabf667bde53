// `npm run test:generator`: the generator specs, without the native service contract runs (those
// exercise the generated services' own toolchains, not the Node.js that runs the generator).
// .ci/run runs these on each current Node.js major; `npm test` runs everything.
const path = require('node:path');
const base = require('../.mocharc.cjs');

module.exports = { ...base, ignore: [path.join(__dirname, 'contract.spec.ts')] };
