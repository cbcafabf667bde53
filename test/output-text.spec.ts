// Every file k8s-app writes is the text its reader expects: no HTML entities from EJS's escaping
// (`go vet ./... &amp;&amp; go test ./...` in a README), in any language, family, retrofit or preset,
// and a preset's values with &, < and " still give valid YAML that keeps them as they are.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { STACKS } from '../stacks/registry.ts';
import { generateProject } from './support/generate.ts';
import { renderOverlay } from './support/kustomize.ts';
import { RETROFIT_FIXTURES, retrofitCopy } from './support/retrofit-fixtures.ts';
import { writeRepo } from './support/temp-repo.ts';

// &amp; &lt; &gt; &quot; &#39; &#x27; &apos; and the like: what an HTML escaper writes.
const HTML_ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/i;

/** Files whose text contains an HTML entity, with the first line that does. */
function filesWithEntities(root: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]) {
    const file = path.join(root, entry);
    if (entry.split(path.sep).includes('node_modules') || !statSync(file).isFile()) continue;
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((text) => HTML_ENTITY.test(text));
    if (line !== undefined) found.push(`${entry}: ${line.trim()}`);
  }
  return found;
}

/** A preset whose free-text values hold the characters an HTML escaper would change. */
const SPECIAL_PRESET = {
  name: 'R&D <platform> "core"',
  labels: { 'example.com/team': 'r-and-d' },
  annotations: { 'example.com/owner': 'R&D <platform@example.com> says "hi" & \'bye\'', 'example.com/query': 'a=1&b=<2>' },
};

describe('generated text', function () {
  this.timeout(120_000);

  describe('new services: every language, version and family', () => {
    for (const stack of STACKS) {
      for (const runtime of stack.versions) {
        for (const family of runtime.families) {
          it(`${stack.language} ${runtime.version} ${family}: no HTML entities`, async () => {
            const dir = await generateProject({ 'app-name': 'text', language: stack.language, 'runtime-version': runtime.version, 'image-family': family });
            assert.deepEqual(filesWithEntities(dir), []);
          });
        }
      }
    }
  });

  describe('retrofits: every fixture repository', () => {
    for (const fixture of RETROFIT_FIXTURES) {
      it(`${fixture.repo}${fixture.folder ? `/${fixture.folder}` : ''}${fixture.variant ? ` (${fixture.variant})` : ''}: no HTML entities`, async () => {
        const { service, remove } = await retrofitCopy(fixture);
        assert.deepEqual(filesWithEntities(service), []);
        remove();
      });
    }

    it('probe paths with & and " are valid YAML and keep their characters', async () => {
      const { service } = await retrofitCopy(RETROFIT_FIXTURES.find((fixture) => fixture.repo === 'go')!, {
        'liveness-path': '/health?full=1&format=json',
        'readiness-path': '/ready:',
      });
      assert.deepEqual(filesWithEntities(service), []);
      const deployment = (await renderOverlay(service, 'dev')).find((object) => object.kind === 'Deployment')!;
      const container = deployment.spec.template.spec.containers[0];
      assert.equal(container.livenessProbe.httpGet.path, '/health?full=1&format=json');
      assert.equal(container.readinessProbe.httpGet.path, '/ready:');
    });
  });

  describe('a preset with &, < and " in its values', () => {
    let dir = '';
    before(async () => {
      const presetFile = path.join(writeRepo({ 'preset.json': JSON.stringify(SPECIAL_PRESET) }, 'k8s-app-text-'), 'preset.json');
      dir = await generateProject({ preset: presetFile, 'app-name': 'text', language: 'node' });
    });

    it('writes no HTML entities', () => {
      assert.deepEqual(filesWithEntities(dir), []);
    });

    it('writes YAML files that parse', () => {
      for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]) {
        if (!/\.ya?ml$/.test(entry) || entry.includes('node_modules')) continue;
        for (const document of parseAllDocuments(readFileSync(path.join(dir, entry), 'utf8'))) {
          assert.deepEqual(document.errors, [], `${entry} does not parse`);
        }
      }
    });

    it('keeps each annotation value exactly as the preset gives it', async () => {
      for (const object of await renderOverlay(dir, 'prod')) {
        for (const [key, value] of Object.entries(SPECIAL_PRESET.annotations)) {
          assert.equal(object.metadata.annotations?.[key], value, `${object.kind}/${object.metadata.name}`);
        }
      }
    });
  });
});
