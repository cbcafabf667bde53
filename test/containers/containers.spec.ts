// Every generated distroless image, built unmodified with BuildKit and run hardened as the Deployment
// runs it; the service contract against the container; tini, docker stop and layer caching.
// Alpine images cannot be assembled offline (no registry, and apk's repositories are not reachable):
// their Dockerfiles are generated and checked statically, and the report lists them as not built.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { TINI_IMAGE } from '../../stacks/common.ts';
import { imageRef, STACKS } from '../../stacks/registry.ts';
import { contractChecks, freePort } from '../contract/harness.ts';
import { generateProject } from '../support/generate.ts';
import { childrenOf, commandLine, namespacePids } from '../support/proc.ts';
import { containerLauncher, containerPid, HARDENING, startDetached } from './container-launcher.ts';
import { assertDockleClean, atWarnOrAbove, describeDockle, dockle } from './dockle.ts';
import { DOCKER, type Engine, ensureEngine } from './engine.ts';
import { type BuildResult, dependencyStep, dockerBuild } from './image-build.ts';
import { containerReport as report } from './report.ts';
import { ensureStandIns } from './standins.ts';

const APP_NAME = 'contract-svc';
let engine: Engine | undefined;

before(async function () {
  this.timeout(1_800_000);
  engine = await ensureEngine(path.join(tmpdir(), 'k8s-app-dockerd.log'));
  for (const standIn of await ensureStandIns()) {
    report.push(`stand-in ${standIn.ref}: ${standIn.built ? `built in ${standIn.seconds.toFixed(0)} s` : 'cached'}`);
  }
});

after(async function () {
  this.timeout(120_000);
  console.log(`\n  Container report\n${report.map((line) => `    ${line}`).join('\n')}\n`);
  await engine?.stop();
});

for (const stack of STACKS) {
  for (const runtime of stack.versions) {
    if (runtime.families.includes('alpine')) {
      describe(`${stack.language} ${runtime.version} alpine image`, () => {
        it('is generated for the Alpine images, and reported as not built', async () => {
          const dir = await generateProject({ 'app-name': APP_NAME, language: stack.language, 'runtime-version': runtime.version, 'image-family': 'alpine' });
          const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
          const { builder, runtime: runtimeImage } = stack.images.alpine;
          for (const pattern of [builder, runtimeImage]) {
            assert.ok(dockerfile.includes(`FROM ${pattern.replace('{version}', `\${${stack.versionArg}}`)}`), `the Dockerfile does not build on ${pattern}`);
          }
          rmSync(dir, { recursive: true, force: true });
          report.push(
            `${stack.language} ${runtime.version} alpine: NOT BUILT: ${imageRef(runtimeImage, runtime.version)} cannot be assembled offline (no registry is reachable and Alpine's apk repositories are not mirrored here); its Dockerfile was generated and checked statically`,
          );
        });
      });
    }
    if (!runtime.families.includes('distroless')) continue;

    describe(`${stack.language} ${runtime.version} distroless image`, function () {
      this.timeout(600_000);
      const image = `k8s-app-test/${stack.language}:${runtime.version}`;
      let projectDir = '';
      let build: BuildResult | undefined;

      before(async () => {
        projectDir = await generateProject({
          'app-name': APP_NAME,
          language: stack.language,
          'runtime-version': runtime.version,
          'image-family': 'distroless',
        });
      });
      after(async () => {
        if (projectDir) rmSync(projectDir, { recursive: true, force: true });
        await execa(DOCKER, ['rmi', '-f', image], { reject: false });
      });

      it('builds the generated Dockerfile unmodified with BuildKit', async () => {
        build = await dockerBuild(projectDir, image);
        report.push(`${stack.language} ${runtime.version} distroless: built ${image} in ${build.seconds.toFixed(1)} s`);
      });

      it('dockle finds nothing at WARN or above', async () => {
        assert.ok(build, 'the image was not built');
        await assertDockleClean(image, `${stack.language} ${runtime.version} distroless`);
      });

      it('runs tini as PID 1 with the service as its only child', async () => {
        const name = `k8s-app-tini-${stack.language}-${runtime.version}`;
        try {
          await startDetached(image, name, await freePort(), HARDENING);
          const pid = await containerPid(name);
          assert.equal(namespacePids(pid).at(-1), 1, 'the entrypoint is not PID 1 in the container');
          assert.equal(commandLine(pid)[0], '/tini', `PID 1 is ${commandLine(pid).join(' ')}`);
          const children = childrenOf(pid);
          assert.equal(children.length, 1, `tini has ${children.length} children`);
          const service = commandLine(children[0]!);
          // The service's own program or script, wherever the image puts it.
          assert.equal(path.basename(service.at(-1)!), path.basename(stack.serveCommand.at(-1)!), `tini's child is ${service.join(' ')}`);
        } finally {
          await execa(DOCKER, ['rm', '-f', name], { reject: false });
        }
      });

      it('stops on docker stop with exit code 0, well inside the stop timeout', async () => {
        const name = `k8s-app-stop-${stack.language}-${runtime.version}`;
        try {
          await startDetached(image, name, await freePort(), HARDENING);
          const started = Date.now();
          await execa(DOCKER, ['stop', '--time', '10', name]);
          const seconds = (Date.now() - started) / 1000;
          const { stdout } = await execa(DOCKER, ['inspect', '--format', '{{.State.ExitCode}}', name]);
          assert.equal(stdout.trim(), '0', 'exit code after docker stop');
          assert.ok(seconds < 3, `docker stop took ${seconds} s of its 10 s timeout`);
        } finally {
          await execa(DOCKER, ['rm', '-f', name], { reject: false });
        }
      });

      it('reuses the dependency layer after a source-only change', async () => {
        assert.ok(build, 'the image was not built');
        writeFileSync(path.join(projectDir, stack.sourceDir, 'cache-probe.txt'), `changed ${Date.now()}\n`);
        const rebuild = await dockerBuild(projectDir, image);
        const install = dependencyStep(rebuild.log);
        assert.ok(install, `no dependency install step (a RUN with a cache mount) in the build output:\n${rebuild.log}`);
        assert.ok(install.cached, `the dependency layer was rebuilt after a source-only change:\n${install.lines.join('\n')}`);
        assert.ok(rebuild.sourceCopyRebuilt, 'the source change did not reach the build: nothing after it was rebuilt');
        report.push(`${stack.language} ${runtime.version} distroless: source-only rebuild ${rebuild.seconds.toFixed(1)} s, dependency layer CACHED`);
      });

      const launcher = containerLauncher(() => ({ image, appName: APP_NAME }));
      for (const check of contractChecks({ appName: APP_NAME, launcher, runtimeDiagnostics: stack.runtimeDiagnostics })) {
        it(`contract: ${check.name}`, check.run);
      }
    });
  }
}

describe('the dockle gate can fail', function () {
  this.timeout(300_000);
  const image = 'k8s-app-test/dockle-broken:test';
  after(async () => {
    await execa(DOCKER, ['rmi', '-f', image], { reject: false });
  });

  it('dockle reports an image that runs as root and carries a credentials file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-dockle-broken-'));
    try {
      writeFileSync(path.join(dir, 'credentials.json'), '{"token": "not a real one"}\n');
      // The Debian stand-in the distroless Dockerfiles' tini stage uses: no other base is needed.
      writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${TINI_IMAGE}\nCOPY credentials.json /app/credentials.json\nUSER root\n`);
      await dockerBuild(dir, image);
      const findings = await dockle(image);
      const codes = atWarnOrAbove(findings).map((finding) => finding.code);
      for (const code of ['CIS-DI-0001', 'CIS-DI-0010']) assert.ok(codes.includes(code), `dockle did not report ${code}: ${describeDockle(findings)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
