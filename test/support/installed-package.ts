// The published package as users get it: `npm pack` (which runs `prepare`, so the tarball holds the
// built JavaScript) installed into a folder of its own with npm.
import path from 'node:path';
import { execa } from 'execa';

const REPO = new URL('../..', import.meta.url).pathname;

/** Packs this repository into `destination`; returns the tarball's path. */
export async function packPackage(destination: string): Promise<string> {
  const { stdout } = await execa('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: REPO });
  return path.join(destination, stdout.trim().split('\n').pop()!);
}

/** Packs this repository and installs the tarball (and `extraPackages`) into `prefix`; returns the tarball's path. */
export async function installPackedPackage(prefix: string, extraPackages: string[] = []): Promise<string> {
  const tarball = await packPackage(prefix);
  await execa('npm', ['init', '-y'], { cwd: prefix });
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...extraPackages], { cwd: prefix });
  return tarball;
}

/** The `k8s-app` bin installed by installPackedPackage. */
export const installedBin = (prefix: string) => path.join(prefix, 'node_modules', '.bin', 'k8s-app');
