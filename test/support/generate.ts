// Generates a project with the real generator, as `k8s-app --defaults` would, for the specs that
// build and run what it produces.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import helpers from 'yeoman-test';

export const APP_GENERATOR = new URL('../../generators/app/index.ts', import.meta.url).pathname;

export async function generateProject(options: Record<string, unknown>, dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-'))) {
  const cwd = process.cwd();
  try {
    await helpers.run(APP_GENERATOR).inDir(dir).withOptions({ defaults: true, skipInstall: true, ...options } as Record<string, unknown>);
  } finally {
    // yeoman-test moved into `dir`; go back, unless an earlier spec removed where we were.
    process.chdir(existsSync(cwd) ? cwd : tmpdir());
  }
  return dir;
}
