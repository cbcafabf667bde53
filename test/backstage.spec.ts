// Backstage: every generated service's catalog-info.yaml, checked with the catalog's own validators
// (@backstage/catalog-model) and against the objects its annotations select; and the software template
// --backstage-template writes, whose form must ask exactly the answers the specs declare. The published
// run:yeoman action runs that template in test/backstage/ (npm run test:backstage).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  type Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ANSWER_SPECS } from '../generators/shared/answers.ts';
import { backstageTemplate, backstageTemplateYaml } from '../generators/shared/backstage-template.ts';
import { GENERATOR_VERSION } from '../generators/shared/info.ts';
import { loadPreset } from '../generators/shared/preset.ts';
import { STACKS } from '../stacks/registry.ts';
import { type FormSchema, formFields, formValues, renderInput } from './support/backstage-form.ts';
import { generateProject, loggedText, runAppIn } from './support/generate.ts';
import { renderOverlay } from './support/kustomize.ts';
import { copyFixture, fixtureName, RETROFIT_FIXTURES, retrofitCopy } from './support/retrofit-fixtures.ts';
import { writeRepo } from './support/temp-repo.ts';

/** The run:yeoman step's input: the generator and its options. */
const generateInput = (template: ReturnType<typeof backstageTemplate>) =>
  template.spec.steps.find((step) => step.action === 'run:yeoman')!.input as { namespace: string; options: Record<string, unknown> };

const EXAMPLE = new URL('../examples/company-generator/', import.meta.url).pathname;

/** The catalog's checks of an entity as it ingests one: envelope and field formats, then the Component kind's schema. */
const catalogPolicies = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

async function assertValidCatalogEntry(projectDir: string): Promise<Entity> {
  const entity = parse(readFileSync(path.join(projectDir, 'catalog-info.yaml'), 'utf8')) as Entity;
  const checked = await catalogPolicies.enforce(entity);
  assert.ok(checked, 'the catalog policies rejected the entity');
  assert.equal(await componentEntityV1alpha1Validator.check(entity), true);
  const spec = entity.spec as { owner: string; system?: string; type: string };
  assert.match(parseEntityRef(spec.owner, { defaultKind: 'group', defaultNamespace: 'default' }).kind.toLowerCase(), /^(group|user)$/);
  if (spec.system) assert.equal(parseEntityRef(spec.system, { defaultKind: 'system', defaultNamespace: 'default' }).kind.toLowerCase(), 'system');
  assert.equal(spec.type, 'service');
  // The Kubernetes plugin lists the objects its selector matches in its namespace: the prod overlay's.
  const annotations = entity.metadata.annotations ?? {};
  const [labelName, labelValue] = annotations['backstage.io/kubernetes-label-selector']!.split('=');
  const selected = (await renderOverlay(projectDir, 'prod')).filter((object) => object.metadata.labels?.[labelName!] === labelValue);
  for (const kind of ['Deployment', 'Service', 'ConfigMap'])
    assert.ok(
      selected.some((object) => object.kind === kind),
      `the selector misses the ${kind}`,
    );
  for (const object of selected.filter((candidate) => candidate.kind !== 'Namespace'))
    assert.equal(object.metadata.namespace, annotations['backstage.io/kubernetes-namespace'], `${object.kind} is in another namespace`);
  assert.equal(annotations['backstage.io/kubernetes-id'], entity.metadata.name);
  return entity;
}

describe('Backstage', () => {
  describe('catalog-info.yaml passes the catalog validators and selects the service', () => {
    for (const stack of STACKS) {
      for (const runtime of stack.versions) {
        for (const family of runtime.families) {
          it(`${stack.language} ${runtime.version} ${family}`, async () => {
            const dir = await generateProject({ 'app-name': 'catalog', language: stack.language, 'runtime-version': runtime.version, 'image-family': family });
            const entity = await assertValidCatalogEntry(dir);
            assert.deepEqual(entity.metadata.tags, [stack.language, 'kubernetes']);
            rmSync(dir, { recursive: true, force: true });
          });
        }
      }
    }

    for (const fixture of RETROFIT_FIXTURES.filter((candidate) => !candidate.variant)) {
      it(`retrofit ${fixtureName(fixture)}`, async () => {
        const { service, remove } = await retrofitCopy(fixture);
        await assertValidCatalogEntry(service);
        remove();
      });
    }

    it('with the answers and the preset: owner, lifecycle, system and the extra annotations', async () => {
      const presetDir = writeRepo(
        {
          'preset.yaml': [
            'name: acme',
            'defaults:',
            '  owner: group:acme/payments',
            'locked:',
            '  system: payments-platform',
            'catalog:',
            '  annotations:',
            '    pagerduty.com/service-id: PX1234',
          ].join('\n'),
        },
        'k8s-app-catalog-preset-',
      );
      const dir = await generateProject({ preset: path.join(presetDir, 'preset.yaml'), 'app-name': 'orders', language: 'go', lifecycle: 'experimental' });
      const entity = await assertValidCatalogEntry(dir);
      assert.deepEqual(entity.spec, { type: 'service', lifecycle: 'experimental', owner: 'group:acme/payments', system: 'payments-platform' });
      assert.equal(entity.metadata.annotations?.['pagerduty.com/service-id'], 'PX1234');
      for (const folder of [dir, presetDir]) rmSync(folder, { recursive: true, force: true });
    });

    it('a repository with its own catalog-info.yaml keeps it, and is told the annotations to add', async () => {
      const { root, service } = copyFixture(RETROFIT_FIXTURES.find((fixture) => fixture.repo === 'go')!);
      const own =
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: theirs\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n';
      writeFileSync(path.join(service, 'catalog-info.yaml'), own);
      const run = await runAppIn(service, { defaults: true, skipInstall: true }, { force: false });
      const logged = loggedText(run);
      assert.equal(readFileSync(path.join(service, 'catalog-info.yaml'), 'utf8'), own);
      assert.match(logged, /catalog-info\.yaml exists and is left as it is\. .*backstage\.io\/kubernetes-label-selector: app\.kubernetes\.io\/name=go/);
      rmSync(path.dirname(root), { recursive: true, force: true });
    });

    it('an owner that is not an entity reference: a clear error', async () => {
      await assert.rejects(
        generateProject({ owner: 'Payments Team' }),
        /Invalid --owner: the owner "Payments Team" is not a Backstage entity reference like group:default\/payments\. Fix: pass a valid value, e\.g\. --owner /,
      );
    });
  });

  describe('k8s-app --backstage-template', () => {
    const template = backstageTemplate({ generator: 'k8s-app:app', passPreset: true });
    const form = template.spec.parameters[0] as unknown as FormSchema & Record<string, unknown>;
    // Backstage validates the form with draft-07 JSON Schema; its ui: keys and enumNames are annotations.
    const ajv = new Ajv({ strict: true, allErrors: true });
    ajv.addVocabulary(['enumNames', 'ui:field', 'ui:options', 'ui:order']);
    // The answers that follow another (the host follows the exposure) are asked in some of its branches.
    const newServiceSpecs = ANSWER_SPECS.filter((spec) => spec.dependsOn !== undefined || (spec.when?.({ retrofit: false }, {}) ?? true));

    it('writes template.yaml and nothing else', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-template-'));
      await runAppIn(dir, { 'backstage-template': true });
      assert.deepEqual(readdirSync(dir), ['template.yaml']);
      assert.equal(
        readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
        backstageTemplateYaml({ generator: 'k8s-app:app', passPreset: true }, GENERATOR_VERSION),
      );
      assert.deepEqual(parse(readFileSync(path.join(dir, 'template.yaml'), 'utf8')), template);
      rmSync(dir, { recursive: true, force: true });
    });

    it('its form is valid JSON Schema, and its defaults with a name fill it validly', () => {
      for (const page of template.spec.parameters) assert.ok(ajv.validateSchema(page), ajv.errorsText());
      const validate = ajv.compile(form);
      assert.ok(validate(formValues(form, { appName: 'orders' })), ajv.errorsText(validate.errors));
      assert.equal(validate(formValues(form, {})), false, 'the service name must be asked');
    });

    it('asks every answer a new service needs, in the specs order, and the generate step passes each', () => {
      const names = newServiceSpecs.map((spec) => spec.name);
      assert.deepEqual([...formFields(form)].sort(), [...names].sort());
      assert.deepEqual(form['ui:order'], [...names, '*']);
      assert.deepEqual(
        Object.keys(generateInput(template).options).filter((option) => !['defaults', 'skipInstall'].includes(option)),
        newServiceSpecs.map((spec) => spec.option),
      );
    });

    it('offers, for each language, its versions, and for each version its image families', () => {
      for (const stack of STACKS) {
        for (const runtime of stack.versions) {
          const values = formValues(form, { appName: 'orders', language: stack.language, runtimeVersion: runtime.version });
          assert.equal(values.imageFamily, runtime.families[0], `${stack.language} ${runtime.version}`);
          const validate = ajv.compile(form);
          for (const family of ['distroless', 'alpine'])
            assert.equal(
              validate({ ...values, imageFamily: family }),
              runtime.families.includes(family as never),
              `${stack.language} ${runtime.version} ${family}`,
            );
        }
        const defaults = formValues(form, { appName: 'orders', language: stack.language });
        assert.equal(defaults.runtimeVersion, stack.defaultVersion);
      }
    });

    it('checks each value as the generator does (the same patterns and bounds)', () => {
      const samples: Record<string, unknown[]> = {
        appName: ['orders', 'orders-api', 'Orders', '-orders', 'a'.repeat(63), 'a'.repeat(64), 'orders_api'],
        port: [8080, 1, 65535, 0, 65536],
        imageRepository: ['orders', 'registry.example.com:5000/team/orders', 'Team/orders', 'orders:1.0'],
        namespace: ['payments', 'a'.repeat(59), 'a'.repeat(60), 'Payments'],
        owner: ['group:default/payments', 'user:jane', 'payments', 'group:Default/x', 'Payments Team', 'component:default/x'],
        system: ['', 'payments', 'system:default/payments', 'group:payments', 'a b'],
      };
      for (const [name, values] of Object.entries(samples)) {
        const spec = ANSWER_SPECS.find((candidate) => candidate.name === name)!;
        const validate = ajv.compile(form.properties![name]!);
        for (const value of values) {
          const generatorAccepts = 'value' in spec.parse(value, {});
          assert.equal(validate(value), generatorAccepts, `${name} ${JSON.stringify(value)}: the form ${generatorAccepts ? 'refuses' : 'accepts'} it`);
        }
      }
    });

    it('asks the ingress class, the gateway and the host only with the exposure that uses them, checked as the generator does', () => {
      const branches = (form.dependencies as Record<string, { oneOf: FormSchema[] }>).exposure!.oneOf;
      const branch = (exposure: string) => branches.find((candidate) => (candidate.properties!.exposure!.enum as string[])[0] === exposure)!;
      assert.deepEqual(Object.keys(branch('none').properties!), ['exposure']);
      assert.deepEqual(Object.keys(branch('ingress').properties!), ['exposure', 'ingressClass', 'host']);
      assert.deepEqual(Object.keys(branch('httproute').properties!), ['exposure', 'gateway', 'host']);
      const samples: Record<string, [string, unknown[]]> = {
        host: [
          'ingress',
          ['orders.example.com', 'a.b', 'Orders.example.com', 'orders', '*.example.com', 'https://orders.example.com', `${'a'.repeat(64)}.example.com`],
        ],
        gateway: ['httproute', ['public', 'gateway-system/public', 'Gateway', 'a/b/c', '/public', `${'a'.repeat(64)}/public`]],
        ingressClass: ['ingress', ['nginx', 'traefik-internal', 'Nginx', 'nginx.io']],
      };
      for (const [name, [exposure, values]] of Object.entries(samples)) {
        const spec = ANSWER_SPECS.find((candidate) => candidate.name === name)!;
        const validate = ajv.compile(branch(exposure).properties![name]!);
        for (const value of values) {
          const generatorAccepts = 'value' in spec.parse(value, {});
          assert.equal(validate(value), generatorAccepts, `${name} ${JSON.stringify(value)}: the form ${generatorAccepts ? 'refuses' : 'accepts'} it`);
        }
      }
    });

    it('passes each answer under its option name, and an empty field leaves the option out', () => {
      const values = formValues(form, { appName: 'orders', imageRepository: '', system: '' });
      const options = renderInput(generateInput(template).options, values) as Record<string, unknown>;
      assert.equal(options['app-name'], 'orders');
      assert.equal(options.port, 8080);
      assert.equal('image-repository' in options, false);
      assert.equal('system' in options, false);
      assert.equal(options.defaults, true);
    });

    it("the preset's template owner is checked like the owner answer", () => {
      const schema = JSON.parse(readFileSync(new URL('../schemas/preset.schema.json', import.meta.url), 'utf8'));
      const owner = ANSWER_SPECS.find((spec) => spec.name === 'owner')!;
      assert.equal(schema.properties.catalog.properties.templateOwner.pattern, owner.schema?.pattern);
    });

    it("with a preset: its locked answers are not asked, it offers only its languages, its defaults are the form's", () => {
      const preset = loadPreset(path.join(EXAMPLE, 'preset.yaml'), EXAMPLE);
      const withPreset = backstageTemplate({ preset, generator: 'k8s-app:app', passPreset: true });
      const page = withPreset.spec.parameters[0] as unknown as FormSchema;
      assert.equal(formFields(page).has('imageFamily'), false, 'the locked image family is asked');
      assert.deepEqual(page.properties!.language!.enum, ['node', 'go', 'java']);
      assert.equal(page.properties!.namespace!.default, 'payments');
      assert.equal(generateInput(withPreset).options.preset, preset.source);
      assert.equal(withPreset.metadata.name, 'acme-service');
    });

    it("the example company generator's template.yaml is what it writes now", () => {
      const preset = loadPreset(path.join(EXAMPLE, 'preset.yaml'), EXAMPLE);
      const expected = backstageTemplateYaml({ preset, generator: 'acme-service:app', passPreset: false }, GENERATOR_VERSION);
      assert.equal(
        readFileSync(path.join(EXAMPLE, 'template.yaml'), 'utf8'),
        expected,
        'run `yo acme-service --backstage-template` in examples/company-generator',
      );
    });

    it('an answer given with --backstage-template: a clear error, nothing written', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-template-'));
      await assert.rejects(
        runAppIn(dir, { 'backstage-template': true, language: 'go' }),
        /--language does not apply with --backstage-template: the template's form asks every answer\. Nothing was written\. Fix: leave out --language, or set it in a preset's defaults or locked/,
      );
      assert.equal(existsSync(path.join(dir, 'template.yaml')), false);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
