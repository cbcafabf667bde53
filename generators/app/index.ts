// `yo k8s-app`: asks every question once, saves the answers, then composes the sub-generators.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import DockerGenerator from '../docker/index.ts';
import KubernetesGenerator from '../kubernetes/index.ts';
import ServiceGenerator from '../service/index.ts';
import { backstageTemplateYaml } from '../shared/backstage-template.ts';
import K8sAppGenerator from '../shared/base-generator.ts';
import { composeBuildsElsewhere } from '../shared/compose-files.ts';
import { describeDetection } from '../shared/detect.ts';
import { GENERATOR_VERSION } from '../shared/info.ts';
import { isPresetPath } from '../shared/preset.ts';
import { isRootGenerator, rootNamespace } from '../shared/yeoman-adapter.ts';

// Composed by class, already loaded (by path, yeoman would import each again: outside the bundle the
// bin runs). The path, with this file's extension (.ts from source, .js once built), is what yeoman
// records as where the generator lives.
const extension = path.extname(fileURLToPath(import.meta.url));
const SUB_GENERATORS = [
  { name: 'service', Generator: ServiceGenerator },
  { name: 'docker', Generator: DockerGenerator },
  { name: 'kubernetes', Generator: KubernetesGenerator },
].map((part) => ({ ...part, path: fileURLToPath(new URL(`../${part.name}/index${extension}`, import.meta.url)) }));

/** The step between building the image and applying the overlay: the cluster must have the image. */
function pushCommand(data: { imageRepository: string; imageTag: string }): string {
  const image = `${data.imageRepository}:${data.imageTag}`;
  return `docker push ${image}    # a local cluster: kind load docker-image ${image}`;
}

export default class AppGenerator extends K8sAppGenerator {
  initializing() {
    if (this.writesBackstageTemplate) return;
    const stored = this.config.getAll();
    if (stored.appName !== undefined && stored.generatorVersion !== GENERATOR_VERSION) {
      this.log(
        `Regenerating ${stored.appName} from the answers in .yo-rc.json, written by k8s-app ${stored.generatorVersion ?? 'before 0.1.0'}; this is ${GENERATOR_VERSION}. ` +
          "Each file that would change is shown for review (yeoman's conflict prompt, with a diff); a file you edited is never overwritten without your answer.",
      );
    }
    if (this.retrofit) {
      for (const line of describeDetection(this.detection, this.destinationRoot())) this.log(line);
    }
  }

  async configuring() {
    if (this.writesBackstageTemplate) return;
    // An existing repository keeps its own code: only the container and Kubernetes files are added.
    const parts = this.retrofit ? SUB_GENERATORS.filter(({ name }) => name !== 'service') : SUB_GENERATORS;
    for (const { Generator, path } of parts) {
      // The answers are resolved: the composed generators write with them and ask nothing.
      await this.composeWith({ Generator, path }, { skipInstall: this.options.skipInstall, runState: this.runState } as Record<string, unknown>);
    }
  }

  /** The CI pipeline (it tests, lints and builds what the others write), or with --backstage-template,
   * the template in place of the service. */
  writing() {
    if (!this.writesBackstageTemplate) {
      const data = this.templateData;
      if (data.ci === 'github') this.render('ci/github-workflow.yml.ejs', '.github/workflows/ci.yml', data);
      if (data.ci === 'gitlab') this.render('ci/gitlab-ci.yml.ejs', '.gitlab-ci.yml', data);
      return;
    }
    // Run directly, the template's step runs k8s-app with the preset; composed by a company
    // generator, it runs that generator, which passes its own preset.
    const direct = isRootGenerator(this);
    const source = { preset: this.preset, generator: direct ? 'k8s-app:app' : rootNamespace(this), passPreset: direct };
    this.fs.write(this.destinationPath('template.yaml'), backstageTemplateYaml(source, GENERATOR_VERSION));
  }

  end() {
    if (this.writesBackstageTemplate) {
      if (this.environmentFlag('dryRun')) return;
      const presetNote =
        this.preset && isRootGenerator(this) && isPresetPath(this.preset.source)
          ? `\nWARNING: the template passes --preset ${this.preset.source}, a file path, which the Backstage backend resolves in an empty workspace. Publish the preset as a package, install it next to generator-k8s-app in the backend, and run again with --preset <package>.`
          : '';
      this.log(
        `\nWrote template.yaml, a Backstage software template${this.preset ? ` for the preset ${this.preset.name}` : ''}. Register its URL in Backstage (Create > Register Existing Component); the backend needs @backstage/plugin-scaffolder-backend-module-yeoman and this generator installed. docs/backstage.md explains each step.${presetNote}`,
      );
      return;
    }
    const data = this.templateData;
    if (data.probes.liveness.kind === 'tcp' || data.probes.readiness.kind === 'tcp') {
      this.log(
        [
          '',
          'WARNING: the service has no health endpoint the generator could find, so its probes only check that',
          `port ${data.port} accepts connections: a hung process stays "live" and a starting one gets traffic early.`,
          'Add /livez and /readyz to the service and run again with --liveness-path /livez --readiness-path /readyz.',
        ].join('\n'),
      );
    }
    if (this.environmentFlag('dryRun')) {
      this.log('\nDry run: nothing was written. The list above is every file k8s-app would create, or change (conflict).');
      return;
    }
    if (data.retrofit) {
      const changed = this.ownFilesChanged();
      // A replaced Dockerfile may be built by the repository's compose files, from another context.
      const composeNotes = changed.includes('Dockerfile')
        ? composeBuildsElsewhere(this.destinationRoot(), path.resolve(this.destinationRoot(), data.build?.context || '.'), this.config.get('files') ?? {})
        : [];
      this.log(
        [
          '',
          `Added the container and Kubernetes files for ${data.appName} (${data.languageName} ${data.runtimeVersion}, ${data.imageFamily} image); ${
            changed.length > 0
              ? `it replaced these files of the repository's own, with your consent: ${changed.join(', ')}; the others are unchanged`
              : 'its own files are unchanged'
          }.`,
          ...composeNotes.map((note) => `WARNING: ${note}.`),
          ...(data.portEnv.length > 0
            ? [`Its framework reads the port from ${data.portEnv.map(([name, value]) => `${name}=${value}`).join(', ')}, which the Deployment sets too.`]
            : []),
          ...(data.drain.from
            ? [
                `The pod's grace period is ${data.terminationGracePeriodSeconds} s: ${data.common.PRESTOP_SLEEP_SECONDS} s preStop, the ${data.drain.seconds} s drain of ${data.drain.from}, and a 5 s margin.`,
              ]
            : []),
          'Next:',
          `  ${data.dockerBuildCommand}`,
          `  ${pushCommand(data)}`,
          `  ${data.applyCommands.dev}`,
          'k8s/README.md explains each step.',
        ].join('\n'),
      );
      return;
    }
    this.log(
      [
        '',
        `Generated ${data.appName}: ${data.stack.displayName} ${data.runtimeVersion} on ${data.imageFamily === 'alpine' ? 'an Alpine' : 'a distroless'} image. Next:`,
        `  ${data.stack.commands.test}`,
        `  ${data.stack.commands.build} && ${data.stack.commands.start}`,
        `  ${data.dockerBuildCommand}`,
        `  ${pushCommand(data)}`,
        `  ${data.applyCommands.dev}`,
        'README.md explains each step.',
      ].join('\n'),
    );
  }
}
