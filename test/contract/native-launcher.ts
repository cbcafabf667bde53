// Runs a generated service on this machine as a child of tini in its own PID namespace, as in its
// image: tini is PID 1, forwards signals and reaps; the harness signals tini, never the service.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { execa } from 'execa';
import { childrenOf } from '../support/proc.ts';
import type { RunningService, ServiceLauncher, StartOptions } from './harness.ts';
import { processService } from './process-service.ts';

export const TINI = '/usr/bin/tini';

export interface NativeTarget {
  /** The generated project, built. */
  cwd: string;
  command: readonly string[];
  /** tini's own arguments, ending with `--`. */
  tiniArgs: readonly string[];
  /** Directories put before the system PATH (the runtime's toolchain). */
  path: readonly string[];
  /** More environment for the service (JAVA_HOME, say). */
  env?: Record<string, string>;
}

export function nativeLauncher(target: () => NativeTarget): ServiceLauncher {
  return {
    async start(options: StartOptions): Promise<RunningService> {
      if (!existsSync(TINI)) throw new Error(`${TINI} is missing: install Debian's tini package (apt-get install tini); .ci/run does.`);
      const { cwd, command, tiniArgs, path: pathPrefix, env } = target();
      // Root may create a PID namespace directly; anyone else needs a user namespace for it.
      const asUser = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
      const child = execa('unshare', [...asUser, '--pid', '--fork', '--mount-proc', '--kill-child', TINI, ...tiniArgs, ...command], {
        cwd,
        extendEnv: false,
        env: {
          PATH: [...pathPrefix, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
          HOME: homedir(),
          PORT: String(options.port),
          CONFIG_DIR: options.configDir,
          SECRETS_DIR: options.secretsDir,
          ...env,
          ...options.env,
        },
        reject: false,
        stdin: 'ignore',
      });
      return processService(child, {
        async signal(signal) {
          const [tini] = childrenOf(child.pid!);
          if (tini === undefined) throw new Error('tini is not running');
          process.kill(tini, signal);
        },
        async kill() {
          // --kill-child takes tini, and with it the whole PID namespace.
          child.kill('SIGKILL');
        },
      });
    },
  };
}
