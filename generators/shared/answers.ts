// Every answer the generator needs, declared once: its CLI option, prompt, default and validation.
// The base generator turns this list into options, prompts and checks; nothing else declares them.
import { HEALTH_MODULE_PORT } from '../../stacks/common.ts';
import { familiesFor, findStack, IMAGE_FAMILIES, languages, STACKS } from '../../stacks/registry.ts';
import type { ImageFamily, Language } from '../../stacks/types.ts';
import {
  commandWords,
  dnsLabel,
  entityRef,
  gatewayRef,
  hostName,
  IMAGE_REPOSITORY,
  oneOf,
  probePath,
  startCommand,
  toDnsLabel,
  versionsOf,
} from './answer-parsers.ts';
import { type DetectedProject, type Finding, versionsMeeting } from './detect.ts';
import { MANIFEST_FORMATS, RELEASE_CONTROLLERS, RELEASE_STRATEGIES } from './manifests.ts';
import type { Preset } from './preset.ts';

// Re-exported: callers read an answer's words and labels from here.
export { commandWords, toDnsLabel };

export interface Answers {
  appName: string;
  language: Language;
  runtimeVersion: string;
  imageFamily: ImageFamily;
  port: number;
  imageRepository: string;
  namespace: string;
  /** The manifests' format: a kustomize base and overlays, or one plain file per environment. */
  manifests: string;
  /** `yes` adds a HorizontalPodAutoscaler on CPU; the replica count then comes from it. */
  autoscaling: string;
  /** How the service is reached from outside the cluster: `none`, an Ingress, or a Gateway API HTTPRoute. */
  exposure: string;
  /** With an Ingress: the IngressClass that serves it. */
  ingressClass?: string;
  /** With an HTTPRoute: the parent Gateway, `[namespace/]name`. */
  gateway?: string;
  /** With an Ingress or HTTPRoute: the host name of prod (dev gets `<first label>-dev`). */
  host?: string;
  /** How a new version replaces the running one: `rolling` (the Deployment's rolling update), `blue-green` or `canary`. */
  releaseStrategy: string;
  /** With blue-green or canary: what runs it, `kubernetes` (Deployments and Services only) or `argo-rollouts` (a Rollout). */
  releaseController?: string;
  /** Retrofitting only: `yes` adds k8s-app's health and config module to the service. */
  healthModule?: string;
  /** Retrofitting only: the existing service's probe paths, or `tcp` to check only the port. */
  livenessPath?: string;
  readinessPath?: string;
  /** Retrofitting an interpreted language: what the image runs, as program and arguments. */
  startCommand?: string;
  /** Retrofitting a repository that may hold several programs (Go's main packages): the one the image builds. */
  program?: string;
  /** The Backstage catalog entry (catalog-info.yaml): who owns the service, its lifecycle, its system (empty: none). */
  owner: string;
  lifecycle: string;
  system: string;
  /** `yes` writes compose.yaml: the service run locally with the pod's hardening and mounts. */
  compose: string;
  /** New services: the CI pipeline written (github, gitlab) or none. */
  ci?: string;
  /** Retrofitting a repository with its own Dockerfile: `keep` builds with it, `generate` replaces it with k8s-app's. */
  dockerfile?: string;
}

/** What decides whether an answer applies. */
export interface AnswerContext {
  /** Adding container and Kubernetes files around existing code. */
  retrofit: boolean;
  /** Retrofitting: what the repository holds. */
  project?: DetectedProject;
}

export interface Choice {
  name: string;
  value: string;
}

export interface AnswerSpec {
  name: keyof Answers;
  /** The CLI option, e.g. `--runtime-version`. */
  option: string;
  description: string;
  prompt: { type: 'input' | 'select'; message: string };
  /** Choices for a select prompt, given the answers before this one (and, retrofitting, the repository). */
  choices?: (answers: Partial<Answers>, project?: DetectedProject) => Choice[];
  default: (answers: Partial<Answers>, context: { directoryName: string }) => string | number;
  /** When the answer applies (asked, saved, used), given the answers before it; always when absent. */
  when?: (context: AnswerContext, answers: Partial<Answers>) => boolean;
  /** `when` in words, for the error when its option is given where it does not apply. */
  appliesWhen?: string;
  /** Turns raw text (CLI, prompt, .yo-rc.json) into the value, or returns the problem as a sentence. */
  parse: (raw: unknown, answers: Partial<Answers>) => { value: string | number } | { problem: string };
  /** Retrofitting: what the existing repository states for this answer, and where. */
  detected?: (project: DetectedProject) => Finding | undefined;
  /** Retrofitting with --defaults: the repository must state it or the user pass it, since a default would not fit the code. */
  retrofitFact?: boolean;
  /** Retrofitting: a value the existing repository cannot work with (a runtime older than it needs), as
   * the problem and the fix; undefined when it fits. */
  repositoryProblem?: (value: string | number, project: DetectedProject) => { problem: string; fix: string } | undefined;
  /** The values a preset offers, when it may offer fewer than k8s-app does (the first is then the default). */
  presetOffers?: (preset: Preset) => readonly string[] | undefined;
  /** A default a preset derives from its own settings and the answers before this one. */
  presetDefault?: (preset: Preset, answers: Partial<Answers>) => string | undefined;
  /** The answer this one's choices, default or `when` follow (a runtime version follows the language, the host the exposure). */
  dependsOn?: keyof Answers;
  /** What a valid value looks like as JSON Schema, for forms that ask it (the Backstage template): the checks `parse` makes. */
  schema?: ValueSchema;
  /**
   * In a form (the Backstage template): `required` when the default cannot be known there (it comes from
   * the folder), or, when the default derives from other answers, what leaving it empty gives.
   */
  form?: { required: true } | { emptyMeans: string };
}

/** The JSON Schema keywords an answer's value is checked with. */
export interface ValueSchema {
  type: 'string' | 'integer';
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export const ANSWER_SPECS: readonly AnswerSpec[] = [
  {
    name: 'appName',
    option: 'app-name',
    description: 'Name of the service: a DNS-1123 label used for the Deployment, Service and image',
    prompt: { type: 'input', message: 'Service name' },
    default: (_answers, { directoryName }) => toDnsLabel(directoryName),
    ...dnsLabel('the app name'),
    form: { required: true },
  },
  {
    name: 'language',
    option: 'language',
    description: `Language of the service (${languages().join(', ')})`,
    prompt: { type: 'select', message: 'Language' },
    choices: () => STACKS.map((stack) => ({ name: stack.displayName, value: stack.language })),
    default: () => STACKS[0]!.language,
    parse: oneOf('the language', languages),
    detected: (project) => ({ value: project.language, from: project.buildTool.from }),
    retrofitFact: true,
    presetOffers: (preset) => preset.languages,
  },
  {
    name: 'runtimeVersion',
    option: 'runtime-version',
    description: `Runtime version of the language (${STACKS.map((s) => `${s.language}: ${s.versions.map((v) => v.version).join(', ')}`).join('; ')})`,
    prompt: { type: 'select', message: 'Runtime version' },
    choices: (answers) => (findStack(answers.language ?? '')?.versions ?? []).map((v) => ({ name: v.label, value: v.version })),
    default: (answers) => findStack(answers.language ?? '')?.defaultVersion ?? '',
    parse: (raw, answers) => oneOf(`the ${answers.language} runtime version`, () => versionsOf(answers))(raw),
    detected: (project) => project.runtimeVersion && { value: project.runtimeVersion.offered, from: project.runtimeVersion.from },
    retrofitFact: true,
    // What the repository states is what it needs at least: an older runtime fails its build, or worse, at run time.
    repositoryProblem: (value, project) => {
      const stack = findStack(project.language);
      const stated = project.runtimeVersion;
      if (!stack || !stated) return undefined;
      const meeting = versionsMeeting(stack, stated.value);
      if (meeting.includes(String(value))) return undefined;
      const name = stack.displayName.split(' (')[0];
      return {
        problem: `${name} ${value} is older than the ${stated.value} the repository needs (${stated.from})`,
        fix:
          meeting.length > 0
            ? `pass --runtime-version ${meeting.join(' or ')}`
            : `k8s-app offers no ${name} that new (${stack.versions.map((runtime) => runtime.version).join(', ')}); if the code runs on an older one, lower what ${stated.from} states`,
      };
    },
    dependsOn: 'language',
  },
  {
    name: 'imageFamily',
    option: 'image-family',
    description: 'Base image family of the final stage (distroless or alpine)',
    prompt: { type: 'select', message: 'Base image family' },
    choices: (answers) =>
      familiesOffered(answers).map((family) => ({
        name: family === 'distroless' ? 'distroless (no shell, smallest attack surface)' : 'alpine (has a shell and apk)',
        value: family,
      })),
    default: (answers) => familiesOffered(answers)[0] ?? 'distroless',
    parse: (raw, answers) => {
      const value = String(raw).trim();
      if (!(IMAGE_FAMILIES as readonly string[]).includes(value)) {
        return { problem: `the image family "${value}" is not offered; choose one of: ${IMAGE_FAMILIES.join(', ')}` };
      }
      if (!familiesOffered(answers).includes(value)) {
        return {
          problem: `no ${value} image exists for ${answers.language} ${answers.runtimeVersion}; choose one of: ${familiesOffered(answers).join(', ')}`,
        };
      }
      return { value };
    },
    dependsOn: 'runtimeVersion',
  },
  {
    name: 'port',
    option: 'port',
    description: 'Port the service listens on (1-65535)',
    prompt: { type: 'input', message: 'HTTP port' },
    default: () => 8080,
    parse: (raw) => {
      const text = String(raw).trim();
      const port = Number(text);
      if (!/^[0-9]+$/.test(text) || port < 1 || port > 65535) {
        return { problem: `the port "${text}" is not a whole number from 1 to 65535` };
      }
      return { value: port };
    },
    detected: (project) => project.port,
    retrofitFact: true,
    schema: { type: 'integer', minimum: 1, maximum: 65535 },
  },
  {
    name: 'imageRepository',
    option: 'image-repository',
    description: 'Container image repository, without tag (e.g. registry.example.com/team/my-service)',
    prompt: { type: 'input', message: 'Image repository (where CI pushes the image)' },
    default: (answers) => answers.appName ?? 'service',
    parse: (raw) => {
      const value = String(raw).trim();
      if (!IMAGE_REPOSITORY.test(value)) {
        return { problem: `the image repository "${value}" is not a valid repository name (lowercase path, optional registry host, no tag)` };
      }
      return { value };
    },
    presetDefault: (preset, answers) => (preset.imageRepositoryPrefix && answers.appName ? `${preset.imageRepositoryPrefix}/${answers.appName}` : undefined),
    schema: { type: 'string', pattern: IMAGE_REPOSITORY.source },
    form: { emptyMeans: "the service name (after the preset's registry prefix, if it sets one)" },
  },
  {
    name: 'namespace',
    option: 'k8s-namespace',
    description: 'Kubernetes namespace of the prod overlay (a DNS-1123 label); the dev overlay uses <namespace>-dev',
    prompt: { type: 'input', message: 'Kubernetes namespace (prod; dev gets -dev)' },
    default: (answers) => (answers.appName ?? 'default').slice(0, 59).replace(/-+$/, ''),
    ...dnsLabel('the namespace', 59, 'at most 59 leave room for the dev overlay\'s "-dev"'),
    form: { emptyMeans: 'the service name' },
  },
  {
    name: 'manifests',
    option: 'manifests',
    description: `The Kubernetes manifests' format: kustomize (k8s/base and the dev and prod overlays), plain (k8s/dev.yaml and k8s/prod.yaml, every object in one file each) or helm (a chart in chart/<app name>, with values-dev.yaml and values-prod.yaml)`,
    prompt: { type: 'select', message: 'Manifests format' },
    choices: () => [
      { name: 'kustomize: k8s/base and the overlays k8s/overlays/dev and prod (kubectl apply -k)', value: 'kustomize' },
      { name: 'plain: k8s/dev.yaml and k8s/prod.yaml, every object in one file each (kubectl apply -f)', value: 'plain' },
      { name: 'helm: a chart in chart/<app name>, with dev and prod values files (helm install)', value: 'helm' },
    ],
    default: () => 'kustomize',
    parse: oneOf('the manifests format', () => [...MANIFEST_FORMATS]),
  },
  {
    name: 'autoscaling',
    option: 'autoscaling',
    description: 'yes adds a HorizontalPodAutoscaler (autoscaling/v2) that scales on CPU: dev 2-4 pods, prod 3-10; the Deployment then sets no replica count',
    prompt: { type: 'select', message: 'Scale on CPU with a HorizontalPodAutoscaler?' },
    choices: () => [
      { name: 'no: a fixed replica count (dev 2, prod 3)', value: 'no' },
      { name: 'yes: 70% of the CPU request per pod (needs metrics-server in the cluster)', value: 'yes' },
    ],
    default: () => 'no',
    parse: oneOf('the autoscaling answer', () => ['yes', 'no']),
  },
  {
    name: 'exposure',
    option: 'exposure',
    description: 'How the service is reached from outside the cluster: none (in-cluster only), ingress (an Ingress) or httproute (a Gateway API HTTPRoute)',
    prompt: { type: 'select', message: 'Reach the service from outside the cluster?' },
    choices: () => [
      { name: 'none: only from inside the cluster, through its Service', value: 'none' },
      { name: 'ingress: an Ingress for an ingress controller (class name asked next)', value: 'ingress' },
      { name: 'httproute: a Gateway API HTTPRoute attached to a Gateway (asked next)', value: 'httproute' },
    ],
    default: () => 'none',
    parse: oneOf('the exposure', () => ['none', 'ingress', 'httproute']),
  },
  {
    name: 'ingressClass',
    option: 'ingress-class',
    description: 'With --exposure ingress: the IngressClass that serves the Ingress (kubectl get ingressclass lists them)',
    prompt: { type: 'input', message: 'Ingress class' },
    when: (_context, answers) => answers.exposure === 'ingress',
    appliesWhen: 'with --exposure ingress',
    dependsOn: 'exposure',
    default: () => 'nginx',
    ...dnsLabel('the ingress class'),
  },
  {
    name: 'gateway',
    option: 'gateway',
    description: "With --exposure httproute: the Gateway the route attaches to, as namespace/name (or name, in the service's namespace)",
    prompt: { type: 'input', message: 'Parent Gateway (namespace/name)' },
    when: (_context, answers) => answers.exposure === 'httproute',
    appliesWhen: 'with --exposure httproute',
    dependsOn: 'exposure',
    default: () => 'gateway-system/public',
    ...gatewayRef('the gateway'),
  },
  {
    name: 'host',
    option: 'host',
    description: 'With --exposure ingress or httproute: the host name prod answers on; dev answers on its first label + "-dev" (orders-dev.example.com)',
    prompt: { type: 'input', message: 'Host name (prod; dev gets <name>-dev)' },
    when: (_context, answers) => answers.exposure === 'ingress' || answers.exposure === 'httproute',
    appliesWhen: 'with --exposure ingress or httproute',
    dependsOn: 'exposure',
    default: (answers) => `${answers.appName ?? 'service'}.example.com`,
    ...hostName('the host'),
    form: { emptyMeans: '<service name>.example.com' },
  },
  {
    name: 'releaseStrategy',
    option: 'release-strategy',
    description:
      'How a new version replaces the running one: rolling (pods replaced a few at a time), blue-green (two full copies, the Service switched at once, switched back as fast) or canary (a share of the requests to the new version first)',
    prompt: { type: 'select', message: 'Release strategy' },
    choices: () => [
      { name: 'rolling: the Deployment replaces pods a few at a time', value: 'rolling' },
      { name: 'blue-green: two full copies; the Service switches all traffic at once, and back', value: 'blue-green' },
      { name: 'canary: a share of the requests goes to the new version first', value: 'canary' },
    ],
    default: () => 'rolling',
    parse: (raw, answers) => {
      const parsed = oneOf('the release strategy', () => [...RELEASE_STRATEGIES])(raw);
      // The second track's Services (<app>-preview, -canary, -stable) are DNS labels of at most 63 characters.
      const longest = `${answers.appName ?? ''}-preview`;
      if ('value' in parsed && parsed.value !== 'rolling' && longest.length > 63) {
        return {
          problem: `the release strategy ${parsed.value} adds Services such as ${longest}, longer than the 63 characters a Service name may have; give --app-name at most 55 characters`,
        };
      }
      return parsed;
    },
  },
  {
    name: 'releaseController',
    option: 'release-controller',
    description:
      'With --release-strategy blue-green or canary: kubernetes (Deployments and Services, switched with kubectl or helm; works on any cluster) or argo-rollouts (a Rollout for the Argo Rollouts controller, which switches and steps the canary itself)',
    prompt: { type: 'select', message: 'What runs the releases' },
    choices: () => [
      { name: 'kubernetes: Deployments and Services, switched with one command (any cluster)', value: 'kubernetes' },
      { name: 'argo-rollouts: a Rollout the Argo Rollouts controller drives (needs it in the cluster)', value: 'argo-rollouts' },
    ],
    when: (_context, answers) => answers.releaseStrategy === 'blue-green' || answers.releaseStrategy === 'canary',
    appliesWhen: 'with --release-strategy blue-green or canary',
    dependsOn: 'releaseStrategy',
    default: () => 'kubernetes',
    parse: oneOf('the release controller', () => [...RELEASE_CONTROLLERS]),
  },
  {
    name: 'owner',
    option: 'owner',
    description: 'Owner of the service in the Backstage catalog (catalog-info.yaml): a group or user entity reference, e.g. group:default/payments',
    prompt: { type: 'input', message: 'Owner (Backstage group or user)' },
    default: (answers) => `group:default/${answers.namespace ?? 'default'}`,
    ...entityRef('the owner', ['group', 'user'], 'group:default/payments'),
    form: { emptyMeans: 'group:default/<namespace>' },
  },
  {
    name: 'lifecycle',
    option: 'lifecycle',
    description: 'Lifecycle of the service in the Backstage catalog (production, experimental or deprecated)',
    prompt: { type: 'select', message: 'Lifecycle (Backstage catalog)' },
    choices: () => [
      { name: 'production: serves real traffic, or is about to', value: 'production' },
      { name: 'experimental: early, not relied on', value: 'experimental' },
      { name: 'deprecated: on its way out', value: 'deprecated' },
    ],
    default: () => 'production',
    parse: oneOf('the lifecycle', () => ['production', 'experimental', 'deprecated']),
  },
  {
    name: 'system',
    option: 'system',
    description: 'System the service belongs to in the Backstage catalog (an entity reference, e.g. payments); empty for none',
    prompt: { type: 'input', message: 'Backstage system (empty for none)' },
    default: () => '',
    ...entityRef('the system', ['system'], 'payments', true),
  },
  {
    name: 'compose',
    option: 'compose',
    description: 'yes writes compose.yaml: the service built from its Dockerfile and run locally with the hardening and config mounts of the pod',
    prompt: { type: 'select', message: 'Add compose.yaml to run the service locally?' },
    choices: () => [
      { name: 'yes: docker compose up runs it as the pod does (read-only, user 65532, config mounted)', value: 'yes' },
      { name: 'no', value: 'no' },
    ],
    default: () => 'yes',
    parse: oneOf('the compose answer', () => ['yes', 'no']),
  },
  {
    name: 'ci',
    option: 'ci',
    description: 'New services: the CI pipeline to write (github: .github/workflows/ci.yml, gitlab: .gitlab-ci.yml, none): test, lint, build, push and SBOM',
    prompt: { type: 'select', message: 'CI pipeline' },
    choices: () => [
      { name: 'GitHub Actions (.github/workflows/ci.yml)', value: 'github' },
      { name: 'GitLab CI (.gitlab-ci.yml)', value: 'gitlab' },
      { name: 'none', value: 'none' },
    ],
    when: ({ retrofit }) => !retrofit,
    appliesWhen: 'for a new service (an existing repository keeps its own CI; k8s/README.md shows the build and push steps)',
    default: () => 'github',
    parse: oneOf('the CI answer', () => ['github', 'gitlab', 'none']),
  },
  {
    name: 'dockerfile',
    option: 'dockerfile',
    description:
      "Existing repositories with a Dockerfile: keep builds the image with it and adds the manifests around it; generate replaces it with k8s-app's (tini, user 65532, the repository's own build), with --force",
    prompt: { type: 'select', message: "The repository has a Dockerfile: keep it, or replace it with k8s-app's?" },
    choices: () => [
      { name: 'keep: build with it; add the manifests, compose.yaml and the catalog entry around its image', value: 'keep' },
      { name: "generate: replace it with k8s-app's (tini as PID 1, numeric non-root user, the repository's own build)", value: 'generate' },
    ],
    when: ({ retrofit, project }) => retrofit && project?.ownDockerfile !== undefined,
    appliesWhen: 'in an existing repository that has a Dockerfile of its own',
    // Nothing of the user's is replaced unless asked.
    default: () => 'keep',
    parse: oneOf('the Dockerfile answer', () => ['keep', 'generate']),
  },
  {
    name: 'healthModule',
    option: 'health-module',
    description: `Existing repositories: yes adds a small health and config module in the service's language, serving /livez and /readyz on port ${HEALTH_MODULE_PORT} (new files only; for Rust, two lines in src/main.rs)`,
    prompt: { type: 'select', message: 'Add a health and config module (/livez, /readyz) to the service?' },
    choices: () => [
      { name: "no: use the service's own health paths, or TCP checks", value: 'no' },
      { name: `yes: add it (new files; the probes use it on port ${HEALTH_MODULE_PORT})`, value: 'yes' },
    ],
    // The module starts from the image k8s-app builds; a kept Dockerfile does not start it.
    when: ({ retrofit }, answers) => retrofit && answers.dockerfile !== 'keep',
    appliesWhen:
      "in an existing repository whose image k8s-app builds (not with --dockerfile keep: the repository's own Dockerfile would not start the module)",
    default: () => 'no',
    parse: oneOf('the health module answer', () => ['yes', 'no']),
  },
  {
    name: 'livenessPath',
    option: 'liveness-path',
    description: 'Existing repositories: the path the service answers 200 on while it can serve, or tcp to check only that the port accepts connections',
    prompt: { type: 'input', message: 'Liveness probe path (or tcp)' },
    when: ({ retrofit }, answers) => retrofit && answers.healthModule !== 'yes',
    appliesWhen: 'in an existing repository, without --health-module yes (the module has its own paths)',
    default: () => 'tcp',
    parse: probePath('the liveness path'),
    detected: (project) => project.health?.liveness,
  },
  {
    name: 'readinessPath',
    option: 'readiness-path',
    description: 'Existing repositories: the path the service answers 200 on when it should get traffic, or tcp',
    prompt: { type: 'input', message: 'Readiness probe path (or tcp)' },
    when: ({ retrofit }, answers) => retrofit && answers.healthModule !== 'yes',
    appliesWhen: 'in an existing repository, without --health-module yes (the module has its own paths)',
    default: (answers) => answers.livenessPath ?? 'tcp',
    parse: probePath('the readiness path'),
    detected: (project) => project.health?.readiness,
  },
  {
    name: 'program',
    option: 'program',
    description: 'Existing Go repositories: the main package the image builds, e.g. ./cmd/api (asked when the module has several)',
    prompt: { type: 'select', message: 'Program to build' },
    choices: (_answers, project) => (project?.programs ?? []).map((program) => ({ name: program, value: program })),
    when: ({ retrofit }, answers) => retrofit && answers.dockerfile !== 'keep' && findStack(answers.language ?? '')?.retrofit.programs !== undefined,
    appliesWhen:
      'in an existing Go repository whose image k8s-app builds (other languages build the one program their build file names; a kept Dockerfile builds what it builds)',
    default: () => '.',
    parse: (raw) => {
      const value = String(raw).trim().replace(/\/+$/, '');
      const path = value === '.' || value.startsWith('./') ? value : `./${value}`;
      if (!/^\.(\/[A-Za-z0-9._-]+)*$/.test(path) || path.split('/').includes('..')) {
        return { problem: `"${value}" is not a folder of the module (a relative path like ./cmd/api)` };
      }
      return { value: path };
    },
    detected: (project) => (project.programs?.length === 1 ? { value: project.programs[0]!, from: `package main in ${project.programs[0]}` } : undefined),
    retrofitFact: true,
    repositoryProblem: (value, project) =>
      project.programs && !project.programs.includes(String(value))
        ? {
            problem: `${value} holds no main package`,
            fix: project.programs.length > 0 ? `pass --program ${project.programs.join(' or ')}` : 'the module has no main package to build',
          }
        : undefined,
  },
  {
    name: 'startCommand',
    option: 'start-command',
    description:
      'Existing Node.js and Python repositories: the command that starts the service, as program and arguments (no shell), e.g. "node dist/server.js"',
    prompt: { type: 'input', message: 'Start command' },
    when: ({ retrofit }, answers) => retrofit && answers.dockerfile !== 'keep' && findStack(answers.language ?? '')?.retrofit.command !== undefined,
    appliesWhen:
      'in an existing Node.js or Python repository whose image k8s-app builds (compiled languages run their build output; a kept Dockerfile starts what it starts)',
    default: () => '',
    parse: startCommand,
    detected: (project) => project.start,
    retrofitFact: true,
  },
];

function familiesOffered(answers: Partial<Answers>): string[] {
  const stack = findStack(answers.language ?? '');
  return stack ? [...familiesFor(stack, answers.runtimeVersion ?? '')] : [];
}
