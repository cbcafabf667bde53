// The files a run writes, before any is written: what writing each would do to the folder, whether
// the user edited it since k8s-app last wrote it (digests in .yo-rc.json), and whether every one of
// them can be written at all. A run that cannot write everything writes nothing.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';
import type { FileAction } from './info.ts';

export interface PendingFile {
  path: string;
  action: FileAction;
  /** sha256 of what this run would write. */
  digest: string;
  /** For a file that would change: whether it differs from what k8s-app last wrote (known from .yo-rc.json). */
  edited?: boolean;
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** sha256 of a file on disk; undefined when it does not exist. */
export function sha256OfFile(file: string): string | undefined {
  return existsSync(file) ? sha256(readFileSync(file)) : undefined;
}

/** A file as the run holds it in memory before committing it to disk. */
export interface StagedFile {
  path: string;
  contents: Buffer;
  /** Written without asking: a change the user consented to. */
  forced: boolean;
}

/** Every staged file against the disk, sorted by path with case ignored (README.md among the r's);
 * `recorded` are the digests .yo-rc.json keeps. */
export function pendingFiles(staged: readonly StagedFile[], destination: string, recorded: Record<string, string>): PendingFile[] {
  const pending = staged.map((file): PendingFile => {
    const relative = path.relative(destination, file.path);
    const entry: PendingFile = { path: relative, action: 'create', digest: sha256(file.contents) };
    if (!existsSync(file.path)) return entry;
    const onDisk = readFileSync(file.path);
    if (onDisk.equals(file.contents)) return { ...entry, action: 'identical' };
    // .yo-rc.json is k8s-app's own record, written without asking (an upgrade adds the answers new since).
    const forced = file.forced || relative === '.yo-rc.json';
    return { ...entry, action: forced ? 'force' : 'conflict', ...(recorded[relative] ? { edited: sha256(onDisk) !== recorded[relative] } : {}) };
  });
  return pending.sort((a, b) => byCode(a.path.toLowerCase(), b.path.toLowerCase()) || byCode(a.path, b.path));
}

// Code unit order: localeCompare would load ICU's collation, 5 ms of a generation.
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Without a terminal nobody can answer a conflict prompt: the files that would change, as one error. */
export function conflictsError(pending: readonly PendingFile[]): UsageError | undefined {
  const changed = pending.filter((file) => file.action === 'conflict');
  if (changed.length === 0) return undefined;
  const described = changed.map((file) =>
    file.edited === undefined
      ? file.path
      : `${file.path} (${file.edited ? 'edited since k8s-app wrote it' : 'not edited since k8s-app wrote it; its template changed'})`,
  );
  return new UsageError(
    `These files exist and differ from what k8s-app would write: ${described.join(', ')}. Nothing was written. ` +
      'Run again in a terminal to review each change, or pass --force to overwrite them.',
  );
}

/** A .yo-rc.json that is not JSON stops the run with the file and the fix (yeoman would throw a stack trace). */
export function assertConfigParses(destination: string) {
  const file = path.join(destination, '.yo-rc.json');
  if (!existsSync(file)) return;
  try {
    JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON (${(error as Error).message}). Nothing was written. Fix: correct it, or delete it to answer every question again.`,
    );
  }
}

/**
 * Every file a run writes must be writable before the first is written: a folder the user cannot
 * write would otherwise leave a half-written project behind.
 */
export function assertFilesWritable(destination: string, files: readonly string[]) {
  const blocked = new Map<string, string[]>();
  for (const file of files) {
    const obstacle = writeObstacle(path.join(destination, file));
    if (obstacle) blocked.set(obstacle, [...(blocked.get(obstacle) ?? []), file]);
  }
  if (blocked.size === 0) return;
  const problems = [...blocked].map(([obstacle, blockedFiles]) => {
    const named = blockedFiles.slice(0, 3).join(', ') + (blockedFiles.length > 3 ? ` and ${blockedFiles.length - 3} more` : '');
    return `${obstacle} (needed for ${named})`;
  });
  throw new UsageError(
    `Cannot write the project: ${problems.join('; ')}. Nothing was written. Fix: make ${blocked.size === 1 ? 'it' : 'them'} writable by this user (chmod/chown), or run k8s-app in a directory you own.`,
  );
}

/** Fails before anything is generated when the destination (or the folder that would hold it) is not writable. */
export function assertWritable(destination: string) {
  const blocked = folderObstacle(destination);
  if (blocked?.problem === 'file') {
    throw new UsageError(`Cannot write to ${destination}: ${blocked.folder} is a file, not a directory. Run k8s-app in a directory, or move that file away.`);
  }
  if (blocked) {
    throw new UsageError(
      `Cannot write to ${destination}: ${blocked.folder} is not writable by this user. Run k8s-app in a directory you own, or fix its permissions (chmod/chown).`,
    );
  }
}

/** Why `target` cannot be written, as `<path> is ...`; undefined when it can. */
function writeObstacle(target: string): string | undefined {
  if (!existsSync(target)) {
    const blocked = folderObstacle(target);
    return blocked && `${blocked.folder} ${blocked.problem === 'file' ? 'is a file, not a folder' : 'is not writable'}`;
  }
  if (statSync(target).isDirectory()) return `${target} is a directory`;
  try {
    accessSync(target, constants.W_OK);
    return undefined;
  } catch {
    return `${target} is read-only`;
  }
}

/** What stops creating `target` (which need not exist): its nearest existing ancestor is a file, or a
 * folder this user cannot write. Undefined when nothing does. */
function folderObstacle(target: string): { folder: string; problem: 'file' | 'unwritable' } | undefined {
  let folder = target;
  while (!existsSync(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  if (!statSync(folder).isDirectory()) return { folder, problem: 'file' };
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
    return undefined;
  } catch {
    return { folder, problem: 'unwritable' };
  }
}
