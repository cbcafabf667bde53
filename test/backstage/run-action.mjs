// Runs Backstage's published run:yeoman action as the scaffolder runs a template step, in Backstage's
// own test context for actions: node run-action.mjs <workspace> <input.json>. Run in this folder,
// whose node_modules hold the pinned Backstage packages and the packed generator-k8s-app, where the
// action's yeoman lookup finds it (as in a Backstage backend).
import { readFileSync } from 'node:fs';
// Backstage's test utilities are written for jest and call its global mock functions: jest-mock is
// that module on its own.
import { fn } from 'jest-mock';

globalThis.jest = { fn };
const { createRunYeomanAction } = await import('@backstage/plugin-scaffolder-backend-module-yeoman');
const { createMockActionContext } = await import('@backstage/plugin-scaffolder-node-test-utils');

const [workspacePath, inputFile] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
await createRunYeomanAction().handler(createMockActionContext({ workspacePath, input }));
