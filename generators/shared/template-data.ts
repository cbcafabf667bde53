// The data every template reads: the answers, the stack of the chosen language (with a preset's
// resources and images), and what is derived from them once, so templates only print it.
import path from 'node:path';
import * as common from '../../stacks/common.ts';
import { findStack, forVersion, imageRef, imageRefWithArg, type Stack, stackCommands, tiniArguments } from '../../stacks/registry.ts';
import type { RetrofitBuild, Serving } from '../../stacks/types.ts';
import type { Answers } from './answers.ts';
import type { DetectedProject } from './detect.ts';
import { UsageError } from './errors.ts';
import { releasePlan } from './manifests.ts';
import type { Preset } from './preset.ts';
import { listFiles, outputPath, TEMPLATES_ROOT } from './rendering.ts';

export type TemplateData = ReturnType<typeof templateData>;

/** What a probe checks: an HTTP path on a named container port, or only that the service's port accepts connections. */
export type Probe = { kind: 'http'; path: string; port: 'http' | 'health' } | { kind: 'tcp'; port: 'http' };

/** A probe from an answer: a path, or `tcp` for the port alone. */
function probe(answer: string, port: 'http' | 'health'): Probe {
  return answer === 'tcp' ? { kind: 'tcp', port: 'http' } : { kind: 'http', path: answer, port };
}

/** The same check, whatever the probe's name. */
export function sameProbe(a: Probe, b: Probe): boolean {
  return a.kind === b.kind && (a.kind === 'tcp' || (b.kind === 'http' && a.path === b.path && a.port === b.port));
}

/** The tag the manifests deploy until CI sets its own. */
export const IMAGE_TAG = '0.1.0';

/** A retrofit: how the existing project is built, and the start command's words after the image's entrypoint. */
export interface RetrofitProject {
  build: RetrofitBuild;
  command: string[];
  /** The port and drain as the service's framework takes them. */
  serving: Serving;
  /** What the repository holds that the manifests cannot fix by themselves (k8s/README.md says what to do). */
  findings: Pick<
    DetectedProject,
    'loopbackBinds' | 'sigtermUnhandled' | 'envVariables' | 'writableDirs' | 'runtimeFiles' | 'ownDockerfile' | 'nativeLibraries' | 'localDatabases'
  >;
}

export function templateData(answers: Answers, retrofit?: RetrofitProject, preset?: Preset) {
  const languageStack = findStack(answers.language) as Stack;
  const family = answers.imageFamily as keyof Stack['images'];
  // The starter's resources follow its measured use; an existing service's the language's defaults.
  // A preset's replace either, request by request.
  const resources = retrofit ? languageStack.resources : languageStack.starterResources;
  const stack: Stack = {
    ...languageStack,
    // A command may name the runtime version, to check the interpreter it runs on.
    commands: stackCommands(languageStack, answers.runtimeVersion),
    localToolchain: forVersion(languageStack, answers.runtimeVersion, languageStack.localToolchain),
    resources: {
      requests: { ...resources.requests, ...preset?.resources?.requests },
      limits: { ...resources.limits, ...preset?.resources?.limits },
    },
  };
  const images = {
    ...stack.images[family],
    ...(retrofit?.build.builder?.[family] ? { builder: retrofit.build.builder[family] } : {}),
    ...(retrofit?.build.runtime?.[family] ? { runtime: retrofit.build.runtime[family] } : {}),
    // A preset's base images (an internal mirror, golden images) win over both.
    ...preset?.images?.[answers.language]?.[family],
  };
  // Folder names a template path's {key} segments stand for (a Java package path, say).
  const names = stack.names?.(answers.appName) ?? {};
  // What the probes check: the contract's endpoints, or an existing service's own (tcp: the port only).
  // Retrofits may add k8s-app's health module, which serves the contract's paths on a port of its own.
  const probes =
    answers.healthModule === 'yes'
      ? { liveness: probe(common.HEALTH.liveness, 'health'), readiness: probe(common.HEALTH.readiness, 'health') }
      : { liveness: probe(answers.livenessPath ?? common.HEALTH.liveness, 'http'), readiness: probe(answers.readinessPath ?? common.HEALTH.readiness, 'http') };
  const tiniPath = family === 'distroless' ? '/tini' : '/sbin/tini';
  // The language alone, as prose names it ("Node.js" of "Node.js (TypeScript, Fastify)").
  const languageName = stack.displayName.split(' (')[0]!;
  // A preset may pin every base image by digest: the FROM line then names the resolved tag and its
  // digest (a digest belongs to one version, so the version ARG cannot stand in it).
  const pinned = (pattern: string, role: string) => {
    if (!preset?.imageDigests) return imageRefWithArg(pattern, stack.versionArg);
    const ref = imageRef(pattern, answers.runtimeVersion);
    const digest = preset.imageDigests[ref];
    if (!digest) {
      throw new UsageError(
        `The preset ${preset.name} pins base images by digest (imageDigests), and gives none for ${ref}, the ${role} image of ${languageName} ${answers.runtimeVersion} on ${family}. Fix: add "${ref}: sha256:<digest>" under imageDigests (\`docker buildx imagetools inspect ${ref}\` shows the digest).`,
      );
    }
    return `${ref}@${digest}`;
  };
  const isRetrofit = retrofit !== undefined;
  const container = stack.container(family, {
    retrofit: isRetrofit,
    healthModule: answers.healthModule === 'yes',
    command: retrofit?.command ?? [],
    runtimeVersion: answers.runtimeVersion,
  });
  // The ConfigMap's settings (k8s/base/config/<name>), and what development changes: debug logs and the
  // demo route GET /delay/{ms}, to watch a drain. An existing service reads its own, so its ConfigMap
  // starts empty for the team to fill.
  const exposureDefaults = exposureSettings(answers);
  // Where each environment deploys: production in the namespace answered, development beside it.
  const namespaces = { dev: `${answers.namespace}-dev`, prod: answers.namespace };
  const config: { base: Record<string, string>; dev: Record<string, string> } = isRetrofit
    ? { base: {}, dev: {} }
    : {
        base: { greeting: `Hello from ${answers.appName}`, 'log-level': 'info', 'demo-endpoints': 'false' },
        dev: { 'log-level': 'debug', 'demo-endpoints': 'true' },
      };
  return {
    preset: preset
      ? { name: preset.name, labels: preset.labels ?? {}, annotations: preset.annotations ?? {}, catalogAnnotations: preset.catalog?.annotations ?? {} }
      : undefined,
    // Adding container and Kubernetes files around existing code, rather than writing a new service.
    retrofit: isRetrofit,
    // Absent for a new project: its Dockerfile builds the starter.
    build: retrofit?.build,
    command: retrofit?.command ?? [],
    loopbackBinds: retrofit?.findings.loopbackBinds ?? [],
    sigtermUnhandled: retrofit?.findings.sigtermUnhandled,
    // The container's environment beyond PORT: the port where the framework reads it (SERVER_PORT...).
    portEnv: Object.entries(retrofit?.serving.env ?? {}),
    // How long the service drains: what the repository (or its framework) states, else the contract's deadline.
    drain: retrofit?.serving.drain ?? { seconds: common.SHUTDOWN_TIMEOUT_SECONDS, from: undefined },
    envVariables: retrofit?.findings.envVariables ?? [],
    // Folders the service writes into, as mounted in the container (an emptyDir each), where the image's
    // working folder is known; the others are only warned about (k8s/README.md).
    writableMounts: writableMounts(languageStack, retrofit),
    writableDirs: retrofit?.findings.writableDirs ?? [],
    // What the service reads at run time by relative path: the Dockerfile copies it where that path finds it.
    runtimeFiles: retrofit?.findings.runtimeFiles ?? [],
    localDatabases: retrofit?.findings.localDatabases ?? [],
    // Dependencies that link system libraries, and what the build stage installs for them in this family.
    nativeLibraries: retrofit?.findings.nativeLibraries ?? [],
    nativeBuild: {
      // Several addons may need the same toolchain: each package once.
      packages: [...new Set((retrofit?.findings.nativeLibraries ?? []).flatMap((library) => library.build?.[family].packages ?? []))],
      env: Object.assign({}, ...(retrofit?.findings.nativeLibraries ?? []).map((library) => library.build?.[family].env ?? {})) as Record<string, string>,
    },
    // The repository's own Dockerfile builds the image (--dockerfile keep): what it does that the pod depends on.
    keptDockerfile: answers.dockerfile === 'keep' ? retrofit?.findings.ownDockerfile : undefined,
    // What k8s-app writes around a kept Dockerfile, which its build context must ignore.
    addedPaths: [
      ...common.ADDED_PATHS.filter((entry) => answers.compose === 'yes' || !['compose.yaml', 'secrets'].includes(entry)),
      // A chart is where the manifests are (k8s/ then holds a retrofit's README.md).
      ...(answers.manifests === 'helm' ? ['chart'] : []),
    ],
    ...answers,
    // Retrofits keep their own CI.
    ci: answers.ci ?? 'none',
    stack,
    languageName,
    common,
    configDir: `/etc/${answers.appName}/config`,
    // The ConfigMap's files (k8s/base/config/): the settings the starter reads.
    configFiles: Object.keys(config.base),
    config,
    secretsDir: `/etc/${answers.appName}/secrets`,
    imageTag: IMAGE_TAG,
    // The part before the first "/" of the repository, which trivy's trusted-registries check compares
    // (KSV-0125); a repository without one names no registry, and the check does not apply.
    imageRegistry: answers.imageRepository.includes('/') ? answers.imageRepository.split('/')[0]! : undefined,
    // As the Dockerfile writes them: the version is a top-level ARG, unless the preset pins digests.
    builderImage: pinned(images.builder, 'builder'),
    runtimeImage: pinned(images.runtime, 'runtime'),
    pinnedDigests: preset?.imageDigests !== undefined,
    // Whether the images carry the runtime version (from the Dockerfile's version ARG).
    versionedImage: images.runtime.includes('{version}'),
    // As it resolves for the chosen version.
    runtimeImageRef: imageRef(images.runtime, answers.runtimeVersion),
    // The CI pipeline's pins and this language's toolchain in it (--ci).
    pipeline: {
      pins: common.CI_PINS,
      githubSetup: stack.ci.githubSetup && {
        uses: stack.ci.githubSetup.uses,
        with: Object.fromEntries(Object.entries(stack.ci.githubSetup.with).map(([input, value]) => [input, forVersion(stack, answers.runtimeVersion, value)])),
      },
      gitlabImage: imageRef(stack.ci.gitlabImage, answers.runtimeVersion),
      // kubeconform's schema sources: Kubernetes', and for a custom resource (an HTTPRoute, a Rollout) the CRD catalog.
      kubeconformSchemaFlags:
        answers.exposure === 'httproute' || releasePlan(answers).argo ? ` -schema-location default -schema-location '${common.CI_PINS.crdSchemaCatalog}'` : '',
    },
    // The exact toolchain release of the version answered (rust-toolchain.toml, go.mod).
    toolchain: forVersion(stack, answers.runtimeVersion, '{toolchain}'),
    // preStop pause + the app's own drain deadline + a margin for the process to exit.
    terminationGracePeriodSeconds: common.PRESTOP_SLEEP_SECONDS + (retrofit?.serving.drain?.seconds ?? common.SHUTDOWN_TIMEOUT_SECONDS) + 5,
    tiniArgs: tiniArguments(stack),
    // The tini stage's image (distroless): Debian 13, or the preset's mirror of it.
    tiniImage: family === 'distroless' ? pinned(preset?.tiniImage ?? common.TINI_IMAGE, 'tini stage') : undefined,
    // Where the final stage has tini: copied from the tini stage (distroless), or Alpine's package.
    tiniPath,
    // The image's ENTRYPOINT (tini, then the program) and CMD, as the Dockerfile writes them.
    entrypoint: dockerArray([tiniPath, ...tiniArguments(stack), ...container.program]),
    // The program and its options, as the entrypoint runs them after tini.
    program: container.program,
    cmd: container.args && dockerArray(container.args),
    healthModule: answers.healthModule === 'yes',
    // The module's files as the docker generator writes them (templates/health/<language>/), for k8s/README.md.
    healthModuleFiles:
      retrofit && answers.healthModule === 'yes'
        ? listFiles(path.join(TEMPLATES_ROOT, 'health', answers.language)).map((file) =>
            path.posix.join(retrofit.build.moduleDir ?? '.', outputPath(file, names)),
          )
        : [],
    probes,
    names,
    yamlScalar,
    namespaces,
    // checkov's waiver of Always pulls in development, where images are loaded into the cluster.
    devPullPolicySkip: 'CKV_K8S_15=a development cluster runs images loaded into it',
    // How each environment is applied, in the manifests' format.
    applyCommands: applyCommands(answers, namespaces),
    // Where development's settings are, as prose names it.
    devManifests: { kustomize: 'the dev overlay', plain: '`k8s/dev.yaml`', helm: '`values-dev.yaml`' }[answers.manifests] ?? 'the dev overlay',
    // Pods per overlay: at least 2, so the PodDisruptionBudget (maxUnavailable 1) always leaves one
    // serving; with the autoscaler these are its minimum, and it may add pods up to its maximum.
    replicas: { dev: 2, prod: 3 },
    autoscaler: answers.autoscaling === 'yes' ? { maxReplicas: MAX_REPLICAS, cpuUtilization: CPU_UTILIZATION } : undefined,
    // How a new version replaces the running one: the tracks and what runs them (manifests.ts).
    release: releasePlan(answers),
    // The autoscaler's range and target as a chart offers them, on or off.
    maxReplicas: MAX_REPLICAS,
    cpuUtilization: CPU_UTILIZATION,
    // The way in from outside the cluster, if any: the host per overlay, and an HTTPRoute's parent Gateway.
    exposure: answers.exposure === 'ingress' || answers.exposure === 'httproute' ? { kind: answers.exposure, ...exposureDefaults } : undefined,
    // The same settings as a chart offers them, whichever way in is answered (off when none).
    exposureDefaults,
    // kube-score checks the Deployment waives, each for the reason its manifest gives.
    kubeScoreIgnores: sameProbe(probes.liveness, probes.readiness) ? ['pod-probes-identical'] : [],
    // Run where the Dockerfile's build context is: a workspace service builds from the workspace root,
    // in a subshell, so the commands after it still run in the service's folder.
    dockerBuildCommand: retrofit?.build.context
      ? `(cd ${retrofit.build.context} && DOCKER_BUILDKIT=1 docker build -f ${retrofit.build.servicePath}/Dockerfile -t ${answers.imageRepository}:${IMAGE_TAG} .)`
      : `DOCKER_BUILDKIT=1 docker build -t ${answers.imageRepository}:${IMAGE_TAG} .`,
  };
}

/** How each environment is applied, in the manifests' format (a chart: into the environment's namespace, with its values). */
function applyCommands(answers: Answers, namespaces: Record<'dev' | 'prod', string>): Record<'dev' | 'prod', string> {
  const chart = `chart/${answers.appName}`;
  const helm = (environment: 'dev' | 'prod') =>
    `helm upgrade --install ${answers.appName} ${chart} -n ${namespaces[environment]} -f ${chart}/values-${environment}.yaml`;
  if (answers.manifests === 'helm') return { dev: helm('dev'), prod: helm('prod') };
  if (answers.manifests === 'plain') return { dev: 'kubectl apply -f k8s/dev.yaml', prod: 'kubectl apply -f k8s/prod.yaml' };
  return { dev: 'kubectl apply -k k8s/overlays/dev', prod: 'kubectl apply -k k8s/overlays/prod' };
}

/** The autoscaler's most pods per environment, and the CPU use (% of the request) it keeps pods at. */
const MAX_REPLICAS = { dev: 4, prod: 10 };
const CPU_UTILIZATION = 70;

/** The ways in: the host name of each environment (dev: its first label + "-dev", so both can share a
 * cluster and a wildcard certificate), the IngressClass and the parent Gateway, answered or default. */
function exposureSettings(answers: Answers) {
  const host = answers.host ?? `${answers.appName}.example.com`;
  const [first, ...rest] = host.split('.');
  // A DNS label has at most 63 characters: room for "-dev".
  const hosts = { prod: host, dev: [`${first!.slice(0, 59).replace(/-+$/, '')}-dev`, ...rest].join('.') };
  const [name, namespace] = (answers.gateway ?? 'gateway-system/public').split('/').reverse();
  return { hosts, ingressClass: answers.ingressClass ?? 'nginx', gateway: { name: name!, namespace } };
}

/** An emptyDir for each folder the service writes into, at its path in the image's working folder;
 * none where that folder is not known (the binary runs from /). */
function writableMounts(stack: Stack, retrofit: RetrofitProject | undefined) {
  const workdir = retrofit && stack.retrofit.workdir?.(retrofit.build);
  if (!workdir) return [];
  return retrofit.findings.writableDirs.map((written, index) => ({
    ...written,
    name: `writable-${index + 1}`,
    mountPath: path.posix.join(workdir, written.dir),
  }));
}

/** A string as a YAML value: plain when it can only be read one way, else double-quoted (JSON is YAML). */
export function yamlScalar(value: string): string {
  return /^[A-Za-z0-9/._~-]+$/.test(value) ? value : JSON.stringify(value);
}

/** Words as a Dockerfile's exec form: `["a", "b"]`. */
function dockerArray(words: readonly string[]): string {
  return `[${words.map((word) => JSON.stringify(word)).join(', ')}]`;
}
