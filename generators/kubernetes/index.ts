// `yo k8s-app:kubernetes`: a kustomize base and the dev and prod overlays under k8s/.
import K8sAppGenerator from '../shared/base-generator.ts';

export default class KubernetesGenerator extends K8sAppGenerator {
  writing() {
    const data = this.templateData;
    this._renderTree('kubernetes', 'k8s', data);
    // An existing repository keeps its own README: how to build, deploy and probe goes next to the manifests.
    if (data.build) this._render('existing/README.md.ejs', 'k8s/README.md', data);
  }
}
