// Generator specs (one root describe: snapshots are saved per root suite): what each combination writes, how answers are taken and saved, and bad input.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'esmocha';
import helpers, { result } from 'yeoman-test';
import { ANSWER_SPECS } from '../generators/shared/answers.ts';
import { findStack, STACKS } from '../stacks/registry.ts';
import { APP_GENERATOR, generateProject, loggedText, retrofitProject, runApp } from './support/generate.ts';
import { definesDefault } from './support/source-defaults.ts';

const generatorPath = (name: string) => new URL(`../generators/${name}/index.ts`, import.meta.url).pathname;
const run = (options: Record<string, unknown>) => runApp(options);

/** Every file under a directory, relative, with its contents and modification time. */
function readTree(root: string): Map<string, { contents: string; mtimeMs: number }> {
  const files = new Map<string, { contents: string; mtimeMs: number }>();
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]) {
    const file = path.join(root, entry);
    const stats = statSync(file);
    if (stats.isFile()) files.set(entry, { contents: readFileSync(file, 'utf8'), mtimeMs: stats.mtimeMs });
  }
  return files;
}

describe('k8s-app:app', () => {
  describe('the matrix of languages, versions, families and ports', () => {
    for (const stack of STACKS) {
      for (const runtime of stack.versions) {
        for (const family of runtime.families) {
          for (const port of [8080, 3000]) {
            describe(`${stack.language} ${runtime.version} ${family} port ${port}`, () => {
              before(() =>
                run({
                  'app-name': 'matrix',
                  language: stack.language,
                  'runtime-version': runtime.version,
                  'image-family': family,
                  port: String(port),
                  defaults: true,
                }),
              );

              it('writes the expected files', () => {
                expect(Object.keys(result.getStateSnapshot()).sort()).toMatchSnapshot();
              });

              it('builds on the chosen runtime and family', () => {
                const { builder, runtime: runtimeImage } = stack.images[family];
                // A versioned image takes its version from one top-level ARG; an unversioned one is named as is.
                if (runtimeImage.includes('{version}')) result.assertFileContent('Dockerfile', `ARG ${stack.versionArg}=${runtime.version}\n`);
                for (const image of [builder, runtimeImage]) {
                  result.assertFileContent('Dockerfile', `\nFROM ${image.replace('{version}', `\${${stack.versionArg}}`)}`);
                }
              });

              it('uses the port everywhere', () => {
                result.assertFileContent('Dockerfile', `\nEXPOSE ${port}\n`);
                result.assertFileContent('k8s/base/deployment.yaml', `containerPort: ${port}\n`);
                // The service's own default, so it listens there even without PORT.
                const code = Object.entries(result.getSnapshot())
                  .filter(([file]) => file.startsWith(`${stack.sourceDir}/`))
                  .map(([, state]) => state.contents ?? '');
                assert.ok(
                  code.some((contents) => definesDefault(contents, String(port))),
                  `no default port ${port} in ${stack.sourceDir}/`,
                );
              });

              it('asks nothing', () => {
                expect(result.askedQuestions).toEqual([]);
              });
            });
          }
        }
      }
    }
  });

  describe("Java's start-up archive, written by a training run at build time and mapped by every start", () => {
    const archives = [
      { version: '25', written: '-XX:AOTCacheOutput=/app/app.aot', used: '-XX:AOTCache=/app/app.aot' },
      { version: '21', written: '-XX:ArchiveClassesAtExit=/app/app.jsa', used: '-XX:SharedArchiveFile=/app/app.jsa' },
    ];
    for (const { version, written, used } of archives) {
      it(`Java ${version}: ${used}`, async () => {
        await run({ language: 'java', 'runtime-version': version, defaults: true });
        const dockerfile = readFileSync(path.join(result.cwd, 'Dockerfile'), 'utf8');
        const training = dockerfile.split('\n').find((line) => line.startsWith('RUN ["/usr/bin/java"'));
        assert.ok(training?.includes(`"${written}"`), `no training run writing ${written}: ${training}`);
        const entrypoint = dockerfile.split('\n').find((line) => line.startsWith('ENTRYPOINT '));
        assert.ok(entrypoint?.includes(`"${used}", "-jar"`), `the entrypoint does not use ${used}: ${entrypoint}`);
      });
    }
  });

  describe('the default combination', () => {
    before(() => run({ defaults: true }).inDir(path.join(mkdtempSync(path.join(tmpdir(), 'k8s-app-')), 'My_Orders Service')));

    it('derives a DNS-1123 app name from the directory', () => {
      result.assertJsonFileContent('package.json', { name: 'my-orders-service' });
    });

    it('saves every answer in .yo-rc.json', () => {
      result.assertJsonFileContent('.yo-rc.json', {
        'generator-k8s-app': {
          appName: 'my-orders-service',
          language: 'node',
          runtimeVersion: findStack('node')!.defaultVersion,
          imageFamily: 'distroless',
          port: 8080,
          imageRepository: 'my-orders-service',
          namespace: 'my-orders-service',
        },
      });
    });

    it('matches the reviewed output', () => {
      // Written files only (mem-fs also holds the templates it read), without the long lock file.
      const snapshot = result.getSnapshot((file) => file.path.startsWith(result.cwd) && !file.path.endsWith('package-lock.json'));
      expect(Object.fromEntries(Object.entries(snapshot).map(([file, state]) => [file, state.contents]))).toMatchSnapshot();
    });
  });

  describe('names a language derives from the app name', () => {
    // A Java package comes from the app name: dashes go, keywords and leading digits get an underscore.
    for (const [appName, javaPackage] of [
      ['orders-api', 'com.example.ordersapi'],
      ['new', 'com.example.new_'],
      ['9lives', 'com.example._9lives'],
    ]) {
      it(`puts the Java code of ${appName} in package ${javaPackage}`, async () => {
        await run({ 'app-name': appName, language: 'java', defaults: true });
        const packagePath = javaPackage.replaceAll('.', '/');
        result.assertFileContent(`src/main/java/${packagePath}/Application.java`, `package ${javaPackage};\n`);
        result.assertFileContent(`src/test/java/${packagePath}/SettingsTests.java`, `package ${javaPackage};\n`);
        result.assertFileContent('src/main/resources/META-INF/spring.factories', `=${javaPackage}.InvalidSettingFailureAnalyzer\n`);
      });
    }
  });

  describe('prompts', () => {
    before(() =>
      run({}).withAnswers(
        {
          appName: 'asked',
          language: 'node',
          runtimeVersion: '24',
          imageFamily: 'alpine',
          port: '9090',
          imageRepository: 'registry.example.com/team/asked',
          namespace: 'team',
        },
        { throwOnMissingAnswer: true },
      ),
    );

    it('asks every answer that applies to a new project once, in order, then confirms the recap', () => {
      const forNewProjects = ANSWER_SPECS.filter((spec) => spec.when?.({ retrofit: false }, { language: 'node' }) ?? true);
      expect(result.askedQuestions.map((question) => question.name)).toEqual([...forNewProjects.map((spec) => spec.name), 'confirmAnswers']);
    });

    it('uses and saves the answers', () => {
      result.assertFileContent('Dockerfile', 'FROM node:${NODE_VERSION}-alpine\n');
      result.assertFileContent('k8s/base/deployment.yaml', 'image: registry.example.com/team/asked:0.1.0');
      result.assertFileContent('k8s/overlays/prod/kustomization.yaml', 'namespace: team');
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { port: 9090, runtimeVersion: '24', imageFamily: 'alpine' } });
    });
  });

  describe('the recap before writing', () => {
    const typed = {
      appName: 'recap',
      language: 'go',
      runtimeVersion: '1.27',
      imageFamily: 'distroless',
      port: '8080',
      imageRepository: 'recap',
      namespace: 'recap',
    };

    it('shows every answer with where it came from and asks to write, once', async () => {
      const { port, ...prompted } = typed;
      const recap = await run({ port }).withAnswers({ ...prompted, confirmAnswers: true });
      const recapQuestions = recap.askedQuestions.filter((question) => question.name === 'confirmAnswers');
      expect(recapQuestions.length).toEqual(1);
      const logged = loggedText(recap);
      assert.match(
        logged,
        /k8s-app will generate with these answers:\n  Service name: recap \(answered\)\n  Language: go \(answered\)\n  Runtime version: 1\.27 \(answered\)\n  Base image family: distroless \(answered\)\n  HTTP port: 8080 \(--port\)\n/,
      );
      recap.assertFile('go.mod');
    });

    it('writes nothing when the answer is no', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-recap-'));
      await assert.rejects(
        run({})
          .cd(dir)
          .withAnswers({ ...typed, confirmAnswers: false }),
        /Cancelled, nothing written\./,
      );
      expect(readdirSync(dir)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('is not shown with --defaults or when every answer is an option', async () => {
      const quiet = await run({ defaults: true, language: 'go' });
      expect(quiet.askedQuestions).toEqual([]);
    });
  });

  describe('options given on the command line', () => {
    before(() =>
      run({
        'app-name': 'given',
        language: 'node',
        'runtime-version': '22',
        'image-family': 'distroless',
        port: '8081',
        'image-repository': 'given',
        'k8s-namespace': 'ns',
        manifests: 'plain',
        autoscaling: 'yes',
        exposure: 'ingress',
        'ingress-class': 'traefik',
        host: 'given.example.org',
        'release-strategy': 'canary',
        'release-controller': 'argo-rollouts',
        owner: 'group:default/given-team',
        lifecycle: 'experimental',
        system: 'shop',
        compose: 'no',
        ci: 'gitlab',
      }),
    );

    it('skip their prompts', () => {
      expect(result.askedQuestions).toEqual([]);
      result.assertFileContent('Dockerfile', 'ARG NODE_VERSION=22\n');
    });
  });

  describe('a second run with the saved answers', () => {
    it('asks nothing and changes no file', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-again-'));
      await run({ defaults: true, 'app-name': 'again' }).cd(dir);
      const before = readTree(dir);
      const second = await helpers.run(APP_GENERATOR, {}, { force: false }).cd(dir);
      expect(second.askedQuestions).toEqual([]);
      // yeoman always rewrites .yo-rc.json (with the same content); every other file is left alone.
      const after = readTree(dir);
      expect(after.get('.yo-rc.json')?.contents).toEqual(before.get('.yo-rc.json')?.contents);
      after.delete('.yo-rc.json');
      before.delete('.yo-rc.json');
      expect(after).toEqual(before);
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('each sub-generator alone', () => {
    const expected: Record<string, string[]> = {
      docker: ['.dockerignore', 'Dockerfile', 'compose.yaml', 'secrets/.gitignore'],
      kubernetes: ['k8s/base/deployment.yaml', 'k8s/overlays/dev/kustomization.yaml', 'k8s/overlays/prod/kustomization.yaml'],
      service: ['package.json', 'package-lock.json', 'src/server.ts', 'README.md'],
    };
    for (const [name, files] of Object.entries(expected)) {
      it(`k8s-app:${name} writes only its own files`, async () => {
        await helpers.run(generatorPath(name)).withOptions({ defaults: true, 'app-name': 'alone' } as never);
        result.assertFile([...files, '.yo-rc.json']);
        const others = Object.keys(result.getStateSnapshot()).filter((file) => file !== '.yo-rc.json');
        // The catalog entry is the kubernetes part's: Backstage finds the pods by the manifests' labels.
        const kubernetesFile = (file: string) => file.startsWith('k8s/') || file === 'catalog-info.yaml';
        const own = name === 'kubernetes' ? others.every(kubernetesFile) : !others.some(kubernetesFile);
        assert.ok(own, `k8s-app:${name} wrote ${others.join(', ')}`);
        if (name !== 'docker') result.assertNoFile('Dockerfile');
      });
    }
  });

  describe('bad input', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'an app name that is not DNS-1123',
        { 'app-name': 'My_App' },
        /Invalid --app-name: the app name must be a DNS-1123 label.*Fix: pass a valid value, e\.g\. --app-name/,
      ],
      [
        'an app name over 63 characters',
        { 'app-name': 'a'.repeat(64) },
        /Invalid --app-name: the app name is 64 characters long; a DNS-1123 label has at most 63/,
      ],
      [
        'a port that is not a number',
        { port: 'http' },
        /Invalid --port: the port "http" is not a whole number from 1 to 65535\. Fix: pass a valid value, e\.g\. --port 8080\./,
      ],
      ['port 0', { port: '0' }, /Invalid --port: the port "0" is not a whole number from 1 to 65535/],
      ['port 65536', { port: '65536' }, /Invalid --port: the port "65536" is not a whole number from 1 to 65535/],
      ['an unknown language', { language: 'cobol' }, /Invalid --language: the language "cobol" is not offered; choose one of: node, python/],
      [
        'an unknown Python version',
        { language: 'python', 'runtime-version': '3.9' },
        /Invalid --runtime-version: the python runtime version "3\.9" is not offered; choose one of: 3\.13, 3\.14/,
      ],
      [
        'a family without an image for the version',
        { language: 'python', 'runtime-version': '3.14', 'image-family': 'distroless' },
        /Invalid --image-family: no distroless image exists for python 3\.14; choose one of: alpine/,
      ],
      [
        'an unknown runtime version',
        { 'runtime-version': '18' },
        /Invalid --runtime-version: the node runtime version "18" is not offered; choose one of: 26, 24, 22/,
      ],
      [
        'an unknown image family',
        { 'image-family': 'ubuntu' },
        /Invalid --image-family: the image family "ubuntu" is not offered; choose one of: distroless, alpine/,
      ],
      [
        'an image repository with a tag',
        { 'image-repository': 'repo/app:1.0' },
        /Invalid --image-repository: the image repository "repo\/app:1\.0" is not a valid repository name/,
      ],
      ['a namespace that is not DNS-1123', { 'k8s-namespace': 'Team.A' }, /Invalid --k8s-namespace: the namespace must be a DNS-1123 label/],
    ];
    for (const [what, options, message] of cases) {
      it(`rejects ${what}, writing nothing`, async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-bad-'));
        await assert.rejects(run({ defaults: true, ...options }).inDir(dir), (error: Error) => error.name === 'UsageError' && message.test(error.message));
        assert.deepEqual(readdirSync(dir), []);
      });
    }

    it('rejects a value saved in .yo-rc.json, naming the file', async () => {
      await assert.rejects(
        run({ defaults: true }).withYoRcConfig('generator-k8s-app', { port: 'eighty' }),
        /Invalid port in \.yo-rc\.json: the port "eighty" is not a whole number from 1 to 65535/,
      );
    });

    it('gives each prompt the reason an answer is refused (the CLI spec types one in a terminal)', async () => {
      let portQuestion: { validate?: (input: unknown) => unknown } | undefined;
      await run({ defaults: false }).withAnswers(
        {
          appName: 'reasons',
          language: 'go',
          runtimeVersion: '1.27',
          imageFamily: 'distroless',
          port: '8080',
          imageRepository: 'reasons',
          namespace: 'reasons',
          confirmAnswers: true,
        },
        {
          callback: (answer: unknown, { question }: { question: { name?: string; validate?: (input: unknown) => unknown } }) => {
            if (question.name === 'port') portQuestion = question;
            return answer;
          },
        },
      );
      expect(portQuestion?.validate?.('99999')).toEqual('The port "99999" is not a whole number from 1 to 65535.');
      expect(portQuestion?.validate?.('8080')).toEqual(true);
    });

    it('rejects a destination that cannot be written, before writing anything', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-bad-'));
      writeFileSync(path.join(dir, 'a-file'), '');
      await assert.rejects(
        run({ defaults: true, 'app-name': 'x', destinationRoot: path.join(dir, 'a-file', 'service') }),
        /Cannot write to .*a-file\/service: .*a-file is a file, not a directory/,
      );
    });

    if (process.getuid?.() !== 0) {
      it('rejects a read-only destination', async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-bad-'));
        chmodSync(dir, 0o555);
        await assert.rejects(run({ defaults: true, 'app-name': 'x', destinationRoot: path.join(dir, 'service') }), /is not writable by this user/);
      });
    }
  });

  describe('existing files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-existing-'));
      writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('without a terminal: stops before writing anything and names the files and the fix', async () => {
      await assert.rejects(
        runApp({ defaults: true }, dir, { force: false }),
        /These files exist and differ from what k8s-app would write: Dockerfile\. Nothing was written\. Run again in a terminal to review each change, or pass --force to overwrite them\./,
      );
      assert.deepEqual(readdirSync(dir), ['Dockerfile']);
      assert.equal(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), 'FROM scratch\n');
    });

    it("in a terminal: goes through yeoman's conflict prompt, and keeps the file when told to skip", async () => {
      const wasTTY = process.stdin.isTTY;
      process.stdin.isTTY = true;
      try {
        await runApp({ defaults: true }, dir, { force: false }).withAnswers({ action: 'skip' });
      } finally {
        process.stdin.isTTY = wasTTY;
      }
      expect(result.askedQuestions.map((question) => question.name)).toContain('action');
      assert.equal(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), 'FROM scratch\n');
      result.assertFile('k8s/base/deployment.yaml');
    });

    it('with --force: overwrites', async () => {
      // As the CLI passes it: a generator option, the environment's own left unset.
      await runApp({ defaults: true, force: true }, dir, { force: undefined });
      result.assertFileContent('Dockerfile', 'ENTRYPOINT ["/tini", "--", "/nodejs/bin/node"]');
    });

    it("keeps what yeoman's .yo-resolve files say to skip, in the folder or any folder above it", async () => {
      const service = path.join(dir, 'service');
      mkdirSync(service);
      writeFileSync(path.join(service, 'Dockerfile'), 'FROM scratch\n');
      writeFileSync(path.join(service, 'README.md'), 'Ours.\n');
      writeFileSync(path.join(service, '.yo-resolve'), 'Dockerfile skip\n');
      writeFileSync(path.join(dir, '.yo-resolve'), 'service/README.md skip\n');
      await runApp({ defaults: true, force: true }, service, { force: undefined });
      assert.equal(readFileSync(path.join(service, 'Dockerfile'), 'utf8'), 'FROM scratch\n');
      assert.equal(readFileSync(path.join(service, 'README.md'), 'utf8'), 'Ours.\n');
      result.assertFileContent('k8s/base/deployment.yaml', 'kind: Deployment');
    });
  });

  describe('file modes', () => {
    it('writes mvnw executable, and makes it executable again when it no longer is', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-modes-'));
      try {
        await generateProject({ language: 'java' }, dir);
        const mvnw = path.join(dir, 'mvnw');
        assert.equal(statSync(mvnw).mode & 0o777, 0o755);
        chmodSync(mvnw, 0o644);
        // A second run in the folder, with consent to change what differs.
        await retrofitProject(dir, { force: true });
        assert.equal(statSync(mvnw).mode & 0o777, 0o755);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('generated project files', () => {
    it("ships a Node lock file that matches the stack's dependency pins", () => {
      const lock = JSON.parse(readFileSync(new URL('../templates/service/node/package-lock.json.ejs', import.meta.url), 'utf8'));
      const root = lock.packages[''];
      const pins = findStack('node')!.dependencies;
      expect({ ...root.dependencies, ...root.devDependencies }).toEqual(pins);
      for (const [name, version] of Object.entries(pins)) expect(lock.packages[`node_modules/${name}`].version).toBe(version);
    });

    it("ships hashed Python requirements that match the stack's dependency pins", () => {
      const locked = new Map<string, string>();
      for (const file of ['requirements.txt', 'requirements-dev.txt']) {
        const text = readFileSync(new URL(`../templates/service/python/${file}`, import.meta.url), 'utf8');
        for (const match of text.matchAll(/^([a-z0-9._-]+)==(\S+) \\\n\s+--hash=sha256:[0-9a-f]{64}/gm)) locked.set(match[1]!, match[2]!);
      }
      for (const [name, version] of Object.entries(findStack('python')!.dependencies)) expect(locked.get(name)).toBe(version);
    });

    it('keeps registry hosts out of the lock file, so any npm mirror serves it', () => {
      const lock = readFileSync(new URL('../templates/service/node/package-lock.json.ejs', import.meta.url), 'utf8');
      assert.doesNotMatch(lock, /"resolved"/);
    });
  });
});
