// Every language's generated service, and a retrofitted fixture repository per language, on a real
// single-node Kubernetes (./cluster.ts): the image built from the generated Dockerfile unmodified and
// pushed to the cluster's registry, the generated overlays applied as a user applies them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { argoRolloutsCrdFile, ensureHelm, gatewayApiCrdFiles } from '../../lint/tools.ts';
import { STACKS } from '../../stacks/registry.ts';
import { DOCKER, DOCKER_NETNS_MOUNT, type Engine, ensureEngine } from '../containers/engine.ts';
import { dockerBuild } from '../containers/image-build.ts';
import { ensureStandIns } from '../containers/standins.ts';
import { DRAIN_MESSAGE } from '../contract/harness.ts';
import { generateProject } from '../support/generate.ts';
import { type Manifest, renderOverlay } from '../support/kustomize.ts';
import { fixtureName, RETROFIT_FIXTURES, retrofitCopy } from '../support/retrofit-fixtures.ts';
import { type Cluster, KUBELET_SYNC_SECONDS, startCluster } from './cluster.ts';
import { GLOBAL_SYSCTLS, isMountPoint, NETNS_DIR, readSysctls } from './host-state.ts';

const CLIENT = new URL('./in-network-client.ts', import.meta.url).pathname;
/** The service reloads its files within 5 s of a change (docs/service-contract.md). */
const RELOAD_SECONDS = 5;
/** A ConfigMap or Secret edit reaches the pod's files at the kubelet's next sync of the pod. */
const PROPAGATION_MS = (2 * KUBELET_SYNC_SECONDS + RELOAD_SECONDS + 10) * 1000;

let engine: Engine | undefined;
let cluster: Cluster | undefined;
const report: string[] = [];

before(async function () {
  this.timeout(2_400_000);
  engine = await ensureEngine(path.join(tmpdir(), 'k8s-app-dockerd.log'));
  await ensureStandIns();
  const started = Date.now();
  cluster = await startCluster();
  const built = cluster.binaries.built;
  report.push(`binaries: ${built.length > 0 ? `built ${built.join(', ')}` : 'all from the cache'}`);
  report.push(`cluster up (binaries ready, node Ready, sandbox image pushed) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
});

after(async function () {
  this.timeout(120_000);
  await cluster?.stop();
  await engine?.stop();
  console.log(`\n  Cluster report\n${report.map((line) => `    ${line}`).join('\n')}\n`);
  // The kubelet changes global kernel settings when it starts; stopping the cluster puts them back.
  // Compared with what the cluster found at its start, after it put back what an earlier run that
  // died had left changed (read before that, the dead run's values would be expected).
  if (cluster) {
    const after = readSysctls();
    for (const name of GLOBAL_SYSCTLS) assert.equal(after[name], cluster.kernelSettingsBefore[name], `the kernel setting ${name} was not restored`);
    assert.equal(isMountPoint(NETNS_DIR), cluster.netnsDirWasMounted, `${NETNS_DIR} is not mounted as it was before the cluster`);
  }
  // An engine this run started leaves no mount behind.
  if (engine?.started) assert.equal(isMountPoint(DOCKER_NETNS_MOUNT), false, `${DOCKER_NETNS_MOUNT} is still mounted after dockerd stopped`);
});

/** What the rendered dev overlay deploys, read as kubectl applies it. */
interface Deployed {
  namespace: string;
  deployment: string;
  service: string;
  servicePort: number;
  /** The container's port, where each pod answers on its own IP. */
  containerPort: number;
  selector: string;
  image: string;
  grace: number;
  preStopSeconds: number;
  configMap: string;
  secret?: string;
}

function deployedFrom(manifests: Manifest[]): Deployed {
  const find = (kind: string) => {
    const found = manifests.find((manifest) => manifest.kind === kind);
    assert.ok(found, `the overlay has no ${kind}`);
    return found;
  };
  const deployment = find('Deployment');
  const service = find('Service');
  const pod = deployment.spec.template.spec;
  const volumes = pod.volumes as { configMap?: { name: string }; secret?: { secretName: string } }[];
  return {
    namespace: deployment.metadata.namespace!,
    deployment: deployment.metadata.name,
    service: service.metadata.name,
    servicePort: service.spec.ports[0].port,
    containerPort: pod.containers[0].ports[0].containerPort,
    selector: Object.entries(deployment.spec.selector.matchLabels as Record<string, string>)
      .map(([key, value]) => `${key}=${value}`)
      .join(','),
    image: pod.containers[0].image,
    grace: pod.terminationGracePeriodSeconds,
    preStopSeconds: pod.containers[0].lifecycle?.preStop?.sleep?.seconds ?? 0,
    configMap: volumes.find((volume) => volume.configMap)!.configMap!.name,
    secret: volumes.find((volume) => volume.secret)?.secret?.secretName,
  };
}

interface PodState {
  metadata: { name: string; deletionTimestamp?: string; uid: string };
  status: {
    phase: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { ready: boolean; restartCount: number; state: Record<string, { exitCode?: number; finishedAt?: string; reason?: string }> }[];
  };
}

async function waitUntil<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(500);
  }
}

/** The checks every deployed service gets; the starters get the contract's checks on top. */
function onTheCluster(
  label: string,
  prepare: () => Promise<{ dir: string; build: () => Promise<void>; remove: () => void }>,
  options: { starter: boolean; mainPath: string; sigtermExit?: { code: number; why: string } },
) {
  describe(label, function () {
    this.timeout(600_000);
    let dir = '';
    let remove = () => {};
    let deployed: Deployed;
    const kubectl = (args: string[]) => cluster!.kubectl(args);
    const pods = async (): Promise<PodState[]> =>
      JSON.parse(String((await kubectl(['get', 'pods', '-n', deployed.namespace, '-l', deployed.selector, '-o', 'json'])).stdout)).items;
    const clusterIp = async () =>
      String((await kubectl(['get', 'service', deployed.service, '-n', deployed.namespace, '-o', 'jsonpath={.spec.clusterIP}'])).stdout);
    const get = async (urlPath: string): Promise<{ status: number; body: string; error?: string }> => {
      const url = `http://${await clusterIp()}:${deployed.servicePort}${urlPath}`;
      return JSON.parse(String((await cluster!.inNetwork(process.execPath, [CLIENT, 'get', url])).stdout));
    };
    /** Each running pod's own answer, by its IP: the Service would spread requests over them at random. */
    const podAnswers = async (urlPath: string) => {
      const running = (await pods()).filter((pod) => !pod.metadata.deletionTimestamp && pod.status.podIP);
      return Promise.all(
        running.map(async (pod) => {
          const url = `http://${pod.status.podIP}:${deployed.containerPort}${urlPath}`;
          const answer = JSON.parse(String((await cluster!.inNetwork(process.execPath, [CLIENT, 'get', url])).stdout)) as { status: number; body: string };
          return { pod: pod.metadata.name, ...answer };
        }),
      );
    };
    /** True once every pod answers 200 with a body `accept` takes. */
    const everyPodAnswers = async (urlPath: string, accept: (body: string) => boolean) => {
      const answers = await podAnswers(urlPath);
      return answers.length > 0 && answers.every((answer) => answer.status === 200 && accept(answer.body)) ? true : undefined;
    };
    const allReady = async () => {
      const replicas = Number((await kubectl(['get', 'deployment', deployed.deployment, '-n', deployed.namespace, '-o', 'jsonpath={.spec.replicas}'])).stdout);
      const current = await pods();
      const live = current.filter((pod) => !pod.metadata.deletionTimestamp);
      const ready = live.filter((pod) => pod.status.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True'));
      return current.length === replicas && ready.length === replicas ? current : undefined;
    };
    const restarts = (current: PodState[]) =>
      current.flatMap((pod) => pod.status.containerStatuses ?? []).reduce((sum, status) => sum + status.restartCount, 0);

    before(async function () {
      this.timeout(1_200_000);
      const prepared = await prepare();
      dir = prepared.dir;
      remove = prepared.remove;
      deployed = deployedFrom(await renderOverlay(dir, 'dev'));
      await prepared.build();
      await cluster!.pushImage(deployed.image);
      await execa(DOCKER, ['rmi', deployed.image], { reject: false });
    });
    after(async () => {
      if (deployed) await kubectl(['delete', 'namespace', deployed.namespace, '--wait=false']).catch(() => {});
      remove();
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && cluster && deployed) console.log(await cluster.describeNamespace(deployed.namespace));
    });

    if (options.starter) {
      it('passes a server-side dry run of the dev and prod overlays in namespaces enforcing Pod Security restricted', async () => {
        for (const overlay of ['dev', 'prod']) {
          const overlayDir = path.join(dir, 'k8s', 'overlays', overlay);
          // The namespace first (the overlay creates it, with its Pod Security labels): a dry run creates nothing.
          await kubectl(['apply', '-f', path.join(overlayDir, 'namespace.yaml')]);
          const namespace = String((await kubectl(['get', '-f', path.join(overlayDir, 'namespace.yaml'), '-o', 'jsonpath={.metadata.labels}'])).stdout);
          assert.match(namespace, /"pod-security.kubernetes.io\/enforce":"restricted"/);
          // Pod Security warns about a Deployment (it rejects only Pods): a warning fails the run.
          await kubectl(['apply', '-k', overlayDir, '--dry-run=server', '--warnings-as-errors']);
        }
        await kubectl(['delete', 'namespace', deployed.namespace.replace(/-dev$/, ''), '--wait=false']);
      });

      it('fails that dry run for a pod that is not hardened (the check can fail)', async () => {
        const rendered = await renderOverlay(dir, 'dev');
        const deployment = rendered.find((manifest) => manifest.kind === 'Deployment')!;
        deployment.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
        const file = path.join(dir, 'unhardened.yaml');
        writeFileSync(file, stringify(deployment));
        const result = await cluster!.kubectl(['apply', '-f', file, '--dry-run=server', '--warnings-as-errors'], { reject: false, all: true });
        rmSync(file);
        assert.notEqual(result.exitCode, 0, 'a Deployment allowing privilege escalation passed the dry run');
        assert.match(String(result.all), /allowPrivilegeEscalation/);
      });
    }

    it('applies the dev overlay; every replica becomes Ready through its probes, with no restart', async () => {
      await kubectl(['apply', '-k', path.join(dir, 'k8s', 'overlays', 'dev')]);
      await kubectl(['rollout', 'status', `deployment/${deployed.deployment}`, '-n', deployed.namespace, '--timeout=240s']);
      const ready = await waitUntil('every replica Ready', 60_000, allReady);
      assert.equal(restarts(ready), 0, 'a container restarted');
      report.push(`${label}: ${ready.length} replicas Ready`);
    });

    it(`answers ${options.mainPath} through the Service (kube-proxy)`, async () => {
      const answer = await waitUntil(`a 200 from ${options.mainPath}`, 30_000, async () => {
        const result = await get(options.mainPath);
        return result.status === 200 ? result : undefined;
      });
      if (options.starter) assert.match(answer.body, /"greeting"/);
    });

    it('loses no request through the Service during a rollout restart', async () => {
      const before = new Set((await pods()).map((pod) => pod.metadata.name));
      const url = `http://${await clusterIp()}:${deployed.servicePort}${options.mainPath}`;
      const load = cluster!.follow(process.execPath, [CLIENT, 'load', url, '300']);
      let output = '';
      try {
        await sleep(1000);
        await kubectl(['rollout', 'restart', `deployment/${deployed.deployment}`, '-n', deployed.namespace]);
        await kubectl(['rollout', 'status', `deployment/${deployed.deployment}`, '-n', deployed.namespace, '--timeout=240s']);
        // The old pods drain after the rollout counts as done: keep the load on until they are gone.
        const replaced = await waitUntil('the old pods to be gone', 120_000, async () => {
          const current = await allReady();
          return current?.every((pod) => !before.has(pod.metadata.name)) ? current : undefined;
        });
        assert.equal(restarts(replaced), 0, 'a new container restarted');
      } finally {
        output = await load.stop();
      }
      const summary = JSON.parse(output) as { requests: number; failures: number; errors: string[]; timedOut: boolean };
      report.push(`${label}: rollout restart under load: ${summary.requests} requests, ${summary.failures} failed`);
      assert.ok(summary.requests > 50, `only ${summary.requests} requests were made during the rollout`);
      assert.equal(summary.failures, 0, `requests failed during the rollout:\n${summary.errors.join('\n')}`);
    });

    it(`runs preStop, then SIGTERM, and the container exits ${options.sigtermExit?.code ?? 0} inside its grace period when a pod is deleted`, async () => {
      const [victim] = (await pods()).map((pod) => pod.metadata.name);
      const kubectlArgs = ['--kubeconfig', cluster!.kubeconfig, '-n', deployed.namespace];
      // The pod's last states, as the kubelet reports them until the pod object is removed.
      const watch = cluster!.follow(cluster!.binaries.kubernetes.kubectl, [
        ...kubectlArgs,
        'get',
        'pod',
        victim!,
        '--watch',
        '--output-watch-events',
        '-o',
        'jsonpath={.type} {.object.metadata.deletionTimestamp} {.object.status.containerStatuses[0].state.terminated.exitCode} {.object.status.containerStatuses[0].state.terminated.finishedAt}{"\\n"}',
      ]);
      const logs = cluster!.follow(cluster!.binaries.kubernetes.kubectl, [...kubectlArgs, 'logs', '--follow', '--timestamps', '--since=1s', victim!]);
      await sleep(1000);
      await kubectl(['delete', 'pod', victim!, '-n', deployed.namespace, '--wait=false']);
      await waitUntil('the deleted pod to be removed', (deployed.grace + 30) * 1000, async () => (watch.output().includes('DELETED') ? true : undefined));
      const events = await watch.stop();
      const logText = await logs.stop();
      const states = events
        .split('\n')
        .map((line) => line.split(' '))
        .filter(([, deletion]) => deletion);
      // The first deletionTimestamp is the delete's time plus the grace period (the kubelet's final
      // delete moves it to that moment); the last state holds the container's exit.
      const deletionTimestamp = states[0]?.[1];
      const [, , exitCode, finishedAt] = states.filter(([, , code]) => code).at(-1) ?? [];
      assert.ok(deletionTimestamp && exitCode && finishedAt, `the kubelet reported no terminated state for the deleted pod:\n${events}`);
      const deletedAt = Date.parse(deletionTimestamp) - deployed.grace * 1000;
      const seconds = (Date.parse(finishedAt) - deletedAt) / 1000;
      const why = options.sigtermExit ? ` (${options.sigtermExit.why})` : '';
      report.push(`${label}: pod deleted: exit code ${exitCode}${why} after ${seconds} s (preStop ${deployed.preStopSeconds} s, grace ${deployed.grace} s)`);
      const expectedExit = options.sigtermExit?.code ?? 0;
      assert.equal(Number(exitCode), expectedExit, `the container exited ${exitCode}, not ${expectedExit}${why}`);
      assert.ok(seconds < deployed.grace, `the container ran ${seconds} s, its whole grace period of ${deployed.grace} s`);
      // Timestamps in the API have whole seconds: the exit comes after the preStop sleep.
      assert.ok(
        seconds >= deployed.preStopSeconds - 1,
        `the container exited ${seconds} s after the delete: before its ${deployed.preStopSeconds} s preStop sleep was over`,
      );
      if (options.starter) {
        const signalLine = logText.split('\n').find((line) => line.includes(DRAIN_MESSAGE));
        assert.ok(signalLine, `the service logged no shutdown on SIGTERM:\n${logText}`);
        const signalled = (Date.parse(signalLine.split(' ')[0]!) - deletedAt) / 1000;
        assert.ok(signalled >= deployed.preStopSeconds - 1, `SIGTERM arrived ${signalled} s after the delete, before the preStop sleep was over`);
      }
      await kubectl(['rollout', 'status', `deployment/${deployed.deployment}`, '-n', deployed.namespace, '--timeout=240s']);
      await waitUntil('every replica Ready again', 60_000, allReady);
    });

    if (!options.starter) return;

    it('takes an edited ConfigMap without a restart, and keeps its settings on an invalid edit', async () => {
      const before = (await pods()).map((pod) => pod.metadata.name).sort();
      const patch = (data: Record<string, string>) =>
        kubectl(['patch', 'configmap', deployed.configMap, '-n', deployed.namespace, '--type', 'merge', '-p', JSON.stringify({ data })]);
      const greetingIs = (greeting: string) => (body: string) => (JSON.parse(body) as { greeting: string }).greeting === greeting;
      const started = Date.now();
      await patch({ greeting: 'Hello from the cluster' });
      await waitUntil('the new greeting from every pod', PROPAGATION_MS, () => everyPodAnswers('/', greetingIs('Hello from the cluster')));
      report.push(`${label}: ConfigMap edit served after ${((Date.now() - started) / 1000).toFixed(0)} s`);
      const current = await pods();
      assert.deepEqual(current.map((pod) => pod.metadata.name).sort(), before, 'the pods were replaced');
      assert.equal(restarts(current), 0, 'a container restarted');

      await patch({ greeting: 'not applied', 'log-level': 'verbose' });
      for (const pod of before) {
        await waitUntil(`${pod} to log that it rejected the invalid log-level`, PROPAGATION_MS, async () => {
          const { stdout } = await kubectl(['logs', pod, '-n', deployed.namespace]);
          return String(stdout)
            .split('\n')
            .some((line) => /reject|invalid/i.test(line) && line.includes('log-level'))
            ? true
            : undefined;
        });
      }
      const answers = await podAnswers('/');
      assert.ok(
        answers.every((answer) => answer.status === 200 && greetingIs('Hello from the cluster')(answer.body)),
        `after an invalid edit the pods answered: ${JSON.stringify(answers)}`,
      );
      assert.equal(restarts(await pods()), 0, 'a container restarted');
      // Valid again, for the checks that follow: the whole set applies once it is valid.
      await patch({ greeting: 'Hello again', 'log-level': 'debug' });
      await waitUntil('the greeting of the corrected ConfigMap from every pod', PROPAGATION_MS, () => everyPodAnswers('/', greetingIs('Hello again')));
    });

    it('reports the optional Secret once it is created', async () => {
      assert.ok(deployed.secret, 'the Deployment mounts no Secret');
      const body = (await get('/')).body;
      assert.equal((JSON.parse(body) as { apiKeyConfigured: boolean }).apiKeyConfigured, false);
      await kubectl(['create', 'secret', 'generic', deployed.secret, '-n', deployed.namespace, '--from-literal=api-key=not-a-real-key']);
      await waitUntil('apiKeyConfigured from every pod', PROPAGATION_MS, () =>
        everyPodAnswers('/', (text) => (JSON.parse(text) as { apiKeyConfigured: boolean }).apiKeyConfigured === true),
      );
      const logs = await Promise.all((await pods()).map(async (pod) => String((await kubectl(['logs', pod.metadata.name, '-n', deployed.namespace])).stdout)));
      assert.ok(!logs.join('\n').includes('not-a-real-key'), 'the secret value appears in the logs');
    });

    it('writes JSON lines only to its log', async () => {
      const current = await pods();
      let lines = 0;
      for (const pod of current) {
        const folder = readdirSync(cluster!.podLogsDir).find((name) => name.endsWith(`_${pod.metadata.uid}`));
        assert.ok(folder, `no log folder for ${pod.metadata.name}`);
        const containerDir = path.join(cluster!.podLogsDir, folder, readdirSync(path.join(cluster!.podLogsDir, folder))[0]!);
        for (const file of readdirSync(containerDir).filter((name) => name.endsWith('.log'))) {
          // The CRI log format: `<time> <stream> <F|P> <line>`.
          for (const entry of readFileSync(path.join(containerDir, file), 'utf8').split('\n').filter(Boolean)) {
            const [, , stream, , text] = /^(\S+) (stdout|stderr) ([FP]) (.*)$/.exec(entry) ?? [];
            assert.ok(stream, `not a CRI log line: ${entry}`);
            let parsed: Record<string, unknown> | undefined;
            try {
              parsed = JSON.parse(text!);
            } catch {
              parsed = undefined;
            }
            assert.ok(parsed?.time && parsed.level && parsed.msg, `${pod.metadata.name} logged a line that is not a JSON log entry (${stream}): ${text}`);
            lines += 1;
          }
        }
      }
      assert.ok(lines > 0, 'no log lines at all');
    });
  });
}

for (const stack of STACKS) {
  const appName = `cluster-${stack.language}`;
  let dir = '';
  onTheCluster(
    `${stack.language} ${stack.defaultVersion} distroless starter`,
    async () => {
      dir = await generateProject({ 'app-name': appName, language: stack.language, 'image-family': 'distroless' });
      return {
        dir,
        build: async () => {
          const [deployment] = (await renderOverlay(dir, 'dev')).filter((manifest) => manifest.kind === 'Deployment');
          await dockerBuild(dir, deployment!.spec.template.spec.containers[0].image);
        },
        remove: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
    { starter: true, mainPath: '/' },
  );
}

// One retrofitted fixture per language, the first that builds here.
for (const stack of STACKS) {
  const fixture = RETROFIT_FIXTURES.find((candidate) => candidate.expected.language === stack.language && !candidate.notBuilt);
  if (!fixture) continue;
  onTheCluster(
    `retrofit ${fixtureName(fixture)}`,
    async () => {
      const copy = await retrofitCopy(fixture);
      return {
        dir: copy.service,
        build: async () => {
          const [deployment] = (await renderOverlay(copy.service, 'dev')).filter((manifest) => manifest.kind === 'Deployment');
          const header = readFileSync(path.join(copy.service, 'Dockerfile'), 'utf8');
          const context = /build context is the workspace root \(([^)]+)\)/.exec(header)?.[1] ?? '.';
          await dockerBuild(path.resolve(copy.service, context), deployment!.spec.template.spec.containers[0].image, [
            '-f',
            path.join(copy.service, 'Dockerfile'),
          ]);
        },
        remove: () => copy.remove(),
      };
    },
    {
      starter: false,
      mainPath: String(fixture.expected.readinessPath).startsWith('/') ? String(fixture.expected.readinessPath) : '/',
      sigtermExit: fixture.sigtermExit,
    },
  );
}

// The optional objects and release strategies' custom resources, as a user applies them: the
// autoscaler, the Ingress, the HTTPRoute (weighted, for a canary) and Argo Rollouts' Rollout pass the
// API server's own validation, with the Gateway API's and Argo Rollouts' CRDs installed as a cluster
// with their controllers has them. No controller runs: what they do needs metrics, an ingress
// controller, a Gateway and the Argo Rollouts controller.
describe('optional objects: autoscaler, Ingress, HTTPRoute, Rollout', function () {
  this.timeout(300_000);
  const projects: string[] = [];
  const kubectl = (args: string[]) => cluster!.kubectl(args);
  before(async () => {
    for (const file of [...(await gatewayApiCrdFiles()), await argoRolloutsCrdFile()]) await kubectl(['apply', '--server-side', '-f', file]);
    for (const crd of ['httproutes.gateway.networking.k8s.io', 'rollouts.argoproj.io']) {
      await kubectl(['wait', '--for', 'condition=Established', '--timeout=60s', `crd/${crd}`]);
    }
  });
  after(() => {
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  // Each with the objects (kind/name, $app for the app's name) the dry run must have created.
  const combinations: [string, Record<string, string>, string[]][] = [
    [
      'autoscaling + ingress',
      { autoscaling: 'yes', exposure: 'ingress', host: 'orders.example.com' },
      ['deployment.apps/$app', 'horizontalpodautoscaler.autoscaling/$app', 'ingress.networking.k8s.io/$app'],
    ],
    [
      'autoscaling + httproute to a gateway of another namespace',
      { autoscaling: 'yes', exposure: 'httproute', gateway: 'gateway-system/public' },
      ['deployment.apps/$app', 'horizontalpodautoscaler.autoscaling/$app', 'httproute.gateway.networking.k8s.io/$app'],
    ],
    [
      'plain manifests, autoscaling + httproute',
      { manifests: 'plain', autoscaling: 'yes', exposure: 'httproute' },
      ['deployment.apps/$app', 'horizontalpodautoscaler.autoscaling/$app', 'httproute.gateway.networking.k8s.io/$app'],
    ],
    [
      'canary with a weighted httproute',
      { 'release-strategy': 'canary', exposure: 'httproute' },
      ['deployment.apps/$app', 'deployment.apps/$app-canary', 'service/$app-stable', 'httproute.gateway.networking.k8s.io/$app'],
    ],
    [
      'argo rollouts blue-green + autoscaling',
      { 'release-strategy': 'blue-green', 'release-controller': 'argo-rollouts', autoscaling: 'yes' },
      ['rollout.argoproj.io/$app', 'service/$app-preview', 'horizontalpodautoscaler.autoscaling/$app'],
    ],
    [
      'plain manifests, argo rollouts canary',
      { 'release-strategy': 'canary', 'release-controller': 'argo-rollouts', manifests: 'plain' },
      ['rollout.argoproj.io/$app', 'service/$app-canary'],
    ],
  ];
  for (const [index, [combination, options, expected]] of combinations.entries()) {
    const plain = options.manifests === 'plain';
    // Its own namespaces: the ones before it may still be terminating.
    const appName = `cluster-optional-${index + 1}`;
    it(`${combination}: the dev and prod ${plain ? 'files' : 'overlays'} pass a server-side dry run`, async () => {
      const dir = await generateProject({ 'app-name': appName, language: 'go', ...options });
      projects.push(dir);
      for (const environment of ['dev', 'prod']) {
        // The namespace first (a dry run creates nothing, and the objects need it): the overlay's own
        // file, or the first object of the plain file.
        const file = plain ? path.join(dir, 'k8s', `${environment}.yaml`) : path.join(dir, 'k8s', 'overlays', environment);
        const objects = plain
          ? parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as Manifest)
          : await renderOverlay(dir, environment);
        const namespace = objects[0]!;
        assert.equal(namespace.kind, 'Namespace');
        const namespaceFile = path.join(dir, `namespace-${environment}.yaml`);
        writeFileSync(namespaceFile, stringify(namespace));
        await kubectl(['apply', '-f', namespaceFile]);
        const { stdout } = await kubectl(['apply', plain ? '-f' : '-k', file, '--dry-run=server', '--warnings-as-errors']);
        for (const object of expected.map((name) => name.replace('$app', appName))) {
          assert.ok(String(stdout).includes(`${object} created (server dry run)`), `${environment}: no ${object} in:\n${stdout}`);
        }
        await kubectl(['delete', 'namespace', namespace.metadata.name, '--wait=false']);
      }
    });
  }

  it('refuses an HTTPRoute the Gateway API schema does not allow (the dry run can fail)', async () => {
    const result = await cluster!.kubectl(
      ['apply', '-f', new URL('../../lint/fixtures/broken-httproute.yaml', import.meta.url).pathname, '-n', 'default', '--dry-run=server'],
      {
        reject: false,
        all: true,
      },
    );
    assert.notEqual(result.exitCode, 0, 'the broken HTTPRoute passed');
    assert.match(String(result.all), /backendRef|port/);
  });

  it('refuses a Rollout the Argo Rollouts CRD does not allow (the dry run can fail)', async () => {
    const result = await cluster!.kubectl(
      ['apply', '-f', new URL('../../lint/fixtures/broken-rollout.yaml', import.meta.url).pathname, '-n', 'default', '--dry-run=server'],
      { reject: false, all: true },
    );
    assert.notEqual(result.exitCode, 0, 'the broken Rollout passed');
    assert.match(String(result.all), /activeServise|autoPromotionEnabled/);
  });
});

// --manifests helm, as a user installs it: one language's chart, with the dev values, into a namespace
// labelled for Pod Security restricted as the generated README does it; every replica Ready through
// its probes, with no restart.
describe('helm chart: the go starter installed with helm', function () {
  this.timeout(900_000);
  const appName = 'cluster-helm';
  const namespace = `${appName}-dev`;
  let dir = '';
  let helm = '';
  const kubectl = (args: string[]) => cluster!.kubectl(args);
  before(async function () {
    this.timeout(900_000);
    helm = await ensureHelm();
    dir = await generateProject({ 'app-name': appName, language: 'go', 'image-family': 'distroless', manifests: 'helm', exposure: 'ingress' });
    const { image } = parse(readFileSync(path.join(dir, 'chart', appName, 'values.yaml'), 'utf8')) as { image: { repository: string; tag: string } };
    const reference = `${image.repository}:${image.tag}`;
    await dockerBuild(dir, reference);
    await cluster!.pushImage(reference);
    await execa(DOCKER, ['rmi', reference], { reject: false });
  });
  after(async () => {
    await kubectl(['delete', 'namespace', namespace, '--wait=false']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && cluster) console.log(await cluster.describeNamespace(namespace));
  });

  it('helm install with values-dev.yaml; every replica becomes Ready through its probes, with no restart', async () => {
    await kubectl(['create', 'namespace', namespace]);
    const labels = ['enforce', 'warn', 'audit'].map((mode) => `pod-security.kubernetes.io/${mode}=restricted`);
    await kubectl(['label', 'namespace', namespace, ...labels]);
    const chart = path.join(dir, 'chart', appName);
    await cluster!.inNetwork(helm, [
      '--kubeconfig',
      cluster!.kubeconfig,
      'install',
      appName,
      chart,
      '-n',
      namespace,
      '-f',
      path.join(chart, 'values-dev.yaml'),
    ]);
    await kubectl(['rollout', 'status', `deployment/${appName}`, '-n', namespace, '--timeout=240s']);
    const deployment = JSON.parse(String((await kubectl(['get', 'deployment', appName, '-n', namespace, '-o', 'json'])).stdout));
    assert.equal(deployment.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal(deployment.spec.replicas, 2);
    const pods = JSON.parse(String((await kubectl(['get', 'pods', '-n', namespace, '-l', `app.kubernetes.io/instance=${appName}`, '-o', 'json'])).stdout))
      .items as PodState[];
    const ready = pods.filter((pod) => pod.status.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True'));
    assert.equal(ready.length, 2, `${ready.length} of ${pods.length} pods Ready`);
    const restarts = pods.flatMap((pod) => pod.status.containerStatuses ?? []).reduce((sum, status) => sum + status.restartCount, 0);
    assert.equal(restarts, 0);
    // The Ingress went in with it: the API server took it as the chart rendered it.
    await kubectl(['get', 'ingress', appName, '-n', namespace]);
  });
});

// Release strategies with plain Kubernetes objects, as the generated README runs them: the Go starter
// (its GET / answers its greeting setting, which each track's environment sets here, standing in for
// a version), the dev overlay applied, requests through the Service's ClusterIP, each on a new
// connection so kube-proxy picks a pod for each.
describe('release strategies: blue/green and canary with Deployments', function () {
  this.timeout(900_000);
  const kubectl = (args: string[]) => cluster!.kubectl(args);
  const projects: { dir: string; namespace: string }[] = [];
  after(async () => {
    for (const { dir, namespace } of projects) {
      await kubectl(['delete', 'namespace', namespace, '--wait=false']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && cluster) for (const { namespace } of projects) console.log(await cluster.describeNamespace(namespace));
  });

  /** A Go starter with `strategy`, built, pushed and applied with its dev overlay; its Deployments rolled out. */
  async function deployStarter(appName: string, strategy: string) {
    const dir = await generateProject({ 'app-name': appName, language: 'go', 'image-family': 'distroless', 'release-strategy': strategy });
    const namespace = `${appName}-dev`;
    projects.push({ dir, namespace });
    const objects = await renderOverlay(dir, 'dev');
    const deployments = objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name);
    const image = objects.find((object) => object.kind === 'Deployment')!.spec.template.spec.containers[0].image as string;
    await dockerBuild(dir, image);
    await cluster!.pushImage(image);
    await execa(DOCKER, ['rmi', image], { reject: false });
    await kubectl(['apply', '-k', path.join(dir, 'k8s', 'overlays', 'dev')]);
    for (const deployment of deployments) await rolledOut(namespace, deployment);
    return { dir, namespace, deployments };
  }
  const rolledOut = (namespace: string, deployment: string) => kubectl(['rollout', 'status', `deployment/${deployment}`, '-n', namespace, '--timeout=240s']);
  /** A new version of one track, as a release sets it: here its greeting, by environment. */
  async function release(namespace: string, deployment: string, greeting: string) {
    await kubectl(['set', 'env', `deployment/${deployment}`, '-n', namespace, `GREETING=${greeting}`]);
    await rolledOut(namespace, deployment);
  }
  const serviceUrl = async (namespace: string, service: string) =>
    `http://${String((await kubectl(['get', 'service', service, '-n', namespace, '-o', 'jsonpath={.spec.clusterIP}'])).stdout)}:80/`;
  interface LoadSummary {
    requests: number;
    failures: number;
    errors: string[];
    timedOut: boolean;
    greetings: Record<string, number>;
  }
  /** `count` requests through the Service, each on a new connection. */
  async function requests(url: string, count: number): Promise<LoadSummary> {
    return JSON.parse(String((await cluster!.inNetwork(process.execPath, [CLIENT, 'load', url, '120', String(count)])).stdout));
  }
  /** Requests through the Service for as long as `during` runs. */
  async function underLoad(url: string, during: () => Promise<void>): Promise<LoadSummary> {
    const load = cluster!.follow(process.execPath, [CLIENT, 'load', url, '300']);
    let output = '';
    try {
      await sleep(1000);
      await during();
      await sleep(1000);
    } finally {
      output = await load.stop();
    }
    return JSON.parse(output);
  }
  /** Waits until kube-proxy has taken a change: 20 answers in a row, each from one of `greetings` (a pod
   * a rollout replaced can answer for a moment after it, until kube-proxy drops it). */
  async function answeringOnly(url: string, greetings: string[]) {
    await waitUntil(`only ${greetings.join(' and ')} answering`, 30_000, async () => {
      const probe = await requests(url, 20);
      const answered = Object.entries(probe.greetings).filter(([greeting]) => greetings.includes(greeting));
      return answered.reduce((sum, [, count]) => sum + count, 0) === 20 ? true : undefined;
    });
  }
  /** The Service answers only from `greeting` (kube-proxy has taken the change): then 200 requests. */
  async function onlyFrom(url: string, greeting: string) {
    await answeringOnly(url, [greeting]);
    const summary = await requests(url, 200);
    assert.equal(summary.failures, 0, summary.errors.join('\n'));
    assert.deepEqual(summary.greetings, { [greeting]: 200 }, `not every answer came from ${greeting}`);
  }

  it('blue/green: green deployed beside blue, the switch and the switch back lose no request and move every answer', async () => {
    const app = 'cluster-bluegreen';
    const { namespace, deployments } = await deployStarter(app, 'blue-green');
    assert.deepEqual(deployments.sort(), [`${app}-blue`, `${app}-green`]);
    const url = await serviceUrl(namespace, app);
    await release(namespace, `${app}-blue`, 'blue');
    await onlyFrom(url, 'blue');
    // The next version goes to the idle colour; the live Service does not see it, the preview does.
    await release(namespace, `${app}-green`, 'green');
    await onlyFrom(url, 'blue');
    await onlyFrom(await serviceUrl(namespace, `${app}-preview`), 'green');
    // The README's switch, under load.
    const switchTo = (live: string, idle: string) => async () => {
      await kubectl(['patch', 'service', app, '-n', namespace, '-p', JSON.stringify({ spec: { selector: { track: live } } })]);
      await kubectl(['patch', 'service', `${app}-preview`, '-n', namespace, '-p', JSON.stringify({ spec: { selector: { track: idle } } })]);
      await waitUntil(`${live} answering`, 30_000, async () => ((await requests(url, 20)).greetings[live] === 20 ? true : undefined));
    };
    for (const [live, idle] of [
      ['green', 'blue'],
      ['blue', 'green'],
    ] as const) {
      const summary = await underLoad(url, switchTo(live, idle));
      report.push(`blue/green: switch to ${live} under load: ${summary.requests} requests, ${summary.failures} failed (${JSON.stringify(summary.greetings)})`);
      assert.ok(summary.requests > 50, `only ${summary.requests} requests during the switch`);
      assert.equal(summary.failures, 0, `requests failed during the switch to ${live}:\n${summary.errors.join('\n')}`);
      await onlyFrom(url, live);
    }
  });

  it('canary: 4 stable pods and 1 canary share the Service about 80/20; promoting the canary loses no request', async () => {
    const app = 'cluster-canary';
    const { namespace, deployments } = await deployStarter(app, 'canary');
    assert.deepEqual(deployments.sort(), [app, `${app}-canary`]);
    await kubectl(['scale', `deployment/${app}`, '-n', namespace, '--replicas=4']);
    await release(namespace, app, 'stable');
    await release(namespace, `${app}-canary`, 'canary');
    const url = await serviceUrl(namespace, app);
    await answeringOnly(url, ['stable', 'canary']);
    const summary = await requests(url, 600);
    assert.equal(summary.failures, 0, summary.errors.join('\n'));
    const share = (100 * (summary.greetings.canary ?? 0)) / summary.requests;
    report.push(`canary: ${summary.requests} requests, ${share.toFixed(1)}% from the canary (${JSON.stringify(summary.greetings)})`);
    assert.equal((summary.greetings.canary ?? 0) + (summary.greetings.stable ?? 0), summary.requests, JSON.stringify(summary.greetings));
    assert.ok(Math.abs(share - 20) <= 7, `the canary answered ${share.toFixed(1)}% of the requests, not 20 ± 7`);
    // Promote: the stable Deployment rolls to the canary's version, a pod at a time.
    const promoted = await underLoad(url, () => release(namespace, app, 'canary'));
    report.push(`canary: promoted under load: ${promoted.requests} requests, ${promoted.failures} failed`);
    assert.ok(promoted.requests > 50, `only ${promoted.requests} requests during the promotion`);
    assert.equal(promoted.failures, 0, `requests failed during the promotion:\n${promoted.errors.join('\n')}`);
    await onlyFrom(url, 'canary');
  });
});
