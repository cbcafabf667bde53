// Runs a built image as the Deployment runs it (read-only root, /tmp only, user 65532, no
// capabilities, no privilege escalation), on the host network, with the config and secrets
// directories mounted where the service reads them by default.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { type RunningService, request, type ServiceLauncher, type StartOptions } from '../contract/harness.ts';
import { processService } from '../contract/process-service.ts';
import { DOCKER } from './engine.ts';

export const HARDENING = ['--read-only', '--tmpfs', '/tmp', '--user', '65532:65532', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];

export interface ContainerTarget {
  image: string;
  appName: string;
}

export function containerLauncher(target: () => ContainerTarget): ServiceLauncher {
  return {
    async start(options: StartOptions): Promise<RunningService> {
      const { image, appName } = target();
      const name = `k8s-app-contract-${randomBytes(4).toString('hex')}`;
      const env = { PORT: String(options.port), ...options.env };
      const child = execa(
        DOCKER,
        [
          'run',
          '--rm',
          '--name',
          name,
          '--network',
          'host',
          ...HARDENING,
          '-v',
          `${options.configDir}:/etc/${appName}/config:ro`,
          '-v',
          `${options.secretsDir}:/etc/${appName}/secrets:ro`,
          ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
          image,
        ],
        { reject: false, stdin: 'ignore' },
      );
      return processService(child, {
        async signal(signal) {
          await execa(DOCKER, ['kill', '--signal', signal, name]);
        },
        async kill() {
          await execa(DOCKER, ['rm', '-f', name], { reject: false });
        },
      });
    },
  };
}

/** Starts `image` detached on the host network and waits for its first 200 from /readyz; returns the seconds that took. */
export async function startDetached(image: string, name: string, port: number, runArgs: string[], timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  await execa(DOCKER, ['run', '-d', '--name', name, '--network', 'host', ...runArgs, '-e', `PORT=${port}`, image]);
  while (performance.now() - started < timeoutMs) {
    const ready = await request(port, '/readyz', 1000).catch(() => undefined);
    if (ready?.status === 200) return (performance.now() - started) / 1000;
    await sleep(10);
  }
  throw new Error(`${image} did not become ready within ${timeoutMs / 1000} s`);
}

/** The host PID of a running container's PID 1. */
export async function containerPid(name: string): Promise<number> {
  const { stdout } = await execa(DOCKER, ['inspect', '--format', '{{.State.Pid}}', name]);
  return Number(stdout.trim());
}
