// Runs a generated service on this machine as a child of tini in its own PID namespace, as in its
// image: tini is PID 1, forwards signals and reaps; the harness signals tini, never the service.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { execa, type ResultPromise } from 'execa';
import type { RunningService, ServiceLauncher, StartOptions } from './harness.ts';

export const TINI = '/usr/bin/tini';

export interface NativeTarget {
  /** The generated project, built. */
  cwd: string;
  command: readonly string[];
  /** Directories put before the system PATH (the runtime's toolchain). */
  path: readonly string[];
}

export function nativeLauncher(target: () => NativeTarget): ServiceLauncher {
  return {
    async start(options: StartOptions): Promise<RunningService> {
      if (!existsSync(TINI)) throw new Error(`${TINI} is missing: install Debian's tini package (apt-get install tini); .ci/run does.`);
      const { cwd, command, path: pathPrefix } = target();
      // Root may create a PID namespace directly; anyone else needs a user namespace for it.
      const asUser = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
      const child = execa('unshare', [...asUser, '--pid', '--fork', '--mount-proc', '--kill-child', TINI, '--', ...command], {
        cwd,
        extendEnv: false,
        env: {
          PATH: [...pathPrefix, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
          HOME: homedir(),
          PORT: String(options.port),
          CONFIG_DIR: options.configDir,
          SECRETS_DIR: options.secretsDir,
          ...options.env,
        },
        reject: false,
        stdin: 'ignore',
      });
      return processService(child);
    },
  };
}

/** Wraps a spawned process that leads to tini: output capture, signals to tini, exit code. */
function processService(child: ResultPromise): RunningService {
  let stdout = '';
  let all = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    all += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    all += chunk.toString('utf8');
  });
  const exited = child.then((result) => result.exitCode ?? null);
  return {
    output: () => all,
    stdoutLines: () => stdout.split('\n').filter((line) => line !== ''),
    async signal(signal) {
      const pid = childOf(child.pid!);
      if (pid === undefined) throw new Error('tini is not running');
      process.kill(pid, signal);
    },
    exited,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The first child of a process: tini, under `unshare --fork`. */
function childOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children ? Number(children.split(' ')[0]) : undefined;
  } catch {
    return undefined;
  }
}
