// What an image holds above its base, file by file, read from the layers `docker save` writes. The
// bench's floor is the base plus the application's own files; everything else above the base (tini,
// package managers, caches, files a later layer replaced) is listed by name, so bloat shows.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { DOCKER } from '../test/containers/engine.ts';

export interface LayerFile {
  path: string;
  size: number;
}

/** Files above the base that are not the application's own, by kind. Everything else is the app. */
const NOT_THE_APP: { kind: string; pattern: RegExp }[] = [
  { kind: 'tini', pattern: /^(tini|sbin\/tini|usr\/bin\/tini(-static)?)$/ },
  {
    kind: 'package managers',
    pattern:
      /(^|\/)(site-packages\/(pip|setuptools|wheel)(-[^/]*\.dist-info)?\/|bin\/pip[0-9.]*$|node_modules\/(npm|corepack|yarn|pnpm)\/|node_modules\/\.bin\/(npm|npx|corepack|yarn|pnpm)$)/,
  },
  { kind: 'caches', pattern: /(^|\/)(\.cache|\.npm|\.m2|\.gradle|\.cargo\/registry|var\/cache|var\/lib\/apt\/lists|tmp)\// },
];

export interface ImageContents {
  /** Bytes of the application's own files (the last copy of each path). */
  app: number;
  /** Bytes above the base that are not the app, by kind; `overwritten` is files a later layer replaced or deleted. */
  other: Record<string, number>;
  /** The largest files of each kind that is not the app, to name what to remove. */
  examples: Record<string, string[]>;
}

/** Regular files in a layer tar, read header by header (file contents are skipped, not read). */
export function layerFiles(tarFile: string): LayerFile[] {
  const files: LayerFile[] = [];
  const fd = openSync(tarFile, 'r');
  try {
    const header = Buffer.alloc(512);
    let offset = 0;
    let longName: string | undefined;
    while (readSync(fd, header, 0, 512, offset) === 512 && header.some((byte) => byte !== 0)) {
      const field = (start: number, length: number) =>
        header
          .subarray(start, start + length)
          .toString('utf8')
          .replace(/\0.*$/s, '');
      const size = parseInt(field(124, 12).trim() || '0', 8);
      const type = field(156, 1) || '0';
      const prefix = field(345, 155);
      const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      longName = undefined;
      const body = offset + 512;
      if (type === 'x' || type === 'L') {
        // A pax header (path=...) or a GNU long name: it names the next entry.
        const data = Buffer.alloc(size);
        readSync(fd, data, 0, size, body);
        const text = data.toString('utf8');
        longName = type === 'L' ? text.replace(/\0.*$/s, '') : /\d+ path=([^\n]*)\n/.exec(text)?.[1];
      } else if (type === '0' || type === '7') {
        // Regular files; folders, links and devices hold no bytes of their own.
        files.push({ path: name.replace(/^\.\//, ''), size });
      }
      offset = body + Math.ceil(size / 512) * 512;
    }
  } finally {
    closeSync(fd);
  }
  return files;
}

/** Sorts each file above the base into the app or a kind of overhead. `layers` are bottom to top. */
export function classify(layers: LayerFile[][]): ImageContents {
  const other: Record<string, number> = {};
  const examples: Record<string, LayerFile[]> = {};
  const add = (kind: string, file: LayerFile) => {
    other[kind] = (other[kind] ?? 0) + file.size;
    examples[kind] = [...(examples[kind] ?? []), file];
  };
  let app = 0;
  // From the top layer down: a path seen higher up, or deleted there (a whiteout), is dead weight below.
  const seen = new Set<string>();
  const deletedFolders: string[] = [];
  for (const files of [...layers].reverse()) {
    // Judged against higher layers only: this layer's own whiteouts apply to the layers below it.
    const isDeleted = (file: string) => seen.has(file) || deletedFolders.some((folder) => file.startsWith(folder));
    const kept: string[] = [];
    const whiteouts: string[] = [];
    for (const file of files) {
      const name = path.basename(file.path);
      if (name === '.wh..wh..opq') {
        whiteouts.push(`${path.dirname(file.path)}/`);
      } else if (name.startsWith('.wh.')) {
        const target = path.join(path.dirname(file.path), name.slice(4));
        kept.push(target);
        whiteouts.push(`${target}/`);
      } else if (isDeleted(file.path)) {
        add('overwritten', file);
      } else {
        const kind = NOT_THE_APP.find((candidate) => candidate.pattern.test(file.path))?.kind;
        if (kind) add(kind, file);
        else app += file.size;
        kept.push(file.path);
      }
    }
    for (const file of kept) seen.add(file);
    deletedFolders.push(...whiteouts);
  }
  const largest = (files: LayerFile[]) =>
    [...files]
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map((file) => file.path);
  return { app, other, examples: Object.fromEntries(Object.entries(examples).map(([kind, files]) => [kind, largest(files)])) };
}

/** The files `image` adds above `base`, classified. */
export async function imageContents(image: string, base: string): Promise<ImageContents> {
  const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-layers-'));
  try {
    const { stdout } = await execa(DOCKER, ['image', 'inspect', '--format', '{{len .RootFS.Layers}}', base]);
    const baseLayers = Number(stdout.trim());
    const archive = path.join(dir, 'image.tar');
    await execa(DOCKER, ['save', '-o', archive, image]);
    // All of it: a layer the image holds twice is saved once, and its other path links to it.
    await execa('tar', ['-xf', archive, '-C', dir]);
    const [manifest] = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    const above = manifest!.Layers.slice(baseLayers);
    return classify(above.map((layer) => layerFiles(path.join(dir, layer))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
