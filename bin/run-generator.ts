// Runs one of our generators in a yeoman environment. The built package runs this module bundled
// with yeoman into one file (tools/bundle.ts), so the generators are registered as classes: nothing
// is looked up or imported by path at run time.
import { fileURLToPath } from 'node:url';
import { createEnv } from 'yeoman-environment';
import AppGenerator from '../generators/app/index.ts';
import DockerGenerator from '../generators/docker/index.ts';
import KubernetesGenerator from '../generators/kubernetes/index.ts';
import ServiceGenerator from '../generators/service/index.ts';
import type { GENERATORS } from '../generators/shared/command-line.ts';

const GENERATOR_CLASSES: Record<(typeof GENERATORS)[number], unknown> = {
  app: AppGenerator,
  service: ServiceGenerator,
  docker: DockerGenerator,
  kubernetes: KubernetesGenerator,
};

/** Runs `k8s-app:<generator>` with the command line's `args`; yeoman's environment takes `environmentOptions` (force, skipInstall, dryRun). */
export async function runGenerator(generator: string, args: string[], environmentOptions: Record<string, boolean>): Promise<void> {
  const env = createEnv();
  // The path is where yeoman records each generator lives (the same extension as this module: .ts
  // from source, .js once built).
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  for (const [name, Generator] of Object.entries(GENERATOR_CLASSES)) {
    env.register(Generator as never, {
      namespace: `k8s-app:${name}`,
      resolved: fileURLToPath(new URL(`../generators/${name}/index${extension}`, import.meta.url)),
    });
  }
  await env.run([`k8s-app:${generator}`, ...args], environmentOptions);
}
