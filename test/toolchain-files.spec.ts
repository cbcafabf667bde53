// Generated projects state the toolchain they need, in the file each language's tools read, and
// their install step refuses an interpreter that is too old instead of building on it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { findStack, stackCommands } from '../stacks/registry.ts';
import { generateProject } from './support/generate.ts';
import { writeRepo } from './support/temp-repo.ts';

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const toolchainOf = (language: string, version: string) => findStack(language)!.versions.find((runtime) => runtime.version === version)!.toolchain;

describe('toolchain files of generated projects', function () {
  this.timeout(60_000);

  for (const version of findStack('node')!.versions.map((runtime) => runtime.version)) {
    it(`node ${version}: .nvmrc names the version engines.node asks for`, async () => {
      const dir = await generateProject({ language: 'node', 'runtime-version': version });
      assert.equal(read(dir, '.nvmrc').trim(), version);
      assert.equal(JSON.parse(read(dir, 'package.json')).engines.node, `>=${version}`);
      assert.match(read(dir, 'README.md'), new RegExp(`Needs Node\\.js ${version} \\(the version in \\.nvmrc`));
    });
  }

  for (const version of findStack('go')!.versions.map((runtime) => runtime.version)) {
    it(`go ${version}: go.mod carries the toolchain line, as the go command reads it`, async () => {
      const dir = await generateProject({ language: 'go', 'runtime-version': version });
      const { stdout } = await execa('go', ['mod', 'edit', '-json'], { cwd: dir, env: { GOTOOLCHAIN: 'local', GOFLAGS: '' } });
      const module = JSON.parse(stdout) as { Go: string; Toolchain?: string };
      assert.equal(module.Go, `${version}.0`);
      assert.equal(module.Toolchain, `go${toolchainOf('go', version)}`);
    });
  }

  it('rust: rust-toolchain.toml pins the exact toolchain with clippy; the image build ignores it', async () => {
    const version = findStack('rust')!.defaultVersion;
    const dir = await generateProject({ language: 'rust' });
    const toolchainFile = read(dir, 'rust-toolchain.toml');
    assert.match(toolchainFile, new RegExp(`^channel = "${toolchainOf('rust', version).replaceAll('.', '\\.')}"$`, 'm'));
    assert.match(toolchainFile, /^components = \[.*"clippy".*\]$/m);
    assert.match(read(dir, 'Cargo.toml'), new RegExp(`^rust-version = "${version}"$`, 'm'));
    // The Dockerfile's builder image is the toolchain there; rustup must not fetch one during the build.
    assert.ok(read(dir, '.dockerignore').split('\n').includes('rust-toolchain.toml'));
  });

  for (const version of findStack('java')!.versions.map((runtime) => runtime.version)) {
    it(`java ${version}: the README names the JDK it needs`, async () => {
      const dir = await generateProject({ language: 'java', 'runtime-version': version });
      assert.match(read(dir, 'README.md'), new RegExp(`Needs a JDK ${version} \\(Eclipse Temurin ${version}`));
    });
  }

  describe('python: the install step checks the interpreter first', () => {
    const python = findStack('python')!;

    it('refuses a python3 older than requires-python, naming both versions, and makes no venv', async () => {
      // A version no interpreter here has: the machine's real python3 is then too old.
      const dir = writeRepo({});
      const result = await execa('sh', ['-c', stackCommands(python, '9.99').install], { cwd: dir, reject: false });
      assert.equal(result.exitCode, 1);
      assert.match(
        result.stderr,
        /^This project needs Python 9\.99 or newer \(requires-python\); python3 is 3\.\d+\.\d+\. Put Python 9\.99 first on PATH and run this again\.$/m,
      );
      assert.equal(existsSync(path.join(dir, '.venv')), false);
      rmSync(dir, { recursive: true, force: true });
    });

    it('passes the check on a python3 that is new enough', async () => {
      const { stdout } = await execa('python3', ['-c', 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")']);
      const check = stackCommands(python, stdout.trim()).install.split(' && ')[0]!;
      await execa('sh', ['-c', check]);
    });

    it('the README and the generator run the same checked command', async () => {
      const dir = await generateProject({ language: 'python' });
      assert.ok(read(dir, 'README.md').includes(stackCommands(python, python.defaultVersion).install));
      assert.match(read(dir, 'pyproject.toml'), new RegExp(`^requires-python = ">=${python.defaultVersion}"$`, 'm'));
    });
  });
});
