// `yo acme-service`: k8s-app with ACME's preset (defaults, locked image family, mirrored base images,
// labels, resources), then one file of ACME's own. k8s-app asks its questions and writes its files;
// this generator adds only what is ACME's.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Generator from 'yeoman-generator';

const require = createRequire(import.meta.url);
const K8S_APP = require.resolve('generator-k8s-app/generators/app/index.js');
const PRESET = fileURLToPath(new URL('../../preset.yaml', import.meta.url));

export default class AcmeServiceGenerator extends Generator {
  constructor(args, options) {
    super(args, options);
    this.option('team', { type: String, default: 'payments', description: 'The team that owns the service (CODEOWNERS)' });
    this.option('backstage-template', { type: Boolean, description: "Write ACME's Backstage software template instead of a service" });
  }

  async initializing() {
    await this.composeWith(K8S_APP, {
      // k8s-app reads its own options (--app-name, --language, --defaults...) from the same command line.
      generatorArgs: this._args,
      generatorOptions: { preset: PRESET, defaults: this.options.defaults, skipInstall: this.options.skipInstall },
    });
  }

  writing() {
    // `yo acme-service --backstage-template` writes ACME's Backstage template (k8s-app does), and no service.
    if (this.options['backstage-template']) return;
    this.renderTemplate('CODEOWNERS.ejs', 'CODEOWNERS', { team: this.options.team });
  }
}
