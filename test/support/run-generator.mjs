// Runs the generator package in whose folder this file is copied, as `yo <name>` would, in the
// current directory: node run-generator.mjs [options]. Used for the example company generator.
import { readFileSync } from 'node:fs';
import { createEnv } from 'yeoman-environment';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const namespace = `${manifest.name.replace(/^generator-/, '')}:app`;
const env = createEnv();
env.register(new URL('./generators/app/index.js', import.meta.url).pathname, { namespace });
await env.run([namespace, ...process.argv.slice(2)], { skipInstall: true });
