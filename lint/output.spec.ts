// `npm run lint:output`: every combination the generator offers, through the real linters, with
// zero findings; and proof that the gate can fail. A finding names the combination, the file and
// the rule, so it can be fixed fast.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { STACKS } from '../stacks/registry.ts';
import { generateProject } from '../test/support/generate.ts';
import { fixtureName, RETROFIT_FIXTURES, retrofitCopy } from '../test/support/retrofit-fixtures.ts';
import { describeFindings, type Finding, hadolint, kubeconform, kubeScore, podSecurity } from './linters.ts';
import { ensureLintTools, type LintTools } from './tools.ts';

const OVERLAYS = ['dev', 'prod'];
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
let tools: LintTools;
const workDir = mkdtempSync(path.join(tmpdir(), 'k8s-app-lint-'));

before(async function () {
  this.timeout(1_800_000);
  tools = await ensureLintTools();
});
after(() => rmSync(workDir, { recursive: true, force: true }));

function assertClean(findings: Finding[], combination: string, file: string) {
  assert.equal(findings.length, 0, `${combination}, ${file}:\n${describeFindings(findings)}`);
}

/** Every linter over one generated project: its Dockerfile, and each overlay as kustomize renders it. */
function lintProject(combination: string, generate: () => Promise<{ dir: string; remove?: () => void }>) {
  describe(combination, () => {
    let projectDir = '';
    let remove: (() => void) | undefined;
    before(async () => {
      ({ dir: projectDir, remove } = await generate());
    });
    after(() => remove?.());

    it('Dockerfile: hadolint finds nothing', async () => {
      assertClean(await hadolint(tools, path.join(projectDir, 'Dockerfile')), combination, 'Dockerfile');
    });

    for (const overlay of OVERLAYS) {
      describe(`k8s/overlays/${overlay}, rendered by kubectl kustomize`, () => {
        const file = `k8s/overlays/${overlay} (rendered)`;
        let rendered = '';
        let renderedFile = '';
        before(async () => {
          rendered = (await execa('kubectl', ['kustomize', path.join(projectDir, 'k8s', 'overlays', overlay)])).stdout;
          renderedFile = path.join(workDir, `rendered-${combination.replace(/[^a-z0-9.-]+/gi, '-')}-${overlay}.yaml`);
          writeFileSync(renderedFile, rendered);
        });

        it('kube-score --exit-one-on-warning finds nothing', async () => {
          assertClean(await kubeScore(tools, renderedFile), combination, file);
        });
        it(`kubeconform -strict accepts every object (Kubernetes schemas)`, async () => {
          assertClean(await kubeconform(tools, renderedFile), combination, file);
        });
        it('meets the Pod Security Standards restricted profile', async () => {
          assertClean(await podSecurity(tools, renderedFile, rendered), combination, file);
        });
      });
    }
  });
}

for (const stack of STACKS) {
  for (const runtime of stack.versions) {
    for (const family of runtime.families) {
      lintProject(`${stack.language} ${runtime.version} ${family}`, async () => ({
        dir: await generateProject(
          {
            'app-name': 'lint-svc',
            language: stack.language,
            'runtime-version': runtime.version,
            'image-family': family,
            'image-repository': 'registry.example.com/team/lint-svc',
          },
          mkdtempSync(path.join(workDir, 'project-')),
        ),
      }));
    }
  }
}

// The example company generator's preset: its mirrored images, labels, annotations and resources.
const EXAMPLE_PRESET = new URL('../examples/company-generator/preset.yaml', import.meta.url).pathname;
for (const language of ['node', 'go', 'java']) {
  lintProject(`preset acme ${language}`, async () => ({
    dir: await generateProject({ 'app-name': 'lint-svc', language, preset: EXAMPLE_PRESET }, mkdtempSync(path.join(workDir, 'project-'))),
  }));
}

// Retrofitted fixture repositories: the Dockerfiles that follow each repository's own build.
for (const fixture of RETROFIT_FIXTURES) {
  for (const family of ['distroless', 'alpine']) {
    lintProject(`retrofit ${fixtureName(fixture)} ${family}`, async () => {
      const { service, remove } = await retrofitCopy(fixture, { 'image-family': family, 'image-repository': 'registry.example.com/team/lint-svc' });
      return { dir: service, remove };
    });
  }
}

describe('the gate can fail', () => {
  const brokenDockerfile = path.join(FIXTURES, 'broken.Dockerfile');
  const brokenManifest = path.join(FIXTURES, 'broken-deployment.yaml');

  it('hadolint reports the broken Dockerfile', async () => {
    const rules = (await hadolint(tools, brokenDockerfile)).map((finding) => finding.rule);
    for (const rule of ['DL3007', 'DL3008', 'DL3002', 'DL3025']) assert.ok(rules.includes(rule), `hadolint did not report ${rule}: ${rules.join(', ')}`);
  });

  it('kube-score reports the broken manifest', async () => {
    const rules = (await kubeScore(tools, brokenManifest)).map((finding) => finding.rule);
    for (const rule of ['container-resources', 'container-image-tag', 'container-security-context-readonlyrootfilesystem']) {
      assert.ok(rules.includes(rule), `kube-score did not report ${rule}: ${rules.join(', ')}`);
    }
  });

  it('kubeconform reports the broken manifest', async () => {
    const findings = await kubeconform(tools, brokenManifest);
    assert.ok(
      findings.some((finding) => finding.rule === 'statusInvalid' && /replicaz/.test(finding.message)),
      describeFindings(findings),
    );
  });

  it('the Pod Security Standards check reports the broken manifest', async () => {
    const findings = await podSecurity(tools, brokenManifest, readFileSync(brokenManifest, 'utf8'));
    const rules = findings.map((finding) => finding.rule);
    for (const rule of ['privileged', 'allowPrivilegeEscalation != false', 'runAsNonRoot != true']) {
      assert.ok(rules.includes(rule), `pss-check did not report "${rule}": ${rules.join(' | ')}`);
    }
  });
});
