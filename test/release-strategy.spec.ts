// --release-strategy rolling|blue-green|canary and --release-controller kubernetes|argo-rollouts: the
// objects each writes (rendered with the real kubectl kustomize), how they select each track's pods,
// the chart's values, the README's commands, .yo-rc.json and the errors. The cluster spec runs them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CI_PINS } from '../stacks/common.ts';
import { generateProject, runAppIn } from './support/generate.ts';
import { type Manifest, renderOverlay } from './support/kustomize.ts';
import { RETROFIT_FIXTURES, retrofitCopy } from './support/retrofit-fixtures.ts';
import { writeRepo } from './support/temp-repo.ts';

const EXAMPLE_PRESET = new URL('../examples/company-generator/preset.yaml', import.meta.url).pathname;

const named = (manifests: Manifest[], kind: string) =>
  Object.fromEntries(manifests.filter((manifest) => manifest.kind === kind).map((manifest) => [manifest.metadata.name, manifest]));
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);
const podLabels = (workload: Manifest) => workload.spec.template.metadata.labels as Record<string, string>;

describe('release strategies', () => {
  const projects = new Map<string, string>();
  const generate = async (name: string, options: Record<string, string>) => {
    projects.set(name, await generateProject({ 'app-name': 'orders', language: 'go', 'k8s-namespace': 'shop', ...options }));
  };
  before(async () => {
    await generate('rolling', {});
    await generate('blue-green', { 'release-strategy': 'blue-green' });
    await generate('canary + httproute', { 'release-strategy': 'canary', exposure: 'httproute' });
    await generate('canary + autoscaling', { 'release-strategy': 'canary', autoscaling: 'yes' });
    await generate('argo blue-green + autoscaling', { 'release-strategy': 'blue-green', 'release-controller': 'argo-rollouts', autoscaling: 'yes' });
    await generate('argo canary, preset', { 'release-strategy': 'canary', 'release-controller': 'argo-rollouts', preset: EXAMPLE_PRESET });
    await generate('helm blue-green', { 'release-strategy': 'blue-green', manifests: 'helm' });
    await generate('helm canary + httproute', { 'release-strategy': 'canary', manifests: 'helm', exposure: 'httproute' });
  });
  after(() => {
    for (const dir of projects.values()) rmSync(dir, { recursive: true, force: true });
  });
  const rendered = (name: string, overlay: string) => renderOverlay(projects.get(name)!, overlay);
  const yoRc = (name: string) => JSON.parse(readFileSync(path.join(projects.get(name)!, '.yo-rc.json'), 'utf8'))['generator-k8s-app'];
  const readme = (name: string) => readFileSync(path.join(projects.get(name)!, 'README.md'), 'utf8');

  it('rolling by default: one Deployment, no track label, no Releases section; .yo-rc.json records it', async () => {
    const manifests = await rendered('rolling', 'prod');
    assert.deepEqual(Object.keys(named(manifests, 'Deployment')), ['orders']);
    assert.equal(podLabels(named(manifests, 'Deployment').orders!).track, undefined);
    assert.deepEqual(Object.keys(named(manifests, 'Service')), ['orders']);
    assert.equal(yoRc('rolling').releaseStrategy, 'rolling');
    assert.equal(yoRc('rolling').releaseController, undefined);
    assert.doesNotMatch(readme('rolling'), /## Releases/);
  });

  for (const overlay of ['dev', 'prod']) {
    it(`blue/green (${overlay}): two full Deployments, each owning its colour's pods; the Service on blue, the preview on green`, async () => {
      const manifests = await rendered('blue-green', overlay);
      const deployments = named(manifests, 'Deployment');
      assert.deepEqual(Object.keys(deployments).sort(), ['orders-blue', 'orders-green']);
      for (const colour of ['blue', 'green']) {
        const deployment = deployments[`orders-${colour}`]!;
        assert.equal(deployment.spec.selector.matchLabels.track, colour);
        assert.equal(podLabels(deployment).track, colour);
        assert.equal(deployment.spec.replicas, overlay === 'prod' ? 3 : 2, 'each colour runs the full count');
        const container = deployment.spec.template.spec.containers[0];
        assert.equal(container.imagePullPolicy, overlay === 'dev' ? 'IfNotPresent' : 'Always');
        assert.ok(container.readinessProbe && container.livenessProbe && container.startupProbe, `${colour} has every probe`);
        assert.equal(container.securityContext.readOnlyRootFilesystem, true);
        assert.match(deployment.spec.template.spec.volumes.find((volume: { name: string }) => volume.name === 'config').configMap.name, /^orders-config-/);
      }
      const services = named(manifests, 'Service');
      assert.deepEqual(Object.keys(services).sort(), ['orders', 'orders-preview']);
      assert.ok(selects(services.orders!.spec.selector, podLabels(deployments['orders-blue']!)));
      assert.ok(!selects(services.orders!.spec.selector, podLabels(deployments['orders-green']!)));
      assert.ok(selects(services['orders-preview']!.spec.selector, podLabels(deployments['orders-green']!)));
      // The PodDisruptionBudget and the NetworkPolicy cover both colours.
      for (const deployment of Object.values(deployments)) {
        assert.ok(selects(named(manifests, 'PodDisruptionBudget').orders!.spec.selector.matchLabels, podLabels(deployment)));
        assert.ok(selects(named(manifests, 'NetworkPolicy').orders!.spec.podSelector.matchLabels, podLabels(deployment)));
      }
    });
  }

  it('blue/green: the README switches and switches back with one command per Service, and says how to record it; .yo-rc.json records it', () => {
    const text = readme('blue-green');
    assert.match(text, /## Releases \(blue-green\)/);
    assert.match(text, /kubectl set image deployment\/orders-green orders=orders:<next tag> -n shop\n/);
    assert.match(text, /kubectl patch service orders -n shop -p '\{"spec":\{"selector":\{"track":"green"\}\}\}'/);
    assert.match(text, /kubectl patch service orders-preview -n shop -p '\{"spec":\{"selector":\{"track":"blue"\}\}\}'/);
    assert.match(text, /set `track: green` in the Service's selector/);
    assert.equal(yoRc('blue-green').releaseStrategy, 'blue-green');
    assert.equal(yoRc('blue-green').releaseController, 'kubernetes');
  });

  it('canary: a stable and a 1-pod canary Deployment behind one Service; the HTTPRoute splits 80/20 by weight', async () => {
    const manifests = await rendered('canary + httproute', 'prod');
    const deployments = named(manifests, 'Deployment');
    assert.deepEqual(Object.keys(deployments).sort(), ['orders', 'orders-canary']);
    assert.equal(deployments.orders!.spec.replicas, 3);
    assert.equal(deployments['orders-canary']!.spec.replicas, 1);
    assert.equal(podLabels(deployments.orders!).track, 'stable');
    assert.equal(podLabels(deployments['orders-canary']!).track, 'canary');
    const services = named(manifests, 'Service');
    assert.deepEqual(Object.keys(services).sort(), ['orders', 'orders-canary', 'orders-stable']);
    for (const deployment of Object.values(deployments))
      assert.ok(selects(services.orders!.spec.selector, podLabels(deployment)), 'the Service selects both tracks');
    assert.ok(!selects(services['orders-canary']!.spec.selector, podLabels(deployments.orders!)));
    assert.ok(!selects(services['orders-stable']!.spec.selector, podLabels(deployments['orders-canary']!)));
    const backends = named(manifests, 'HTTPRoute').orders!.spec.rules[0].backendRefs.map((backend: { name: string; weight: number }) => [
      backend.name,
      backend.weight,
    ]);
    assert.deepEqual(backends, [
      ['orders-stable', 80],
      ['orders-canary', 20],
    ]);
    assert.match(readme('canary + httproute'), /per connection by kube-proxy, so it is approximate/);
    assert.match(readme('canary + httproute'), /4 stable and 1 canary: 20%/);
  });

  it('canary with the autoscaler: it scales the stable Deployment; the canary keeps its one pod', async () => {
    const manifests = await rendered('canary + autoscaling', 'prod');
    const autoscalers = Object.values(named(manifests, 'HorizontalPodAutoscaler'));
    assert.deepEqual(
      autoscalers.map((autoscaler) => [autoscaler.spec.scaleTargetRef.name, autoscaler.spec.minReplicas, autoscaler.spec.maxReplicas]),
      [['orders', 3, 10]],
    );
    const deployments = named(manifests, 'Deployment');
    assert.equal(deployments.orders!.spec.replicas, undefined);
    assert.equal(deployments['orders-canary']!.spec.replicas, 1);
  });

  it('Argo Rollouts blue-green: a Rollout instead of the Deployment, with active and preview Services, scaled by the autoscaler', async () => {
    const manifests = await rendered('argo blue-green + autoscaling', 'prod');
    assert.deepEqual(Object.keys(named(manifests, 'Deployment')), []);
    const rollout = named(manifests, 'Rollout').orders!;
    assert.equal((rollout as { apiVersion?: string }).apiVersion, 'argoproj.io/v1alpha1');
    assert.deepEqual(rollout.spec.strategy.blueGreen, {
      activeService: 'orders',
      previewService: 'orders-preview',
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: 600,
    });
    assert.deepEqual(Object.keys(named(manifests, 'Service')).sort(), ['orders', 'orders-preview']);
    // kustomize follows the ConfigMap's hashed name into the Rollout (rollout-transform.yaml).
    const configMap = Object.keys(named(manifests, 'ConfigMap'))[0]!;
    assert.match(configMap, /^orders-config-[a-z0-9]+$/);
    assert.equal(rollout.spec.template.spec.volumes.find((volume: { name: string }) => volume.name === 'config').configMap.name, configMap);
    const autoscaler = named(manifests, 'HorizontalPodAutoscaler').orders!;
    assert.deepEqual(autoscaler.spec.scaleTargetRef, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'orders' });
    assert.equal(autoscaler.spec.minReplicas, 3);
    assert.match(readme('argo blue-green + autoscaling'), /kubectl argo rollouts promote orders -n shop/);
    // The CI pipeline's kubeconform finds the Rollout's schema in the CRD catalog.
    const pipeline = readFileSync(path.join(projects.get('argo blue-green + autoscaling')!, '.github', 'workflows', 'ci.yml'), 'utf8');
    assert.ok(pipeline.includes(` -schema-location default -schema-location '${CI_PINS.crdSchemaCatalog}' -`));
  });

  it("Argo Rollouts canary: steps with a pause, the canary Service; the preset's labels reach the Rollout's pods", async () => {
    for (const overlay of ['dev', 'prod']) {
      const manifests = await rendered('argo canary, preset', overlay);
      const rollout = named(manifests, 'Rollout').orders!;
      assert.equal(rollout.spec.replicas, overlay === 'prod' ? 3 : 2);
      assert.equal(rollout.spec.strategy.canary.canaryService, 'orders-canary');
      assert.deepEqual(rollout.spec.strategy.canary.steps[0], { setWeight: 20 });
      assert.deepEqual(rollout.spec.strategy.canary.steps[1], { pause: {} });
      const preset = parse(readFileSync(EXAMPLE_PRESET, 'utf8')) as { labels: Record<string, string> };
      assert.ok(selects(preset.labels, podLabels(rollout)), `the preset's labels are not on the pods: ${JSON.stringify(podLabels(rollout))}`);
      assert.equal(rollout.spec.template.spec.containers[0].imagePullPolicy, overlay === 'dev' ? 'IfNotPresent' : 'Always');
    }
    assert.ok(existsSync(path.join(projects.get('argo canary, preset')!, 'k8s', 'base', 'rollout.yaml')));
    assert.ok(!existsSync(path.join(projects.get('argo canary, preset')!, 'k8s', 'base', 'deployment.yaml')));
  });

  it("the chart: the live colour and each track's image tag are values; the README's helm commands set them", () => {
    const chart = (name: string) => path.join(projects.get(name)!, 'chart', 'orders');
    const values = (name: string, file = 'values.yaml') => parse(readFileSync(path.join(chart(name), file), 'utf8'));
    assert.deepEqual(values('helm blue-green').blueGreen, { live: 'blue', tags: { blue: '', green: '' } });
    assert.deepEqual(values('helm canary + httproute').canary, { replicaCount: 1, tag: '', weight: 20 });
    const schema = JSON.parse(readFileSync(path.join(chart('helm blue-green'), 'values.schema.json'), 'utf8'));
    assert.deepEqual(schema.properties.blueGreen.properties.live, { enum: ['blue', 'green'] });
    assert.match(readme('helm blue-green'), /helm upgrade orders chart\/orders -n shop --reuse-values --set blueGreen\.live=green/);
    assert.match(readme('helm canary + httproute'), /--set image\.tag=<next tag>,canary\.tag=/);
  });

  it('refuses --release-controller without blue-green or canary, an unknown strategy, and a name too long for the second Service', async () => {
    const dir = projects.get('rolling')!;
    await assert.rejects(
      runAppIn(dir, { defaults: true, skipInstall: true, 'release-controller': 'argo-rollouts' }, { force: true }),
      /--release-controller does not apply here: it is used only with --release-strategy blue-green or canary/,
    );
    await assert.rejects(
      runAppIn(dir, { defaults: true, skipInstall: true, 'release-strategy': 'red-black' }, { force: true }),
      /the release strategy "red-black" is not offered; choose one of: rolling, blue-green, canary/,
    );
    await assert.rejects(
      generateProject({ 'app-name': 'a'.repeat(56), language: 'go', 'release-strategy': 'canary' }),
      /Services such as a{56}-preview, longer than the 63 characters a Service name may have; give --app-name at most 55 characters/,
    );
  });

  it('a preset can lock the strategy and its controller; a retrofit can choose one; .yo-rc.json records both', async () => {
    const presetDir = writeRepo(
      { 'preset.yaml': 'name: releases\nlocked:\n  release-strategy: canary\n  release-controller: argo-rollouts\n' },
      'k8s-app-preset-',
    );
    const preset = path.join(presetDir, 'preset.yaml');
    try {
      const dir = await generateProject({ 'app-name': 'orders', language: 'go', preset });
      projects.set('preset', dir);
      assert.equal(Object.keys(named(await renderOverlay(dir, 'prod'), 'Rollout')).length, 1);
      await assert.rejects(
        generateProject({ 'app-name': 'orders', language: 'go', preset, 'release-strategy': 'blue-green' }),
        /--release-strategy is locked to canary by the preset releases/,
      );
    } finally {
      rmSync(presetDir, { recursive: true, force: true });
    }
    const fixture = RETROFIT_FIXTURES.find((candidate) => candidate.repo === 'go')!;
    const copy = await retrofitCopy(fixture, { 'release-strategy': 'blue-green' });
    try {
      const deployments = named(await renderOverlay(copy.service, 'prod'), 'Deployment');
      assert.equal(Object.keys(deployments).length, 2);
      assert.ok(Object.keys(deployments).every((name) => /-(blue|green)$/.test(name)));
      const recorded = JSON.parse(readFileSync(path.join(copy.service, '.yo-rc.json'), 'utf8'))['generator-k8s-app'];
      assert.equal(recorded.releaseStrategy, 'blue-green');
      assert.match(readFileSync(path.join(copy.service, 'k8s', 'README.md'), 'utf8'), /## Releases \(blue-green\)/);
    } finally {
      copy.remove();
    }
  });
});
