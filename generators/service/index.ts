// `yo k8s-app:service`: the starter service of the chosen language (templates/service/<language>/).
import K8sAppGenerator, { type K8sAppOptions } from '../shared/base-generator.ts';

export default class ServiceGenerator extends K8sAppGenerator {
  constructor(args: string[], options: K8sAppOptions) {
    // The stack's own install command runs below, in place of the environment's `npm install`:
    // `npm ci` installs exactly what the lock says and never rewrites it.
    super(args, options, { customInstallTask: true });
  }

  writing() {
    const data = this.templateData;
    this._renderTree(`service/${data.language}`, '.', data);
    this._render('service/README.md.ejs', 'README.md', data);
    this._render('service/gitignore.ejs', '.gitignore', data);
  }

  async install() {
    if (this.options.skipInstall) return;
    // --dry-run wrote nothing, so there is nothing to install into (npm would walk up to a parent project).
    if (this._environmentFlag('dryRun')) {
      this.log(`Dry run: ${this.templateData.stack.commands.install} was not run.`);
      return;
    }
    await this.spawn('sh', ['-c', this.templateData.stack.commands.install], { stdio: 'inherit' });
  }
}
