// The Kubernetes objects are described once, in templates/manifests/ (one partial per object), and
// written in the format answered (--manifests): a kustomize base with dev and prod overlays, or one
// plain file per environment. A partial prints what differs between formats and environments through
// the writer below, so a field changes in one place.
import type { TemplateData } from './template-data.ts';

export const MANIFEST_FORMATS = ['kustomize', 'plain'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

export const ENVIRONMENTS = ['dev', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * What the object partials print: the kustomize base (environment undefined: the overlays patch it), or
 * one environment's objects in full (plain), with the namespace, the preset's labels and annotations
 * and the environment's settings that kustomize adds by overlay and transformer.
 */
export function manifestWriter(data: TemplateData, format: ManifestFormat, environment?: Environment) {
  const plain = format === 'plain';
  const dev = environment === 'dev';
  const presetLabels = plain ? Object.entries(data.preset?.labels ?? {}) : [];
  const presetAnnotations = plain ? Object.entries(data.preset?.annotations ?? {}) : [];
  const lines = (indent: number, entries: [string, string][]) => entries.map(([key, value]) => `${' '.repeat(indent)}${key}: ${value}\n`).join('');
  const quoted = (entries: [string, string][]): [string, string][] => entries.map(([key, value]) => [key, JSON.stringify(value)]);
  const selector: [string, string][] = [
    ['app.kubernetes.io/name', data.appName],
    ['app.kubernetes.io/instance', data.appName],
  ];
  return {
    format,
    environment,
    /** The namespace line of every object: kustomize's overlays set it instead. */
    namespace: plain ? `  namespace: ${dev ? data.namespaces.dev : data.namespaces.prod}\n` : '',
    /** The labels that select the app's pods, written once: every selector uses them. */
    selectorLabels: (indent: number) => lines(indent, selector),
    /** An object's and a pod template's labels: the selector's, and in a plain file the preset's (kustomize adds those by transformer). */
    labels: (indent: number) => lines(indent, [...quoted(presetLabels), ...selector]),
    /** The preset's annotations in a plain file (kustomize adds them by transformer); with `key`, under an `annotations:` key of its own. */
    presetAnnotations: (indent: number, key = false) =>
      presetAnnotations.length === 0 ? '' : `${key ? `${' '.repeat(indent - 2)}annotations:\n` : ''}${lines(indent, quoted(presetAnnotations))}`,
    replicas: environment === 'prod' ? data.replicas.prod : data.replicas.dev,
    maxReplicas: data.autoscaler && (environment === 'prod' ? data.autoscaler.maxReplicas.prod : data.autoscaler.maxReplicas.dev),
    host: data.exposure && (dev ? data.exposure.hosts.dev : data.exposure.hosts.prod),
    /** A development cluster runs images loaded into it: pull only when the node lacks the image. */
    imagePullPolicy: dev ? 'IfNotPresent' : 'Always',
    /** kube-score checks the Deployment waives; in a plain dev file, the pull policy's too (the dev overlay patches it in). */
    kubeScoreIgnores: plain && dev ? [...data.kubeScoreIgnores, 'container-image-pull-policy'] : data.kubeScoreIgnores,
    /** The ConfigMap's settings, as the environment sets them: a file's (base) ends with a newline, an override does not. */
    config: Object.entries({ ...data.config.base, ...(dev ? data.config.dev : {}) }).map(([name, value]) => ({
      name,
      value,
      file: !(dev && name in data.config.dev),
    })),
  };
}

export type ManifestWriter = ReturnType<typeof manifestWriter>;
