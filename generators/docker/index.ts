// `yo k8s-app:docker`: the Dockerfile of the chosen language and image family, and its .dockerignore.
// An existing project gets a Dockerfile that follows its own build (templates/docker/<language>/existing.Dockerfile.ejs).
import K8sAppGenerator from '../shared/base-generator.ts';

export default class DockerGenerator extends K8sAppGenerator {
  writing() {
    const data = this.templateData;
    const template = data.build ? 'existing.Dockerfile' : `Dockerfile.${data.imageFamily}`;
    this.renderTemplate(`docker/${data.language}/${template}.ejs`, 'Dockerfile', data);
    // With a workspace root as the build context, BuildKit reads the ignore file next to the Dockerfile.
    this.renderTemplate('docker/dockerignore.ejs', data.build?.context ? 'Dockerfile.dockerignore' : '.dockerignore', data);
  }
}
