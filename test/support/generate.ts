// Generates a project with the real generator, as `k8s-app --defaults` would, for the specs that
// build and run what it produces.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import helpers from 'yeoman-test';

export const APP_GENERATOR = new URL('../../generators/app/index.ts', import.meta.url).pathname;

/**
 * The app generator as yeoman-test runs it, with `options`: in `dir` as it is (an existing folder)
 * when given, else in a new temporary folder. `settings` are yeoman-test's: `{ force: false }` makes a
 * conflict stop the run, as without a terminal (yeoman-test otherwise overwrites). Chain
 * `.withAnswers()` and the like on it.
 */
export function runApp(options: Record<string, unknown> = {}, dir?: string, settings?: { force?: boolean }) {
  const run = settings ? helpers.run(APP_GENERATOR, {}, settings) : helpers.run(APP_GENERATOR);
  return (dir ? run.cd(dir) : run).withOptions(options as never);
}

/** The app generator run in `dir`, coming back to where the specs run (yeoman-test moves into `dir`, which a spec then removes). */
export async function runAppIn(dir: string, options: Record<string, unknown>, settings?: { force?: boolean }) {
  const cwd = process.cwd();
  try {
    return await runApp(options, dir, settings);
  } finally {
    process.chdir(cwd);
  }
}

/** What a run logged, as one text. */
export function loggedText(run: Awaited<ReturnType<typeof runApp>>): string {
  return (run.env.adapter.log as unknown as { mock: { calls: { arguments: unknown[] }[] } }).mock.calls.map((call) => String(call.arguments[0])).join('\n');
}

/** A new project in a new folder (yeoman-test empties `dir` first). */
export async function generateProject(options: Record<string, unknown>, dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-'))) {
  await runIn(dir, options, 'new');
  return dir;
}

/** k8s-app run in an existing repository's folder, which keeps its files. */
export async function retrofitProject(dir: string, options: Record<string, unknown> = {}) {
  await runIn(dir, options, 'existing');
  return dir;
}

async function runIn(dir: string, options: Record<string, unknown>, folder: 'new' | 'existing') {
  const cwd = process.cwd();
  try {
    // yeoman-test forces overwrites by default; an existing repository's files are overwritten only
    // with the consent the options give (--force), as the CLI does.
    const run = folder === 'new' ? helpers.run(APP_GENERATOR) : helpers.run(APP_GENERATOR, {}, { force: Boolean(options.force) });
    await (folder === 'new' ? run.inDir(dir) : run.cd(dir)).withOptions({ defaults: true, skipInstall: true, ...options } as Record<string, unknown>);
  } finally {
    // yeoman-test moved into `dir`; go back, unless an earlier spec removed where we were.
    process.chdir(existsSync(cwd) ? cwd : tmpdir());
  }
}
