// The bench's floor (bench/image-layers.ts): an image's layers are read file by file, and what is not
// the application's own (tini, package managers, caches, files a later layer replaced) is told apart,
// so a size target can fail when a Dockerfile leaves bloat behind.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { classify, layerFiles } from '../bench/image-layers.ts';

describe('the bench reads image layers', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'bench-layers-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A layer tar as an image holds it, made by GNU tar in the given format. */
  async function layer(name: string, files: Record<string, number>, format: 'gnu' | 'pax') {
    const root = path.join(dir, name);
    for (const [file, size] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), Buffer.alloc(size, 1));
    }
    const tarFile = path.join(dir, `${name}.tar`);
    await execa('tar', [`--format=${format}`, '-cf', tarFile, '-C', root, ...Object.keys(files)]);
    return tarFile;
  }

  const longName = `venv/lib/python3.13/site-packages/${'a'.repeat(120)}/module.py`;

  for (const format of ['gnu', 'pax'] as const) {
    it(`lists regular files with their sizes, long names included (${format} format)`, async () => {
      const files = layerFiles(await layer(`list-${format}`, { 'app/main.py': 1000, [longName]: 700, tini: 5 }, format));
      assert.deepEqual(files.map((file) => `${file.path} ${file.size}`).sort(), ['app/main.py 1000', `${longName} 700`, 'tini 5'].sort());
    });
  }

  it('counts the app once and names tini, package managers, caches and overwritten files apart', async () => {
    const layers = [
      await layer(
        'one',
        {
          tini: 800,
          'venv/lib/python3.13/site-packages/pip/__init__.py': 10_000,
          'venv/bin/pip3': 200,
          'venv/lib/python3.13/site-packages/fastapi/app.py': 3000,
          'app/main.py': 500,
        },
        'gnu',
      ),
      await layer('two', { 'root/.cache/pip/wheel.whl': 4000, 'app/main.py': 600, 'node_modules/npm/index.js': 50 }, 'pax'),
    ].map(layerFiles);
    const contents = classify(layers);
    assert.equal(contents.app, 3000 + 600);
    assert.deepEqual(contents.other, { tini: 800, 'package managers': 10_000 + 200 + 50, overwritten: 500, caches: 4000 });
    assert.equal(contents.examples['package managers']![0], 'venv/lib/python3.13/site-packages/pip/__init__.py');
  });

  it('treats files a later layer deletes (whiteouts) as overwritten', () => {
    const contents = classify([
      [
        { path: 'app/old.js', size: 100 },
        { path: 'cache/a/b', size: 50 },
        { path: 'keep.js', size: 7 },
      ],
      [
        { path: 'app/.wh.old.js', size: 0 },
        { path: 'cache/.wh..wh..opq', size: 0 },
        { path: 'cache/new', size: 3 },
      ],
    ]);
    assert.equal(contents.app, 7 + 3);
    assert.deepEqual(contents.other, { overwritten: 150 });
  });
});
