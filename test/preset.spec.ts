// Company presets (--preset): validation with errors that name the key, the problem and what is
// allowed; defaults, locked answers, image repository prefix, base images, labels and annotations on
// every object, resources, the languages offered, template overrides, and the record in .yo-rc.json.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { result } from 'yeoman-test';
import { runApp } from './support/generate.ts';
import { renderOverlay } from './support/kustomize.ts';
import { writeRepo } from './support/temp-repo.ts';

const EXAMPLE_PRESET = new URL('../examples/company-generator/preset.yaml', import.meta.url).pathname;

/** A new project folder holding `files` (a preset, say); returns it. */
const folderWith = (files: Record<string, string> = {}) => writeRepo(files, 'k8s-app-preset-');

const run = (dir: string, options: Record<string, unknown>) => runApp({ defaults: true, skipInstall: true, ...options }, dir);

describe('presets', () => {
  describe('a preset file', () => {
    let dir = '';
    before(async () => {
      dir = folderWith();
      await run(dir, { preset: EXAMPLE_PRESET, 'app-name': 'orders', language: 'go' });
    });

    it('sets the defaults of the answers it names', () => {
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { namespace: 'payments', imageFamily: 'distroless' } });
    });

    it('prefixes the image repository', () => {
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { imageRepository: 'registry.acme.example/payments/orders' } });
    });

    it('replaces the base images in the Dockerfile', () => {
      result.assertFileContent('Dockerfile', 'FROM registry.acme.example/mirror/golang:${GO_VERSION}-trixie AS build\n');
      result.assertFileContent('Dockerfile', 'FROM registry.acme.example/golden/static-debian13:nonroot\n');
      result.assertNoFileContent('Dockerfile', 'gcr.io/distroless');
      result.assertFileContent('Dockerfile', 'FROM registry.acme.example/mirror/debian:13-slim AS tini\n');
      assert.deepEqual(
        readFileSync(path.join(dir, 'Dockerfile'), 'utf8')
          .match(/^FROM \S+/gm)
          ?.filter((from) => !from.includes('registry.acme.example/')),
        [],
        'every image from the mirror',
      );
    });

    it('adds its labels and annotations to every object, and its labels to the pods', async () => {
      const objects = await renderOverlay(dir, 'prod');
      assert.ok(objects.length >= 6, `only ${objects.length} objects`);
      for (const object of objects) {
        assert.equal(object.metadata.labels?.['acme.example/team'], 'payments', `${object.kind}/${object.metadata.name} lacks the label`);
        assert.equal(
          object.metadata.annotations?.['acme.example/runbook'],
          'https://runbooks.acme.example/payments',
          `${object.kind}/${object.metadata.name} lacks the annotation`,
        );
      }
      const deployment = objects.find((object) => object.kind === 'Deployment')!;
      assert.equal(deployment.spec!.template!.metadata.labels['acme.example/cost-center'], 'cc-4711');
    });

    it("sets the resources it names and keeps the language's others", () => {
      result.assertFileContent('k8s/base/deployment.yaml', /requests:\n\s+cpu: "50m"\n\s+memory: "16Mi"/);
      result.assertFileContent('k8s/base/deployment.yaml', /limits:\n\s+cpu: "500m"\n\s+memory: "384Mi"/);
    });

    it('is recorded in .yo-rc.json, and a re-run without --preset uses it', async () => {
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { preset: EXAMPLE_PRESET } });
      await run(dir, { language: undefined, 'app-name': undefined, preset: undefined, force: true });
      result.assertFileContent('Dockerfile', 'FROM registry.acme.example/golden/static-debian13:nonroot\n');
    });
  });

  describe('locked answers', () => {
    it('are not asked', async () => {
      await runApp({ preset: EXAMPLE_PRESET, skipInstall: true }, folderWith()).withAnswers(
        { appName: 'asked', language: 'node', runtimeVersion: '24', port: '8080', imageRepository: 'r/asked', namespace: 'payments' },
        { throwOnMissingAnswer: true },
      );
      const asked = result.askedQuestions.map((question) => question.name);
      assert.ok(!asked.includes('imageFamily'), `asked: ${asked.join(', ')}`);
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { imageFamily: 'distroless' } });
    });

    it('stop a run that gives another value, naming the lock and the override flag', async () => {
      const dir = folderWith();
      await assert.rejects(
        run(dir, { preset: EXAMPLE_PRESET, 'image-family': 'alpine' }),
        /--image-family is locked to distroless by the preset acme \(.*preset\.yaml\)\. Nothing was written\. Fix: leave out --image-family, or pass --override-lock/,
      );
      assert.deepEqual(readdirSync(dir), []);
    });

    it('can lock the autoscaler and the way in (exposure, Gateway) and default the host', async () => {
      const dir = folderWith({
        'preset.yaml': 'name: edge\nlocked:\n  exposure: httproute\n  gateway: edge/public\n  autoscaling: "yes"\ndefaults:\n  host: orders.edge.example\n',
      });
      await runApp({ preset: path.join(dir, 'preset.yaml'), skipInstall: true }, dir).withAnswers(
        { appName: 'orders', language: 'go', runtimeVersion: '1.27', imageFamily: 'distroless', port: '8080', imageRepository: 'orders', namespace: 'orders' },
        { throwOnMissingAnswer: true },
      );
      const asked = result.askedQuestions.map((question) => question.name);
      for (const name of ['exposure', 'gateway', 'autoscaling']) assert.ok(!asked.includes(name), `${name} was asked`);
      assert.ok(asked.includes('host'), 'a default is still asked');
      const route = (await renderOverlay(dir, 'prod')).find((object) => object.kind === 'HTTPRoute')!;
      assert.equal(route.spec.parentRefs[0].namespace, 'edge');
      assert.deepEqual(route.spec.hostnames, ['orders.edge.example']);
      result.assertFile('k8s/base/horizontalpodautoscaler.yaml');
      await assert.rejects(
        run(folderWith(), { preset: path.join(dir, 'preset.yaml'), exposure: 'ingress' }),
        /--exposure is locked to httproute by the preset edge/,
      );
    });

    it('give way to --override-lock, which is reported and recorded', async () => {
      await run(folderWith(), { preset: EXAMPLE_PRESET, 'image-family': 'alpine', 'override-lock': true });
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { imageFamily: 'alpine', lockOverrides: ['image-family'] } });
      result.assertFileContent('Dockerfile', 'FROM node:${NODE_VERSION}-alpine AS build');
    });
  });

  it('offers only its languages', async () => {
    await assert.rejects(
      run(folderWith(), { preset: EXAMPLE_PRESET, language: 'python' }),
      /The preset acme offers node, go, java; not python\. Nothing was written\. Fix: pass --language node/,
    );
    await runApp({ preset: EXAMPLE_PRESET, skipInstall: true }, folderWith()).withAnswers({
      appName: 'a',
      language: 'go',
      runtimeVersion: '1.27',
      port: '8080',
      imageRepository: 'r/a',
      namespace: 'n',
    });
    // yeoman-test records the answer, not the choices: the choices come from the same filter the spec checks.
    result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { language: 'go' } });
  });

  it('comes from an installed package that ships one', async () => {
    const dir = folderWith({
      'node_modules/@acme/k8s-preset/package.json': JSON.stringify({ name: '@acme/k8s-preset', version: '1.0.0', k8sAppPreset: 'presets/service.yaml' }),
      'node_modules/@acme/k8s-preset/presets/service.yaml': readFileSync(EXAMPLE_PRESET, 'utf8'),
    });
    await run(dir, { preset: '@acme/k8s-preset', 'app-name': 'svc' });
    result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { preset: '@acme/k8s-preset', imageRepository: 'registry.acme.example/payments/svc' } });
  });

  describe('validation', () => {
    const rejects = async (preset: string, expected: RegExp, file = 'preset.yaml') => {
      const dir = folderWith({ [file]: preset });
      await assert.rejects(run(dir, { preset: `./${file}` }), expected);
      assert.deepEqual(readdirSync(dir).sort(), [file]);
    };

    it('names an unknown key and the keys allowed', () =>
      rejects(
        'name: x\nlabel:\n  a: b\n',
        /does not match schemas\/preset\.schema\.json:\n  - label is not a preset key; allowed: name, defaults, locked, languages, imageRepositoryPrefix, images, tiniImage, imageDigests, labels, annotations, catalog, resources, templates/,
      ));

    it('names a value that is not allowed, and the values that are', () =>
      rejects('name: x\nlanguages: [node, cobol]\n', /languages\.1 is "cobol"; allowed: node, python, go, java, rust/));

    it('names an option a default cannot be given for', () =>
      rejects('name: x\ndefaults:\n  colour: blue\n', /defaults: "colour" is not allowed as a key here/));

    it('names a malformed tini image', () =>
      rejects(
        'name: x\ntiniImage: "mirror/debian:{version}"\n',
        /tiniImage is "mirror\/debian:\{version\}", which is not an image reference without \{version\}/,
      ));

    it('names a malformed quantity', () =>
      rejects('name: x\nresources:\n  limits:\n    memory: lots\n', /resources\.limits\.memory is "lots", which is not a Kubernetes quantity/));

    it('names a malformed digest', () =>
      rejects('name: x\nimageDigests:\n  "golang:1.27-trixie": sha256:abc\n', /imageDigests\.golang:1\.27-trixie is "sha256:abc", which is not a digest/));

    it('names a missing name', () => rejects('{"languages": ["go"]}', /name is missing \(required\)/, 'preset.json'));

    it('names a name of more than one line', () =>
      rejects('{"name": "acme\\nplatform"}', /name is "acme\\nplatform", which is not one line of text/, 'preset.json'));

    it('names a file that is not YAML', () => rejects('name: [unclosed\n', /The preset .*preset\.yaml cannot be read: .*Fix: make it valid YAML\./));

    it('names a value the answer itself refuses', () =>
      rejects('name: x\ndefaults:\n  port: 99999\n', /Invalid the default port: the port "99999" is not a whole number from 1 to 65535/));

    it('names a preset that is neither a file nor an installed package', async () => {
      await assert.rejects(
        run(folderWith(), { preset: 'acme-missing-preset' }),
        /No preset "acme-missing-preset": there is no file .*, and no installed package acme-missing-preset\. Fix: pass a preset file's path, or install the package \(npm install acme-missing-preset\)\./,
      );
    });
  });

  describe('base images pinned by digest', () => {
    const digest = (n: number) => `sha256:${String(n).repeat(64)}`;
    const pinning = (digests: Record<string, string>) =>
      `name: pinned\nimageDigests:\n${Object.entries(digests)
        .map(([ref, value]) => `  "${ref}": ${value}\n`)
        .join('')}`;
    const GO_IMAGES = { 'golang:1.27-trixie': digest(1), 'gcr.io/distroless/static-debian13:nonroot': digest(2), 'debian:13-slim': digest(3) };

    it('writes every FROM line with its tag and digest', async () => {
      const dir = folderWith({ 'preset.yaml': pinning(GO_IMAGES) });
      await run(dir, { preset: './preset.yaml', language: 'go', 'runtime-version': '1.27', 'image-family': 'distroless' });
      const froms = readFileSync(path.join(dir, 'Dockerfile'), 'utf8').match(/^FROM \S+/gm);
      assert.deepEqual(froms, [
        `FROM golang:1.27-trixie@${digest(1)}`,
        `FROM debian:13-slim@${digest(3)}`,
        `FROM gcr.io/distroless/static-debian13:nonroot@${digest(2)}`,
      ]);
      result.assertFileContent('Dockerfile', "# The FROM lines below pin tags and digests (the preset's imageDigests)");
    });

    it('stops, naming the image without a digest and how to add it, and writes nothing', async () => {
      const { 'debian:13-slim': _tini, ...withoutTini } = GO_IMAGES;
      const dir = folderWith({ 'preset.yaml': pinning(withoutTini) });
      await assert.rejects(
        run(dir, { preset: './preset.yaml', language: 'go', 'runtime-version': '1.27', 'image-family': 'distroless' }),
        /The preset pinned pins base images by digest \(imageDigests\), and gives none for debian:13-slim, the tini stage image of Go 1\.27 on distroless\. Fix: add "debian:13-slim: sha256:<digest>" under imageDigests/,
      );
      assert.deepEqual(readdirSync(dir), ['preset.yaml']);
    });
  });

  describe('template overrides', () => {
    const overridden = (templates: Record<string, string>) =>
      folderWith({
        'preset.yaml': 'name: acme\ntemplates: ./templates\n',
        ...Object.fromEntries(Object.entries(templates).map(([file, text]) => [`templates/${file}`, text])),
      });

    it('replace ours at the same relative path, and add files', async () => {
      const dir = overridden({
        'kubernetes/base/serviceaccount.yaml.ejs':
          'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: <%= appName %>\n  labels:\n    acme.example/reviewed: "true"\nautomountServiceAccountToken: false\n',
        'kubernetes/base/OWNERS.ejs': 'payments-team # <%= appName %>\n',
        'kubernetes/base/config/team.ejs': 'payments\n',
      });
      await run(dir, { preset: './preset.yaml', 'app-name': 'orders' });
      result.assertFileContent('k8s/base/serviceaccount.yaml', 'acme.example/reviewed: "true"');
      result.assertFileContent('k8s/base/OWNERS', 'payments-team # orders\n');
      result.assertFileContent('k8s/base/config/team', 'payments\n');
      result.assertFile('k8s/base/deployment.yaml');
    });

    it('that use data k8s-app does not provide stop the run, naming it', async () => {
      const dir = overridden({ 'docker/dockerignore.ejs': '<%= teamName %>\n' });
      await assert.rejects(
        run(dir, { preset: './preset.yaml' }),
        /The preset acme's template .*templates\/docker\/dockerignore\.ejs cannot be rendered: it uses "teamName", which k8s-app does not provide\. Template data: .*appName.*Nothing was written\./,
      );
      assert.deepEqual(readdirSync(dir).sort(), ['preset.yaml', 'templates']);
    });
  });

  it('the published schema names every option, language and family k8s-app has', async () => {
    const schema = JSON.parse(readFileSync(new URL('../schemas/preset.schema.json', import.meta.url), 'utf8'));
    const { ANSWER_SPECS } = await import('../generators/shared/answers.ts');
    const { STACKS, IMAGE_FAMILIES } = await import('../stacks/registry.ts');
    assert.deepEqual(
      schema.$defs.option.enum,
      ANSWER_SPECS.map((spec) => spec.option),
    );
    assert.deepEqual(
      schema.$defs.language.enum,
      STACKS.map((stack) => stack.language),
    );
    assert.deepEqual(schema.properties.images.additionalProperties.propertyNames.enum, [...IMAGE_FAMILIES]);
  });
});
