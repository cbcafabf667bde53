// The Kubernetes objects are described once, in templates/manifests/ (one partial per object), and
// written in the format answered (--manifests): a kustomize base with dev and prod overlays, one plain
// file per environment, or a Helm chart. A partial prints what differs between formats and
// environments through the writer below: a setting's value (the literal, or the chart's reference to
// its values), the names, labels and namespace. A field changes in one place.
import { stringify } from 'yaml';
import type { TemplateData } from './template-data.ts';

export const MANIFEST_FORMATS = ['kustomize', 'plain', 'helm'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

export const RELEASE_STRATEGIES = ['rolling', 'blue-green', 'canary'] as const;
export const RELEASE_CONTROLLERS = ['kubernetes', 'argo-rollouts'] as const;

export const ENVIRONMENTS = ['dev', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * The settings a user changes per environment or per install: the chart's values.yaml (no
 * environment), values-dev.yaml and values-prod.yaml, and the literals of the kustomize base (no
 * environment) and the plain files.
 */
export function manifestValues(data: TemplateData, environment?: Environment) {
  const dev = environment === 'dev';
  const replicaCount = environment === 'prod' ? data.replicas.prod : data.replicas.dev;
  const { requests, limits } = data.stack.resources;
  const release = data.release;
  return {
    replicaCount,
    image: { repository: data.imageRepository, tag: data.imageTag, pullPolicy: dev ? 'IfNotPresent' : 'Always' },
    resources: {
      requests: { cpu: requests.cpu, memory: requests.memory, 'ephemeral-storage': '64Mi' },
      limits: { cpu: limits.cpu, memory: limits.memory, 'ephemeral-storage': '256Mi' },
    },
    probes: {
      startup: { periodSeconds: data.stack.startupProbe.periodSeconds, failureThreshold: data.stack.startupProbe.failureThreshold },
      liveness: { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
      readiness: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
    },
    config: { ...data.config.base, ...(dev ? data.config.dev : {}) },
    autoscaling: {
      enabled: data.autoscaler !== undefined,
      minReplicas: replicaCount,
      maxReplicas: environment === 'prod' ? data.maxReplicas.prod : data.maxReplicas.dev,
      targetCPUUtilizationPercentage: data.cpuUtilization,
    },
    ingress: { enabled: data.exposure?.kind === 'ingress', className: data.exposureDefaults.ingressClass, host: host(data, dev) },
    httpRoute: { enabled: data.exposure?.kind === 'httproute', gateway: data.exposureDefaults.gateway, host: host(data, dev) },
    // Blue/green with Deployments: the colour the Service sends users to (the other is the preview).
    // A chart's tracks each have their own image tag (empty: image.tag), so a release goes to one track.
    ...(release.tracks[0] === 'blue' ? { blueGreen: { live: 'blue', tags: { blue: '', green: '' } } } : {}),
    // A canary with Deployments: its pods (the share of requests is canary / all pods) and, behind an
    // HTTPRoute, its weight in percent.
    ...(release.tracks[0] === 'stable' ? { canary: { replicaCount: CANARY_REPLICAS, tag: '', ...(release.weighted ? { weight: CANARY_WEIGHT } : {}) } } : {}),
  };
}

/** The linter checks that look for a Rollout's pods, by the object that selects them. */
const ROLLOUT_WAIVERS: Record<'service' | 'networkpolicy' | 'autoscaler', [string, string][]> = {
  service: [
    ['kube-score/ignore', 'service-targets-pod'],
    ['ignore-check.kube-linter.io/dangling-service', "the pods are the Rollout's"],
  ],
  networkpolicy: [['kube-score/ignore', 'networkpolicy-targets-pod']],
  autoscaler: [['kube-score/ignore', 'horizontalpodautoscaler-has-target']],
};

/** A canary with Deployments: its pods, and behind an HTTPRoute the share of requests it gets (%). */
const CANARY_REPLICAS = 1;
const CANARY_WEIGHT = 20;

/**
 * How releases run: with Deployments, one per track (blue and green, or stable and canary), each
 * selected by the label `track`; with Argo Rollouts, one Rollout whose controller runs both versions.
 */
export function releasePlan(answers: { releaseStrategy?: string; releaseController?: string; exposure?: string }) {
  const strategy = (answers.releaseStrategy ?? 'rolling') as (typeof RELEASE_STRATEGIES)[number];
  const argo = strategy !== 'rolling' && answers.releaseController === 'argo-rollouts';
  const tracks: (string | undefined)[] = argo || strategy === 'rolling' ? [undefined] : strategy === 'blue-green' ? ['blue', 'green'] : ['stable', 'canary'];
  return {
    strategy,
    argo,
    tracks,
    /** A canary with Deployments behind an HTTPRoute: the route splits requests by weight. */
    weighted: !argo && strategy === 'canary' && answers.exposure === 'httproute',
  };
}

export type ManifestValues = ReturnType<typeof manifestValues>;

function host(data: TemplateData, dev: boolean): string {
  return dev ? data.exposureDefaults.hosts.dev : data.exposureDefaults.hosts.prod;
}

/**
 * What the object partials print: the kustomize base (environment undefined: the overlays patch it),
 * one environment's objects in full (plain: the namespace, the preset's labels and annotations and the
 * environment's settings that kustomize adds by overlay and transformer), or a chart's templates.
 */
export function manifestWriter(data: TemplateData, format: ManifestFormat, environment?: Environment) {
  const plain = format === 'plain';
  const helm = format === 'helm';
  const dev = environment === 'dev';
  const values = manifestValues(data, environment);
  const spaces = (indent: number) => ' '.repeat(indent);
  // A chart's helpers are named after it (helm create's convention): "<chart>.labels".
  const helper = (name: string, indent: number) => `${spaces(indent)}{{- include "${data.appName}.${name}" . | nindent ${indent} }}\n`;
  const presetLabels = plain ? Object.entries(data.preset?.labels ?? {}) : [];
  const presetAnnotations = plain || helm ? Object.entries(data.preset?.annotations ?? {}) : [];
  const lines = (indent: number, entries: [string, string][]) => entries.map(([key, value]) => `${spaces(indent)}${key}: ${value}\n`).join('');
  const quoted = (entries: [string, string][]): [string, string][] => entries.map(([key, value]) => [key, JSON.stringify(value)]);
  const selector: [string, string][] = [
    ['app.kubernetes.io/name', data.appName],
    ['app.kubernetes.io/instance', data.appName],
  ];
  const presetAnnotationLines = (indent: number, key: boolean) =>
    presetAnnotations.length === 0 ? '' : `${key ? `${spaces(indent - 2)}annotations:\n` : ''}${lines(indent, quoted(presetAnnotations))}`;
  const release = data.release;
  const named = (suffix: string) => (helm ? `{{ include "${data.appName}.fullname" . }}${suffix}` : `${data.appName}${suffix}`);
  const weight = (settingPath: string, of100 = false) =>
    helm ? `{{ ${of100 ? `sub 100 .Values.${settingPath}` : `.Values.${settingPath}`} }}` : String(of100 ? 100 - Number(read(settingPath)) : read(settingPath));
  const read = (settingPath: string) => {
    const found = settingPath.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values);
    if (found === undefined || typeof found === 'object') throw new Error(`manifests: no setting ${settingPath}`);
    return String(found);
  };
  // Blue/green with Deployments: the Service's colour is a setting (the chart's blueGreen.live), the preview's the other one.
  const live = helm ? '{{ .Values.blueGreen.live }}' : values.blueGreen?.live;
  const idle = helm ? '{{ ternary "green" "blue" (eq .Values.blueGreen.live "blue") }}' : values.blueGreen?.live === 'blue' ? 'green' : 'blue';
  const services: { name: string; track?: string; comment: string }[] =
    release.strategy === 'rolling'
      ? [{ name: named(''), comment: '' }]
      : release.argo && release.strategy === 'blue-green'
        ? [
            { name: named(''), comment: 'The Service users reach (activeService): Argo Rollouts points it at the new version when it is promoted.' },
            { name: named('-preview'), comment: 'The new version before promotion (previewService): test it here first.' },
          ]
        : release.argo
          ? [
              { name: named(''), comment: "The Service users reach: every pod of the Rollout, so the canary's share follows its pod count at each step." },
              { name: named('-canary'), comment: 'The canary alone (canaryService), to try it directly.' },
            ]
          : release.strategy === 'blue-green'
            ? [
                {
                  name: named(''),
                  track: live,
                  comment: 'The Service users reach: the live colour. Switching is one change of its track (k8s README, "Releases").',
                },
                { name: named('-preview'), track: idle, comment: 'The idle colour, to test the next version before the switch.' },
              ]
            : [
                {
                  name: named(''),
                  track: undefined,
                  comment: 'The Service users reach: stable and canary pods alike, so the share of requests follows the pod counts.',
                },
                { name: named('-canary'), track: 'canary', comment: 'The canary alone, to try it directly.' },
                ...(release.weighted
                  ? [{ name: named('-stable'), track: 'stable', comment: "The stable pods alone: the HTTPRoute's other weighted backend." }]
                  : []),
              ];
  return {
    format,
    environment,
    helm,
    release,
    /** What runs the pods: a Deployment per track, or one Argo Rollouts Rollout. */
    workloadKind: release.argo ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } : { apiVersion: 'apps/v1', kind: 'Deployment' },
    workloads: release.tracks.map((track) => ({
      name: named(track === undefined || track === 'stable' ? '' : `-${track}`),
      track,
      // A canary keeps its own small count: an autoscaler scales the stable track (or each colour).
      autoscaled: track !== 'canary',
      replicas: track === 'canary' ? 'canary.replicaCount' : 'replicaCount',
      // kube-score checks the workload waives: the service's; a canary's single pod (on purpose); in a
      // plain dev file, the pull policy (the dev overlay patches it in, a chart's template appends it).
      kubeScoreIgnores: [
        ...data.kubeScoreIgnores,
        ...(track === 'canary' ? ['deployment-replicas'] : []),
        ...(plain && dev ? ['container-image-pull-policy'] : []),
      ],
      // The image: the chart's per-track tag when set; elsewhere `kubectl set image` moves one track.
      image: helm
        ? `"{{ .Values.image.repository }}:{{ ${track === 'blue' || track === 'green' ? `.Values.blueGreen.tags.${track} | default ` : track === 'canary' ? '.Values.canary.tag | default ' : ''}.Values.image.tag }}"`
        : `${read('image.repository')}:${read('image.tag')}`,
    })),
    services,
    /** The Services an HTTPRoute sends requests to, with their weights when a canary's share is set there. */
    routeBackends: release.weighted
      ? [
          { name: named('-stable'), weight: weight('canary.weight', true) },
          { name: named('-canary'), weight: weight('canary.weight') },
        ]
      : [{ name: named(''), weight: undefined }],
    /**
     * An object's annotations at `indent` (under an `annotations:` key of its own): the preset's, and
     * with a Rollout the linter checks that look for its pods, which kube-score and kube-linter find
     * only in a Deployment (`object`: which checks).
     */
    annotations: (indent: number, object: 'service' | 'networkpolicy' | 'autoscaler') => {
      const waived = release.argo ? ROLLOUT_WAIVERS[object] : [];
      if (waived.length === 0) return presetAnnotationLines(indent, true);
      return [
        `${spaces(indent - 2)}annotations:\n`,
        `${spaces(indent)}# kube-score and kube-linter find the pods of a Deployment, not of a Rollout: their checks for them are waived.\n`,
        lines(indent, quoted(waived)),
        presetAnnotationLines(indent, false),
      ].join('');
    },
    /** The label that tells a track's pods apart, under a selector or labels at `indent`. */
    trackLabel: (indent: number, track: string | undefined) => (track === undefined ? '' : `${spaces(indent)}track: ${track}\n`),
    /** The objects' name: the app's, or in a chart the release's full name (the app's when installed as it). */
    name: helm ? `{{ include "${data.appName}.fullname" . }}` : data.appName,
    /** The instance label's value, which the NetworkPolicy selects pods by. */
    instance: helm ? '{{ .Release.Name }}' : data.appName,
    /** The namespace line of every object: the environment's in a plain file, the release's in a chart
     * (so helm template shows where each object goes); kustomize's overlays set it. */
    namespace: plain ? `  namespace: ${dev ? data.namespaces.dev : data.namespaces.prod}\n` : helm ? '  namespace: {{ .Release.Namespace }}\n' : '',
    /** The labels that select the app's pods, written once: every selector uses them. */
    selectorLabels: (indent: number) => (helm ? helper('selectorLabels', indent) : lines(indent, selector)),
    /** An object's labels: the selector's, and the preset's in a plain file or chart (kustomize adds those by transformer). */
    labels: (indent: number) => (helm ? helper('labels', indent) : lines(indent, [...quoted(presetLabels), ...selector])),
    /** A pod's labels: the selector's and the preset's, without the chart's version (which would restart pods on every chart release). */
    podLabels: (indent: number) => (helm ? helper('podLabels', indent) : lines(indent, [...quoted(presetLabels), ...selector])),
    /** The preset's annotations, where no transformer adds them; with `key`, under an `annotations:` key of its own. */
    presetAnnotations: (indent: number, key = false) => presetAnnotationLines(indent, key),
    /** A setting by its path in the values (`probes.liveness.periodSeconds`): its literal, or the chart's reference to it. */
    value: (settingPath: string): string => (helm ? `{{ .Values.${settingPath} }}` : read(settingPath)),
    values,
    /** A chart's values files: what each environment changes, and the values' schema. */
    chart: helm
      ? {
          environments: Object.fromEntries(ENVIRONMENTS.map((name) => [name, valuesDifference(values, manifestValues(data, name))])),
          schema: valuesSchema(values),
        }
      : undefined,
    toYaml,
    /** The ConfigMap's settings, as the environment sets them: a file's (base) ends with a newline, an override does not. */
    config: Object.entries(values.config).map(([name, value]) => ({ name, value, file: !(dev && name in data.config.dev) })),
  };
}

export type ManifestWriter = ReturnType<typeof manifestWriter>;

/** A value as YAML lines at `indent` (a chart's values files). */
export function toYaml(value: unknown, indent = 0): string {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  return `${text
    .split('\n')
    .map((line) => `${' '.repeat(indent)}${line}`)
    .join('\n')}\n`;
}

/** What `changed` sets differently from `base`, leaf by leaf: an environment's values file. */
export function valuesDifference(base: unknown, changed: unknown): Record<string, unknown> {
  const difference: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changed as Record<string, unknown>)) {
    const before = (base as Record<string, unknown>)[key];
    if (value !== null && typeof value === 'object') {
      const nested = valuesDifference(before ?? {}, value);
      if (Object.keys(nested).length > 0) difference[key] = nested;
    } else if (value !== before) {
      difference[key] = value;
    }
  }
  return difference;
}

/** values.schema.json: the values' shape, so `helm install` and `helm lint` refuse a misspelt or mistyped value. */
export function valuesSchema(values: ManifestValues) {
  const infer = (value: unknown): Record<string, unknown> => {
    if (typeof value === 'boolean') return { type: 'boolean' };
    if (typeof value === 'number') return { type: 'integer', minimum: 0 };
    if (typeof value === 'string') return { type: 'string' };
    const entries = Object.entries(value as Record<string, unknown>).filter(([, child]) => child !== undefined);
    return {
      type: 'object',
      additionalProperties: false,
      required: entries.map(([key]) => key),
      properties: Object.fromEntries(entries.map(([key, child]) => [key, infer(child)])),
    };
  };
  const schema = infer(values) as { properties: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
  const quantity = { type: ['string', 'number'] };
  const bound = { type: 'object', additionalProperties: quantity };
  // Any resource Kubernetes knows (a GPU, hugepages), as a quantity.
  schema.properties.resources = { type: 'object', additionalProperties: false, properties: { requests: bound, limits: bound } } as never;
  // Any setting the service reads.
  schema.properties.config = { type: 'object', additionalProperties: { type: 'string' } } as never;
  schema.properties.image!.properties.pullPolicy = { enum: ['Always', 'IfNotPresent', 'Never'] };
  schema.properties.replicaCount = { type: 'integer', minimum: 1 } as never;
  if (schema.properties.blueGreen) schema.properties.blueGreen.properties.live = { enum: ['blue', 'green'] };
  if (schema.properties.canary?.properties.weight) schema.properties.canary.properties.weight = { type: 'integer', minimum: 0, maximum: 100 };
  // A Gateway of the route's own namespace needs none.
  const gateway = schema.properties.httpRoute!.properties.gateway as { properties: Record<string, unknown>; required: string[] };
  gateway.properties.namespace = { type: 'string' };
  gateway.required = ['name'];
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Values of the chart', ...schema };
}
