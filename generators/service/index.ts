// `yo k8s-app:service`: the starter service of the chosen language (templates/service/<language>/).
import K8sAppGenerator, { type K8sAppOptions } from '../shared/base-generator.ts';
import { UsageError } from '../shared/errors.ts';

export default class ServiceGenerator extends K8sAppGenerator {
  constructor(args: string[], options: K8sAppOptions) {
    // The stack's own install command runs below, in place of the environment's `npm install`:
    // `npm ci` installs exactly what the lock says and never rewrites it.
    super(args, options, { customInstallTask: true });
  }

  writing() {
    const data = this.templateData;
    this.renderTree(`service/${data.language}`, '.', data);
    this.render('service/README.md.ejs', 'README.md', data);
    this.render('service/gitignore.ejs', '.gitignore', data);
  }

  async install() {
    if (this.options.skipInstall) return;
    // --dry-run wrote nothing, so there is nothing to install into (npm would walk up to a parent project).
    if (this.environmentFlag('dryRun')) {
      this.log(`Dry run: ${this.templateData.stack.commands.install} was not run.`);
      return;
    }
    const command = this.templateData.stack.commands.install;
    try {
      await this.spawn('sh', ['-c', command], { stdio: 'inherit' });
    } catch (error) {
      // The project is written; only its dependencies are missing. Its output above says why.
      const exitCode = (error as { exitCode?: number }).exitCode;
      throw new UsageError(
        `The project is written, but installing its dependencies failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}; the output above says why. Fix: correct that, then run the install command from README.md ("Run it locally") in the project.`,
      );
    }
  }
}
