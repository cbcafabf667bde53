// The binaries of the test cluster, built from the Go module proxy into a cache outside the repo
// (K8S_APP_CACHE, default ~/.cache/k8s-app), one folder per version: a warm run builds nothing.
// The Debian packages (etcd, containerd, runc, CNI plugins, iptables) are installed when missing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { LINT_VERSIONS } from '../../lint/tools.ts';
import { CACHE_DIR } from '../support/toolchains.ts';

/** Every pin of the cluster rig. Kubernetes is the release the quality gate's schemas come from. */
export const CLUSTER_VERSIONS = {
  kubernetes: LINT_VERSIONS.kubernetes,
  /** The local image registry, `github.com/distribution/distribution/v3`. */
  registry: 'v3.0.0',
} as const;

export const KUBERNETES_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl'] as const;
export type KubernetesBinary = (typeof KUBERNETES_BINARIES)[number];

/** Debian packages the cluster runs, and a file each installs. */
const DEBIAN_PACKAGES: Record<string, string> = {
  'etcd-server': '/usr/bin/etcd',
  containerd: '/usr/bin/containerd',
  runc: '/usr/sbin/runc',
  'containernetworking-plugins': '/usr/lib/cni/bridge',
  iptables: '/usr/sbin/iptables',
  conntrack: '/usr/sbin/conntrack',
};

export interface ClusterBinaries {
  kubernetes: Record<KubernetesBinary, string>;
  registry: string;
  /** The sandbox ("pause") program, a static binary of test/cluster/pause. */
  pause: string;
  /** What this run had to build, with the seconds it took: nothing on a warm run. */
  built: string[];
}

const builtThisRun: string[] = [];

/** The build module: k8s.io/kubernetes with each staging module replaced by its published version. */
async function buildModule(version: string, dir: string): Promise<string> {
  const { stdout } = await execa('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], { cwd: dir });
  const { GoMod } = JSON.parse(stdout) as { GoMod: string };
  const staging = [...readFileSync(GoMod, 'utf8').matchAll(/^\s*(k8s\.io\/[\w.-]+) => \.\/staging\//gm)].map((match) => match[1]);
  if (staging.length === 0) throw new Error(`no staging modules found in the go.mod of k8s.io/kubernetes@${version}`);
  const stagingVersion = version.replace(/^v1\./, 'v0.');
  // Written the same way on every run: a go.mod that differs in bytes invalidates Go's build cache.
  return [
    'module k8s-app.test/cluster-build',
    '',
    'go 1.24.0',
    '',
    `require k8s.io/kubernetes ${version}`,
    '',
    'replace (',
    ...staging.map((name) => `\t${name} => ${name} ${stagingVersion}`),
    ')',
    '',
  ].join('\n');
}

/** Installs into `<dir>.partial`, then renames, so an interrupted build is never taken as done. */
async function buildOnce(dir: string, markers: string[], build: (staging: string) => Promise<void>): Promise<string> {
  if (markers.every((marker) => existsSync(path.join(dir, marker)))) return dir;
  const started = Date.now();
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await build(staging);
  builtThisRun.push(`${path.basename(dir)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

async function kubernetesBinaries(): Promise<Record<KubernetesBinary, string>> {
  const version = CLUSTER_VERSIONS.kubernetes;
  const [major, minor] = version.replace(/^v/, '').split('.');
  const moduleDir = path.join(CACHE_DIR, `kubernetes-build-${version}`);
  const dir = await buildOnce(path.join(CACHE_DIR, `kubernetes-${version}`), [...KUBERNETES_BINARIES], async (staging) => {
    mkdirSync(moduleDir, { recursive: true });
    const goMod = await buildModule(version, moduleDir);
    writeFileSync(path.join(moduleDir, 'go.mod'), goMod);
    const commands = KUBERNETES_BINARIES.map((name) => `k8s.io/kubernetes/cmd/${name}`);
    // Resolves the requirements and checksums those commands need into go.mod and go.sum.
    await execa('go', ['get', ...commands.map((command) => `${command}@${version}`)], { cwd: moduleDir, all: true });
    // Without the version stamp kubectl cannot parse the server's version.
    const stamp = `k8s.io/component-base/version`;
    const ldflags = [
      '-s -w',
      `-X ${stamp}.gitVersion=${version}`,
      `-X ${stamp}.gitMajor=${major}`,
      `-X ${stamp}.gitMinor=${minor}`,
      `-X ${stamp}.gitTreeState=clean`,
      `-X ${stamp}.buildDate=1970-01-01T00:00:00Z`,
      `-X k8s.io/client-go/pkg/version.gitVersion=${version}`,
      `-X k8s.io/client-go/pkg/version.gitMajor=${major}`,
      `-X k8s.io/client-go/pkg/version.gitMinor=${minor}`,
    ].join(' ');
    await execa('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', `${staging}/`, ...commands], {
      cwd: moduleDir,
      env: { CGO_ENABLED: '0' },
      all: true,
    });
  });
  return Object.fromEntries(KUBERNETES_BINARIES.map((name) => [name, path.join(dir, name)])) as Record<KubernetesBinary, string>;
}

async function registryBinary(): Promise<string> {
  const version = CLUSTER_VERSIONS.registry;
  const dir = await buildOnce(path.join(CACHE_DIR, `registry-${version}`), ['registry'], async (staging) => {
    await execa('go', ['install', '-trimpath', '-ldflags', '-s -w', `github.com/distribution/distribution/v3/cmd/registry@${version}`], {
      env: { GOBIN: staging, CGO_ENABLED: '0' },
      all: true,
    });
  });
  return path.join(dir, 'registry');
}

async function pauseBinary(): Promise<string> {
  const source = new URL('./pause/', import.meta.url).pathname;
  const hash = createHash('sha256')
    .update(readFileSync(path.join(source, 'main.go')))
    .digest('hex')
    .slice(0, 16);
  const dir = await buildOnce(path.join(CACHE_DIR, `pause-${hash}`), ['pause'], async (staging) => {
    await execa('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', path.join(staging, 'pause'), './main.go'], {
      cwd: source,
      env: { CGO_ENABLED: '0', GO111MODULE: 'off' },
      all: true,
    });
  });
  return path.join(dir, 'pause');
}

export async function ensureDebianPackages(): Promise<void> {
  const missing = Object.entries(DEBIAN_PACKAGES)
    .filter(([, file]) => !existsSync(file))
    .map(([name]) => name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`the cluster needs the Debian packages ${missing.join(', ')}: install them as root`);
  await execa('apt-get', ['update', '-qq'], { all: true });
  await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { DEBIAN_FRONTEND: 'noninteractive' }, all: true });
}

export async function ensureClusterBinaries(): Promise<ClusterBinaries> {
  mkdirSync(CACHE_DIR, { recursive: true });
  await ensureDebianPackages();
  return { kubernetes: await kubernetesBinaries(), registry: await registryBinary(), pause: await pauseBinary(), built: builtThisRun };
}
