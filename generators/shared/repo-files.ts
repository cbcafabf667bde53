// Read-only access to an existing repository for the stacks' build plans: files of the service
// folder, and of the folders above it up to the repository's root (the folder holding .git).
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RepoFiles } from '../../stacks/types.ts';

export function repoFiles(serviceRoot: string): RepoFiles {
  const full = (file: string) => path.resolve(serviceRoot, file);
  return {
    read(file) {
      const target = full(file);
      return existsSync(target) && statSync(target).isFile() ? readFileSync(target, 'utf8') : undefined;
    },
    exists: (file) => existsSync(full(file)),
    folders: (dir) => entries(full(dir), (entry) => entry.isDirectory()),
    files: (dir) => entries(full(dir), (entry) => entry.isFile()),
    pathFrom: (folder) => path.relative(full(folder), path.resolve(serviceRoot)),
    findUp(file, start = '.') {
      const first = path.resolve(serviceRoot, start);
      let folder = path.resolve(serviceRoot);
      for (;;) {
        // Folders below `start` are passed by, never searched.
        const searched = !path.relative(folder, first).startsWith('..');
        if (searched && existsSync(path.join(folder, file))) {
          return { up: path.relative(serviceRoot, folder), servicePath: path.relative(folder, serviceRoot) };
        }
        // The repository's root is as far as a service's build may reach.
        const parent = path.dirname(folder);
        if (existsSync(path.join(folder, '.git')) || parent === folder) return undefined;
        folder = parent;
      }
    },
  };
}

/** The names in a folder of one kind (sub-folders, files), sorted; none when it is not a folder. */
function entries(dir: string, kind: (entry: Dirent) => boolean): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter(kind)
    .map((entry) => entry.name)
    .sort();
}
