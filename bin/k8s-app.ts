#!/usr/bin/env node
// Runs generator-k8s-app without a global `yo`, as any user (yo itself refuses to run as root).
//   k8s-app [app|service|docker|kubernetes] [options]
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATORS = ['app', 'service', 'docker', 'kubernetes'];
// Options the environment (not a generator) acts on, as `yo` passes them.
const ENVIRONMENT_FLAGS: Record<string, string> = {
  '--force': 'force',
  '--skip-install': 'skipInstall',
  '--dry-run': 'dryRun',
  '--bail': 'bail',
  '--whitespace': 'ignoreWhitespace',
};

// Checked before yeoman loads: on an older Node it fails with errors that do not say why.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || (major > 22 && major < 24) || (major === 24 && minor < 11)) {
  console.error(`k8s-app needs Node.js ^22.18 or >=24.11; this is ${process.version}. Install a current Node.js LTS and run it again.`);
  process.exit(1);
}

const args = process.argv.slice(2);
const generator = GENERATORS.includes(args[0] ?? '') ? args.shift()! : 'app';
const environmentOptions = Object.fromEntries(
  args.filter((arg) => arg in ENVIRONMENT_FLAGS).map((arg) => [ENVIRONMENT_FLAGS[arg]!, true]),
);

const extension = path.extname(fileURLToPath(import.meta.url));

// The machine interface: what k8s-app offers, as JSON (schemas/info.schema.json).
if (args.includes('--info')) {
  const { generatorInfo } = (await import(`../generators/shared/info${extension}`)) as typeof import('../generators/shared/info.ts');
  console.log(JSON.stringify(generatorInfo(), null, 2));
  process.exit(0);
}

const { createEnv } = await import('yeoman-environment');
const env = createEnv();
for (const name of GENERATORS) {
  env.register(fileURLToPath(new URL(`../generators/${name}/index${extension}`, import.meta.url)), {
    namespace: `k8s-app:${name}`,
  });
}

if (args.includes('--help') || args.includes('-h')) {
  const help = (await env.create(`k8s-app:${generator}`, { generatorArgs: [], generatorOptions: { help: true } })) as unknown as { help(): string };
  console.log(`k8s-app [${GENERATORS.join('|')}] [options] runs what yo k8s-app[:name] runs, as any user.\n\n${help.help()}`);
  process.exit(0);
}

try {
  await env.run([`k8s-app:${generator}`, ...args], environmentOptions);
} catch (error) {
  const problem = error as Error;
  if (problem.name === 'ExitPromptError') {
    // A question was asked where nobody can answer it (no terminal) or the user pressed Ctrl-C.
    console.error('k8s-app: stopped at a question, nothing was written. Without a terminal, pass --defaults or every option (k8s-app --help lists them).');
  } else {
    // A usage problem is told in its own words; anything else is a bug worth its stack trace.
    console.error(`k8s-app: ${problem.name === 'UsageError' ? problem.message : (problem.stack ?? String(problem))}`);
  }
  process.exitCode = 1;
}
