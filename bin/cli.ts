// The k8s-app command: reads the command line, answers --help, --version and --info, and otherwise runs
// a generator. bin/k8s-app.ts loads it, bundled once built.
import { helpText, parseCommandLine } from '../generators/shared/command-line.ts';
import { GENERATOR_VERSION, generatorInfo } from '../generators/shared/info.ts';
import { loadGenerators } from './load-generators.ts';

// Options the environment (not a generator) acts on, as `yo` passes them.
const ENVIRONMENT_FLAGS: Record<string, string> = {
  '--force': 'force',
  '--skip-install': 'skipInstall',
  '--dry-run': 'dryRun',
};

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

// Yeoman only now, to generate (bin/load-generators.ts: built, its own bundle, tools/bundle.ts).
const { runGenerator, keepCompiledCode } = await loadGenerators();

try {
  await runGenerator(generator, args, environmentOptions);
  keepCompiledCode();
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
