// The fixture repositories retrofitted with --defaults: what k8s-app takes from each, that none of
// their files change, and the Dockerfile that follows each repository's own build (snapshots, for
// both image families; test/containers/retrofit.spec.ts builds and runs the distroless ones).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
          assert.match(
            readme,
            fixture.folder && fixture.expected.language === 'node'
              ? /\(cd \.\.\/\.\. && DOCKER_BUILDKIT=1 docker build -f services\/web\/Dockerfile -t \S+ \.\)\n/
              : /\nDOCKER_BUILDKIT=1 docker build -t /,
          );
        });

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

  it('stops without writing when an existing Dockerfile differs and nobody can confirm (no terminal, no --force)', async () => {
    const { root, service } = copyFixture(fixture('existing-dockerfile'));
    const original = fileDigests(root);
    await assert.rejects(retrofitProject(service), /These files exist and differ from what k8s-app would write: Dockerfile\. Nothing was written\..*--force/);
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
        .withOptions({ defaults: true } as never)
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
