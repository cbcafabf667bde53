// The published package, used the way people use it: our `k8s-app` bin (as whoever runs the tests,
// root in CI) and `yo k8s-app` as a non-root user, from a packed and installed tarball.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { execa } from 'execa';
import { COMMAND_LINE_OPTIONS } from '../generators/shared/command-line.ts';
import { STACKS } from '../stacks/registry.ts';
import { generateProject, retrofitProject } from './support/generate.ts';
import { installedBin, installPackedPackage } from './support/installed-package.ts';
import { copyFixture, fileDigests, RETROFIT_FIXTURES } from './support/retrofit-fixtures.ts';

const REPO = new URL('..', import.meta.url).pathname;
const packageJson = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const NOBODY = { uid: 65534, gid: 65534, name: 'nobody' };
const isRoot = process.getuid?.() === 0;

describe('the installed package', function () {
  this.timeout(240_000);
  let prefix = '';
  let nodeBin = '';
  let tarball = '';

  /** Runs a command the way a user in a terminal-less CI job would (no stdin), as `user` when root. */
  const runAs = (user: 'self' | 'other', command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) => {
    const env = { PATH: `${nodeBin}:/usr/bin:/bin`, HOME: path.join(prefix, 'home'), NO_UPDATE_NOTIFIER: '1', CI: 'true', ...extraEnv };
    if (user === 'other' && isRoot) {
      return execa('/usr/sbin/runuser', ['-u', NOBODY.name, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args], {
        cwd,
        reject: false,
        stdin: 'ignore',
        extendEnv: false,
      });
    }
    return execa(command, args, { cwd, env, extendEnv: false, reject: false, stdin: 'ignore' });
  };
  const newDir = (owner: 'self' | 'other') => {
    const dir = mkdtempSync(path.join(prefix, 'work-'));
    if (owner === 'other' && isRoot) chownSync(dir, NOBODY.uid, NOBODY.gid);
    return dir;
  };

  before(async () => {
    // A world-readable prefix, so another user can run what is installed there.
    prefix = mkdtempSync(path.join(tmpdir(), 'k8s-app-cli-'));
    chmodSync(prefix, 0o755);
    nodeBin = path.join(prefix, 'node-bin');
    mkdirSync(nodeBin);
    copyFileSync(process.execPath, path.join(nodeBin, 'node'));
    chmodSync(path.join(nodeBin, 'node'), 0o755);
    mkdirSync(path.join(prefix, 'home'));
    if (isRoot) chownSync(path.join(prefix, 'home'), NOBODY.uid, NOBODY.gid);
    tarball = await installPackedPackage(prefix, [`yo@${packageJson.devDependencies.yo}`]);
    await execa('chmod', ['-R', 'a+rX', prefix]);
  });
  after(() => prefix && rmSync(prefix, { recursive: true, force: true }));

  const k8sApp = () => installedBin(prefix);

  it('k8s-app --dry-run lists the files, writes nothing and installs nothing', async () => {
    const dir = newDir('self');
    const result = await runAs('self', k8sApp(), ['--defaults', '--dry-run'], dir);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(readdirSync(dir), []);
    const output = `${result.stdout}\n${result.stderr}`;
    for (const file of ['Dockerfile', 'package.json', 'k8s/base/deployment.yaml']) assert.match(output, new RegExp(`create ${file}`));
    assert.match(output, /Dry run: npm ci was not run\./);
  });

  it(`k8s-app --defaults generates a project (as ${isRoot ? 'root' : 'this user'})`, async () => {
    const dir = newDir('self');
    const result = await runAs('self', k8sApp(), ['--defaults', '--skip-install'], dir);
    assert.equal(result.exitCode, 0, result.stderr);
    for (const file of [
      'Dockerfile',
      '.dockerignore',
      'package.json',
      'package-lock.json',
      'src/server.ts',
      'k8s/base/deployment.yaml',
      'README.md',
      '.yo-rc.json',
    ]) {
      assert.ok(readdirSync(dir, { recursive: true, encoding: 'utf8' }).includes(file), `${file} is missing`);
    }
    const output = `${result.stdout}\n${result.stderr}`;
    assert.match(output, /create \.yo-rc\.json/);
    assert.match(output, /on a distroless image\. Next:/);
    // Between the build and the apply: the cluster must get the image, pushed or loaded.
    assert.match(
      output,
      /docker build -t (\S+) \.\n {2}docker push \1 {4}# a local cluster: kind load docker-image \1\n {2}kubectl apply -k k8s\/overlays\/dev/,
    );
    // .yo-rc.json is ours: never reported as forced over, on the first run or the next.
    const again = await runAs('self', k8sApp(), ['--skip-install'], dir);
    assert.equal(again.exitCode, 0, again.stderr);
    for (const text of [output, `${again.stdout}\n${again.stderr}`]) assert.doesNotMatch(text, /force \.yo-rc\.json/);
  });

  it('yo k8s-app --defaults works for a non-root user', async () => {
    const dir = newDir('other');
    const result = await runAs('other', path.join(prefix, 'node_modules', '.bin', 'yo'), ['k8s-app', '--defaults', '--skip-install', '--no-insight'], dir);
    assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
    const saved = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'));
    assert.equal(
      saved['generator-k8s-app'].appName,
      path
        .basename(dir)
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-'),
    );
    assert.match(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /^USER 65532:65532$/m);
  });

  it('k8s-app --dry-run in an existing repository: shows what it found, lists each file it would write or change, writes nothing', async () => {
    for (const [repo, options] of [
      ['existing-dockerfile', ['--dockerfile', 'generate']],
      ['node-pnpm', ['--runtime-version', '22']],
    ] as const) {
      const fixture = RETROFIT_FIXTURES.find((candidate) => candidate.repo === repo)!;
      const { root, service } = copyFixture(fixture);
      const original = fileDigests(root);
      const result = await runAs('self', k8sApp(), ['--defaults', '--dry-run', ...options], service);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.deepEqual([...fileDigests(root)], [...original], 'the dry run changed the repository');
      const output = `${result.stdout}\n${result.stderr}`;
      assert.match(output, new RegExp(`Found an existing ${fixture.expected.language} project in `));
      for (const file of ['.dockerignore', 'k8s/base/deployment.yaml', 'k8s/README.md']) assert.match(output, new RegExp(`create ${file}`));
      assert.match(output, /Dry run: nothing was written\./);
      if (repo === 'existing-dockerfile') assert.match(output, /conflict Dockerfile/);
      if (repo === 'node-pnpm') {
        assert.match(output, /create Dockerfile/);
        assert.match(output, /WARNING: the service has no health endpoint the generator could find/);
      }
      rmSync(path.dirname(root), { recursive: true, force: true });
    }
  });

  describe('the machine interface', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    const compiled = new Map<string, ValidateFunction>();
    const schema = (name: string) => {
      if (!compiled.has(name)) compiled.set(name, ajv.compile(JSON.parse(readFileSync(path.join(REPO, 'schemas', name), 'utf8'))));
      return compiled.get(name)!;
    };
    const assertValid = (validate: ReturnType<typeof schema>, document: unknown) =>
      assert.ok(validate(document), `${JSON.stringify(validate.errors, null, 2)}\n${JSON.stringify(document, null, 2).slice(0, 2000)}`);

    it('k8s-app --info prints the languages, versions, families and options as JSON valid against schemas/info.schema.json', async () => {
      const result = await runAs('self', k8sApp(), ['--info'], newDir('self'));
      assert.equal(result.exitCode, 0, result.stderr);
      const info = JSON.parse(result.stdout);
      assertValid(schema('info.schema.json'), info);
      assert.deepEqual(
        info.languages.map((language: { language: string }) => language.language),
        ['node', 'python', 'go', 'java', 'rust'],
      );
      const options = info.options.map((option: { option: string }) => option.option);
      for (const option of ['app-name', 'language', 'runtime-version', 'image-family', 'health-module', 'defaults', 'dry-run', 'json', 'info'])
        assert.ok(options.includes(option), option);
    });

    it('k8s-app --dry-run --json prints the answers and every file a real run writes, writes nothing', async () => {
      const dir = newDir('self');
      const result = await runAs('self', k8sApp(), ['--defaults', '--dry-run', '--json', '--app-name', 'orders', '--language', 'go'], dir);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.deepEqual(readdirSync(dir), []);
      const report = JSON.parse(result.stdout);
      assertValid(schema('dry-run.schema.json'), report);
      assert.equal(report.answers.appName, 'orders');
      assert.equal(report.retrofit, false);
      assert.ok(report.files.every((file: { action: string }) => file.action === 'create'));
      const real = newDir('self');
      assert.equal((await runAs('self', k8sApp(), ['--defaults', '--skip-install', '--app-name', 'orders', '--language', 'go'], real)).exitCode, 0);
      const written = readdirSync(real, { recursive: true, encoding: 'utf8' })
        .filter((file) => statSync(path.join(real, file)).isFile())
        .sort();
      assert.deepEqual(report.files.map((file: { path: string }) => file.path).sort(), written);
    });

    it('k8s-app --dry-run --json in an existing repository marks the files it would change', async () => {
      const { root, service } = copyFixture(RETROFIT_FIXTURES.find((fixture) => fixture.repo === 'existing-dockerfile')!);
      const result = await runAs('self', k8sApp(), ['--defaults', '--dry-run', '--json', '--dockerfile', 'generate'], service);
      assert.equal(result.exitCode, 0, result.stderr);
      const report = JSON.parse(result.stdout);
      assertValid(schema('dry-run.schema.json'), report);
      assert.equal(report.retrofit, true);
      assert.deepEqual(
        report.files.find((file: { path: string }) => file.path === 'Dockerfile'),
        { path: 'Dockerfile', action: 'conflict' },
      );
      assert.equal(report.answers.startCommand, 'python app.py');
      rmSync(path.dirname(root), { recursive: true, force: true });
    });

    it('--json without --dry-run: a clear error', async () => {
      const result = await runAs('self', k8sApp(), ['--defaults', '--json'], newDir('self'));
      assert.equal(result.exitCode, 1);
      assert.equal(result.stderr.trim(), 'k8s-app: --json prints what a dry run would do. Fix: pass --dry-run with --json.');
    });
  });

  it('the example company generator composes k8s-app with its preset and adds its own file', async () => {
    const example = path.join(prefix, 'company-generator');
    cpSync(path.join(REPO, 'examples/company-generator'), example, { recursive: true });
    copyFileSync(path.join(REPO, 'test/support/run-generator.mjs'), path.join(example, 'run-generator.mjs'));
    // As a company would: our published package (the tarball), and yeoman-generator.
    await execa(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `yeoman-generator@${packageJson.dependencies['yeoman-generator']}`],
      { cwd: example },
    );
    const dir = newDir('self');
    const result = await runAs(
      'self',
      path.join(nodeBin, 'node'),
      [path.join(example, 'run-generator.mjs'), '--defaults', '--app-name', 'orders', '--language', 'go', '--team', 'payments'],
      dir,
    );
    assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(readFileSync(path.join(dir, 'CODEOWNERS'), 'utf8'), /^\*\s+@acme\/payments$/m);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM registry\.acme\.example\/golden\/static-debian13:nonroot$/m);
    assert.match(dockerfile, /^FROM registry\.acme\.example\/mirror\/debian:13-slim AS tini$/m);
    const saved = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['generator-k8s-app'];
    assert.equal(saved.preset, path.join(example, 'preset.yaml'));
    assert.equal(saved.imageRepository, 'registry.acme.example/payments/orders');
    assert.match(readFileSync(path.join(dir, 'k8s/base/kustomization.yaml'), 'utf8'), /acme\.example\/team: "payments"/);
    assert.match(readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8'), /^    acme\.example\/runbook: "https:\/\/runbooks\.acme\.example\/payments"$/m);

    // ACME's Backstage template: its form runs yo acme-service, which passes ACME's preset itself.
    const templateDir = newDir('self');
    const template = await runAs('self', path.join(nodeBin, 'node'), [path.join(example, 'run-generator.mjs'), '--backstage-template'], templateDir);
    assert.equal(template.exitCode, 0, `${template.stdout}\n${template.stderr}`);
    assert.deepEqual(readdirSync(templateDir), ['template.yaml']);
    assert.equal(
      readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'),
      readFileSync(path.join(REPO, 'examples/company-generator/template.yaml'), 'utf8'),
      'examples/company-generator/template.yaml is not what yo acme-service --backstage-template writes',
    );
  });

  it('k8s-app --backstage-template --preset <file>: warns that the backend needs the preset as a package', async () => {
    const dir = newDir('self');
    copyFileSync(path.join(REPO, 'examples/company-generator/preset.yaml'), path.join(dir, 'acme.yaml'));
    const result = await runAs('self', k8sApp(), ['--backstage-template', '--preset', './acme.yaml'], dir);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(`${result.stdout}\n${result.stderr}`, /WARNING: the template passes --preset \.\/acme\.yaml, a file path, .*Publish the preset as a package/);
    assert.deepEqual(readdirSync(dir).sort(), ['acme.yaml', 'template.yaml']);
  });

  it('k8s-app docker runs the docker sub-generator alone', async () => {
    const dir = newDir('self');
    const result = await runAs('self', k8sApp(), ['docker', '--defaults', '--app-name', 'only-docker'], dir);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['.dockerignore', '.yo-rc.json', 'Dockerfile', 'compose.yaml', 'secrets']);
  });

  it('k8s-app loads yeoman from its bundle, and only to generate (not for --help, --version, --info or a bad option)', async () => {
    // Node's module hooks, preloaded: every file the bin loads, in order.
    const hooks = path.join(prefix, 'record-loads.mjs');
    const log = path.join(prefix, 'loaded.txt');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';\nimport { registerHooks } from 'node:module';\n` +
        `registerHooks({ load(url, context, next) { if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); } });\n`,
    );
    chmodSync(hooks, 0o644);
    const modules = path.join(prefix, 'node_modules');
    const loadedBy = async (args: string[]) => {
      rmSync(log, { force: true });
      const result = await runAs('self', k8sApp(), args, newDir('self'), { NODE_OPTIONS: `--import=${hooks}` });
      assert.ok(result.exitCode === 0 || args.includes('--langauge'), result.stderr);
      return readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((url) => path.relative(modules, fileURLToPath(url)));
    };
    // esbuild heads each bundled module with its path ("// node_modules/yeoman-environment/dist/…"),
    // so a bundle file that holds yeoman or inquirer says so.
    const holdsYeoman = (file: string) =>
      /yeoman|inquirer/.test(file) ||
      (/\.c?js$/.test(file) && /^\/\/ node_modules\/(yeoman-|@?inquirer)/m.test(readFileSync(path.join(modules, file), 'utf8')));
    for (const args of [['--help'], ['--version'], ['--info'], ['--langauge', 'go']]) {
      const loaded = await loadedBy(args);
      assert.ok(!loaded.some(holdsYeoman), `k8s-app ${args.join(' ')} loads yeoman: ${loaded.join(', ')}`);
    }
    // A generation parses its options as --info does; then bin/load-generators.ts compiles the bundle of
    // our generators with yeoman (not a module Node loads: the hooks do not see it). Nothing else is
    // loaded but data (package.json files) and picomatch, which fdir (tinyglobby's) requires at run time.
    assert.ok(holdsYeoman('generator-k8s-app/bin/bundle/run-generator.cjs'), 'the generators bundle holds no yeoman');
    const generated = await loadedBy(['--defaults', '--skip-install', '--app-name', 'bundled', '--language', 'go']);
    const modulesLoaded = generated.filter((file) => !file.endsWith('/package.json'));
    assert.ok(!modulesLoaded.some(holdsYeoman), `yeoman is loaded from outside the generators bundle: ${generated.join(', ')}`);
    const outside = modulesLoaded.filter((file) => !file.startsWith('generator-k8s-app/bin/') && !/(^|\/)picomatch\//.test(file));
    assert.deepEqual(outside, [], 'modules loaded outside the bundle');
  });

  it('the templates compiled into the bundle write what yeoman renders from the templates, byte for byte and mode for mode', async () => {
    // Every file under a folder, with its mode and contents.
    const tree = (root: string) =>
      new Map(
        (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
          .filter((file) => statSync(path.join(root, file)).isFile())
          .sort()
          .map((file) => [file, `${(statSync(path.join(root, file)).mode & 0o777).toString(8)} ${readFileSync(path.join(root, file), 'utf8')}`]),
      );
    const assertSame = (bundledRoot: string, sourceRoot: string, run: string) => {
      const [bundled, fromSource] = [tree(bundledRoot), tree(sourceRoot)];
      assert.deepEqual([...bundled.keys()], [...fromSource.keys()], `the files of ${run}`);
      for (const [file, written] of bundled) assert.equal(written, fromSource.get(file), `${file} (mode and contents) of ${run}`);
    };
    const asArguments = (options: Record<string, unknown>) =>
      Object.entries(options).flatMap(([option, value]) => (value === true ? [`--${option}`] : [`--${option}`, String(value)]));
    // Each language and family, the optional parts, and every fixture repository retrofitted.
    const newServices: Record<string, unknown>[] = [
      ...STACKS.flatMap((stack) => stack.versions[0]!.families.map((family) => ({ 'app-name': 'orders', language: stack.language, 'image-family': family }))),
      {
        'app-name': 'orders',
        language: 'go',
        manifests: 'plain',
        autoscaling: 'yes',
        exposure: 'ingress',
        'ingress-class': 'nginx',
        host: 'orders.example.com',
        'release-strategy': 'canary',
        ci: 'gitlab',
      },
      {
        'app-name': 'orders',
        language: 'node',
        manifests: 'helm',
        autoscaling: 'yes',
        exposure: 'httproute',
        gateway: 'infra/public',
        host: 'orders.example.com',
        'release-strategy': 'blue-green',
      },
      {
        'app-name': 'orders',
        language: 'python',
        'release-strategy': 'canary',
        'release-controller': 'argo-rollouts',
        exposure: 'ingress',
        'ingress-class': 'nginx',
        host: 'orders.example.com',
      },
      {
        'app-name': 'orders',
        language: 'rust',
        manifests: 'helm',
        'release-strategy': 'canary',
        'release-controller': 'argo-rollouts',
        compose: 'no',
        ci: 'none',
      },
      { 'backstage-template': true },
    ];
    for (const options of newServices) {
      const [bundled, fromSource] = [newDir('self'), newDir('self')];
      const result = await runAs('self', k8sApp(), ['--defaults', '--skip-install', ...asArguments(options)], bundled);
      assert.equal(result.exitCode, 0, result.stderr);
      await generateProject(options, fromSource);
      assertSame(bundled, fromSource, `k8s-app ${asArguments(options).join(' ')}`);
    }
    for (const fixture of RETROFIT_FIXTURES) {
      const [bundled, fromSource] = [copyFixture(fixture), copyFixture(fixture)];
      const result = await runAs('self', k8sApp(), ['--defaults', '--skip-install', ...asArguments(fixture.options)], bundled.service);
      assert.equal(result.exitCode, 0, result.stderr);
      await retrofitProject(fromSource.service, fixture.options);
      assertSame(bundled.root, fromSource.root, `k8s-app ${asArguments(fixture.options).join(' ')} in ${fixture.repo}`);
      for (const copy of [bundled, fromSource]) rmSync(path.dirname(copy.root), { recursive: true, force: true });
    }
  });

  it("a generation keeps V8's compiled code of the generators bundle beside Node's compile cache, uses it, and replaces a damaged one", async () => {
    const cacheRoot = newDir('self');
    const generate = async (env: Record<string, string> = { NODE_COMPILE_CACHE: cacheRoot }, user: 'self' | 'other' = 'self') => {
      const result = await runAs(user, k8sApp(), ['--defaults', '--skip-install', '--app-name', 'cached', '--language', 'go'], newDir(user), env);
      assert.equal(result.exitCode, 0, result.stderr);
      // A cache: never a word about it, whatever happens to it.
      assert.doesNotMatch(result.stderr, /error|warning|\.cache\b/i);
    };
    const cacheFiles = (root: string) =>
      (readdirSync(root, { recursive: true }) as string[])
        .filter((file) => /^k8s-app-[0-9a-f]+\.cache$/.test(path.basename(file)))
        .map((file) => path.join(root, file));

    await generate();
    const [cache, ...more] = cacheFiles(cacheRoot);
    assert.ok(cache && more.length === 0, `one cache file in ${cacheRoot}: ${cacheFiles(cacheRoot).join(', ')}`);
    // Node's own cache folder (one per Node version), which V8's own checks pair with.
    assert.equal(path.dirname(cache), path.join(cacheRoot, readdirSync(cacheRoot)[0]!));
    const written = readFileSync(cache);
    assert.ok(written.length > 100_000, `the cache holds ${written.length} bytes`);
    const { mtimeMs } = statSync(cache);

    // Accepted: the next run leaves it as it is.
    await generate();
    assert.deepEqual(readFileSync(cache), written);
    assert.equal(statSync(cache).mtimeMs, mtimeMs);

    // Refused by V8 (damaged, or made by another Node): the run compiles the bundle and writes it anew.
    writeFileSync(cache, Buffer.alloc(written.length, 7));
    await generate();
    const rewritten = readFileSync(cache);
    assert.ok(rewritten.length > 100_000 && !rewritten.equals(Buffer.alloc(written.length, 7)), 'the damaged cache was not replaced');
    assert.deepEqual(cacheFiles(cacheRoot), [cache], 'a partial file was left behind');

    // Node's compile cache turned off: nothing is kept.
    const disabled = newDir('self');
    await generate({ NODE_COMPILE_CACHE: disabled, NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.deepEqual(cacheFiles(disabled), []);

    // A folder the user cannot write: the generation runs as before.
    const readOnly = newDir('self');
    chmodSync(readOnly, 0o555);
    await generate({ NODE_COMPILE_CACHE: readOnly }, 'other');
    assert.deepEqual(readdirSync(readOnly), []);
  });

  it("k8s-app --help lists every option we support, wrapped to the terminal, and none of yeoman's", async () => {
    const dir = newDir('self');
    const result = await runAs('self', k8sApp(), ['--help'], dir, { COLUMNS: '72' });
    assert.equal(result.exitCode, 0, result.stderr);
    for (const { option } of COMMAND_LINE_OPTIONS) assert.match(result.stdout, new RegExp(`^  --${option}\\b`, 'm'), `--help does not list --${option}`);
    for (const option of ['--dry-run', '--force', '--info', '--version']) assert.ok(result.stdout.includes(option), `--help does not list ${option}`);
    for (const internal of ['--skip-cache', '--ask-answered', '--skip-local-cache', '--force-install'])
      assert.ok(!result.stdout.includes(internal), `--help shows yeoman's ${internal}`);
    for (const line of result.stdout.split('\n')) assert.ok(line.length <= 72, `wider than the terminal: ${line}`);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('k8s-app --version prints the version and generates nothing', async () => {
    const dir = newDir('self');
    const result = await runAs('self', k8sApp(), ['--version'], dir);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout.trim(), packageJson.version);
    assert.deepEqual(readdirSync(dir), []);
  });

  for (const [typo, meant] of [
    ['--langauge', '--language'],
    ['--dryrun', '--dry-run'],
    ['--app_name', '--app-name'],
  ]) {
    it(`an unknown option (${typo}): exit 2, "did you mean ${meant}?", nothing written`, async () => {
      const dir = newDir('self');
      const result = await runAs('self', k8sApp(), ['--defaults', typo, 'x'], dir);
      assert.equal(result.exitCode, 2);
      assert.equal(
        result.stderr.trim(),
        `k8s-app: unknown option ${typo}. Did you mean ${meant}? Nothing was written. Fix: k8s-app --help lists every option.`,
      );
      assert.deepEqual(readdirSync(dir), []);
    });
  }

  it('yo k8s-app with an unknown option: the same one line with the suggestion, a non-zero exit, nothing written', async () => {
    const dir = newDir('other');
    const result = await runAs(
      'other',
      path.join(prefix, 'node_modules', '.bin', 'yo'),
      ['k8s-app', '--defaults', '--langauge', 'python', '--no-insight'],
      dir,
    );
    assert.notEqual(result.exitCode, 0);
    assert.match(`${result.stdout}\n${result.stderr}`, /unknown option --langauge\. Did you mean --language\? Nothing was written\./);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('yo --generators lists the k8s-app parts and nothing that is not one', async () => {
    const result = await runAs('other', path.join(prefix, 'node_modules', '.bin', 'yo'), ['--generators', '--no-insight'], newDir('other'));
    assert.equal(result.exitCode, 0, result.stderr);
    for (const part of ['app', 'docker', 'kubernetes', 'service'])
      assert.match(result.stdout, new RegExp(`\\b${part}\\b`), `yo --generators does not list k8s-app:${part}`);
    assert.doesNotMatch(result.stdout, /stacks/);
  });

  it('a malformed .yo-rc.json: one line naming the file and the fix, nothing written', async () => {
    const dir = newDir('self');
    writeFileSync(path.join(dir, '.yo-rc.json'), '{ "generator-k8s-app": {\n');
    const result = await runAs('self', k8sApp(), ['--defaults', '--skip-install'], dir);
    assert.equal(result.exitCode, 1);
    assert.match(
      result.stderr.trim(),
      /^k8s-app: \S+\.yo-rc\.json is not valid JSON \(.*\)\. Nothing was written\. Fix: correct it, or delete it to answer every question again\.$/,
    );
    assert.deepEqual(readdirSync(dir), ['.yo-rc.json']);
  });

  /**
   * k8s-app in a terminal (script(1) gives it one): each step waits until the output shows `after`
   * (counted from the previous step), then types `keys`. The last step's keys are sent every second
   * (at most 10 times), in case the prompt had not yet put the terminal in raw mode, where Ctrl-C is a
   * key the prompt reads.
   */
  async function inTerminal(dir: string, steps: { after: RegExp; keys: string }[], term = 'dumb') {
    const run = execa('script', ['-qfec', `${k8sApp()}`, '/dev/null'], {
      cwd: dir,
      reject: false,
      extendEnv: false,
      env: { PATH: `${nodeBin}:/usr/bin:/bin`, HOME: path.join(prefix, 'home'), TERM: term },
      timeout: 60_000,
    });
    let shown = '';
    let from = 0;
    let step = 0;
    let repeat: NodeJS.Timeout | undefined;
    run.stdout!.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
      while (step < steps.length && !repeat && steps[step]!.after.test(shown.slice(from))) {
        const { keys } = steps[step]!;
        from = shown.length;
        step += 1;
        if (step < steps.length) {
          run.stdin!.write(keys);
        } else {
          let sent = 0;
          run.stdin!.write(keys);
          repeat = setInterval(() => (sent++ < 10 ? run.stdin!.write(keys) : clearInterval(repeat)), 1000);
        }
      }
    });
    const result = await run;
    clearInterval(repeat);
    return result;
  }
  const CTRL_C = '\u0003';

  it('Ctrl-C at a question in a terminal: exit 130, "Cancelled, nothing written"', async () => {
    const dir = newDir('self');
    const cancelled = await inTerminal(dir, [{ after: /Service name/, keys: CTRL_C }]);
    assert.equal(cancelled.exitCode, 130, cancelled.stdout);
    assert.match(cancelled.stdout, /k8s-app: Cancelled, nothing written\./);
    assert.doesNotMatch(cancelled.stdout, /without a terminal/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('an invalid answer typed in a terminal is refused with the reason, and the question asked again', async () => {
    const dir = newDir('self');
    // Backspaces erase the default and then the refused answer (a terminal Node's readline can edit:
    // with TERM=dumb it inserts them as text).
    const erase = '\u007f'.repeat(20);
    const session = await inTerminal(
      dir,
      [
        { after: /Service name/, keys: `${erase}Bad_Name\r` },
        // The reason, then the same question still waiting: the next one is not shown yet.
        { after: /must be a DNS-1123 label/, keys: `${erase}good-name\r` },
        { after: /Language/, keys: CTRL_C },
      ],
      'xterm',
    );
    assert.equal(session.exitCode, 130, session.stdout);
    const reason = session.stdout.indexOf('must be a DNS-1123 label');
    assert.ok(reason > 0 && session.stdout.indexOf('Language') > reason, `the reason did not come before the next question:\n${session.stdout}`);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a question without a terminal: a clear message naming the fix, nothing written', async () => {
    const dir = newDir('self');
    const result = await runAs('self', k8sApp(), ['--port', '8080'], dir);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /k8s-app: stopped at a question, nothing was written\. Without a terminal, pass --defaults or every option/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('bad input: one clear line, a non-zero exit, nothing written', async () => {
    const dir = newDir('self');
    const result = await runAs('self', k8sApp(), ['--defaults', '--port', '80a'], dir);
    assert.equal(result.exitCode, 1);
    assert.equal(
      result.stderr.trim(),
      'k8s-app: Invalid --port: the port "80a" is not a whole number from 1 to 65535. Fix: pass a valid value, e.g. --port 8080.',
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('an existing file: stops without a terminal, overwrites with --force', async () => {
    const dir = newDir('self');
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    const stopped = await runAs('self', k8sApp(), ['--defaults', '--skip-install'], dir);
    assert.equal(stopped.exitCode, 1);
    assert.doesNotMatch(`${stopped.stdout}\n${stopped.stderr}`, /An error occured/, "yeoman's banner before our own line");
    assert.match(stopped.stderr, /These files exist and differ from what k8s-app would write: Dockerfile\. Nothing was written\./);
    assert.deepEqual(readdirSync(dir), ['Dockerfile']);
    const forced = await runAs('self', k8sApp(), ['--defaults', '--skip-install', '--force'], dir);
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.match(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /ENTRYPOINT \["\/tini"/);
  });

  it('a subfolder the user cannot write: one line naming it, nothing written', async function () {
    // Root can write anywhere: the case needs a second user, which only root can switch to.
    if (!isRoot) this.skip();
    const dir = newDir('other');
    mkdirSync(path.join(dir, 'k8s'));
    chmodSync(path.join(dir, 'k8s'), 0o555);
    const result = await runAs('other', k8sApp(), ['--defaults', '--skip-install'], dir);
    assert.equal(result.exitCode, 1);
    assert.match(
      result.stderr.trim(),
      /^k8s-app: Cannot write the project: \S+\/k8s is not writable \(needed for k8s\/base\/config\/demo-endpoints, .* and \d+ more\)\. Nothing was written\. Fix: make it writable by this user \(chmod\/chown\), or run k8s-app in a directory you own\.$/,
    );
    assert.deepEqual(readdirSync(dir, { recursive: true }), ['k8s']);
  });

  it('a destination the user cannot write: a clear error, nothing written', async function () {
    // Root can write anywhere: the case needs a second user, which only root can switch to.
    if (!isRoot) this.skip();
    const dir = newDir('self');
    chmodSync(dir, 0o755);
    const result = await runAs('other', k8sApp(), ['--defaults', '--skip-install'], dir);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /^k8s-app: Cannot write to .*: .* is not writable by this user\. Run k8s-app in a directory you own, or fix its permissions/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
