// The service contract, run natively: for every language and runtime version the generator offers,
// generate the project, run its own install, build and tests, then check docs/service-contract.md against
// the running service.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { STACKS, stackCommands, tiniArguments } from '../stacks/registry.ts';
import { contractChecks } from './contract/harness.ts';
import { nativeLauncher } from './contract/native-launcher.ts';
import { generateProject } from './support/generate.ts';
import { type NativeToolchain, nativeToolchain } from './support/toolchains.ts';

const APP_NAME = 'contract-svc';

for (const stack of STACKS) {
  // Natively, the versions that have a distroless image: their interpreters are the ones obtainable
  // here (Python 3.14 exists only as an Alpine image, and no 3.14 interpreter can be had offline).
  for (const runtime of stack.versions.filter((version) => version.families.includes('distroless'))) {
    describe(`service contract: ${stack.language} ${runtime.version}, native`, function () {
      this.timeout(300_000);
      let projectDir = '';
      let toolchain: NativeToolchain = { path: [], env: {} };

      /** Runs one of the generated project's own commands, as its README tells a developer to. */
      const projectCommand = (command: string) =>
        execa('sh', ['-c', command], {
          cwd: projectDir,
          env: { ...toolchain.env, PATH: [...toolchain.path, process.env.PATH].join(':'), CI: 'true' },
          all: true,
        });

      before(async () => {
        toolchain = await nativeToolchain(stack.language, runtime.version, runtime.toolchain);
        projectDir = await generateProject({ 'app-name': APP_NAME, language: stack.language, 'runtime-version': runtime.version });
        for (const [folder, cached] of Object.entries(toolchain.cachedFolders ?? {})) {
          mkdirSync(cached, { recursive: true });
          symlinkSync(cached, path.join(projectDir, folder));
        }
      });
      after(() => projectDir && rmSync(projectDir, { recursive: true, force: true }));

      const commands = stackCommands(stack, runtime.version);
      it(`installs its dependencies (${commands.install})`, async () => {
        await projectCommand(commands.install);
      });
      it(`builds (${commands.build})`, async () => {
        await projectCommand(commands.build);
      });
      it(`passes its own tests (${commands.test})`, async () => {
        await projectCommand(commands.test);
      });

      const launcher = nativeLauncher(() => ({
        cwd: projectDir,
        command: stack.serveCommand,
        tiniArgs: tiniArguments(stack),
        path: toolchain.path,
        env: toolchain.env,
      }));
      for (const check of contractChecks({ appName: APP_NAME, launcher, runtimeDiagnostics: stack.runtimeDiagnostics })) {
        it(check.name, check.run);
      }
    });
  }
}
