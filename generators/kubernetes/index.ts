// `yo k8s-app:kubernetes`: a kustomize base and the dev and prod overlays under k8s/.
import K8sAppGenerator from '../shared/base-generator.ts';

export default class KubernetesGenerator extends K8sAppGenerator {
  writing() {
    this._renderTree('kubernetes', 'k8s', this.templateData);
  }
}
