// Read-only access to an existing repository for the stacks' build plans: files of the service
// folder, and of the folders above it up to the repository's root (the folder holding .git).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
    folders(dir) {
      const target = full(dir);
      if (!existsSync(target) || !statSync(target).isDirectory()) return [];
      return readdirSync(target, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    },
    files(dir) {
      const target = full(dir);
      if (!existsSync(target) || !statSync(target).isDirectory()) return [];
      return readdirSync(target, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
        .sort();
    },
    findUp(file) {
      let folder = path.resolve(serviceRoot);
      for (;;) {
        if (existsSync(path.join(folder, file))) {
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
