import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALPINE_IMAGE, memberFolders, readToml, shortestPath } from './common.ts';
import type { RepoFiles, RetrofitBuild, Stack } from './types.ts';

// Rust: the newest stable release these machines can obtain (rustup's stable channel here serves
// 1.99.1, of 2026-10-13). A glibc binary on distroless cc; a musl binary on Alpine.
const rust: Stack = {
  language: 'rust',
  displayName: 'Rust (axum on tokio, tracing)',
  versionArg: 'RUST_VERSION',
  defaultVersion: '1.99',
  versions: [{ version: '1.99', label: 'Rust 1.99 (stable)', toolchain: '1.99.1', families: ['distroless', 'alpine'] }],
  images: {
    // The builder is Debian 13, so the binary links the glibc the runtime has.
    distroless: { builder: 'rust:{version}-slim-trixie', runtime: 'gcr.io/distroless/cc-debian13:nonroot' },
    alpine: { builder: 'rust:{version}-alpine', runtime: ALPINE_IMAGE },
  },
  sourceDir: 'src',
  localToolchain: 'rustup: rust-toolchain.toml names Rust {toolchain}, which rustup installs on first use',
  commands: {
    install: 'cargo fetch --locked',
    build: 'cargo build --release --locked',
    test: 'cargo clippy --locked --all-targets -- -D warnings && cargo test --locked',
    start: './target/release/service',
  },
  serveCommand: ['./target/release/service'],
  container: () => ({ program: ['/service'] }),
  starterLockFile,
  signalExitCodes: [],
  cacheMounts: ['/usr/local/cargo/registry', '/src/target'],
  dockerignore: ['target', 'rust-toolchain.toml'],
  gitignore: ['/target/'],
  // rustup, on GitHub's runners and in the rust image, installs what rust-toolchain.toml names.
  ci: { gitlabImage: 'rust:{version}-trixie' },
  startupProbe: { periodSeconds: 2, failureThreshold: 15 },
  resources: {
    requests: { cpu: '100m', memory: '32Mi' },
    limits: { cpu: '500m', memory: '128Mi' },
  },
  // Measured: 1 MB idle, 2 MB under the bench's load.
  starterResources: {
    requests: { cpu: '100m', memory: '16Mi' },
    limits: { cpu: '500m', memory: '64Mi' },
  },
  detection: {
    markers: ['Cargo.toml'],
    buildTools: [{ name: 'cargo', markers: ['Cargo.toml'] }],
    runtimeVersion: [
      // rustup reads the toolchain file of the nearest folder up, so a workspace's root counts.
      { file: 'rust-toolchain.toml', pattern: /channel\s*=\s*"(\d+\.\d+)/, above: true },
      { file: 'rust-toolchain', pattern: /^\s*(\d+\.\d+)/, above: true },
      { file: 'Cargo.toml', pattern: /rust-version\s*=\s*"(\d+\.\d+)/ },
      // `rust-version.workspace = true`: the workspace's [workspace.package] states it.
      { file: 'Cargo.toml', pattern: /^(rust-version)\.workspace\s*=\s*true/m, as: (_, repo) => workspaceRustVersion(repo) },
      // The image an existing Dockerfile builds on, last: the repo's own files say it first.
      { file: 'Dockerfile', pattern: /^FROM\s+(?:\S+\/)?rust:(\d+\.\d+)/m },
    ],
    start: [
      { file: 'Cargo.toml', pattern: /\[\[bin\]\][^[]*?name\s*=\s*"([^"]+)"/ },
      { file: 'Cargo.toml', pattern: /\[package\][^[]*?name\s*=\s*"([^"]+)"/ },
    ],
    // Environment the service reads without a default: listed for the manifests (k8s/README.md).
    env: [/\benv::var\("([A-Z][A-Z0-9_]*)"\)(?!\s*\.(?:unwrap_or|ok\(\)))/g],
    // Folders the service writes into: mounted writable where the image can (the binary runs from /: warned only).
    writableDirs: [/\bcreate_dir_all\(\s*"\.?\/?([\w-]+)\/?"/g],
    // A listener on loopback only: unreachable from the kubelet's probes and the Service.
    loopback: [/"(?:127\.0\.0\.1|localhost):\d+"/, /\(\s*"(?:127\.0\.0\.1|localhost)"\s*,\s*\d+\s*\)/, /\[127,\s*0,\s*0,\s*1\]/, /Ipv4Addr::LOCALHOST/],
    // A Rust program ends at once on SIGTERM unless it handles it (actix-web's server drains on it itself;
    // tokio's ctrl_c() is SIGINT only).
    sigtermHandling: {
      patterns: [/SignalKind::terminate\(\)/, /\bSIGTERM\b/, /\bsignal_hook\b/, /\bactix_web\b/],
      fix: "Drain on it: tokio::signal::unix::signal(SignalKind::terminate()), and the server's graceful shutdown (axum: with_graceful_shutdown).",
    },
    // Crates that link a system library (the lock file names every crate the build compiles).
    nativeLibraries: [
      {
        dependency: 'openssl-sys',
        present: (repo) => lockedDependencies(repo).has('openssl-sys'),
        note: 'links OpenSSL: its headers and pkg-config in the build stage; distroless cc has libssl3, and on Alpine it is linked into the static binary',
        build: {
          distroless: { packages: ['libssl-dev=3.5.*', 'pkgconf=1.8.*'] },
          alpine: { packages: ['openssl-dev=~3', 'openssl-libs-static=~3', 'pkgconf=~2'], env: { OPENSSL_STATIC: '1' } },
        },
      },
      {
        dependency: 'pq-sys',
        present: (repo) => lockedDependencies(repo).has('pq-sys'),
        note: 'links libpq, which no runtime image here has: the binary would not start. A pure-Rust client (tokio-postgres, sqlx) needs none',
      },
      {
        dependency: 'mysqlclient-sys',
        present: (repo) => lockedDependencies(repo).has('mysqlclient-sys'),
        note: 'links libmysqlclient, which no runtime image here has: the binary would not start. A pure-Rust client (mysql_async, sqlx) needs none',
      },
    ],
    // Templates, static assets and data read by a relative path (include_str! and include_bytes! need
    // nothing: they are compiled in).
    runtimeFiles: [
      // actix-files' Files::new(prefix, folder), tower-http's ServeDir/ServeFile, Tera's glob.
      /\bFiles::new\(\s*"[^"]*"\s*,\s*"(?:\.\/)?(\w[\w.-]*)/g,
      /\b(?:ServeDir::new|ServeFile::new|NamedFile::open(?:_async)?|Tera::new)\(\s*"(?:\.\/)?(\w[\w.-]*)/g,
      /\b(?:fs::read_to_string|fs::read|fs::read_dir|File::open)\(\s*"(?:\.\/)?(\w[\w.-]*)/g,
    ],
    port: {
      extensions: ['.rs'],
      patterns: [
        /"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::1?\])?:(\d{2,5})"/,
        /"PORT"[^\n]*?(\d{2,5})/,
        // bind(("0.0.0.0", 8080)): an address and port as a tuple (actix-web, std's ToSocketAddrs).
        /\(\s*"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|::1?)"\s*,\s*(\d{2,5})\s*\)/,
      ],
    },
  },
  retrofit: { plan: retrofitBuild, wireHealthModule },
  dependencies: {
    axum: '0.8.9',
    serde: '1.0.229',
    serde_json: '1.0.154',
    time: '0.3.55',
    tokio: '1.54.1',
    tower: '0.5.3',
    tracing: '0.1.44',
    'tracing-subscriber': '0.3.23',
  },
};

export default rust;

/** What a cargo project's image build needs beyond the common facts. Paths are from the build context. */
export interface RustBuild extends RetrofitBuild {
  /** The binary target cargo builds, and its main source file (from the service folder). */
  bin: string;
  mainSource: string;
  /** The lock file, when there is one (the build then runs --locked). */
  lockFile?: string;
  locked: boolean;
  /** Every manifest cargo reads to load the service's workspace: its own, the workspace's, path dependencies'. */
  manifests: string[];
  /** Target files cargo must see to read those manifests: empty stand-ins until the sources are copied. */
  stubs: string[];
  /** What the build compiles: the service's crate and the crates it depends on by path, src/ and what cargo reads besides. */
  sources: string[];
  /** The service's manifest, when the context is a folder above it: cargo is pointed at it. */
  manifestPath?: string;
}

type Manifest = Record<string, unknown>;
type Table = Record<string, unknown>;

const table = (value: unknown): Table => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {});
const join = (...parts: string[]) => path.posix.normalize(path.posix.join(...parts));

/** A folder's Cargo.toml, parsed; undefined when there is none (an unreadable one reads as empty). */
function manifestIn(repo: RepoFiles, dir: string): Manifest | undefined {
  return readToml(repo, join(dir, 'Cargo.toml'));
}

/** The workspace the service's crate belongs to, as cargo finds it: its own manifest when that has
 * [workspace], else the nearest one above with [workspace], if its members include the crate. */
function workspaceOf(repo: RepoFiles, own: Manifest, dir = '.'): { dir: string; manifest: Manifest } | undefined {
  if (own.workspace) return { dir, manifest: own };
  let found = repo.findUp('Cargo.toml', join(dir, '..'));
  while (found) {
    const manifest = manifestIn(repo, found.up) ?? {};
    if (manifest.workspace) {
      const members = workspaceMembers(repo, found.up, manifest).map((member) => shortestPath(repo, member));
      return members.includes(shortestPath(repo, dir)) ? { dir: found.up, manifest } : undefined;
    }
    found = repo.findUp('Cargo.toml', join(found.up, '..'));
  }
  return undefined;
}

/** A workspace's member folders (from the service folder): its `members`, less `exclude`, and the root
 * when it is a package too. */
function workspaceMembers(repo: RepoFiles, root: string, manifest: Manifest): string[] {
  const workspace = table(manifest.workspace);
  const listed = (key: string) => (Array.isArray(workspace[key]) ? (workspace[key] as string[]) : []);
  const members = memberFolders(repo, root, listed('members'), 'Cargo.toml', listed('exclude')).map((member) => join(root, member));
  return [...(manifest.package ? [root] : []), ...members];
}

/** The folders of the crates a crate depends on by path (any kind, any target), from the service folder;
 * `{ workspace = true }` entries take the workspace's path. */
function pathDependencies(dir: string, manifest: Manifest, workspace?: { dir: string; manifest: Manifest }): string[] {
  const inherited = table(table(workspace?.manifest.workspace).dependencies);
  const tables = [manifest, ...Object.values(table(manifest.target))].flatMap((scope) =>
    ['dependencies', 'dev-dependencies', 'build-dependencies'].map((kind) => table(table(scope)[kind])),
  );
  return tables.flatMap((dependencies) =>
    Object.entries(dependencies).flatMap(([name, spec]) => {
      const entry = table(spec);
      if (typeof entry.path === 'string') return [join(dir, entry.path)];
      const shared = table(inherited[name]);
      return entry.workspace === true && workspace && typeof shared.path === 'string' ? [join(workspace.dir, shared.path)] : [];
    }),
  );
}

/** The target files cargo needs to exist to read a crate's manifest: the implicit main and lib, and
 * named targets without a path (criterion's [[bench]] name = "x"), where the repository has them. */
function targetFiles(repo: RepoFiles, dir: string, manifest: Manifest): string[] {
  const implicit = ['src/main.rs', 'src/lib.rs'].filter((file) => repo.exists(join(dir, file)));
  const named = (['bin', 'bench', 'test', 'example'] as const).flatMap((kind) => {
    const targets = Array.isArray(manifest[kind]) ? (manifest[kind] as Table[]) : [];
    const folder = { bin: 'src/bin', bench: 'benches', test: 'tests', example: 'examples' }[kind];
    return targets
      .filter((target) => typeof target.name === 'string' && typeof target.path !== 'string')
      .map(
        (target) =>
          [`${folder}/${target.name}.rs`, `${folder}/${target.name}/main.rs`].find((file) => repo.exists(join(dir, file))) ?? `${folder}/${target.name}.rs`,
      );
  });
  // A crate whose only targets are src/bin/*.rs: one of them lets cargo read it.
  const bins =
    implicit.length === 0 && named.length === 0
      ? repo
          .files(join(dir, 'src/bin'))
          .filter((file) => file.endsWith('.rs'))
          .slice(0, 1)
      : [];
  return [...implicit, ...named, ...bins.map((file) => `src/bin/${file}`)].map((file) => join(dir, file));
}

/** The binary cargo builds and its main file: the first [[bin]], else src/main.rs (named after the
 * package), else the first src/bin/*.rs. */
function binaryOf(repo: RepoFiles, manifest: Manifest): { bin: string; mainSource: string } {
  const packageName = String(table(manifest.package).name ?? 'service');
  const declared = (Array.isArray(manifest.bin) ? (manifest.bin as Table[]) : [])[0];
  if (declared && typeof declared.name === 'string') {
    const mainSource =
      typeof declared.path === 'string'
        ? declared.path
        : ([`src/bin/${declared.name}.rs`, `src/bin/${declared.name}/main.rs`].find((file) => repo.exists(file)) ?? 'src/main.rs');
    return { bin: declared.name, mainSource: join(mainSource) };
  }
  if (repo.exists('src/main.rs')) return { bin: packageName, mainSource: 'src/main.rs' };
  const first = repo.files('src/bin').find((file) => file.endsWith('.rs'));
  return first ? { bin: first.slice(0, -3), mainSource: `src/bin/${first}` } : { bin: packageName, mainSource: 'src/main.rs' };
}

/** The rust-version a crate inherits from its workspace ([workspace.package]), with where it is stated. */
function workspaceRustVersion(repo: RepoFiles): { value: string; note: string } | undefined {
  const workspace = workspaceOf(repo, manifestIn(repo, '.') ?? {});
  const stated = table(table(workspace?.manifest.workspace).package)['rust-version'];
  const version = typeof stated === 'string' ? /^\d+\.\d+/.exec(stated)?.[0] : undefined;
  return workspace && version ? { value: version, note: `inherited from ${join(workspace.dir, 'Cargo.toml')}` } : undefined;
}

/** The crates the service's package depends on, directly or not, as its Cargo.lock (here or at its
 * workspace's root) records them: a workspace's lock also lists what other members use. */
function lockedDependencies(repo: RepoFiles): Set<string> {
  const lock = repo.findUp('Cargo.lock');
  const parsed = lock ? readToml(repo, join(lock.up || '.', 'Cargo.lock')) : undefined;
  const packages = Array.isArray(table(parsed).package) ? (table(parsed).package as Table[]) : [];
  const dependenciesOf = new Map<string, string[]>();
  for (const entry of packages) {
    // Entries name a crate, or a crate and its version when several versions are locked.
    const names = (Array.isArray(entry.dependencies) ? (entry.dependencies as string[]) : []).map((dependency) => dependency.split(' ')[0]!);
    dependenciesOf.set(String(entry.name), [...(dependenciesOf.get(String(entry.name)) ?? []), ...names]);
  }
  const reached = new Set<string>();
  const queue = [String(table(manifestIn(repo, '.')?.package).name ?? '')];
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const dependency of dependenciesOf.get(name) ?? []) {
      if (!reached.has(dependency)) {
        reached.add(dependency);
        queue.push(dependency);
      }
    }
  }
  return reached;
}

/** Files and folders cargo reads besides src/: a build script, and the folders targets and macros read. */
const EXTRA_SOURCES = ['build.rs', 'benches', 'examples', 'migrations'];

function retrofitBuild(repo: RepoFiles): RustBuild {
  const own = manifestIn(repo, '.') ?? {};
  const workspace = workspaceOf(repo, own);
  const members = workspace ? workspaceMembers(repo, workspace.dir, workspace.manifest) : ['.'];
  // Every crate whose manifest cargo loads (the workspace's members and what they depend on by path),
  // and the ones the service compiles (itself and what it depends on by path).
  const manifests = new Map<string, Manifest>();
  const compiled = new Set<string>();
  // A path dependency of another workspace inherits from that workspace's manifest, which cargo then reads too.
  const otherWorkspaces = new Set<string>();
  const visit = (folder: string, compiledFrom: boolean) => {
    const dir = shortestPath(repo, folder);
    if (manifests.has(dir) && (!compiledFrom || compiled.has(dir))) return;
    const manifest = manifestIn(repo, dir);
    if (!manifest) return;
    manifests.set(dir, manifest);
    if (compiledFrom) compiled.add(dir);
    const inService = workspace && members.map((member) => shortestPath(repo, member)).includes(dir);
    const own = inService || !workspace ? workspace : workspaceOf(repo, manifest, dir);
    if (own && own !== workspace) otherWorkspaces.add(shortestPath(repo, own.dir));
    for (const dependency of pathDependencies(dir, manifest, own)) visit(dependency, compiledFrom);
  };
  visit('.', true);
  for (const member of members) visit(member, false);
  // The context is the nearest folder holding them all: as many folders up as the furthest of them.
  const ups = Math.max(...[...manifests.keys(), workspace?.dir ?? '.', ...otherWorkspaces].map((dir) => dir.split('/').filter((part) => part === '..').length));
  const context = ups === 0 ? '' : Array(ups).fill('..').join('/');
  const servicePath = context ? repo.pathFrom(context) : '';
  const fromContext = (file: string) => join(servicePath || '.', file);
  const lockDir = workspace?.dir ?? '.';
  const locked = repo.exists(join(lockDir, 'Cargo.lock'));
  const { bin, mainSource } = binaryOf(repo, own);
  const workspaceManifest = [...new Set([...(workspace ? [shortestPath(repo, workspace.dir)] : []), ...otherWorkspaces])]
    .filter((dir) => dir !== '.' && !manifests.has(dir))
    .map((dir) => join(dir, 'Cargo.toml'));
  return {
    tool: 'cargo',
    context,
    servicePath,
    summary: `cargo build --release${locked ? ' --locked' : ''}, binary ${bin}${workspace && workspace.dir !== '.' ? ` of the workspace at ${workspace.dir}` : ''}`,
    bin,
    mainSource,
    lockFile: locked ? fromContext(join(lockDir, 'Cargo.lock')) : undefined,
    locked,
    manifests: [...workspaceManifest, ...[...manifests.keys()].map((dir) => join(dir, 'Cargo.toml'))].map(fromContext).sort(),
    stubs: [...manifests]
      .flatMap(([dir, manifest]) => targetFiles(repo, dir, manifest))
      .map(fromContext)
      .sort(),
    sources: [...compiled]
      .flatMap((dir) => ['src', ...EXTRA_SOURCES].filter((file) => repo.exists(join(dir, file))).map((file) => fromContext(join(dir, file))))
      .sort(),
    ...(servicePath ? { manifestPath: fromContext('Cargo.toml') } : {}),
    moduleDir: mainSource.includes('/') ? mainSource.slice(0, mainSource.lastIndexOf('/')) : '.',
    ignore: [context ? '**/target' : 'target'],
  };
}

/** `mod k8s_health;` after the file's inner attributes and docs, and `k8s_health::spawn();` first in main. */
function wireHealthModule(repo: RepoFiles, build: RetrofitBuild): { file: string; text: string } | { problem: string } {
  const file = (build as RustBuild).mainSource;
  const text = repo.read(file);
  if (text === undefined) return { problem: `${file}, the binary's main file, does not exist` };
  if (text.includes('k8s_health::spawn()')) return { file, text };
  const main = /^(?:pub\s+)?(?:async\s+)?fn main\s*\([^)]*\)[^{]*\{/m.exec(text);
  if (!main) return { problem: `${file} has no fn main to start the health module from` };
  const withCall = `${text.slice(0, main.index + main[0].length)}\n    k8s_health::spawn();${text.slice(main.index + main[0].length)}`;
  // Inner attributes (#![...]) and inner docs (//!) must stay first in the file.
  const header = /^(?:(?:\/\/![^\n]*|#!\[[^\n]*\]|\s*)\n)*/.exec(withCall)![0];
  return { file, text: `${header}mod k8s_health;\n${withCall.slice(header.length)}` };
}

/** The starter's Cargo.lock as `cargo generate-lockfile` wrote it, for the package named `service`. */
const STARTER_LOCK = new URL('../templates/data/rust/Cargo.lock', import.meta.url);

/**
 * The starter's Cargo.lock for `appName`: its own entry renamed, and moved to where the name sorts, as
 * cargo keeps packages sorted by name; cargo then never rewrites the file.
 */
function starterLockFile(appName: string, version: string): string {
  const [header, ...packages] = readFileSync(STARTER_LOCK, 'utf8').trimEnd().split('\n\n');
  const nameOf = (block: string) => /^name = "(.*)"$/m.exec(block)![1]!;
  const own = packages.find((block) => nameOf(block) === 'service')!;
  const renamed = own.replace(/^name = "service"$/m, `name = "${appName}"`).replace(/^version = ".*"$/m, `version = "${version}"`);
  const sorted = [...packages.filter((block) => block !== own), renamed].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
  return `${[header, ...sorted].join('\n\n')}\n`;
}
