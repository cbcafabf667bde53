// The pieces of the container rig that can be checked without an engine: reading the Debian mirror
// from apt's configuration, reading BuildKit's output, and keeping registry hosts out of the repo.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { TINI_IMAGE } from '../stacks/common.ts';
import { imageRef, STACKS } from '../stacks/registry.ts';
import { debianMirror, debianMirrors } from './containers/debian-mirror.ts';
import { dependencyStep, parseSteps } from './containers/image-build.ts';
import { distrolessReferences } from './containers/standins.ts';

const REPO = new URL('..', import.meta.url).pathname;

describe('container rig', () => {
  describe('the Debian mirror', () => {
    it('is read from deb822 and one-line sources, skipping the security archive and disabled entries', () => {
      const apt = mkdtempSync(path.join(tmpdir(), 'apt-'));
      mkdirSync(path.join(apt, 'sources.list.d'));
      writeFileSync(path.join(apt, 'sources.list'), '# comment\ndeb http://security.example/debian-security bookworm-security main\n');
      writeFileSync(
        path.join(apt, 'sources.list.d', 'debian.sources'),
        [
          'Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nEnabled: no\n',
          'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n',
          'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n',
        ].join('\n'),
      );
      writeFileSync(path.join(apt, 'sources.list.d', 'extra.list'), 'deb [arch=amd64] https://other.example/debian trixie main\n');
      assert.deepEqual(debianMirrors(apt), ['http://mirror.example/debian', 'https://other.example/debian']);
    });

    it('is found on this machine', () => {
      assert.match(debianMirror(), /^https?:\/\/[^/]+\/.*debian$/);
    });
  });

  describe("BuildKit's plain output", () => {
    const log = [
      '#5 [build 2/6] COPY package.json package-lock.json ./',
      '#5 CACHED',
      '#6 [build 3/6] RUN --mount=type=cache,target=/root/.npm npm ci',
      '#6 CACHED',
      '#7 [build 4/6] COPY src ./src',
      '#7 DONE 0.1s',
    ].join('\n');

    it('tells cached steps from steps that ran', () => {
      assert.deepEqual(
        parseSteps(log).map((step) => [step.id, step.cached]),
        [
          ['5', true],
          ['6', true],
          ['7', false],
        ],
      );
    });

    it('finds the dependency install by its cache mount', () => {
      assert.equal(dependencyStep(log)?.id, '6');
      assert.equal(dependencyStep(log.replace('#6 CACHED', '#6 DONE 9.0s'))?.cached, false);
    });
  });

  it('makes a stand-in for every image reference a distroless Dockerfile can name', () => {
    const expected = new Set([TINI_IMAGE]);
    for (const stack of STACKS) {
      for (const runtime of stack.versions.filter((v) => v.families.includes('distroless'))) {
        expected.add(imageRef(stack.images.distroless.builder, runtime.version));
        expected.add(imageRef(stack.images.distroless.runtime, runtime.version));
      }
    }
    assert.deepEqual(new Set(distrolessReferences().map((reference) => reference.ref)), expected);
  });

  it('writes no package-registry or mirror host into the repository', async () => {
    const hosts = [new URL(debianMirror()).host];
    const registry = (await execa('npm', ['config', 'get', 'registry'], { reject: false })).stdout.trim();
    if (/^https?:\/\//.test(registry)) hosts.push(new URL(registry).host);
    const { stdout } = await execa('git', ['ls-files'], { cwd: REPO });
    for (const file of stdout.split('\n').filter(Boolean)) {
      const text = readFileSync(path.join(REPO, file), 'utf8');
      for (const host of hosts) assert.ok(!text.includes(host), `${file} names the host ${host}`);
    }
  });
});
