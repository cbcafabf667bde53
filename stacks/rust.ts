import { readFileSync } from 'node:fs';
import { ALPINE_IMAGE } from './common.ts';
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
  detection: {
    markers: ['Cargo.toml'],
    buildTools: [{ name: 'cargo', markers: ['Cargo.toml'] }],
    runtimeVersion: [
      { file: 'rust-toolchain.toml', pattern: /channel\s*=\s*"(\d+\.\d+)/ },
      { file: 'rust-toolchain', pattern: /^\s*(\d+\.\d+)/ },
      { file: 'Cargo.toml', pattern: /rust-version\s*=\s*"(\d+\.\d+)/ },
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
    loopback: [/"(?:127\.0\.0\.1|localhost):\d+"/, /\[127,\s*0,\s*0,\s*1\]/, /Ipv4Addr::LOCALHOST/],
    port: { extensions: ['.rs'], patterns: [/"0\.0\.0\.0:(\d{2,5})"/, /"PORT"[^\n]*?(\d{2,5})/] },
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

/** The binary cargo builds: the first [[bin]] target, else the package's own. */
/** What a cargo project's image build needs beyond the common facts. */
export interface RustBuild extends RetrofitBuild {
  /** The binary target cargo builds, and its main source file. */
  bin: string;
  mainSource: string;
  /** Whether Cargo.lock exists (the build then runs --locked). */
  locked: boolean;
  /** Files and folders cargo reads besides src/ (build.rs, benches...). */
  extraSources: string[];
}

function retrofitBuild(repo: RepoFiles): RustBuild {
  const manifest = repo.read('Cargo.toml') ?? '';
  const bin = /\[\[bin\]\][^[]*?name\s*=\s*"([^"]+)"/.exec(manifest)?.[1] ?? /\[package\][^[]*?name\s*=\s*"([^"]+)"/.exec(manifest)?.[1] ?? 'service';
  const locked = repo.exists('Cargo.lock');
  const binPath = /\[\[bin\]\][^[]*?path\s*=\s*"([^"]+)"/.exec(manifest)?.[1] ?? 'src/main.rs';
  return {
    tool: 'cargo',
    context: '',
    servicePath: '',
    summary: `cargo build --release${locked ? ' --locked' : ''}, binary ${bin}`,
    bin,
    locked,
    mainSource: binPath,
    moduleDir: binPath.includes('/') ? binPath.slice(0, binPath.lastIndexOf('/')) : '.',
    // Files cargo reads besides src/: a build script, and folders the manifest names (benches, examples).
    extraSources: ['build.rs', 'benches', 'examples', 'migrations'].filter((path) => repo.exists(path)),
    ignore: ['target'],
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
