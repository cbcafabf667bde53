// Every place k8s-app reaches into yeoman beyond its public API, in one file: the in-memory file
// system before commit, the environment's flags, which generator is the root, and two changes to
// what yeoman prints.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Generator from 'yeoman-generator';
import { unknownOptionError } from './command-line.ts';
import type { StagedFile } from './file-ledger.ts';

interface MemFile {
  path: string;
  state?: string;
  contents: Buffer | null;
  /** Set before writing: yeoman's conflicter then reports the file with this status and asks nothing. */
  conflicter?: string;
}

interface EnvironmentInternals {
  options: Record<string, unknown>;
  sharedFs: { all(): MemFile[]; get(path: string): MemFile };
  rootGenerator?(): { options: Record<string, unknown> } | undefined;
}

const internals = (generator: Generator) => generator.env as unknown as EnvironmentInternals;

/** The files this run has rendered and not yet written to disk. */
export function stagedFiles(generator: Generator): StagedFile[] {
  return internals(generator)
    .sharedFs.all()
    .filter((file) => file.state === 'modified' && file.contents)
    .map((file) => ({ path: file.path, contents: file.contents!, forced: file.conflicter === 'force' }));
}

/** Writes a file the user agreed to change without the conflict prompt. */
export function writeWithConsent(generator: Generator, target: string, text: string) {
  generator.fs.write(target, text);
  internals(generator).sharedFs.get(target).conflicter = 'force';
}

/** Whether `generator` is the one the run started with (sub-generators are composed by it). */
export function isRootGenerator(generator: Generator): boolean {
  return internals(generator).rootGenerator?.() === (generator as unknown);
}

/** The namespace of the generator the run started with: k8s-app:app, or a company generator composing it. */
export function rootNamespace(generator: Generator): string {
  const root = internals(generator).rootGenerator?.() ?? (generator as unknown as { options: Record<string, unknown> });
  return String(root.options.namespace ?? 'k8s-app:app');
}

/** A flag the environment acts on (--force, --dry-run): set on the environment by yo, on the root generator by our bin. */
export function environmentFlag(generator: Generator, name: 'force' | 'dryRun'): boolean {
  const env = internals(generator);
  // While the root generator is being constructed, it is not the environment's root yet.
  const root: { options: Record<string, unknown> } = env.rootGenerator?.() ?? (generator as unknown as { options: Record<string, unknown> });
  return Boolean(env.options[name] ?? root.options[name]);
}

/**
 * yo hands the root generator every option it parsed, typos included: its command line tells them
 * apart. (Our bin checks its own before yeoman loads; a composing generator passes options of its own.)
 */
export function unknownOptionFromYo(generator: Generator, declared: string[]): string | undefined {
  if (internals(generator).rootGenerator?.() || !/(^|\/)yo(\/lib\/cli\.js)?$/.test(process.argv[1] ?? '')) return undefined;
  return unknownOptionError(process.argv.slice(2), declared);
}

/**
 * yeoman-generator logs "An error occured while running <task>" before a task's error reaches the
 * caller; our errors are one clear line of their own (printed by the bin), so the banner is dropped.
 */
export function withoutTaskErrorBanner<Log extends { error(...args: unknown[]): unknown }>(log: Log): Log {
  return new Proxy(log, {
    get(target, key, receiver) {
      if (key !== 'error') return Reflect.get(target, key, receiver);
      return (message: unknown, ...rest: unknown[]) =>
        typeof message === 'string' && message.startsWith('An error occured while running') ? receiver : target.error(message, ...rest);
    },
  });
}

type StatusLog = Record<'force' | 'create', (file: string, ...rest: unknown[]) => unknown> & { [configStatus]?: true };
const configStatus = Symbol('k8s-app .yo-rc.json status');

/**
 * yeoman always writes .yo-rc.json without asking and logs it as "force", which reads as if a file
 * of the user's were overwritten. It is ours: logged as created when new, and not at all otherwise.
 */
export function reportConfigFileAsCreated(generator: Generator) {
  const log = generator.env.adapter.log as unknown as StatusLog;
  const destination = generator.destinationRoot();
  if (log[configStatus]) return;
  const force = log.force;
  log.force = function (file, ...rest) {
    if (file !== '.yo-rc.json') return force.call(this, file, ...rest);
    return existsSync(path.join(destination, file)) ? this : this.create(file, ...rest);
  };
  log[configStatus] = true;
}
