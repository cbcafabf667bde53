// Every place k8s-app reaches into yeoman beyond its public API, in one file: the in-memory file
// system before commit and the commit itself, the environment's flags, which generator is the root,
// and two changes to what yeoman prints.
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { createConflicterTransform, createYoResolveTransform, forceYoFiles } from '@yeoman/conflicter';
import type { MemFsEditorFile } from 'mem-fs-editor';
import { clearFileState, isFileNew, isFilePending, isFileStateDeleted, isFileStateModified, setCommittedFile } from 'mem-fs-editor/state';
import type { EnvironmentBase } from 'yeoman-environment';
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

/**
 * Writes the run's files to disk as yeoman's environment does (commitSharedFsTask: the rules of any
 * .yo-resolve file above them, the conflicter, then each file written), but faster:
 * - it looks for .yo-resolve files once, in each folder above the files; yeoman looks in every one of
 *   them again for each file, each miss an error from an asynchronous stat (about 150 in a generation,
 *   half the time of its commit);
 * - it writes each file synchronously (writeFile below), not waiting its turn in libuv's thread pool.
 */
export async function commitFiles(generator: Generator) {
  const { adapter, conflicterOptions, sharedFs } = generator.env as unknown as EnvironmentBase;
  const filter = (file: MemFsEditorFile) => isFilePending(file) || file.path.endsWith('.yo-resolve');
  const folders = new Set<string>();
  for (const file of sharedFs.all()) {
    if (!filter(file)) continue;
    for (let folder = path.dirname(file.path); !folders.has(folder); folder = path.dirname(folder)) {
      folders.add(folder);
      if (folder === path.dirname(folder)) break;
    }
  }
  const yoResolveRules = [...folders].some((folder) => existsSync(path.join(folder, '.yo-resolve')));
  await sharedFs.pipeline(
    { filter },
    ...(yoResolveRules ? [createYoResolveTransform()] : []),
    forceYoFiles(),
    createConflicterTransform(adapter, conflicterOptions),
    new Transform({
      objectMode: true,
      transform(file: MemFsEditorFile, _encoding, done) {
        try {
          writeFile(file);
          done(null, file);
        } catch (error) {
          done(error as Error);
        }
      },
    }),
  );
}

/** What mem-fs-editor's commit does with a file the conflicter let through (commitFileAsync), synchronously. */
function writeFile(file: MemFsEditorFile) {
  if (isFileStateModified(file)) {
    setCommittedFile(file);
    if (!file.contents) throw new Error(`${file.path} cannot write an empty file`);
    mkdirSync(path.dirname(file.path), { recursive: true });
    const mode = file.stat?.mode;
    writeFileSync(file.path, file.contents, { mode });
    // The mode given applies to a new file only (and through the umask): an existing one gets it here.
    if (mode != null && (statSync(file.path).mode & 0o777) !== (mode & 0o777)) chmodSync(file.path, mode);
  } else if (isFileStateDeleted(file) && !isFileNew(file)) {
    setCommittedFile(file);
    rmSync(file.path, { recursive: true });
  }
  clearFileState(file);
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
