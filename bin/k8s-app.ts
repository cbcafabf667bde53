#!/usr/bin/env node
// Runs generator-k8s-app without a global `yo`, as any user (yo itself refuses to run as root).
//   k8s-app [app|service|docker|kubernetes] [options]
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Options the environment (not a generator) acts on, as `yo` passes them.
const ENVIRONMENT_FLAGS: Record<string, string> = {
  '--force': 'force',
  '--skip-install': 'skipInstall',
  '--dry-run': 'dryRun',
};

// Checked before anything loads: on an older Node it fails with errors that do not say why.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || (major > 22 && major < 24) || (major === 24 && minor < 11)) {
  console.error(`k8s-app needs Node.js ^22.18 or >=24.11; this is ${process.version}. Install a current Node.js LTS and run it again.`);
  process.exit(1);
}

// V8's compiled code of the modules loaded from here on (yeoman's hundreds among them) is kept on disk
// by Node (in the temporary folder, or NODE_COMPILE_CACHE): later runs start without compiling them.
module.enableCompileCache();

// Same extension as this file: .ts from source, .js once built.
const extension = path.extname(fileURLToPath(import.meta.url));
const { helpText, parseCommandLine } = (await import(`../generators/shared/command-line${extension}`)) as typeof import('../generators/shared/command-line.ts');
const { GENERATOR_VERSION, generatorInfo } = (await import(`../generators/shared/info${extension}`)) as typeof import('../generators/shared/info.ts');

// Help, version, the machine interface and bad options need no yeoman.
const command = parseCommandLine(process.argv.slice(2));
if (command.kind !== 'run') {
  if (command.kind === 'error') console.error(`k8s-app: ${command.message}`);
  if (command.kind === 'help') console.log(helpText(command.generator, process.stdout.columns || Number(process.env.COLUMNS) || 100));
  if (command.kind === 'version') console.log(GENERATOR_VERSION);
  // What k8s-app offers, as JSON (schemas/info.schema.json).
  if (command.kind === 'info') console.log(JSON.stringify(generatorInfo(), null, 2));
  process.exit(command.kind === 'error' ? 2 : 0);
}

const { args, generator } = command;
const environmentOptions = Object.fromEntries(args.filter((arg) => arg in ENVIRONMENT_FLAGS).map((arg) => [ENVIRONMENT_FLAGS[arg]!, true]));

// Once built, the generators and yeoman are one bundled file: Node loads it several times faster than
// yeoman's ~1400 modules one by one. From source, the modules themselves.
const { runGenerator } = (await import(extension === '.js' ? './run-generator.bundle.js' : './run-generator.ts')) as typeof import('./run-generator.ts');

try {
  await runGenerator(generator, args, environmentOptions);
} catch (error) {
  const problem = error as Error;
  if (problem.name === 'ExitPromptError' && process.stdin.isTTY) {
    // Ctrl-C at a question: answers are asked before anything is written.
    console.error('k8s-app: Cancelled, nothing written.');
    process.exitCode = 130;
  } else if (problem.name === 'ExitPromptError') {
    console.error('k8s-app: stopped at a question, nothing was written. Without a terminal, pass --defaults or every option (k8s-app --help lists them).');
    process.exitCode = 1;
  } else {
    // A usage problem is told in its own words; anything else is a bug worth its stack trace.
    console.error(`k8s-app: ${problem.name === 'UsageError' ? problem.message : (problem.stack ?? String(problem))}`);
    process.exitCode = 1;
  }
}
