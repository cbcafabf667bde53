// The language contract: a language is stack data (stacks/<language>.ts) plus templates. Every
// stack must bring each template set the generators render for it, so a missing one fails here
// rather than in a user's run with a raw ENOENT. docs/adding-a-language.md walks through the list.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_ROOT } from '../generators/shared/rendering.ts';
import { familiesFor, IMAGE_FAMILIES, STACKS } from '../stacks/registry.ts';

const filesUnder = (folder: string) =>
  existsSync(folder)
    ? (readdirSync(folder, { recursive: true, encoding: 'utf8' }) as string[]).filter((file) => statSync(path.join(folder, file)).isFile())
    : [];

describe('every language brings what the generators render', () => {
  for (const stack of STACKS) {
    describe(stack.language, () => {
      it('a starter service (templates/service/<language>/) with its source folder', () => {
        const files = filesUnder(path.join(TEMPLATES_ROOT, 'service', stack.language));
        assert.ok(files.length > 0, `templates/service/${stack.language}/ is missing or empty`);
        assert.ok(
          files.some((file) => file.startsWith(`${stack.sourceDir}/`)),
          `no template under ${stack.sourceDir}/, the stack's sourceDir`,
        );
      });

      it('a Dockerfile (one for every image family), one that follows an existing build, and images for each family it offers', () => {
        for (const template of ['Dockerfile.ejs', 'retrofit.Dockerfile.ejs']) {
          assert.ok(existsSync(path.join(TEMPLATES_ROOT, 'docker', stack.language, template)), `templates/docker/${stack.language}/${template} is missing`);
        }
        const offered = new Set(stack.versions.flatMap((version) => [...familiesFor(stack, version.version)]));
        for (const family of IMAGE_FAMILIES.filter((candidate) => offered.has(candidate))) {
          assert.ok(stack.images[family]?.builder && stack.images[family]?.runtime, `stacks/${stack.language}.ts names no ${family} images`);
        }
      });

      it('a health and config module for retrofits (templates/health/<language>/)', () => {
        assert.ok(filesUnder(path.join(TEMPLATES_ROOT, 'health', stack.language)).length > 0, `templates/health/${stack.language}/ is missing or empty`);
      });

      it('detection rules and a retrofit plan', () => {
        assert.ok(stack.detection.markers.length > 0, 'no marker files: an existing repository of this language is never recognised');
        assert.ok(stack.detection.buildTools.length > 0, 'no build tools');
        assert.equal(typeof stack.retrofit.plan, 'function');
      });
    });
  }
});
