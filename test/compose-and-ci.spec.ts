// compose.yaml and the CI pipeline: written when asked, hardened as the pod is, and kept out of the
// way of a repository's own files. The real tools check them in npm run lint:output (compose config,
// actionlint, GitLab's schema); the container tests bring one compose.yaml up.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { STACKS, stackCommands } from '../stacks/registry.ts';
import { generateProject, loggedText, runAppIn } from './support/generate.ts';
import { renderOverlay } from './support/kustomize.ts';
import { copyFixture, RETROFIT_FIXTURES, retrofitCopy } from './support/retrofit-fixtures.ts';

interface ComposeService {
  build: { context: string; dockerfile?: string };
  image: string;
  ports: string[];
  environment: Record<string, string>;
  read_only: boolean;
  user: string;
  cap_drop: string[];
  security_opt: string[];
  tmpfs: string[];
  volumes: { type: string; source: string; target: string; read_only: boolean }[];
  healthcheck?: { test: string[] };
  stop_grace_period: string;
}

function composeService(dir: string, name: string): ComposeService {
  const compose = parseYaml(readFileSync(path.join(dir, 'compose.yaml'), 'utf8')) as { name: string; services: Record<string, ComposeService> };
  assert.equal(compose.name, name);
  return compose.services[name]!;
}

// The container of the Deployment, as the prod overlay renders it.
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: { runAsUser: number; runAsGroup: number };
  volumes: { name: string; configMap?: unknown; secret?: unknown }[];
  containers: {
    env: { name: string; value: string }[];
    ports: { containerPort: number }[];
    securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } };
    volumeMounts: { name: string; mountPath: string }[];
  }[];
}

async function podSpec(dir: string): Promise<PodSpec> {
  const deployment = (await renderOverlay(dir, 'prod')).find((object) => object.kind === 'Deployment')!;
  return deployment.spec.template.spec;
}

/** compose.yaml runs the image as the pod does: each setting of the pod's hardening, one by one. */
async function assertComposeMatchesPod(dir: string, name: string) {
  const service = composeService(dir, name);
  const pod = await podSpec(dir);
  const container = pod.containers[0]!;
  assert.equal(service.user, `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`);
  assert.equal(service.read_only, container.securityContext.readOnlyRootFilesystem);
  assert.deepEqual(service.cap_drop, container.securityContext.capabilities.drop);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(service.security_opt, ['no-new-privileges:true']);
  assert.ok(
    service.tmpfs.some((mount) => mount.startsWith('/tmp:')),
    'no tmpfs /tmp',
  );
  assert.equal(service.stop_grace_period, `${pod.terminationGracePeriodSeconds}s`);
  // Every environment variable the container sets, with the same value.
  assert.deepEqual(service.environment, Object.fromEntries(container.env.map((variable) => [variable.name, variable.value])));
  // Published on loopback only, each port the container declares.
  assert.deepEqual(
    service.ports,
    container.ports.map((port) => `127.0.0.1:${port.containerPort}:${port.containerPort}`),
  );
  // The ConfigMap and the Secret, where the pod mounts them, read-only.
  const mountOf = (kind: 'configMap' | 'secret') => {
    const volume = pod.volumes.find((candidate) => candidate[kind] !== undefined)!;
    return container.volumeMounts.find((mount) => mount.name === volume.name)!.mountPath;
  };
  const bound = Object.fromEntries(service.volumes.map((volume) => [volume.target, volume]));
  assert.equal(bound[mountOf('secret')]?.source, './secrets');
  for (const volume of service.volumes) {
    assert.equal(volume.type, 'bind');
    assert.equal(volume.read_only, true);
    assert.ok(existsSync(path.join(dir, volume.source)), `${volume.source} does not exist`);
  }
  return { service, pod };
}

describe('compose.yaml and the CI pipeline', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const generate = async (options: Record<string, unknown>) => {
    const dir = await generateProject({ 'app-name': 'orders', ...options });
    dirs.push(dir);
    return dir;
  };

  for (const stack of STACKS) {
    for (const family of ['distroless', 'alpine'] as const) {
      const runtime = stack.versions.find((version) => version.families.includes(family))!;
      it(`${stack.language} ${runtime.version} ${family}: compose.yaml runs the image as the pod does`, async () => {
        const dir = await generate({ language: stack.language, 'runtime-version': runtime.version, 'image-family': family });
        const { service } = await assertComposeMatchesPod(dir, 'orders');
        assert.deepEqual(service.build, { context: '.' });
        assert.equal(service.image, 'orders:0.1.0');
        // The starter reads its settings from the ConfigMap's folder: compose mounts the same files.
        const config = service.volumes.find((volume) => volume.target === '/etc/orders/config');
        assert.equal(config?.source, './k8s/base/config');
        if (family === 'alpine') {
          assert.deepEqual(service.healthcheck?.test, ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/readyz']);
        } else {
          assert.equal(service.healthcheck, undefined, 'distroless has nothing to run a healthcheck with');
        }
        // Local secrets stay out of git and out of the image.
        assert.match(readFileSync(path.join(dir, 'secrets/.gitignore'), 'utf8'), /^\*\n!\.gitignore\n/m);
        const dockerignore = readFileSync(path.join(dir, '.dockerignore'), 'utf8').split('\n');
        for (const entry of ['secrets', 'compose.yaml', '.github']) assert.ok(dockerignore.includes(entry), `.dockerignore lacks ${entry}`);
      });
    }
  }

  it('--compose no writes neither compose.yaml nor secrets/', async () => {
    const dir = await generate({ compose: 'no' });
    assert.ok(!existsSync(path.join(dir, 'compose.yaml')));
    assert.ok(!existsSync(path.join(dir, 'secrets')));
    assert.ok(!readFileSync(path.join(dir, 'README.md'), 'utf8').includes('## Run with compose'));
  });

  it("the GitHub workflow (the default) tests with the language's commands, lints, and pushes only from the default branch", async () => {
    for (const stack of STACKS) {
      const dir = await generate({ language: stack.language, 'image-repository': 'ghcr.io/acme/orders' });
      assert.ok(!existsSync(path.join(dir, '.gitlab-ci.yml')));
      const workflow = parseYaml(readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8'));
      const runs = (job: string) => workflow.jobs[job].steps.flatMap((step: { run?: string }) => (step.run ? [step.run] : []));
      const commands = stackCommands(stack, stack.defaultVersion);
      assert.deepEqual(runs('test'), [commands.install, commands.test]);
      // The toolchain of the version answered; a version is a string (YAML would read 3.10 as 3.1).
      const setup = workflow.jobs.test.steps.find((step: { uses?: string }) => step.uses !== undefined && step.uses === stack.ci.githubSetup?.uses);
      assert.equal(Boolean(setup), stack.ci.githubSetup !== undefined, `${stack.language}: the setup step`);
      for (const value of Object.values<unknown>(setup?.with ?? {})) assert.equal(typeof value, 'string', `${stack.language}: ${String(value)}`);
      for (const input of ['python-version', 'java-version']) if (setup?.with?.[input]) assert.equal(setup.with[input], stack.defaultVersion);
      assert.match(runs('lint').join('\n'), /hadolint Dockerfile[\s\S]*kubeconform" -strict/);
      assert.deepEqual(workflow.jobs.image.needs, ['test', 'lint']);
      const build = workflow.jobs.image.steps.find((step: { uses?: string }) => step.uses?.startsWith('docker/build-push-action@'));
      assert.equal(build.with.push, "${{ env.PUBLISH == 'true' }}");
      assert.equal(build.with.tags, '${{ env.IMAGE }}:${{ github.sha }}');
      assert.equal(build.with.sbom, true);
      assert.equal(workflow.env.IMAGE, 'ghcr.io/acme/orders');
      // ghcr.io: the workflow's token, with the one permission it needs.
      assert.deepEqual(workflow.jobs.image.permissions, { contents: 'read', packages: 'write' });
      assert.deepEqual(workflow.permissions, { contents: 'read' });
      assert.match(readFileSync(path.join(dir, 'README.md'), 'utf8'), /## CI\n\n`\.github\/workflows\/ci\.yml` \(GitHub Actions\)/);
    }
  });

  it('another registry: the workflow logs in with repository secrets, and the README says to create them', async () => {
    const dir = await generate({ 'image-repository': 'registry.example.com/team/orders' });
    const workflow = parseYaml(readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8'));
    const login = workflow.jobs.image.steps.find((step: { uses?: string }) => step.uses?.startsWith('docker/login-action@'));
    assert.deepEqual(login.with, {
      registry: 'registry.example.com',
      username: '${{ secrets.REGISTRY_USERNAME }}',
      password: '${{ secrets.REGISTRY_PASSWORD }}',
    });
    assert.equal(workflow.jobs.image.permissions, undefined);
    assert.match(readFileSync(path.join(dir, 'README.md'), 'utf8'), /REGISTRY_USERNAME` and `REGISTRY_PASSWORD`: create them first/);
  });

  it('--ci gitlab writes .gitlab-ci.yml and no workflow; --ci none neither', async () => {
    const gitlab = await generate({ language: 'go', ci: 'gitlab', 'image-repository': 'registry.gitlab.com/acme/orders' });
    assert.ok(!existsSync(path.join(gitlab, '.github')));
    const pipeline = parseYaml(readFileSync(path.join(gitlab, '.gitlab-ci.yml'), 'utf8'));
    assert.equal(pipeline.test.image, 'golang:1.27-trixie');
    assert.deepEqual(pipeline.test.script, ['go mod download', 'go vet ./... && go test ./...']);
    assert.match(pipeline['build-image'].script.join('\n'), /CI_REGISTRY_PASSWORD[\s\S]*--sbom=true/);
    assert.ok(readFileSync(path.join(gitlab, '.dockerignore'), 'utf8').split('\n').includes('.gitlab-ci.yml'));
    const none = await generate({ ci: 'none' });
    assert.ok(!existsSync(path.join(none, '.github')) && !existsSync(path.join(none, '.gitlab-ci.yml')));
    assert.ok(!readFileSync(path.join(none, 'README.md'), 'utf8').includes('## CI'));
  });

  describe('retrofits', () => {
    it('a workspace service builds from the workspace root, as k8s/README.md does', async () => {
      const fixture = RETROFIT_FIXTURES.find((candidate) => candidate.folder === 'services/web')!;
      const { service, remove } = await retrofitCopy(fixture);
      try {
        const name = JSON.parse(readFileSync(path.join(service, '.yo-rc.json'), 'utf8'))['generator-k8s-app'].appName;
        const { service: compose } = await assertComposeMatchesPod(service, name);
        assert.deepEqual(compose.build, { context: '../..', dockerfile: 'services/web/Dockerfile' });
        // An existing service reads its own settings: its ConfigMap starts empty and nothing is mounted for it.
        assert.ok(!compose.volumes.some((volume) => volume.target.endsWith('/config')));
        assert.match(readFileSync(path.join(service, 'Dockerfile.dockerignore'), 'utf8'), /\nservices\/web\/secrets\n/);
        assert.match(readFileSync(path.join(service, 'k8s/README.md'), 'utf8'), /## Run with compose/);
        // A retrofit keeps the repository's CI.
        assert.ok(!existsSync(path.join(service, '.github')));
      } finally {
        remove();
      }
    });

    it('a repository with its own compose file keeps it, and is told what to add', async () => {
      const { root, service } = copyFixture(RETROFIT_FIXTURES.find((fixture) => fixture.repo === 'go')!);
      dirs.push(path.dirname(root));
      const own = 'services:\n  api:\n    build: .\n';
      writeFileSync(path.join(service, 'docker-compose.yml'), own);
      const run = await runAppIn(service, { defaults: true, skipInstall: true }, { force: false });
      assert.equal(readFileSync(path.join(service, 'docker-compose.yml'), 'utf8'), own);
      assert.ok(!existsSync(path.join(service, 'compose.yaml')));
      assert.match(loggedText(run), /docker-compose\.yml exists and is left as it is\. .*read_only: true, user: "65532:65532", cap_drop: \[ALL\]/);
    });

    it('--force over its own Dockerfile: the summary names it, and a compose file that builds it from another context', async () => {
      const { root, service } = copyFixture(RETROFIT_FIXTURES.find((fixture) => fixture.repo === 'existing-dockerfile')!);
      dirs.push(path.dirname(root));
      mkdirSync(path.join(service, '.git'));
      mkdirSync(path.join(service, 'deploy'));
      writeFileSync(
        path.join(service, 'deploy/docker-compose.yml'),
        'services:\n  web:\n    build:\n      context: ../..\n      dockerfile: existing-dockerfile/Dockerfile\n',
      );
      const run = await runAppIn(service, { defaults: true, skipInstall: true, dockerfile: 'generate', force: true });
      const logged = loggedText(run);
      assert.match(logged, /it replaced these files of the repository's own, with your consent: Dockerfile; the others are unchanged\./);
      assert.match(
        logged,
        /WARNING: deploy\/docker-compose\.yml \(service web\) builds the Dockerfile from the context \.\.; the new Dockerfile needs \.: change its build\.context\./,
      );
    });

    it('a retrofit that changes none of its files says so', async () => {
      const { root, service } = copyFixture(RETROFIT_FIXTURES.find((fixture) => fixture.repo === 'go')!);
      dirs.push(path.dirname(root));
      const run = await runAppIn(service, { defaults: true, skipInstall: true });
      assert.match(loggedText(run), /\(Go 1\.\d+, distroless image\); its own files are unchanged\./);
    });

    it('--ci stops the run: an existing repository keeps its own CI', async () => {
      const { root, service } = copyFixture(RETROFIT_FIXTURES.find((fixture) => fixture.repo === 'go')!);
      dirs.push(path.dirname(root));
      await assert.rejects(
        runAppIn(service, { defaults: true, skipInstall: true, ci: 'github' }),
        /--ci does not apply here: it is used only for a new service \(an existing repository keeps its own CI; k8s\/README\.md shows the build and push steps\)\. Nothing was written\. Fix: leave out --ci\./,
      );
    });
  });
});
