// tools/compile-templates.ts: the templates the generators bundle holds compiled render as EJS renders
// them, and an error names the template and its line. (test/cli.spec.ts compares whole generations.)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import type { CompiledTemplate } from '../generators/shared/compiled-templates.ts';
import { renderCompiled } from '../generators/shared/rendering.ts';
import { compiledTemplatesModule, yeomansEjs } from '../tools/compile-templates.ts';

const TEMPLATES: Record<string, string> = {
  'page.yaml.ejs':
    'name: <%= name %>\n<% for (const port of ports) { -%>\n- <%= port %>\n<% } -%>\n<%- include("parts/_note.ejs", { note: "hi" }) -%>\nempty: <%= missing %>\n',
  'parts/_note.ejs': '# <%= note %> from <%= name %>\n',
  'broken.ejs': 'one\ntwo <%= name.first.toUpperCase() %>\n',
};

describe('tools/compile-templates.ts', () => {
  let root: string;
  let compiled: Record<string, CompiledTemplate>;
  const render = (file: string, data: object) => renderCompiled(file, data, compiled);

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'k8s-app-compile-'));
    for (const [file, text] of Object.entries(TEMPLATES)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const module = { exports: {} as { compiledTemplates: Record<string, CompiledTemplate> } };
    vm.runInThisContext(`(function (exports, module) {${compiledTemplatesModule(root)}\n})`)(module.exports, module);
    compiled = module.exports.compiledTemplates;
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('compiles every file, by its path under the templates folder', () => {
    assert.deepEqual(Object.keys(compiled).sort(), Object.keys(TEMPLATES).sort());
  });

  it('renders what the EJS yeoman renders with writes, includes and their data included', () => {
    const ejs = yeomansEjs();
    const data = { name: 'orders', ports: [8080, 9090], missing: null };
    // As yeoman renders ours: values written as they are (generators/shared/rendering.ts).
    const asWritten = (value: unknown) => (value === undefined || value === null ? '' : String(value));
    const expected = ejs.render(TEMPLATES['page.yaml.ejs']!, data, { filename: path.join(root, 'page.yaml.ejs'), escape: asWritten });
    assert.equal(render('page.yaml.ejs', data), expected);
    assert.equal(expected, 'name: orders\n- 8080\n- 9090\n# hi from orders\nempty: \n');
  });

  it('names the template and the line of an error', () => {
    assert.throws(
      () => render('broken.ejs', { name: {} }),
      (error: Error) => {
        assert.match(error.message, /^templates\/broken\.ejs:2\n\n.*toUpperCase/);
        return true;
      },
    );
  });
});
