// `yo k8s-app:docker`: the Dockerfile of the chosen language and image family, its .dockerignore, and
// compose.yaml, which runs the image locally as the pod runs it.
// An existing project gets a Dockerfile that follows its own build (templates/docker/<language>/retrofit.Dockerfile.ejs),
// and, when asked for, k8s-app's health module (templates/health/<language>/).
import { existsSync } from 'node:fs';
import K8sAppGenerator from '../shared/base-generator.ts';
import { COMPOSE_FILES } from '../shared/compose-files.ts';
import { UsageError } from '../shared/errors.ts';
import { repoFiles } from '../shared/repo-files.ts';

export default class DockerGenerator extends K8sAppGenerator {
  writing() {
    const data = this.templateData;
    if (data.keptDockerfile) {
      this.keepDockerfile();
    } else {
      const template = data.retrofit ? 'retrofit.Dockerfile' : 'Dockerfile';
      this.render(`docker/${data.language}/${template}.ejs`, 'Dockerfile', data);
      // With a workspace root as the build context, BuildKit reads the ignore file next to the Dockerfile.
      this.render('docker/dockerignore.ejs', data.build?.context ? 'Dockerfile.dockerignore' : '.dockerignore', data);
    }
    if (data.compose === 'yes') this.writeCompose();
    if (data.build && data.healthModule) {
      this.renderTree(`health/${data.language}`, data.build.moduleDir ?? '.', data);
      const wiring = data.stack.retrofit.wireHealthModule?.(repoFiles(this.destinationRoot()), data.build);
      if (wiring && 'problem' in wiring) {
        throw new UsageError(
          `Cannot add the health module: ${wiring.problem}. Nothing was written. Fix: pass --health-module no and give the probe paths (--liveness-path, --readiness-path).`,
        );
      }
      // The user asked for the module, which needs this line in an existing file: that is the consent.
      if (wiring) this.writeWithConsent(wiring.file, wiring.text);
    }
  }

  /** --dockerfile keep: the repository's Dockerfile builds the image. What k8s-app adds (local secrets
   * above all) must stay out of its build context: a .dockerignore of those paths where the repository
   * has none, else the lines to add to its own. */
  private keepDockerfile() {
    const data = this.templateData;
    const written = this.config.get('files') ?? {};
    // Built from a folder above (a workspace root, as the repository's compose file builds it): that folder's ignore file applies.
    const context = data.build?.context;
    if (context) {
      const prefixed = data.addedPaths.map((entry) => `${data.build!.servicePath}/${entry}`);
      this.log(
        `The Dockerfile is built from ${context}: add what k8s-app writes to ${context}/.dockerignore, so its build never copies it: ${prefixed.join(', ')}.`,
      );
      return;
    }
    if (existsSync(this.destinationPath('.dockerignore')) && !written['.dockerignore']) {
      this.log(`.dockerignore exists and is left as it is. Add what k8s-app writes, so its build never copies it: ${data.addedPaths.join(', ')}.`);
      return;
    }
    this.render('docker/kept-dockerfile.dockerignore.ejs', '.dockerignore', data);
  }

  private writeCompose() {
    const data = this.templateData;
    // A repository with a compose file of its own keeps it: what to add is printed, and in k8s/README.md.
    const written = this.config.get('files') ?? {};
    const own = COMPOSE_FILES.find((file) => existsSync(this.destinationPath(file)) && !written[file]);
    if (own) {
      this.log(
        `${own} exists and is left as it is. To run ${data.appName} there as its pod runs: read_only: true, user: "${data.common.RUNTIME_USER}:${data.common.RUNTIME_USER}", cap_drop: [ALL], security_opt: [no-new-privileges:true], tmpfs: [/tmp], stop_grace_period: ${data.terminationGracePeriodSeconds}s.`,
      );
      return;
    }
    this.render('compose/compose.yaml.ejs', 'compose.yaml', data);
    this.render('compose/secrets-gitignore.ejs', 'secrets/.gitignore', data);
  }
}
