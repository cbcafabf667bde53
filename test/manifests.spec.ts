// The kustomize output of every combination: each overlay renders with the real kubectl, and the
// files agree with each other and with the service (docs/service-contract.md, "Manifests").
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { CI_PINS, HEALTH, PRESTOP_SLEEP_SECONDS, RUNTIME_USER } from '../stacks/common.ts';
import { IMAGE_FAMILIES, STACKS } from '../stacks/registry.ts';
import { generateProject, loggedText, runAppIn } from './support/generate.ts';
import { type Manifest, renderOverlay, withoutConfigMapHash } from './support/kustomize.ts';
import { definesDefault } from './support/source-defaults.ts';

const EXAMPLE_PRESET = new URL('../examples/company-generator/preset.yaml', import.meta.url).pathname;

function only(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  assert.equal(found.length, 1, `expected one ${kind}, found ${found.length}`);
  return found[0]!;
}

/** Every file of the service's own code, concatenated. */
function serviceCode(projectDir: string, sourceDir: string): string {
  const root = path.join(projectDir, sourceDir);
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((file) => statSync(path.join(root, file)).isFile())
    .map((file) => readFileSync(path.join(root, file), 'utf8'))
    .join('\n');
}

function includes(labels: Record<string, string>, selector: Record<string, string>) {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe('kubernetes manifests', () => {
  for (const stack of STACKS) {
    for (const family of IMAGE_FAMILIES) {
      for (const port of [8080, 3000]) {
        describe(`${stack.language} ${family} port ${port}`, () => {
          const appName = 'manifest-svc';
          let projectDir = '';
          before(async () => {
            projectDir = await generateProject({
              'app-name': appName,
              language: stack.language,
              'image-family': family,
              port: String(port),
              'k8s-namespace': 'shop',
            });
          });
          after(() => rmSync(projectDir, { recursive: true, force: true }));

          for (const overlay of ['dev', 'prod']) {
            describe(`overlay ${overlay}`, () => {
              let manifests: Manifest[] = [];
              let deployment: Manifest;
              let container: any;
              let podLabels: Record<string, string>;
              before(async () => {
                manifests = await renderOverlay(projectDir, overlay);
                deployment = only(manifests, 'Deployment');
                container = deployment.spec.template.spec.containers[0];
                podLabels = deployment.spec.template.metadata.labels;
              });

              const namespace = overlay === 'prod' ? 'shop' : 'shop-dev';

              it(`creates its own namespace (${namespace}), first, with the Pod Security restricted profile enforced`, () => {
                assert.equal(manifests[0]!.kind, 'Namespace', 'kubectl apply creates the namespace before what goes in it');
                const created = only(manifests, 'Namespace');
                assert.equal(created.metadata.name, namespace);
                assert.equal(created.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
              });

              it(overlay === 'dev' ? 'pulls the image only when the node lacks it (a locally loaded image runs)' : 'always pulls the image', () => {
                assert.equal(container.imagePullPolicy, overlay === 'dev' ? 'IfNotPresent' : 'Always');
              });

              it('renders every object into the namespace, with the app.kubernetes.io labels', () => {
                const namespaced = manifests.filter((m) => m.kind !== 'Namespace');
                assert.deepEqual(namespaced.map((m) => m.kind).sort(), [
                  'ConfigMap',
                  'Deployment',
                  'NetworkPolicy',
                  'PodDisruptionBudget',
                  'Service',
                  'ServiceAccount',
                ]);
                for (const manifest of namespaced) {
                  assert.equal(manifest.metadata.namespace, namespace, `${manifest.kind} namespace`);
                  assert.equal(manifest.metadata.labels?.['app.kubernetes.io/name'], appName, `${manifest.kind} labels`);
                  assert.equal(manifest.metadata.labels?.['app.kubernetes.io/instance'], appName, `${manifest.kind} labels`);
                }
              });

              it('uses one port: EXPOSE = containerPort = Service targetPort = PORT', () => {
                const dockerfile = readFileSync(path.join(projectDir, 'Dockerfile'), 'utf8');
                assert.match(dockerfile, new RegExp(`^EXPOSE ${port}$`, 'm'));
                assert.deepEqual(container.ports, [{ name: 'http', containerPort: port, protocol: 'TCP' }]);
                assert.equal(only(manifests, 'Service').spec.ports[0].targetPort, 'http');
                assert.deepEqual(
                  container.env.find((env: any) => env.name === 'PORT'),
                  { name: 'PORT', value: String(port) },
                );
              });

              it('probes the routes the service serves, on the named port', () => {
                assert.equal(container.startupProbe.httpGet.path, HEALTH.liveness);
                assert.equal(container.livenessProbe.httpGet.path, HEALTH.liveness);
                assert.equal(container.readinessProbe.httpGet.path, HEALTH.readiness);
                for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) assert.equal(container[probe].httpGet.port, 'http');
                const code = serviceCode(projectDir, stack.sourceDir);
                // The route as a string literal's end: '/livez', "/livez" or "GET /livez".
                for (const route of [HEALTH.liveness, HEALTH.readiness]) assert.match(code, new RegExp(`${route}['"]`), `the service has no ${route} route`);
              });

              it('gives the runtime its startup budget and resources from the stack data', () => {
                // A slow starter (the JVM) gets more periods before liveness takes over; no language special case.
                assert.equal(container.startupProbe.periodSeconds, stack.startupProbe.periodSeconds);
                assert.equal(container.startupProbe.failureThreshold, stack.startupProbe.failureThreshold);
                assert.equal(container.resources.requests.cpu, stack.starterResources.requests.cpu);
                assert.equal(container.resources.limits.memory, stack.starterResources.limits.memory);
              });

              it('runs as the image user, restricted', () => {
                const dockerfile = readFileSync(path.join(projectDir, 'Dockerfile'), 'utf8');
                assert.match(dockerfile, new RegExp(`^USER ${RUNTIME_USER}:${RUNTIME_USER}$`, 'm'));
                const pod = deployment.spec.template.spec;
                assert.deepEqual(pod.securityContext, {
                  runAsNonRoot: true,
                  runAsUser: RUNTIME_USER,
                  runAsGroup: RUNTIME_USER,
                  fsGroup: RUNTIME_USER,
                  seccompProfile: { type: 'RuntimeDefault' },
                });
                assert.deepEqual(container.securityContext, {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: RUNTIME_USER,
                  runAsGroup: RUNTIME_USER,
                  capabilities: { drop: ['ALL'] },
                });
              });

              it('selects exactly the pods it runs', () => {
                assert.deepEqual(deployment.spec.selector.matchLabels, podLabels);
                assert.ok(includes(podLabels, only(manifests, 'Service').spec.selector), 'Service selector');
                assert.ok(includes(podLabels, only(manifests, 'PodDisruptionBudget').spec.selector.matchLabels), 'PDB selector');
                assert.ok(includes(podLabels, only(manifests, 'NetworkPolicy').spec.podSelector.matchLabels), 'NetworkPolicy selector');
              });

              it('mounts config and secrets where the service reads them, as directories', () => {
                const code = serviceCode(projectDir, stack.sourceDir);
                const mounts = Object.fromEntries(container.volumeMounts.map((mount: any) => [mount.name, mount]));
                assert.equal(mounts.config.mountPath, `/etc/${appName}/config`);
                assert.equal(mounts.secrets.mountPath, `/etc/${appName}/secrets`);
                assert.equal(mounts.tmp.mountPath, '/tmp');
                for (const dir of [`/etc/${appName}/config`, `/etc/${appName}/secrets`]) {
                  assert.ok(definesDefault(code, dir), `the service does not read ${dir} by default`);
                }
                for (const mount of container.volumeMounts) assert.equal(mount.subPath, undefined, 'subPath never sees updates');
                const volumes = Object.fromEntries(deployment.spec.template.spec.volumes.map((volume: any) => [volume.name, volume]));
                assert.equal(volumes.config.configMap.name, only(manifests, 'ConfigMap').metadata.name, 'the generated, hashed ConfigMap');
                assert.match(volumes.config.configMap.name, new RegExp(`^${appName}-config-[a-z0-9]+$`));
              });

              it('gives the drain time to finish before the kill', () => {
                const timeout = Number(container.env.find((env: any) => env.name === 'SHUTDOWN_TIMEOUT').value);
                assert.equal(container.lifecycle.preStop.sleep.seconds, PRESTOP_SLEEP_SECONDS);
                assert.ok(deployment.spec.template.spec.terminationGracePeriodSeconds > PRESTOP_SLEEP_SECONDS + timeout);
              });

              it(overlay === 'prod' ? 'runs three replicas without the demo routes' : 'logs at debug and serves the demo routes', () => {
                const settings = (only(manifests, 'ConfigMap') as any).data;
                if (overlay === 'prod') {
                  assert.equal(deployment.spec.replicas, 3);
                  // A setting file ends with a newline, which the service ignores.
                  assert.equal(settings['demo-endpoints'].trim(), 'false');
                } else {
                  assert.equal(settings['log-level'], 'debug');
                  assert.equal(settings['demo-endpoints'], 'true');
                }
              });
            });
          }
        });
      }
    }
  }
});

describe("trivy's trusted registries", () => {
  it('names the registry of the image repository, in the files trivy reads from the service folder', async () => {
    const projectDir = await generateProject({ 'app-name': 'trivy-svc', language: 'go', 'image-repository': 'registry.example.com:5000/team/trivy-svc' });
    try {
      assert.match(readFileSync(path.join(projectDir, 'trivy.yaml'), 'utf8'), /^rego:\n(?:\s+#.*\n)*\s+data:\n\s+- \.trivy$/m);
      const data = readFileSync(path.join(projectDir, '.trivy', 'trusted-registries.yaml'), 'utf8');
      assert.match(data, /^ksv0125:\n\s+trusted_registries:\n\s+- registry\.example\.com:5000$/m);
    } finally {
      rmSync(projectDir, { recursive: true, force: true });
    }
  });

  it('writes neither file when the repository names no registry (the check does not apply)', async () => {
    const projectDir = await generateProject({ 'app-name': 'trivy-svc', language: 'go', 'image-repository': 'trivy-svc' });
    try {
      assert.equal(existsSync(path.join(projectDir, 'trivy.yaml')), false);
      assert.equal(existsSync(path.join(projectDir, '.trivy')), false);
    } finally {
      rmSync(projectDir, { recursive: true, force: true });
    }
  });
});

describe('optional objects: the autoscaler and the way in from outside', () => {
  const projects = new Map<string, string>();
  const generate = async (name: string, options: Record<string, string>) => {
    projects.set(name, await generateProject({ 'app-name': 'orders', language: 'go', 'k8s-namespace': 'shop', ...options }));
  };
  before(async () => {
    await generate('none', {});
    await generate('autoscaling + ingress', { autoscaling: 'yes', exposure: 'ingress', 'ingress-class': 'traefik', host: 'orders.acme.io' });
    await generate('httproute', { exposure: 'httproute', gateway: 'infra/public' });
    await generate('httproute, own namespace', { exposure: 'httproute', gateway: 'public', host: 'api.acme.io' });
  });
  after(() => {
    for (const dir of projects.values()) rmSync(dir, { recursive: true, force: true });
  });
  const rendered = (name: string, overlay: string) => renderOverlay(projects.get(name)!, overlay);
  const kinds = (manifests: Manifest[]) => manifests.map((manifest) => manifest.kind);

  it('by default: none of them, and a fixed replica count (dev 2, prod 3)', async () => {
    for (const [overlay, replicas] of [
      ['dev', 2],
      ['prod', 3],
    ] as const) {
      const manifests = await rendered('none', overlay);
      for (const kind of ['HorizontalPodAutoscaler', 'Ingress', 'HTTPRoute']) assert.ok(!kinds(manifests).includes(kind), `${overlay} has a ${kind}`);
      assert.equal(only(manifests, 'Deployment').spec.replicas, replicas);
    }
    for (const file of ['horizontalpodautoscaler.yaml', 'ingress.yaml', 'httproute.yaml'])
      assert.ok(!existsSync(path.join(projects.get('none')!, 'k8s', 'base', file)));
  });

  it('the autoscaler owns the replica count: the Deployment sets none, dev scales 2-4 and prod 3-10 on 70% CPU', async () => {
    for (const [overlay, min, max] of [
      ['dev', 2, 4],
      ['prod', 3, 10],
    ] as const) {
      const manifests = await rendered('autoscaling + ingress', overlay);
      const deployment = only(manifests, 'Deployment');
      assert.equal(deployment.spec.replicas, undefined, `${overlay}: an apply would reset what the autoscaler chose`);
      const autoscaler = only(manifests, 'HorizontalPodAutoscaler');
      assert.deepEqual(autoscaler.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
      assert.equal(autoscaler.spec.minReplicas, min);
      assert.equal(autoscaler.spec.maxReplicas, max);
      // The PodDisruptionBudget lets one pod go: the minimum keeps another serving.
      assert.ok(autoscaler.spec.minReplicas > only(manifests, 'PodDisruptionBudget').spec.maxUnavailable);
      assert.deepEqual(autoscaler.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
      // Utilization is a share of the request: there must be one.
      assert.ok(deployment.spec.template.spec.containers[0].resources.requests.cpu);
    }
  });

  it('the Ingress sends its host to the Service port, with TLS, on the class answered; dev on its own host', async () => {
    for (const [overlay, host] of [
      ['prod', 'orders.acme.io'],
      ['dev', 'orders-dev.acme.io'],
    ] as const) {
      const manifests = await rendered('autoscaling + ingress', overlay);
      const ingress = only(manifests, 'Ingress');
      const service = only(manifests, 'Service');
      assert.equal(ingress.spec.ingressClassName, 'traefik');
      assert.deepEqual(ingress.spec.tls, [{ hosts: [host], secretName: 'orders-tls' }]);
      assert.equal(ingress.spec.rules.length, 1);
      assert.equal(ingress.spec.rules[0].host, host);
      const backend = ingress.spec.rules[0].http.paths[0].backend.service;
      assert.equal(backend.name, service.metadata.name);
      assert.ok(
        service.spec.ports.some((port: { name: string }) => port.name === backend.port.name),
        'the Ingress names a port the Service has',
      );
    }
  });

  it("the HTTPRoute attaches to the Gateway answered and sends its host to the Service's port; dev on its own host", async () => {
    for (const [overlay, host] of [
      ['prod', 'orders.example.com'],
      ['dev', 'orders-dev.example.com'],
    ] as const) {
      const manifests = await rendered('httproute', overlay);
      const route = only(manifests, 'HTTPRoute');
      const service = only(manifests, 'Service');
      assert.deepEqual(route.spec.parentRefs, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra' }]);
      assert.deepEqual(route.spec.hostnames, [host]);
      const [backend] = route.spec.rules[0].backendRefs;
      assert.equal(backend.name, service.metadata.name);
      assert.ok(
        service.spec.ports.some((port: { port: number }) => port.port === backend.port),
        'the route names a port the Service has',
      );
    }
    const own = only(await rendered('httproute, own namespace', 'prod'), 'HTTPRoute');
    assert.equal(own.spec.parentRefs[0].namespace, undefined, "a Gateway of the route's own namespace needs none");
    assert.deepEqual(own.spec.hostnames, ['api.acme.io']);
  });

  it("the CI pipeline's kubeconform finds the HTTPRoute's schema (the CRD catalog), and needs none without one", () => {
    const flags = ` -schema-location default -schema-location '${CI_PINS.crdSchemaCatalog}' -`;
    assert.ok(readFileSync(path.join(projects.get('httproute')!, '.github', 'workflows', 'ci.yml'), 'utf8').includes(flags));
    assert.ok(!readFileSync(path.join(projects.get('autoscaling + ingress')!, '.github', 'workflows', 'ci.yml'), 'utf8').includes('-schema-location'));
  });

  it('the README explains the autoscaler and the way in, with what the cluster needs', () => {
    const readme = readFileSync(path.join(projects.get('autoscaling + ingress')!, 'README.md'), 'utf8');
    assert.match(readme, /### Autoscaling\n[\s\S]*metrics-server[\s\S]*kubectl get hpa orders -n shop/);
    assert.match(readme, /### From outside the cluster\n[\s\S]*https:\/\/orders\.acme\.io\/[\s\S]*`traefik`[\s\S]*`orders-tls`/);
    const route = readFileSync(path.join(projects.get('httproute')!, 'README.md'), 'utf8');
    assert.match(route, /Gateway `infra\/public`[\s\S]*Gateway API CRDs[\s\S]*allowedRoutes\.namespaces/);
    assert.doesNotMatch(readFileSync(path.join(projects.get('none')!, 'README.md'), 'utf8'), /### Autoscaling|### From outside the cluster/);
  });
});

// --manifests plain: one file per environment, from the same object partials as the kustomize base. The
// objects must be what kustomize renders for the same answers, the ConfigMap's name hash aside.
describe('plain manifests: the same objects as the kustomize overlays', () => {
  const byKindAndName = (manifests: Manifest[]) => Object.fromEntries(manifests.map((manifest) => [`${manifest.kind}/${manifest.metadata.name}`, manifest]));
  const combinations: [string, Record<string, string>][] = [
    ...STACKS.map((stack): [string, Record<string, string>] => [stack.language, { language: stack.language }]),
    ['go, autoscaling + ingress, the example preset', { language: 'go', autoscaling: 'yes', exposure: 'ingress', preset: EXAMPLE_PRESET }],
    ['node, httproute', { language: 'node', exposure: 'httproute', gateway: 'infra/public' }],
    ['go, blue-green, autoscaling', { language: 'go', 'release-strategy': 'blue-green', autoscaling: 'yes' }],
    ['node, canary + weighted httproute', { language: 'node', 'release-strategy': 'canary', exposure: 'httproute' }],
    [
      'java, argo rollouts canary, the example preset',
      { language: 'java', 'release-strategy': 'canary', 'release-controller': 'argo-rollouts', preset: EXAMPLE_PRESET },
    ],
  ];
  for (const [combination, options] of combinations) {
    describe(combination, () => {
      const dirs: Record<string, string> = {};
      before(async () => {
        for (const manifests of ['kustomize', 'plain']) {
          dirs[manifests] = await generateProject({ 'app-name': 'same-svc', 'k8s-namespace': 'shop', ...options, manifests });
        }
      });
      after(() => {
        for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
      });

      it('writes k8s/dev.yaml and k8s/prod.yaml, and no kustomize files', () => {
        assert.deepEqual(readdirSync(path.join(dirs.plain!, 'k8s')).sort(), ['dev.yaml', 'prod.yaml']);
      });

      for (const environment of ['dev', 'prod']) {
        it(`k8s/${environment}.yaml holds the objects kubectl kustomize renders for the ${environment} overlay, the namespace first`, async () => {
          const plain = parseAllDocuments(readFileSync(path.join(dirs.plain!, 'k8s', `${environment}.yaml`), 'utf8')).map(
            (document) => document.toJS() as Manifest,
          );
          assert.equal(plain[0]!.kind, 'Namespace');
          const kustomize = withoutConfigMapHash(await renderOverlay(dirs.kustomize!, environment));
          assert.deepEqual(Object.keys(byKindAndName(plain)).sort(), Object.keys(byKindAndName(kustomize)).sort());
          for (const [key, object] of Object.entries(byKindAndName(kustomize))) assert.deepEqual(byKindAndName(plain)[key], object, key);
        });
      }

      it('a switch from kustomize leaves its files, and says so', async () => {
        const dir = dirs.kustomize!;
        const run = await runAppIn(dir, { skipInstall: true, manifests: 'plain' }, { force: true });
        assert.ok(existsSync(path.join(dir, 'k8s', 'base', 'kustomization.yaml')) && existsSync(path.join(dir, 'k8s', 'dev.yaml')));
        assert.match(
          loggedText(run),
          /Manifests an earlier run wrote in another format are left as they are \(k8s\/base\/, k8s\/overlays\/\): delete them once the plain ones/,
        );
      });

      it('the README and the run summary apply the files', () => {
        const readme = readFileSync(path.join(dirs.plain!, 'README.md'), 'utf8');
        assert.match(readme, /kubectl apply -f k8s\/dev\.yaml {10}# namespace shop-dev\nkubectl apply -f k8s\/prod\.yaml {9}# namespace shop\n/);
        assert.doesNotMatch(readme, /kustomize|overlays/);
      });
    });
  }
});

// --manifests helm: the chart's layout and values; helm itself lints and renders it in the quality gate
// (lint/output.spec.ts), which also compares its objects with kustomize's.
describe('helm chart', () => {
  let dir = '';
  before(async () => {
    dir = await generateProject({ 'app-name': 'orders', language: 'go', 'k8s-namespace': 'shop', manifests: 'helm', autoscaling: 'yes', exposure: 'ingress' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const chart = () => path.join(dir, 'chart', 'orders');
  const values = (file: string): any => parse(readFileSync(path.join(chart(), file), 'utf8'));

  it("is written in the layout helm create's users know, and no k8s/ folder", () => {
    assert.deepEqual((readdirSync(chart(), { recursive: true, encoding: 'utf8' }) as string[]).filter((file) => file.includes('.')).sort(), [
      '.helmignore',
      'Chart.yaml',
      'templates/NOTES.txt',
      'templates/_helpers.tpl',
      'templates/configmap.yaml',
      'templates/deployment.yaml',
      'templates/horizontalpodautoscaler.yaml',
      'templates/httproute.yaml',
      'templates/ingress.yaml',
      'templates/networkpolicy.yaml',
      'templates/poddisruptionbudget.yaml',
      'templates/service.yaml',
      'templates/serviceaccount.yaml',
      'values-dev.yaml',
      'values-prod.yaml',
      'values.schema.json',
      'values.yaml',
    ]);
    assert.equal(existsSync(path.join(dir, 'k8s')), false);
  });

  it('has values for the image, replicas, resources, probe timings, settings and the optional parts, on as answered', () => {
    const defaults = values('values.yaml');
    assert.deepEqual(Object.keys(defaults), ['replicaCount', 'image', 'resources', 'probes', 'config', 'autoscaling', 'ingress', 'httpRoute']);
    assert.equal(defaults.autoscaling.enabled, true);
    assert.equal(defaults.ingress.enabled, true);
    assert.equal(defaults.httpRoute.enabled, false);
    assert.equal(defaults.ingress.host, 'orders.example.com');
  });

  it('values-dev.yaml and values-prod.yaml change what the overlays change, and nothing else', () => {
    assert.deepEqual(values('values-prod.yaml'), { replicaCount: 3, autoscaling: { minReplicas: 3, maxReplicas: 10 } });
    assert.deepEqual(values('values-dev.yaml'), {
      image: { pullPolicy: 'IfNotPresent' },
      config: { 'log-level': 'debug', 'demo-endpoints': 'true' },
      ingress: { host: 'orders-dev.example.com' },
      httpRoute: { host: 'orders-dev.example.com' },
    });
  });

  it('values.schema.json accepts its values files and refuses a misspelt or mistyped value', () => {
    const schema = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(path.join(chart(), 'values.schema.json'), 'utf8')));
    const validate = (candidate: unknown): boolean => schema(candidate);
    const defaults = values('values.yaml');
    assert.ok(validate(defaults), JSON.stringify(schema.errors));
    assert.equal(validate({ ...defaults, replicaCounts: 3 }), false, 'a misspelt key passed');
    assert.equal(validate({ ...defaults, image: { ...defaults.image, pullPolicy: 'Sometimes' } }), false, 'an unknown pull policy passed');
    assert.equal(validate({ ...defaults, replicaCount: 'three' }), false, 'a text replica count passed');
    assert.ok(validate({ ...defaults, resources: { requests: { cpu: 1, 'nvidia.com/gpu': 1 }, limits: {} } }), 'any resource quantity is allowed');
  });

  it('the README installs it into labelled namespaces, per environment', () => {
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.match(readme, /kubectl label namespace "\$namespace" pod-security\.kubernetes\.io\/enforce=restricted/);
    assert.match(readme, /helm upgrade --install orders chart\/orders -n shop-dev -f chart\/orders\/values-dev\.yaml\n/);
    assert.match(readme, /helm upgrade --install orders chart\/orders -n shop -f chart\/orders\/values-prod\.yaml\n/);
    assert.doesNotMatch(readme, /kustomize|overlays|k8s\//);
  });
});
