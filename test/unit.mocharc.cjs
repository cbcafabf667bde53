// `npm run test:unit`: the inner loop. Every spec that runs in-process or with local tools, without
// the network or a language toolchain: not the native service contract (toolchains) and not the
// installed-package spec (npm install from the registry). The full suite is `npm test`.
const path = require('node:path');
const base = require('../.mocharc.cjs');

module.exports = { ...base, ignore: [path.join(__dirname, 'contract.spec.ts'), path.join(__dirname, 'cli.spec.ts')] };
