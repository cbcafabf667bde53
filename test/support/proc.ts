// Reading processes from the host's /proc: who is PID 1 of a container, and what runs under it.
import { readFileSync } from 'node:fs';

/** A process's command line. */
export function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** Direct children of a process. */
export function childrenOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children ? children.split(' ').map(Number) : [];
}

/** The process's PID in each PID namespace it belongs to, outermost first (the `NSpid` line). */
export function namespacePids(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((text) => text.startsWith('NSpid:'));
  return (line ?? '').replace('NSpid:', '').trim().split(/\s+/).map(Number);
}
