// Our Backstage template, run by Backstage's own code: the published run:yeoman action
// (@backstage/plugin-scaffolder-backend-module-yeoman) in Backstage's test context for actions, with
// the values a user who changes nothing submits in the template's form, must write what
// `k8s-app --defaults` writes with the same answers; and the template passes Backstage's Template
// validator. The Backstage packages are pinned in ./package.json and installed here on first use,
// with generator-k8s-app packed and installed beside them, as a Backstage backend holds it.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { backstageTemplate } from '../../generators/shared/backstage-template.ts';
import { loadPreset } from '../../generators/shared/preset.ts';
import { STACKS } from '../../stacks/registry.ts';
import { type FormSchema, formValues, renderInput } from '../support/backstage-form.ts';
import { packPackage } from '../support/installed-package.ts';
import { changedFiles, fileDigests } from '../support/retrofit-fixtures.ts';

const HERE = new URL('.', import.meta.url).pathname;
const REPO = new URL('../..', import.meta.url).pathname;
const requireHere = createRequire(path.join(HERE, 'package.json'));
const PRESET_PACKAGE = 'acme-k8s-preset';

describe('the Backstage template in Backstage', function () {
  this.timeout(900_000);
  let scratch = '';

  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'k8s-app-backstage-'));
    // Install scripts are not needed (and Backstage's tree has native ones we never load).
    await execa('npm', ['ci', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: HERE });
    const tarball = await packPackage(scratch);
    // A company preset published as a package, installed next to the generator as a backend holds it.
    const presetPackage = path.join(scratch, PRESET_PACKAGE);
    mkdirSync(presetPackage);
    writeFileSync(path.join(presetPackage, 'package.json'), JSON.stringify({ name: PRESET_PACKAGE, version: '1.0.0' }));
    copyFileSync(path.join(REPO, 'examples/company-generator/preset.yaml'), path.join(presetPackage, 'preset.yaml'));
    await execa('npm', ['install', '--no-save', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball, presetPackage], { cwd: HERE });
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("passes Backstage's Template validator, k8s-app's and the example company generator's", async () => {
    const { templateEntityV1beta3Validator } = requireHere('@backstage/plugin-scaffolder-common') as {
      templateEntityV1beta3Validator: { check(entity: unknown): Promise<boolean> };
    };
    assert.equal(await templateEntityV1beta3Validator.check(backstageTemplate({ generator: 'k8s-app:app', passPreset: true })), true);
    const example = parse(readFileSync(path.join(REPO, 'examples/company-generator/template.yaml'), 'utf8'));
    assert.equal(await templateEntityV1beta3Validator.check(example), true);
  });

  const template = backstageTemplate({ generator: 'k8s-app:app', passPreset: true });
  const form = template.spec.parameters[0] as unknown as FormSchema;
  const step = template.spec.steps.find((candidate) => candidate.action === 'run:yeoman')!;

  for (const stack of STACKS) {
    it(`${stack.language}: run:yeoman with the form's defaults writes what k8s-app --defaults writes with the same answers`, async () => {
      const values = formValues(form, { appName: 'orders', language: stack.language });
      const input = renderInput(step.input, values) as { namespace: string; options: Record<string, unknown> };
      const workspace = mkdtempSync(path.join(scratch, 'workspace-'));
      const inputFile = path.join(scratch, `${stack.language}-input.json`);
      writeFileSync(inputFile, JSON.stringify(input));
      await execa(process.execPath, [path.join(HERE, 'run-action.mjs'), workspace, inputFile], { cwd: HERE });

      // The same answers as options of the command line.
      const { defaults, skipInstall, ...answers } = input.options;
      assert.deepEqual({ defaults, skipInstall }, { defaults: true, skipInstall: true });
      const cli = mkdtempSync(path.join(scratch, 'cli-'));
      const flags = Object.entries(answers).flatMap(([option, value]) => [`--${option}`, String(value)]);
      await execa(process.execPath, [path.join(REPO, 'bin/k8s-app.ts'), '--defaults', '--skip-install', ...flags], { cwd: cli });

      const fromAction = fileDigests(workspace);
      const fromCli = fileDigests(cli);
      assert.deepEqual([...fromAction.keys()], [...fromCli.keys()], 'the action and the command line wrote different files');
      assert.deepEqual(changedFiles(fromCli, fromAction), [], 'files differ between the action and the command line');
      assert.ok(fromAction.has('catalog-info.yaml') && fromAction.has('Dockerfile'));
      const saved = JSON.parse(readFileSync(path.join(workspace, '.yo-rc.json'), 'utf8'))['generator-k8s-app'];
      assert.equal(saved.language, stack.language);
      assert.equal(saved.runtimeVersion, stack.defaultVersion);
    });
  }

  it('with a preset package installed next to the generator: the action applies it in its empty workspace', async () => {
    const preset = loadPreset(PRESET_PACKAGE, HERE);
    const withPreset = backstageTemplate({ preset, generator: 'k8s-app:app', passPreset: true });
    const presetStep = withPreset.spec.steps.find((candidate) => candidate.action === 'run:yeoman')!;
    const values = formValues(withPreset.spec.parameters[0] as unknown as FormSchema, { appName: 'orders', language: 'go' });
    const input = renderInput(presetStep.input, values);
    const workspace = mkdtempSync(path.join(scratch, 'workspace-'));
    const inputFile = path.join(scratch, 'preset-input.json');
    writeFileSync(inputFile, JSON.stringify(input));
    await execa(process.execPath, [path.join(HERE, 'run-action.mjs'), workspace, inputFile], { cwd: HERE });
    const saved = JSON.parse(readFileSync(path.join(workspace, '.yo-rc.json'), 'utf8'))['generator-k8s-app'];
    assert.equal(saved.preset, PRESET_PACKAGE);
    assert.equal(saved.imageRepository, 'registry.acme.example/payments/orders');
    assert.match(readFileSync(path.join(workspace, 'Dockerfile'), 'utf8'), /^FROM registry\.acme\.example\/golden\/static-debian13:nonroot$/m);
    assert.match(readFileSync(path.join(workspace, 'catalog-info.yaml'), 'utf8'), /^  owner: "group:default\/payments"$/m);
  });
});
