// The fixture repositories retrofitted with --defaults: what k8s-app takes from each, that none of
// their files change, and the Dockerfile that follows each repository's own build (snapshots, for
// both image families; test/containers/retrofit.spec.ts builds and runs the distroless ones).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'esmocha';
import helpers, { result } from 'yeoman-test';
import { APP_GENERATOR, retrofitProject } from './support/generate.ts';
import { changedFiles, copyFixture, fileDigests, fixtureName, RETROFIT_FIXTURES, type RetrofitFixture, retrofitCopy } from './support/retrofit-fixtures.ts';

function savedAnswers(service: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(service, '.yo-rc.json'), 'utf8'))['generator-k8s-app'];
}

describe('retrofitting the fixture repositories', () => {
  for (const fixture of RETROFIT_FIXTURES) {
    for (const family of ['distroless', 'alpine']) {
      describe(`${fixtureName(fixture)} (${family})`, () => {
        let copy: Awaited<ReturnType<typeof retrofitCopy>> | undefined;
        let root = '';
        let service = '';
        let original = new Map<string, string>();
        before(async () => {
          copy = await retrofitCopy(fixture, { 'image-family': family });
          ({ root, service, original } = copy);
        });
        after(() => copy?.remove());

        it('takes the answers the repository states', () => {
          const saved = savedAnswers(service);
          assert.deepEqual(Object.fromEntries(Object.keys(fixture.expected).map((key) => [key, saved[key]])), fixture.expected);
          assert.equal(saved.retrofit, true);
        });

        it("changes none of the repository's files but those it was allowed to", () => {
          assert.deepEqual(
            changedFiles(original, fileDigests(root)),
            fixture.changes.map((file) => path.join(fixture.folder, file)),
          );
        });

        it("writes a Dockerfile and ignore file that follow the repository's build", () => {
          const ignoreFile = readFileSync(path.join(service, 'Dockerfile'), 'utf8').includes('build context is the workspace root')
            ? 'Dockerfile.dockerignore'
            : '.dockerignore';
          expect(readFileSync(path.join(service, 'Dockerfile'), 'utf8')).toMatchSnapshot();
          expect(readFileSync(path.join(service, ignoreFile), 'utf8')).toMatchSnapshot();
        });

        /** The files the run added, relative to the service's folder. */
        const addedFiles = () =>
          [...fileDigests(root).keys()]
            .filter((file) => !original.has(file))
            .map((file) => path.relative(fixture.folder, file))
            .sort();
        const healthModule = /^(.+\/)?(k8s-health\.cjs|k8s_health\.(py|go|rs)|src\/main\/java\/k8shealth\/K8sHealth\.java)$/;

        it('explains in k8s/README.md how to build and deploy, and warns when the probes can only check the port', () => {
          const readme = readFileSync(path.join(service, 'k8s/README.md'), 'utf8');
          const tcp = fixture.expected.livenessPath === 'tcp';
          if (fixture.variant === 'health module') {
            assert.match(readme, /health module/);
            for (const file of addedFiles().filter((added) => healthModule.test(added)))
              assert.ok(readme.includes(`\`${file}\``), `k8s/README.md does not name ${file}`);
          }
          assert.equal(/WARNING: the probes only check that port \d+ accepts TCP connections/.test(readme), tcp, readme);
          // Node.js, Go and Rust end at once on SIGTERM unless the code handles it: warned exactly where the
          // container tests see the fixture die of the signal (Python's uvicorn raises it again once drained).
          const dies = fixture.sigtermExit?.code === 143 && ['node', 'go', 'rust'].includes(savedAnswers(service).language as string);
          assert.equal(readme.includes('WARNING: no code of the service handles SIGTERM.'), dies, readme);
          // A workspace's service is built from the workspace root, as the Dockerfile's header says.
          const context = /build context is the workspace root \(([^)]+)\)/.exec(readFileSync(path.join(service, 'Dockerfile'), 'utf8'))?.[1];
          if (context) assert.ok(readme.includes(`(cd ${context} && DOCKER_BUILDKIT=1 docker build -f ${fixture.folder}/Dockerfile -t `), readme);
          else assert.match(readme, /\nDOCKER_BUILDKIT=1 docker build -t /);
          assert.equal(
            Boolean(context),
            ['monorepo', 'rust-workspace', 'go-package', 'python-uv-workspace', 'python-poetry-monorepo'].includes(fixture.repo) &&
              fixture.folder !== 'services/quotes',
          );
        });

        if (fixture.readme) {
          it('says in k8s/README.md what the repository holds that needs the user', () => {
            const readme = readFileSync(path.join(service, 'k8s/README.md'), 'utf8');
            for (const said of fixture.readme!) assert.match(readme, said);
          });
        }

        it('writes no starter code and no top-level README', () => {
          const added = addedFiles();
          for (const file of added) {
            if (fixture.variant === 'health module' && healthModule.test(file)) continue;
            assert.match(
              file,
              /^(Dockerfile|\.dockerignore|Dockerfile\.dockerignore|\.yo-rc\.json|catalog-info\.yaml|compose\.yaml|secrets\/\.gitignore|k8s\/.+)$/,
              `${file} was added`,
            );
          }
          if (fixture.variant === 'health module')
            assert.ok(
              added.some((file) => healthModule.test(file)),
              `no health module among ${added.join(', ')}`,
            );
        });
      });
    }
  }

  const fixture = (repo: string): RetrofitFixture => RETROFIT_FIXTURES.find((candidate) => candidate.repo === repo)!;

  it('keeps an existing Dockerfile by default, adds the manifests around its image and says what the pod needs of it (issue 16, class 13)', async () => {
    const { root, service } = copyFixture(fixture('existing-dockerfile'));
    const original = fileDigests(root);
    await retrofitProject(service);
    assert.deepEqual(changedFiles(original, fileDigests(root)), []);
    assert.equal(savedAnswers(service).dockerfile, 'keep');
    // What k8s-app added stays out of the image the repository's COPY . . builds; local secrets above all.
    assert.equal(
      readFileSync(path.join(service, '.dockerignore'), 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .join(' '),
      'secrets compose.yaml k8s .yo-rc.json catalog-info.yaml',
    );
    const readme = readFileSync(path.join(service, 'k8s/README.md'), 'utf8');
    assert.match(readme, /The repository's own Dockerfile builds the image, unchanged/);
    assert.match(readme, /It names no `USER`, so it would run as root; the pod runs it as 65532/);
    assert.match(readme, /No init runs as PID 1 \(tini, dumb-init\)/);
    assert.doesNotMatch(readme, /shell form/);
    assert.match(readme, /\nDOCKER_BUILDKIT=1 docker build -t existing-dockerfile:0\.1\.0 \.\n/);
    // The start command is the Dockerfile's: not asked, not recorded.
    assert.equal(savedAnswers(service).startCommand, undefined);
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it("a kept Dockerfile: the repository's own .dockerignore is left as it is; the health module and a start command do not apply", async () => {
    const { root, service } = copyFixture(fixture('existing-dockerfile'));
    writeFileSync(path.join(service, '.dockerignore'), '.git\n');
    writeFileSync(path.join(service, 'Dockerfile'), 'FROM python:3.13\nUSER app\nCMD python app.py\n');
    const original = fileDigests(root);
    await retrofitProject(service);
    assert.deepEqual(changedFiles(original, fileDigests(root)), []);
    const readme = readFileSync(path.join(service, 'k8s/README.md'), 'utf8');
    assert.match(readme, /`USER app` is a name: Kubernetes' `runAsNonRoot` can only verify a number/);
    assert.match(readme, /It starts the service in shell form/);
    await assert.rejects(retrofitProject(service, { 'health-module': 'yes' }), /--health-module .*not with --dockerfile keep/);
    await assert.rejects(retrofitProject(service, { 'start-command': 'python app.py' }), /--start-command .*a kept Dockerfile starts what it starts/);
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it("a kept Dockerfile that the repository's compose file builds from a folder above is built from there", async () => {
    const { root, service } = copyFixture(fixture('existing-dockerfile'));
    writeFileSync(path.join(root, '..', 'compose.yml'), 'services:\n  web:\n    build:\n      context: .\n      dockerfile: existing-dockerfile/Dockerfile\n');
    await retrofitProject(service);
    const readme = readFileSync(path.join(service, 'k8s/README.md'), 'utf8');
    assert.ok(readme.includes('(cd .. && DOCKER_BUILDKIT=1 docker build -f existing-dockerfile/Dockerfile -t existing-dockerfile:0.1.0 .)'), readme);
    assert.match(readme, /It is built from `\.\.` \(relative to this service\), the context the repository's compose file/);
    // That folder's ignore file applies: none is written beside the Dockerfile.
    assert.ok(!existsSync(path.join(service, '.dockerignore')));
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('stops without writing when asked to replace an existing Dockerfile and nobody can confirm (no terminal, no --force)', async () => {
    const { root, service } = copyFixture(fixture('existing-dockerfile'));
    const original = fileDigests(root);
    await assert.rejects(
      retrofitProject(service, { dockerfile: 'generate' }),
      /These files exist and differ from what k8s-app would write: Dockerfile\. Nothing was written\..*--force/,
    );
    assert.deepEqual(changedFiles(original, fileDigests(root)), []);
    assert.deepEqual([...fileDigests(root).keys()], [...original.keys()]);
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it("in a terminal: an existing Dockerfile goes through yeoman's conflict prompt, and skipping keeps it", async () => {
    const { root, service } = copyFixture(fixture('existing-dockerfile'));
    const original = fileDigests(root);
    const wasTTY = process.stdin.isTTY;
    process.stdin.isTTY = true;
    const cwd = process.cwd();
    try {
      await helpers
        .run(APP_GENERATOR, {}, { force: false })
        .cd(service)
        .withOptions({ defaults: true, dockerfile: 'generate' } as never)
        .withAnswers({ action: 'skip' });
    } finally {
      process.stdin.isTTY = wasTTY;
      process.chdir(cwd);
    }
    expect(result.askedQuestions.map((question) => question.name)).toContain('action');
    assert.deepEqual(changedFiles(original, fileDigests(root)), []);
    result.assertFile(['k8s/base/deployment.yaml', '.dockerignore']);
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('stops naming --runtime-version when the repository states no runtime version', async () => {
    const { root, service } = copyFixture(fixture('node-pnpm'));
    await assert.rejects(
      retrofitProject(service),
      /does not state its runtime version \(one of: 26, 24, 22\)\. Fix: pass --runtime-version <value>, e\.g\. --runtime-version 26\./,
    );
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('refuses a start command that needs a shell, naming the fix', async () => {
    const { root, service } = copyFixture(fixture('python-pip'));
    writeFileSync(path.join(service, 'Procfile'), 'web: gunicorn server:app --bind 0.0.0.0:$PORT\n');
    await assert.rejects(
      retrofitProject(service),
      /Invalid start command in Procfile: the start command "gunicorn server:app --bind 0\.0\.0\.0:\$PORT" cannot start the service: it uses the shell \("\$"\).*Fix: pass --start-command <value>\./,
    );
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('refuses a start command that runs the package manager', async () => {
    const { root, service } = copyFixture(fixture('node-yarn'));
    await assert.rejects(
      retrofitProject(service, { 'start-command': 'yarn start' }),
      /it starts yarn, which stands between tini and node and does not pass SIGTERM on/,
    );
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('runs the start command given as an option, through the virtual environment', async () => {
    const { root, service } = copyFixture(fixture('python-uv'));
    await retrofitProject(service, { 'start-command': "gunicorn 'billing.wsgi:app' --workers 2" });
    assert.match(readFileSync(path.join(service, 'Dockerfile'), 'utf8'), /^CMD \["\/venv\/bin\/gunicorn", "billing\.wsgi:app", "--workers", "2"\]$/m);
    rmSync(path.dirname(root), { recursive: true, force: true });
  });
});
