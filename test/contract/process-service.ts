// A RunningService over a spawned process whose output is the service's: a native run under tini,
// or `docker run` in the foreground. The launcher says how to signal and how to end it.
import type { ResultPromise } from 'execa';
import type { RunningService } from './harness.ts';

export function processService(
  child: ResultPromise,
  control: { signal: (signal: 'SIGTERM' | 'SIGINT') => Promise<void>; kill: () => Promise<void> },
): RunningService {
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
    signal: control.signal,
    exited,
    async kill() {
      await control.kill();
      await exited;
    },
  };
}
