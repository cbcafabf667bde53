// `yo k8s-app:kubernetes`: the manifests (a kustomize base and the dev and prod overlays under k8s/, one
// plain file per environment, or a Helm chart under chart/; with an autoscaler and an Ingress or HTTPRoute
// when asked), and the service's Backstage catalog entry, which finds its pods by the manifests' labels.
import { existsSync } from 'node:fs';
import path from 'node:path';
import K8sAppGenerator from '../shared/base-generator.ts';
import { ENVIRONMENTS, manifestWriter } from '../shared/manifests.ts';

/** The files each manifests format writes. */
const FORMAT_FILES: Record<string, RegExp> = { kustomize: /^k8s\/(base|overlays)\//, plain: /^k8s\/(dev|prod)\.yaml$/, helm: /^chart\// };

export default class KubernetesGenerator extends K8sAppGenerator {
  writing() {
    const data = this.templateData;
    // The optional objects, each written only when its answer asks for it.
    const optional: Record<string, boolean> = {
      'base/horizontalpodautoscaler.yaml.ejs': data.autoscaler !== undefined,
      'base/ingress.yaml.ejs': data.exposure?.kind === 'ingress',
      'base/httproute.yaml.ejs': data.exposure?.kind === 'httproute',
      // Argo Rollouts: a Rollout instead of the Deployments, and where kustomize finds its fields.
      'base/deployment.yaml.ejs': !data.release.argo,
      'base/rollout.yaml.ejs': data.release.argo,
      'base/rollout-transform.yaml.ejs': data.release.argo,
    };
    // base/config/ holds one file per setting: only those the ConfigMap lists.
    const written = (file: string) => (file.startsWith('base/config/') ? data.configFiles.includes(path.basename(file, '.ejs')) : (optional[file] ?? true));
    if (data.manifests === 'helm') {
      // A chart in the layout helm create writes, its templates from the same partials.
      // Its optional parts are behind values; only what runs the pods is chosen here.
      const chartFile = (file: string) => (/^templates\/(deployment|rollout)\./.test(file) ? optional[`base/${path.basename(file)}`]! : true);
      this.renderTree('helm', `chart/${data.appName}`, { ...data, m: manifestWriter(data, 'helm') }, chartFile);
    } else if (data.manifests === 'plain') {
      // One file per environment, every object in it (templates/manifests/, as the kustomize base uses them).
      for (const environment of ENVIRONMENTS) {
        this.render('plain/environment.yaml.ejs', `k8s/${environment}.yaml`, { ...data, m: manifestWriter(data, 'plain', environment) });
      }
    } else {
      this.renderTree('kubernetes', 'k8s', { ...data, m: manifestWriter(data, 'kustomize') }, written);
    }
    // A format switch: the other formats' files an earlier run wrote may hold the team's edits, so they
    // stay, named, for the team to delete.
    const otherFormat = Object.keys((this.config.get('files') as Record<string, string> | undefined) ?? {}).filter(
      (file) =>
        Object.entries(FORMAT_FILES).some(([format, pattern]) => format !== data.manifests && pattern.test(file)) && existsSync(this.destinationPath(file)),
    );
    if (otherFormat.length > 0) {
      const named = [...new Set(otherFormat.map((file) => file.replace(/^(k8s\/(?:base|overlays)\/|chart\/[^/]+\/).*/, '$1')))];
      this.log(
        `Manifests an earlier run wrote in another format are left as they are (${named.join(', ')}): delete them once the ${data.manifests} ones serve you.`,
      );
    }
    // An existing repository keeps its own README: how to build, deploy and probe goes next to the manifests.
    if (data.retrofit) this.render('retrofit/README.md.ejs', 'k8s/README.md', data);
    // A repository already in the catalog keeps its own entry (one k8s-app did not write): the
    // annotations to add are printed, and in docs/backstage.md.
    const ownCatalogEntry = existsSync(this.destinationPath('catalog-info.yaml')) && !this.config.get('files')?.['catalog-info.yaml'];
    if (data.retrofit && ownCatalogEntry) {
      this.log(
        `catalog-info.yaml exists and is left as it is. For Backstage's Kubernetes plugin, add: backstage.io/kubernetes-id: ${data.appName}, backstage.io/kubernetes-namespace: ${data.namespaces.prod}, backstage.io/kubernetes-label-selector: app.kubernetes.io/name=${data.appName}.`,
      );
    } else {
      this.render('backstage/catalog-info.yaml.ejs', 'catalog-info.yaml', data);
    }
    // trivy reads trivy.yaml from the folder it runs in; it points the trusted-registries check at ours.
    if (data.imageRegistry) {
      this.render('trivy/trivy.yaml.ejs', 'trivy.yaml', data);
      this.render('trivy/trusted-registries.yaml.ejs', '.trivy/trusted-registries.yaml', data);
    }
  }
}
