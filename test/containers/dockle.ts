// dockle on a built image: the CIS Docker benchmark's image checks and dockle's own. The tests fail on
// WARN and FATAL; INFO findings are listed in the container report.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ensureDockle } from '../../lint/tools.ts';
import { DOCKER } from './engine.ts';
import { containerReport } from './report.ts';

export interface DockleFinding {
  code: string;
  level: 'FATAL' | 'WARN' | 'INFO';
  title: string;
  alerts: string[];
}

/** Reads the image from `docker save`, so dockle needs neither the engine's API version nor a registry. */
export async function dockle(image: string, acceptFiles: readonly string[] = []): Promise<DockleFinding[]> {
  const dockleBin = await ensureDockle();
  const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-dockle-'));
  try {
    const archive = path.join(dir, 'image.tar');
    await execa(DOCKER, ['save', '--output', archive, image]);
    const accepted = acceptFiles.flatMap((file) => ['--accept-file', file]);
    const { stdout, stderr, exitCode } = await execa(dockleBin, ['--format', 'json', '--exit-code', '0', ...accepted, '--input', archive], { reject: false });
    if (exitCode !== 0 || !stdout.startsWith('{')) throw new Error(`dockle failed on ${image} (exit ${exitCode}): ${stderr}`);
    const report = JSON.parse(stdout) as { details: DockleFinding[] | null };
    return (report.details ?? []).filter((finding) => ['FATAL', 'WARN', 'INFO'].includes(finding.level));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function atWarnOrAbove(findings: DockleFinding[]): DockleFinding[] {
  return findings.filter((finding) => finding.level !== 'INFO');
}

export function describeDockle(findings: DockleFinding[]): string {
  if (findings.length === 0) return 'no findings';
  return findings
    .map((finding) => `${finding.level} ${finding.code} ${finding.title}${finding.alerts.length ? ` (${finding.alerts.join('; ')})` : ''}`)
    .join(', ');
}

/** dockle on a built image: its findings go to the container report under `label`; WARN and FATAL fail.
 * `acceptFiles` are file names dockle would flag by name alone, which the repository needs. */
export async function assertDockleClean(image: string, label: string, acceptFiles: readonly string[] = []) {
  const findings = await dockle(image, acceptFiles);
  containerReport.push(`${label}: dockle ${describeDockle(findings)}`);
  assert.deepEqual(atWarnOrAbove(findings), [], describeDockle(atWarnOrAbove(findings)));
}
