// Compose files a repository already has: k8s-app leaves them as they are, and says where one builds
// the service's Dockerfile in a way the Dockerfile k8s-app wrote no longer fits.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The names docker compose reads by default. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

type ComposeBuild = string | { context?: string; dockerfile?: string } | undefined;

/** A compose service that builds the service folder's Dockerfile: the file, the service, and its build context. */
export interface ComposeBuildOfDockerfile {
  file: string;
  service: string;
  contextPath: string;
}

/**
 * The services of the compose files in the service folder, its sub-folders (a deploy/ folder) and the
 * folders above it (up to the repository's root) that build `<serviceRoot>/Dockerfile`, nearest first.
 * Compose files k8s-app wrote (`written`) are not the repository's.
 */
export function composeBuildsOfDockerfile(serviceRoot: string, written: Record<string, unknown> = {}): ComposeBuildOfDockerfile[] {
  const dockerfile = path.join(serviceRoot, 'Dockerfile');
  const found: ComposeBuildOfDockerfile[] = [];
  const read = (folder: string) => {
    for (const name of COMPOSE_FILES) {
      const file = path.join(folder, name);
      // The compose.yaml k8s-app wrote builds with the right context already.
      if (!existsSync(file) || (folder === serviceRoot && written[name])) continue;
      let services: Record<string, { build?: ComposeBuild }> = {};
      try {
        services = (parseYaml(readFileSync(file, 'utf8')) as { services?: typeof services } | null)?.services ?? {};
      } catch {
        continue; // Not ours to judge: compose reports its own syntax errors.
      }
      for (const [service, { build } = {}] of Object.entries(services)) {
        if (build === undefined || build === null) continue;
        const { context = '.', dockerfile: named = 'Dockerfile' } = typeof build === 'string' ? { context: build } : build;
        const contextPath = path.resolve(folder, context);
        if (path.resolve(contextPath, named) === dockerfile) found.push({ file, service, contextPath });
      }
    }
  };
  for (const entry of readdirSync(serviceRoot, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') read(path.join(serviceRoot, entry.name));
  }
  for (let folder = serviceRoot; ; folder = path.dirname(folder)) {
    read(folder);
    if (existsSync(path.join(folder, '.git')) || path.dirname(folder) === folder) return found;
  }
}

/**
 * The compose services that build `<serviceRoot>/Dockerfile` from a context other than `contextDir`, the
 * one the Dockerfile k8s-app wrote needs: one sentence each, paths from the service folder.
 */
export function composeBuildsElsewhere(serviceRoot: string, contextDir: string, written: Record<string, unknown> = {}): string[] {
  const relative = (target: string) => path.relative(serviceRoot, target) || '.';
  return composeBuildsOfDockerfile(serviceRoot, written)
    .filter(({ contextPath }) => contextPath !== contextDir)
    .map(
      ({ file, service, contextPath }) =>
        `${relative(file)} (service ${service}) builds the Dockerfile from the context ${relative(contextPath)}; the new Dockerfile needs ${relative(contextDir)}: change its build.context`,
    );
}
