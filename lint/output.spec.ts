// `npm run lint:output`: every combination the generator offers, through the real linters, with
// zero findings; and proof that the gate can fail. A finding names the combination, the file and
// the rule, so it can be fixed fast.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { STACKS } from '../stacks/registry.ts';
import { generateProject, retrofitProject } from '../test/support/generate.ts';
import { type Manifest, renderOverlay, withoutConfigMapHash } from '../test/support/kustomize.ts';
import { fixtureName, RETROFIT_FIXTURES, retrofitCopy } from '../test/support/retrofit-fixtures.ts';
import { writeRepo } from '../test/support/temp-repo.ts';
import {
  actionlint,
  checkov,
  composeConfig,
  describeFindings,
  type Finding,
  gitlabCiSchema,
  hadolint,
  helmLint,
  helmTemplate,
  kubeconform,
  kubeLinter,
  kubeScore,
  podSecurity,
  trivyConfig,
} from './linters.ts';
import { ensureLintTools, type LintTools } from './tools.ts';

const OVERLAYS = ['dev', 'prod'];
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
let tools: LintTools;
const workDir = mkdtempSync(path.join(tmpdir(), 'k8s-app-lint-'));
/** What the folder-wide linters read: one folder per combination with its Dockerfile and rendered overlays. */
const renderedDir = path.join(workDir, 'rendered');

interface LintedProject {
  combination: string;
  generate: () => Promise<{ dir: string; remove?: () => void }>;
  /** Set by the root hook. */
  dir?: string;
  remove?: () => void;
  trivy?: Map<string, Finding[]>;
  /** The repository's own Dockerfile (kept): not k8s-app's to lint. */
  ownDockerfile: boolean;
  /** The manifests' format: kustomize's overlays rendered, plain files as written, a chart as helm template renders it. */
  manifests: 'kustomize' | 'plain' | 'helm';
}

/** The chart of a --manifests helm project, and where it renders from. */
const CHART = (dir: string) => path.join(dir, 'chart', 'lint-svc');
const projects: LintedProject[] = [];
let checkovFindings = new Map<string, Finding[]>();

function slug(combination: string): string {
  return combination.replace(/[^a-z0-9.-]+/gi, '-');
}

// Every project is generated and rendered first, so that checkov (several seconds to start) reads all
// of them in one run; trivy runs once per project, in its folder, so it reads that project's trivy.yaml.
before(async function () {
  this.timeout(1_800_000);
  tools = await ensureLintTools();
  for (const project of projects) {
    Object.assign(project, await project.generate());
    const folder = path.join(renderedDir, slug(project.combination));
    mkdirSync(folder, { recursive: true });
    if (!project.ownDockerfile) copyFileSync(path.join(project.dir!, 'Dockerfile'), path.join(folder, 'Dockerfile'));
    for (const overlay of OVERLAYS) {
      if (project.manifests === 'plain') {
        copyFileSync(path.join(project.dir!, 'k8s', `${overlay}.yaml`), path.join(folder, `${overlay}.yaml`));
        continue;
      }
      if (project.manifests === 'helm') {
        const chart = CHART(project.dir!);
        const namespace = overlay === 'dev' ? 'lint-svc-dev' : 'lint-svc';
        writeFileSync(
          path.join(folder, `${overlay}.yaml`),
          await helmTemplate(tools, chart, 'lint-svc', namespace, path.join(chart, `values-${overlay}.yaml`)),
        );
        continue;
      }
      const { stdout } = await execa('kubectl', ['kustomize', path.join(project.dir!, 'k8s', 'overlays', overlay)]);
      writeFileSync(path.join(folder, `${overlay}.yaml`), stdout);
    }
    project.trivy = await trivyConfig(tools, folder, project.dir!, path.join(workDir, 'trivy-cache'));
  }
  checkovFindings = await checkov(tools, renderedDir);
});
after(() => {
  for (const project of projects) project.remove?.();
  rmSync(workDir, { recursive: true, force: true });
});

function assertClean(findings: Finding[], combination: string, file: string) {
  assert.equal(findings.length, 0, `${combination}, ${file}:\n${describeFindings(findings)}`);
}

/** Every linter over one generated project: its Dockerfile, compose.yaml, CI pipeline (a new service's
 * GitHub workflow, by default), and each overlay as kustomize renders it. */
function lintProject(
  combination: string,
  generate: () => Promise<{ dir: string; remove?: () => void }>,
  { githubWorkflow = true, ownDockerfile = false, manifests = 'kustomize' as LintedProject['manifests'] } = {},
) {
  const project: LintedProject = { combination, generate, ownDockerfile, manifests };
  projects.push(project);
  const rendered = (file: string) => path.join(renderedDir, slug(combination), file);
  const checkovOf = (file: string) => {
    const findings = checkovFindings.get(path.join(slug(combination), file));
    if (!findings) throw new Error(`checkov did not scan ${file} of ${combination}`);
    return findings;
  };
  const trivyOf = (file: string) => {
    const findings = project.trivy?.get(file);
    if (!findings) throw new Error(`trivy did not scan ${file} of ${combination}`);
    return findings;
  };

  describe(combination, () => {
    // A Dockerfile the repository keeps (--dockerfile keep) is its own: k8s-app wrote the rest.
    if (!ownDockerfile) {
      it('Dockerfile: hadolint finds nothing', async () => {
        assertClean(await hadolint(tools, path.join(project.dir!, 'Dockerfile')), combination, 'Dockerfile');
      });
      it('Dockerfile: checkov finds nothing', () => {
        assertClean(checkovOf('Dockerfile'), combination, 'Dockerfile');
      });
      it('Dockerfile: trivy config finds nothing', () => {
        assertClean(trivyOf('Dockerfile'), combination, 'Dockerfile');
      });
    }
    it('compose.yaml: docker compose config accepts it', async () => {
      assertClean(await composeConfig(tools, project.dir!), combination, 'compose.yaml');
    });
    if (githubWorkflow) {
      it('.github/workflows/ci.yml: actionlint (with shellcheck) finds nothing', async () => {
        assertClean(await actionlint(tools, path.join(project.dir!, '.github', 'workflows', 'ci.yml')), combination, '.github/workflows/ci.yml');
      });
    }

    for (const overlay of OVERLAYS) {
      const described = {
        kustomize: `k8s/overlays/${overlay}, rendered by kubectl kustomize`,
        plain: `k8s/${overlay}.yaml`,
        helm: `the chart with values-${overlay}.yaml, rendered by helm template`,
      }[manifests];
      describe(described, () => {
        const file = { kustomize: `k8s/overlays/${overlay} (rendered)`, plain: `k8s/${overlay}.yaml`, helm: `chart, values-${overlay}.yaml (rendered)` }[
          manifests
        ];
        if (manifests === 'helm') {
          it('helm lint --strict finds nothing', async () => {
            const chart = CHART(project.dir!);
            assertClean(await helmLint(tools, chart, path.join(chart, `values-${overlay}.yaml`)), combination, file);
          });
        }
        const renderedFile = rendered(`${overlay}.yaml`);

        it('kube-score --exit-one-on-warning finds nothing', async () => {
          assertClean(await kubeScore(tools, renderedFile), combination, file);
        });
        it(`kubeconform -strict accepts every object (Kubernetes schemas)`, async () => {
          assertClean(await kubeconform(tools, renderedFile), combination, file);
        });
        it('meets the Pod Security Standards restricted profile', async () => {
          assertClean(await podSecurity(tools, renderedFile, readFileSync(renderedFile, 'utf8')), combination, file);
        });
        it('kube-linter (default and probe checks) finds nothing', async () => {
          assertClean(await kubeLinter(tools, renderedFile), combination, file);
        });
        it('checkov finds nothing', () => {
          assertClean(checkovOf(`${overlay}.yaml`), combination, file);
        });
        it('trivy config finds nothing', () => {
          assertClean(trivyOf(`${overlay}.yaml`), combination, file);
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

// The optional objects (an autoscaler with each way in: an Ingress; an HTTPRoute to a Gateway in another
// namespace, and in its own) in each manifests format: kustomize's overlays rendered, plain files as
// written (alone and with everything they can hold), and charts (each environment's values through helm
// lint --strict, and what helm template renders through every linter; each language, and with
// everything a chart can hold turned on).
const OPTIONAL_PARTS: [string, string, Record<string, string>][] = [
  ['go', 'autoscaling + ingress', { autoscaling: 'yes', exposure: 'ingress', 'ingress-class': 'nginx', host: 'lint-svc.example.com' }],
  ['node', 'autoscaling + httproute', { autoscaling: 'yes', exposure: 'httproute', gateway: 'gateway-system/public' }],
  ['python', 'httproute to a gateway of its namespace', { exposure: 'httproute', gateway: 'public' }],
  ['java', 'plain manifests', { manifests: 'plain' }],
  [
    'node',
    'plain manifests, autoscaling + httproute, the example preset',
    { manifests: 'plain', autoscaling: 'yes', exposure: 'httproute', preset: EXAMPLE_PRESET },
  ],
  ['python', 'plain manifests, ingress, gitlab', { manifests: 'plain', exposure: 'ingress', ci: 'gitlab' }],
  ...STACKS.map((stack): [string, string, Record<string, string>] => [stack.language, 'helm chart', { manifests: 'helm' }]),
  ['go', 'helm chart, autoscaling + ingress, the example preset', { manifests: 'helm', autoscaling: 'yes', exposure: 'ingress', preset: EXAMPLE_PRESET }],
  ['node', 'helm chart, autoscaling + httproute', { manifests: 'helm', autoscaling: 'yes', exposure: 'httproute' }],
  // Release strategies: both tracks of each, in each format; the Rollouts against Argo Rollouts' CRD.
  ['go', 'blue-green', { 'release-strategy': 'blue-green' }],
  [
    'rust',
    'blue-green, autoscaling + ingress, plain manifests',
    { 'release-strategy': 'blue-green', autoscaling: 'yes', exposure: 'ingress', manifests: 'plain' },
  ],
  ['python', 'blue-green, helm chart', { 'release-strategy': 'blue-green', manifests: 'helm', autoscaling: 'yes' }],
  ['node', 'canary + weighted httproute', { 'release-strategy': 'canary', exposure: 'httproute' }],
  [
    'java',
    'canary, autoscaling, plain manifests, the example preset',
    { 'release-strategy': 'canary', autoscaling: 'yes', manifests: 'plain', preset: EXAMPLE_PRESET },
  ],
  ['go', 'canary + weighted httproute, helm chart', { 'release-strategy': 'canary', exposure: 'httproute', manifests: 'helm' }],
  ['go', 'argo rollouts blue-green, autoscaling', { 'release-strategy': 'blue-green', 'release-controller': 'argo-rollouts', autoscaling: 'yes' }],
  ['node', 'argo rollouts canary, the example preset', { 'release-strategy': 'canary', 'release-controller': 'argo-rollouts', preset: EXAMPLE_PRESET }],
  ['python', 'argo rollouts canary, plain manifests', { 'release-strategy': 'canary', 'release-controller': 'argo-rollouts', manifests: 'plain' }],
  ['rust', 'argo rollouts blue-green, helm chart', { 'release-strategy': 'blue-green', 'release-controller': 'argo-rollouts', manifests: 'helm' }],
];
for (const [language, objects, options] of OPTIONAL_PARTS) {
  lintProject(
    `${language} ${objects}`,
    async () => ({
      dir: await generateProject(
        { 'app-name': 'lint-svc', language, 'image-repository': 'registry.example.com/team/lint-svc', ...options },
        mkdtempSync(path.join(workDir, 'project-')),
      ),
    }),
    { manifests: (options.manifests ?? 'kustomize') as LintedProject['manifests'], githubWorkflow: options.ci !== 'gitlab' },
  );
}

// The example preset, in each language it offers.
for (const language of ['node', 'go', 'java']) {
  lintProject(`preset acme ${language}`, async () => ({
    dir: await generateProject({ 'app-name': 'lint-svc', language, preset: EXAMPLE_PRESET }, mkdtempSync(path.join(workDir, 'project-'))),
  }));
}

// A preset that pins every base image by digest: FROM lines with a tag and a digest.
lintProject('preset pinned-digests go', async () => {
  const preset = path.join(workDir, 'pinned-digests.yaml');
  const digests = ['golang:1.27-trixie', 'gcr.io/distroless/static-debian13:nonroot', 'debian:13-slim'].map(
    (ref, index) => `  "${ref}": sha256:${String(index + 1).repeat(64)}`,
  );
  writeFileSync(preset, `name: pinned-digests\nimageDigests:\n${digests.join('\n')}\n`);
  return {
    dir: await generateProject({ 'app-name': 'lint-svc', language: 'go', 'runtime-version': '1.27', preset }, mkdtempSync(path.join(workDir, 'project-'))),
  };
});

// Retrofitted fixture repositories: the Dockerfiles that follow each repository's own build.
for (const fixture of RETROFIT_FIXTURES) {
  for (const family of ['distroless', 'alpine']) {
    lintProject(
      `retrofit ${fixtureName(fixture)} ${family}`,
      async () => {
        const { service, remove } = await retrofitCopy(fixture, { 'image-family': family, 'image-repository': 'registry.example.com/team/lint-svc' });
        return { dir: service, remove };
      },
      { githubWorkflow: false, ownDockerfile: fixture.keptDockerfile },
    );
  }
}

// A retrofit whose service writes into its own folders (Flask's instance folder, uploads, logs), a
// gunicorn start (its port and drain), and a .env file: the extra emptyDirs, env and grace period.
lintProject(
  'retrofit flask-writes (emptyDirs, gunicorn)',
  async () => {
    const dir = writeRepo({
      'requirements.txt': 'flask\ngunicorn\n',
      Procfile: 'web: gunicorn --bind 0.0.0.0:8000 app:app\n',
      '.python-version': '3.13\n',
      '.env.example': 'DATABASE_URL=\nLOG_LEVEL=info\n',
      'app.py':
        'import logging, os\nfrom flask import Flask\napp = Flask(__name__, instance_relative_config=True)\nUPLOAD_FOLDER = "uploads"\nhandler = logging.FileHandler("logs/app.log")\n',
    });
    await retrofitProject(dir, { 'image-repository': 'registry.example.com/team/lint-svc', port: '8000' });
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
  },
  { githubWorkflow: false },
);

// GitLab CI instead of GitHub's: each language's pipeline, pushing to GitLab's registry or another.
describe(".gitlab-ci.yml against GitLab's published CI schema", () => {
  for (const stack of STACKS) {
    for (const [registry, manifests] of [
      ['registry.gitlab.com/acme', 'kustomize'],
      ['registry.example.com/team', 'kustomize'],
      ['registry.example.com/team', 'plain'],
    ]) {
      it(`${stack.language}, pushing to ${registry}, ${manifests} manifests`, async () => {
        const dir = await generateProject(
          { 'app-name': 'lint-svc', language: stack.language, ci: 'gitlab', 'image-repository': `${registry}/lint-svc`, manifests },
          mkdtempSync(path.join(workDir, 'project-')),
        );
        assert.ok(!existsSync(path.join(dir, '.github')), 'a GitLab project got a GitHub workflow');
        assertClean(gitlabCiSchema(path.join(dir, '.gitlab-ci.yml')), `${stack.language} gitlab`, '.gitlab-ci.yml');
      });
    }
  }
});

// Every combination of a chart's optional parts: helm lint --strict and helm template with each
// environment's values (the linters above read the combinations with everything off and on).
describe('helm lint --strict and helm template pass for every combination of the optional parts', () => {
  for (const autoscaling of ['no', 'yes']) {
    for (const exposure of ['none', 'ingress', 'httproute']) {
      it(`autoscaling ${autoscaling}, exposure ${exposure}`, async () => {
        const dir = await generateProject(
          { 'app-name': 'lint-svc', language: 'python', manifests: 'helm', autoscaling, exposure },
          mkdtempSync(path.join(workDir, 'combination-')),
        );
        const chart = CHART(dir);
        for (const environment of OVERLAYS) {
          const values = path.join(chart, `values-${environment}.yaml`);
          assertClean(await helmLint(tools, chart, values), `autoscaling ${autoscaling}, exposure ${exposure}`, `values-${environment}.yaml`);
          const kinds = parseAllDocuments(await helmTemplate(tools, chart, 'lint-svc', `lint-svc-${environment}`, values)).map(
            (document) => (document.toJS() as Manifest).kind,
          );
          assert.equal(kinds.includes('HorizontalPodAutoscaler'), autoscaling === 'yes');
          assert.equal(kinds.includes('Ingress'), exposure === 'ingress');
          assert.equal(kinds.includes('HTTPRoute'), exposure === 'httproute');
        }
      });
    }
  }
});

// For the same answers, a chart's objects (helm template with each environment's values) are the
// objects kustomize renders for that overlay, but for what each format adds by design: the Namespace
// object (helm installs into a namespace that exists), helm's own labels, the ConfigMap's name hash,
// and the newline a kustomize settings file ends with.
describe('a helm chart renders the objects the kustomize overlays do', () => {
  const HELM_LABELS = ['helm.sh/chart', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by'];
  const normalized = (manifests: Manifest[]) =>
    withoutConfigMapHash(manifests.filter((manifest) => manifest.kind !== 'Namespace'))
      .map((copy) => {
        for (const label of HELM_LABELS) delete copy.metadata.labels?.[label];
        if (copy.data) copy.data = Object.fromEntries(Object.entries(copy.data).map(([key, value]) => [key, value.replace(/\n$/, '')]));
        return [`${copy.kind}/${copy.metadata.name}`, copy] as const;
      })
      .sort(([a], [b]) => a.localeCompare(b));
  const combinations: [string, Record<string, string>][] = [
    ...STACKS.map((stack): [string, Record<string, string>] => [stack.language, { language: stack.language }]),
    ['go, autoscaling + ingress, the example preset', { language: 'go', autoscaling: 'yes', exposure: 'ingress', preset: EXAMPLE_PRESET }],
    ['node, httproute to a gateway of another namespace', { language: 'node', exposure: 'httproute', gateway: 'infra/public' }],
    ['go, blue-green, autoscaling', { language: 'go', 'release-strategy': 'blue-green', autoscaling: 'yes' }],
    ['python, canary + weighted httproute', { language: 'python', 'release-strategy': 'canary', exposure: 'httproute' }],
    [
      'node, argo rollouts blue-green, the example preset',
      { language: 'node', 'release-strategy': 'blue-green', 'release-controller': 'argo-rollouts', preset: EXAMPLE_PRESET },
    ],
  ];
  for (const [combination, options] of combinations) {
    it(`${combination}: dev and prod`, async () => {
      const dirs: Record<string, string> = {};
      for (const manifests of ['kustomize', 'helm']) {
        dirs[manifests] = await generateProject(
          { 'app-name': 'same-svc', 'k8s-namespace': 'shop', ...options, manifests },
          mkdtempSync(path.join(workDir, 'same-')),
        );
      }
      const chart = path.join(dirs.helm!, 'chart', 'same-svc');
      for (const environment of OVERLAYS) {
        const rendered = await helmTemplate(
          tools,
          chart,
          'same-svc',
          environment === 'dev' ? 'shop-dev' : 'shop',
          path.join(chart, `values-${environment}.yaml`),
        );
        const fromHelm = normalized(parseAllDocuments(rendered).map((document) => document.toJS() as Manifest));
        const fromKustomize = normalized(await renderOverlay(dirs.kustomize!, environment));
        assert.deepEqual(
          fromHelm.map(([key]) => key),
          fromKustomize.map(([key]) => key),
          `${environment}: the objects differ`,
        );
        for (const [index, [key, object]] of fromKustomize.entries()) assert.deepEqual(fromHelm[index]![1], object, `${environment}: ${key}`);
      }
    });
  }
});

describe('the gate can fail', () => {
  const brokenDockerfile = path.join(FIXTURES, 'broken.Dockerfile');
  const brokenManifest = path.join(FIXTURES, 'broken-deployment.yaml');

  it('hadolint reports the broken Dockerfile', async () => {
    const rules = (await hadolint(tools, brokenDockerfile)).map((finding) => finding.rule);
    for (const rule of ['DL3007', 'DL3008', 'DL3002', 'DL3025']) assert.ok(rules.includes(rule), `hadolint did not report ${rule}: ${rules.join(', ')}`);
  });

  it('docker compose config reports the broken compose file', async () => {
    const findings = await composeConfig(tools, path.join(FIXTURES, 'pipelines'), 'broken-compose.yaml');
    assert.ok(
      findings.some((finding) => /portz|read_only/.test(finding.message)),
      `compose config accepted it:\n${describeFindings(findings)}`,
    );
  });

  it('actionlint reports the broken workflow: unknown input, shellcheck, untrusted input', async () => {
    const findings = await actionlint(tools, path.join(FIXTURES, 'pipelines', 'broken-workflow.yml'));
    const kinds = findings.map((finding) => finding.rule);
    for (const kind of ['action', 'shellcheck', 'expression'])
      assert.ok(kinds.includes(kind), `actionlint did not report ${kind}:\n${describeFindings(findings)}`);
  });

  it("GitLab's CI schema reports the broken .gitlab-ci.yml", () => {
    const findings = gitlabCiSchema(path.join(FIXTURES, 'pipelines', 'broken-gitlab-ci.yml'));
    assert.ok(
      findings.some((finding) => finding.rule === 'additionalProperties' && finding.message.includes('scritp')),
      `the schema accepted a misspelt "script":\n${describeFindings(findings)}`,
    );
  });

  it('kube-score reports the broken manifest', async () => {
    const rules = (await kubeScore(tools, brokenManifest)).map((finding) => finding.rule);
    for (const rule of ['container-resources', 'container-image-tag', 'container-security-context-readonlyrootfilesystem']) {
      assert.ok(rules.includes(rule), `kube-score did not report ${rule}: ${rules.join(', ')}`);
    }
  });

  it('kubeconform accepts null for optional fields and rejects it for required ones', async () => {
    assertClean(await kubeconform(tools, path.join(FIXTURES, 'nullable-fields.yaml')), 'fixture', 'nullable-fields.yaml');
    const findings = await kubeconform(tools, path.join(FIXTURES, 'null-required-field.yaml'));
    assert.ok(
      findings.some((finding) => finding.rule === 'statusInvalid' && /containers/.test(finding.message)),
      `kubeconform accepted a null containers list:\n${describeFindings(findings)}`,
    );
  });

  it('kubeconform reports the broken manifest', async () => {
    const findings = await kubeconform(tools, brokenManifest);
    assert.ok(
      findings.some((finding) => finding.rule === 'statusInvalid' && /replicaz/.test(finding.message)),
      describeFindings(findings),
    );
  });

  it("kubeconform checks an HTTPRoute against the Gateway API's schema", async () => {
    const messages = (await kubeconform(tools, path.join(FIXTURES, 'broken-httproute.yaml'))).map((finding) => finding.message).join('\n');
    assert.match(messages, /backendRef\b/, 'the misspelt backendRef passed');
    assert.match(messages, /port/, 'a named backend port passed');
  });

  it("kubeconform checks a Rollout against Argo Rollouts' CRD", async () => {
    const messages = (await kubeconform(tools, path.join(FIXTURES, 'broken-rollout.yaml'))).map((finding) => finding.message).join('\n');
    assert.match(messages, /activeServise/, 'the misspelt activeServise passed');
    assert.match(messages, /autoPromotionEnabled/, 'a string for a boolean passed');
  });

  it('the Pod Security Standards check reports the broken manifest', async () => {
    const findings = await podSecurity(tools, brokenManifest, readFileSync(brokenManifest, 'utf8'));
    const rules = findings.map((finding) => finding.rule);
    for (const rule of ['privileged', 'allowPrivilegeEscalation != false', 'runAsNonRoot != true']) {
      assert.ok(rules.includes(rule), `pss-check did not report "${rule}": ${rules.join(' | ')}`);
    }
  });

  it('kube-linter reports the broken manifest', async () => {
    const rules = (await kubeLinter(tools, brokenManifest)).map((finding) => finding.rule);
    for (const rule of ['privileged-container', 'no-read-only-root-fs', 'latest-tag', 'no-liveness-probe', 'no-readiness-probe']) {
      assert.ok(rules.includes(rule), `kube-linter did not report ${rule}: ${rules.join(', ')}`);
    }
  });

  describe('checkov and trivy', () => {
    let checkovFixtures = new Map<string, Finding[]>();
    let trivyFixtures = new Map<string, Finding[]>();
    before(async function () {
      this.timeout(120_000);
      checkovFixtures = await checkov(tools, FIXTURES);
      trivyFixtures = await trivyConfig(tools, FIXTURES, FIXTURES, path.join(workDir, 'trivy-cache'));
    });
    const rulesOf = (findings: Map<string, Finding[]>, file: string) => (findings.get(file) ?? []).map((finding) => finding.rule);

    it('checkov reports the broken Dockerfile and manifest', () => {
      const dockerfile = rulesOf(checkovFixtures, 'broken.Dockerfile');
      for (const rule of ['CKV_DOCKER_2', 'CKV_DOCKER_7', 'CKV_DOCKER_8'])
        assert.ok(dockerfile.includes(rule), `checkov did not report ${rule}: ${dockerfile.join(', ')}`);
      const manifest = rulesOf(checkovFixtures, 'broken-deployment.yaml');
      for (const rule of ['CKV_K8S_16', 'CKV_K8S_20', 'CKV_K8S_22', 'CKV_K8S_14'])
        assert.ok(manifest.includes(rule), `checkov did not report ${rule}: ${manifest.join(', ')}`);
    });

    it('trivy config reports the broken Dockerfile and manifest', () => {
      const dockerfile = rulesOf(trivyFixtures, 'broken.Dockerfile');
      for (const rule of ['DS-0001', 'DS-0002', 'DS-0026']) assert.ok(dockerfile.includes(rule), `trivy did not report ${rule}: ${dockerfile.join(', ')}`);
      const manifest = rulesOf(trivyFixtures, 'broken-deployment.yaml');
      for (const rule of ['KSV-0017', 'KSV-0001', 'KSV-0014']) assert.ok(manifest.includes(rule), `trivy did not report ${rule}: ${manifest.join(', ')}`);
    });

    it("trivy's trusted-registries check fires without the project's trivy.yaml", async () => {
      const project = projects.find((candidate) => candidate.combination.startsWith('go '))!;
      const folder = path.join(renderedDir, slug(project.combination));
      const elsewhere = mkdtempSync(path.join(workDir, 'no-trivy-yaml-'));
      const findings = await trivyConfig(tools, folder, elsewhere, path.join(workDir, 'trivy-cache'));
      assert.ok(rulesOf(findings, 'prod.yaml').includes('KSV-0125'), describeFindings(findings.get('prod.yaml') ?? []));
    });
  });
});
