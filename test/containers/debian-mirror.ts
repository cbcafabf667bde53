// The Debian mirror this machine's apt already uses, read from its configuration, so the stand-ins
// fetch Debian 13 packages from the same place and no host is written in this repository.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const APT_DIR = '/etc/apt';

/** Main-archive mirrors (not the security archive), in the order apt reads them. */
export function debianMirrors(aptDir = APT_DIR): string[] {
  const mirrors: string[] = [];
  const listFile = path.join(aptDir, 'sources.list');
  const partsDir = path.join(aptDir, 'sources.list.d');
  const files = [
    ...(existsSync(listFile) ? [listFile] : []),
    ...(existsSync(partsDir)
      ? readdirSync(partsDir)
          .sort()
          .map((name) => path.join(partsDir, name))
      : []),
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.list')) {
      // One-line format: deb [options] URI suite components...
      for (const line of text.split('\n')) {
        const match = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
        if (match && !match[2]!.includes('security')) mirrors.push(match[1]!);
      }
    } else if (file.endsWith('.sources')) {
      // deb822 format: stanzas of `Field: value` separated by blank lines.
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1]?.trim();
        const enabled = field('Enabled')?.toLowerCase() !== 'no';
        const types = field('Types')?.split(/\s+/) ?? [];
        const suites = field('Suites')?.split(/\s+/) ?? [];
        if (enabled && types.includes('deb') && suites.some((suite) => !suite.includes('security'))) {
          mirrors.push(...(field('URIs')?.split(/\s+/) ?? []));
        }
      }
    }
  }
  return mirrors.filter((uri) => /^https?:\/\//.test(uri) && uri.replace(/\/+$/, '').endsWith('/debian'));
}

export function debianMirror(): string {
  const [mirror] = debianMirrors();
  if (!mirror) {
    throw new Error(`no Debian mirror found in ${APT_DIR}/sources.list or ${APT_DIR}/sources.list.d: the stand-in images need one to fetch Debian 13 packages`);
  }
  return mirror.replace(/\/+$/, '');
}
