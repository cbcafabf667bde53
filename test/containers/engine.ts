// A Docker engine for the container tests: the one already running, or Debian's docker.io started
// for the run (without touching the host's network) and stopped afterwards.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';

/** Debian's client: its BuildKit builds the Dockerfiles as emitted (no frontend image to pull). */
export const DOCKER = '/usr/bin/docker';
const DOCKERD = '/usr/sbin/dockerd';
/** The network namespace dockerd mounts for its host-network containers, left mounted when it exits. */
export const DOCKER_NETNS_MOUNT = '/run/docker/netns/default';

export interface Engine {
  /** True when this run started the engine (and so stops it). */
  started: boolean;
  stop(): Promise<void>;
}

async function engineAnswers(): Promise<boolean> {
  if (!existsSync(DOCKER)) return false;
  const { exitCode } = await execa(DOCKER, ['info', '--format', '{{.ServerVersion}}'], { reject: false, stdin: 'ignore' });
  return exitCode === 0;
}

export async function ensureEngine(logFile: string): Promise<Engine> {
  if (await engineAnswers()) return { started: false, stop: async () => {} };
  if (process.getuid?.() !== 0) {
    throw new Error('no Docker engine is running, and only root can install and start one: run the container tests as root or start dockerd');
  }
  if (!existsSync(DOCKER) || !existsSync(DOCKERD)) {
    await execa('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    await execa('apt-get', ['install', '-y', '-qq', 'docker.io'], { env: { DEBIAN_FRONTEND: 'noninteractive' }, stdio: 'inherit' });
  }
  // No bridge, NAT or iptables rules: builds and containers use the host network only.
  const log = openSync(logFile, 'a');
  const daemon: ChildProcess = spawn(DOCKERD, ['--bridge=none', '--iptables=false', '--ip-masq=false'], {
    stdio: ['ignore', log, log],
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  while (!(await engineAnswers())) {
    if (daemon.exitCode !== null) throw new Error(`dockerd exited with ${daemon.exitCode}; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`dockerd did not answer within 60 s; see ${logFile}`);
    await sleep(250);
  }
  return {
    started: true,
    async stop() {
      if (daemon.exitCode !== null) return;
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
      // dockerd starts containerd for itself; it goes with it. The mount it makes for its network
      // namespace outlives it.
      await execa('umount', [DOCKER_NETNS_MOUNT], { reject: false });
    },
  };
}
