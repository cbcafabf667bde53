// `yo k8s-app:docker`: the Dockerfile of the chosen language and image family, and its .dockerignore.
import K8sAppGenerator from '../shared/base-generator.ts';

export default class DockerGenerator extends K8sAppGenerator {
  writing() {
    const data = this.templateData;
    this.renderTemplate(`docker/${data.language}/Dockerfile.${data.imageFamily}.ejs`, 'Dockerfile', data);
    this.renderTemplate('docker/dockerignore.ejs', '.dockerignore', data);
  }
}
