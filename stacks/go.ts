import { ALPINE_IMAGE } from './common.ts';
import type { RepoFiles, RetrofitBuild, Stack } from './types.ts';

// Go: the current release by default, the previous one offered. A static binary (CGO_ENABLED=0)
// needs no libc, so distroless "static" and a bare Alpine are the whole runtime.
const go: Stack = {
  language: 'go',
  displayName: 'Go (net/http and log/slog)',
  versionArg: 'GO_VERSION',
  defaultVersion: '1.27',
  versions: [
    { version: '1.27', label: 'Go 1.27', toolchain: '1.27.4', families: ['distroless', 'alpine'] },
    { version: '1.26', label: 'Go 1.26', toolchain: '1.26.11', families: ['distroless', 'alpine'] },
  ],
  images: {
    distroless: { builder: 'golang:{version}-trixie', runtime: 'gcr.io/distroless/static-debian13:nonroot' },
    alpine: { builder: 'golang:{version}-alpine', runtime: ALPINE_IMAGE },
  },
  sourceDir: 'internal',
  localToolchain: 'Go {version} or newer: go.mod names go{toolchain}, which an older go command fetches by itself',
  commands: {
    install: 'go mod download',
    build: 'CGO_ENABLED=0 go build -trimpath -o service .',
    test: 'go vet ./... && go test ./...',
    start: './service',
  },
  serveCommand: ['./service'],
  container: () => ({ program: ['/service'] }),
  signalExitCodes: [],
  cacheMounts: ['/go/pkg/mod', '/root/.cache/go-build'],
  dockerignore: ['service', '*.test', 'coverage.out'],
  gitignore: ['/service', '*.test', 'coverage.out'],
  ci: {
    githubSetup: { uses: 'actions/setup-go@v6', with: { 'go-version-file': 'go.mod' } },
    gitlabImage: 'golang:{version}-trixie',
  },
  startupProbe: { periodSeconds: 2, failureThreshold: 15 },
  resources: {
    requests: { cpu: '100m', memory: '32Mi' },
    limits: { cpu: '500m', memory: '128Mi' },
  },
  // The standard library only: nothing to pin beyond the toolchain.
  detection: {
    markers: ['go.mod'],
    buildTools: [{ name: 'go', markers: ['go.mod'] }],
    runtimeVersion: [
      { file: 'go.mod', pattern: /^toolchain go(\d+\.\d+)/m },
      { file: 'go.mod', pattern: /^go (\d+\.\d+)/m },
      // The image an existing Dockerfile builds on, last: the repo's own files say it first.
      { file: 'Dockerfile', pattern: /^FROM\s+(?:\S+\/)?golang:(\d+\.\d+)/m },
    ],
    start: [{ file: 'go.mod', pattern: /^module\s+(\S+)/m }],
    // Environment the service reads: listed for the manifests (k8s/README.md), with a ConfigMap or Secret entry each.
    env: [/\bos\.(?:Getenv|LookupEnv)\("([A-Z][A-Z0-9_]*)"\)/g],
    // Folders the service writes into: mounted writable where the image can (Go's binary runs from /: warned only).
    writableDirs: [/\bos\.MkdirAll\("\.?\/?([\w-]+)\/?"/g],
    // A listener on loopback only: unreachable from the kubelet's probes and the Service.
    loopback: [/(?:Listen(?:AndServe(?:TLS)?)?\s*\(|Addr\s*:)\s*"(?:127\.0\.0\.1|localhost):/],
    port: { extensions: ['.go'], patterns: [/"PORT"[^\n]*?"(\d{2,5})"/, /"(?:0\.0\.0\.0)?:(\d{2,5})"/, /\b[pP]ort\s*:?=\s*"(\d{2,5})"/] },
  },
  retrofit: { plan: retrofitBuild, programs: mainPackages },
  dependencies: {},
};

export default go;

/** What a Go module's image build needs beyond the common facts. */
export interface GoBuild extends RetrofitBuild {
  /** The main package go build compiles (`.` or `./cmd/<name>`). */
  mainPackage: string;
  /** Whether dependencies are vendored (no module download in the image build). */
  vendored: boolean;
}

/** Folders that hold no program of the module: dependencies, test data, tools' and hidden folders. */
const NOT_PROGRAMS = new Set(['vendor', 'testdata', 'node_modules']);

/** Every main package of the module, anywhere in it (`.`, `./cmd/api`, `./services/worker`), the root first. */
function mainPackages(repo: RepoFiles): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    const sources = repo.files(dir).filter((file) => file.endsWith('.go') && !file.endsWith('_test.go'));
    if (sources.some((file) => /^package main\b/m.test(repo.read(`${dir}/${file}`) ?? ''))) found.push(dir === '.' ? '.' : `./${dir.slice(2)}`);
    if (depth === 6) return;
    for (const folder of repo.folders(dir)) {
      if (NOT_PROGRAMS.has(folder) || folder.startsWith('.') || folder.startsWith('_')) continue;
      visit(`${dir}/${folder}`, depth + 1);
    }
  };
  visit('.', 0);
  return found;
}

function retrofitBuild(repo: RepoFiles, program?: string): GoBuild {
  const programs = mainPackages(repo);
  // The one answered (--program), else the only one; a module with several asks before this.
  const mainPackage = program ?? programs[0] ?? '.';
  return {
    tool: 'go',
    context: '',
    servicePath: '',
    // Before the answer, among several: which there are, and that --program picks.
    summary: program || programs.length < 2 ? `go build ${mainPackage}` : `go build of one main package: ${programs.join(', ')} (--program picks)`,
    mainPackage,
    moduleDir: mainPackage.replace(/^\.\/?/, '') || '.',
    vendored: repo.exists('vendor/modules.txt'),
    ignore: ['*.test', 'coverage.out', 'bin'],
  };
}
