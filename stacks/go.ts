import path from 'node:path';
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
  // Measured: 2 MB idle, 8 MB under the bench's load.
  starterResources: {
    requests: { cpu: '100m', memory: '16Mi' },
    limits: { cpu: '500m', memory: '64Mi' },
  },
  // The standard library only: nothing to pin beyond the toolchain.
  detection: {
    markers: ['go.mod'],
    // A folder of Go sources below its module's go.mod is a package of that module.
    markersAbove: true,
    buildTools: [{ name: 'go', markers: ['go.mod'] }],
    runtimeVersion: [
      // go.mod may be above the service folder: a package folder of a larger module.
      { file: 'go.mod', pattern: /^toolchain go(\d+\.\d+)/m, above: true },
      { file: 'go.mod', pattern: /^go (\d+\.\d+)/m, above: true },
      // The image an existing Dockerfile builds on, last: the repo's own files say it first.
      { file: 'Dockerfile', pattern: /^FROM\s+(?:\S+\/)?golang:(\d+\.\d+)/m },
    ],
    start: [{ file: 'go.mod', pattern: /^module\s+(\S+)/m, above: true }],
    // Environment the service reads: listed for the manifests (k8s/README.md), with a ConfigMap or Secret entry each.
    env: [/\bos\.(?:Getenv|LookupEnv)\("([A-Z][A-Z0-9_]*)"\)/g],
    // Folders the service writes into: mounted writable where the image can (Go's binary runs from /: warned only).
    writableDirs: [/\bos\.MkdirAll\("\.?\/?([\w-]+)\/?"/g],
    // Templates, static assets and data read by a relative path (//go:embed needs nothing: it is compiled in).
    runtimeFiles: [
      /\b(?:ParseGlob|ParseFiles|LoadHTMLGlob|LoadHTMLFiles)\(\s*"(?:\.\/)?(\w[\w.-]*)/g,
      /\b(?:http\.Dir|os\.DirFS|os\.ReadFile|os\.ReadDir|os\.Open)\(\s*"(?:\.\/)?(\w[\w.-]*)/g,
      // gin's and echo's Static(prefix, folder).
      /\.Static(?:File)?\(\s*"[^"]*",\s*"(?:\.\/)?(\w[\w.-]*)/g,
    ],
    // A listener on loopback only: unreachable from the kubelet's probes and the Service.
    loopback: [/(?:Listen(?:AndServe(?:TLS)?)?\s*\(|Addr\s*:)\s*"(?:127\.0\.0\.1|localhost):/],
    // A Go program ends at once on SIGTERM unless it asks os/signal for it.
    sigtermHandling: {
      patterns: [/"os\/signal"/],
      fix: 'Stop the server gracefully on it: ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM), then server.Shutdown once ctx is done.',
    },
    // gin's Run() with no address listens on :8080 (or on $PORT, which the Deployment sets).
    defaultPort: (_repo, _start, sources) => {
      const run = sources.find(({ text }) => /\bgin\.(?:Default|New)\(\)/.test(text) && /\.Run\(\s*\)/.test(text));
      return run ? { value: '8080', from: `${run.file}: gin's Run() with no address, which listens on 8080 (or on PORT)` } : undefined;
    },
    // SQLite databases opened in the service's folder (gorm or database/sql), written at run time.
    localDatabases: [/\b(?:gorm|sql)\.Open\(\s*"sqlite3?"\s*,\s*"(?:file:)?(?:\.\/)?([^":?]+)/g],
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
  /** Why the build needs cgo (a module that compiles C code, or `import "C"`): the binary then links the C library. */
  cgo?: string;
}

/** Modules that compile C code through cgo: with CGO_ENABLED=0 they build but fail at run time
 * (go-sqlite3 returns an error on every call), so the image builds with cgo and runs on a C library. */
const CGO_MODULES = [
  'github.com/mattn/go-sqlite3',
  'github.com/confluentinc/confluent-kafka-go',
  'github.com/linxGnu/grocksdb',
  'github.com/tecbot/gorocksdb',
  'gopkg.in/gographics/imagick',
  'github.com/DataDog/zstd',
  'github.com/miekg/pkcs11',
];

/** Why the module needs cgo: a module of CGO_MODULES it requires (directly or not), or its own `import "C"`. */
function cgoReason(repo: RepoFiles, goMod: string, sources: string[]): string | undefined {
  const required = CGO_MODULES.find((module) => new RegExp(`^\\s*(?:require\\s+)?${module.replace(/\./g, '\\.')}(?:/v\\d+)?\\s+v`, 'm').test(goMod));
  if (required) return `${required} in go.mod compiles C code`;
  const own = sources.find((file) => /^import\s+"C"$/m.test(repo.read(file) ?? ''));
  return own ? `${own} imports "C"` : undefined;
}

/** Folders that hold no program of the module: dependencies, test data, tools' and hidden folders. */
const NOT_PROGRAMS = new Set(['vendor', 'testdata', 'node_modules']);

/** The module the service folder belongs to: its go.mod here or in the nearest folder above. */
function moduleOf(repo: RepoFiles): { up: string; servicePath: string } {
  return repo.findUp('go.mod') ?? { up: '', servicePath: '' };
}

/** The Go packages of the service folder and below (folders from the service folder, './x'), with their non-test sources. */
function packagesBelow(repo: RepoFiles): { dir: string; sources: string[] }[] {
  const found: { dir: string; sources: string[] }[] = [];
  const visit = (dir: string, depth: number) => {
    const sources = repo.files(dir).filter((file) => file.endsWith('.go') && !file.endsWith('_test.go'));
    if (sources.length > 0) found.push({ dir, sources: sources.map((file) => `${dir}/${file}`) });
    if (depth === 6) return;
    for (const folder of repo.folders(dir)) {
      if (NOT_PROGRAMS.has(folder) || folder.startsWith('.') || folder.startsWith('_')) continue;
      visit(`${dir}/${folder}`, depth + 1);
    }
  };
  visit('.', 0);
  return found;
}

/** A package folder below the service folder ('./cmd/api') as go build names it from the module root. */
function fromModuleRoot(servicePath: string, dir: string): string {
  const joined = path.posix.join(servicePath, dir);
  return joined === '.' ? '.' : `./${joined}`;
}

/** Every main package of the module in the service folder or below (`.`, `./cmd/api`), named from the
 * module root (`./services/api` for a service folder below it), the service folder's own first. */
function mainPackages(repo: RepoFiles): string[] {
  const { servicePath } = moduleOf(repo);
  return packagesBelow(repo)
    .filter(({ sources }) => sources.some((file) => /^package main\b/m.test(repo.read(file) ?? '')))
    .map(({ dir }) => fromModuleRoot(servicePath, dir));
}

function retrofitBuild(repo: RepoFiles, program?: string): GoBuild {
  const module = moduleOf(repo);
  const programs = mainPackages(repo);
  // The one answered (--program), else the only one; a module with several asks before this.
  const mainPackage = program ?? programs[0] ?? fromModuleRoot(module.servicePath, '.');
  const goMod = repo.read(path.posix.join(module.up || '.', 'go.mod')) ?? '';
  const cgo = cgoReason(
    repo,
    goMod,
    packagesBelow(repo).flatMap(({ sources }) => sources),
  );
  const build = program || programs.length < 2 ? `go build ${mainPackage}` : `go build of one main package: ${programs.join(', ')} (--program picks)`;
  return {
    tool: 'go',
    // A package folder below its module root builds from the root, where go.mod is.
    context: module.up,
    servicePath: module.servicePath,
    // Before the answer, among several: which there are, and that --program picks.
    summary: cgo ? `${build} with cgo (${cgo}), linked against the C library of the runtime image` : build,
    mainPackage,
    // Where the health module goes, from the service folder.
    moduleDir: path.posix.relative(module.servicePath || '.', mainPackage) || '.',
    vendored: repo.exists(path.posix.join(module.up || '.', 'vendor/modules.txt')),
    ...(cgo
      ? {
          cgo,
          // distroless cc has glibc and libgcc (and libstdc++, for C++ libraries); Alpine has musl.
          runtime: { distroless: 'gcr.io/distroless/cc-debian13:nonroot' },
        }
      : {}),
    ignore: module.up ? ['**/*.test', '**/coverage.out'] : ['*.test', 'coverage.out', 'bin'],
  };
}
