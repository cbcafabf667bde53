// Builds a Dockerfile as a user would (Debian's docker client, BuildKit, host network) and reads
// BuildKit's plain progress output to tell which steps ran and which came from the cache.
import { execa } from 'execa';
import { DOCKER } from './engine.ts';

export interface BuildStep {
  id: string;
  title: string;
  cached: boolean;
  lines: string[];
}

export interface BuildResult {
  log: string;
  seconds: number;
  steps: BuildStep[];
  /** Whether any Dockerfile step ran rather than coming from the cache. */
  sourceCopyRebuilt: boolean;
}

export async function dockerBuild(context: string, tag: string, extraArgs: string[] = []): Promise<BuildResult> {
  const started = Date.now();
  const { all } = await execa(DOCKER, ['build', '--network', 'host', '--progress', 'plain', ...extraArgs, '-t', tag, context], {
    env: { DOCKER_BUILDKIT: '1' },
    all: true,
  });
  const steps = parseSteps(all);
  return {
    log: all,
    seconds: (Date.now() - started) / 1000,
    steps,
    sourceCopyRebuilt: steps.some((step) => /^\[.+\] /.test(step.title) && !step.cached),
  };
}

/** Steps of BuildKit's plain output: `#7 [build 3/8] RUN ...` then `#7 CACHED` or `#7 DONE 2.1s`. */
export function parseSteps(log: string): BuildStep[] {
  const steps = new Map<string, BuildStep>();
  for (const line of log.split('\n')) {
    const match = /^#(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [, id, text] = match as unknown as [string, string, string];
    const step = steps.get(id) ?? { id, title: text, cached: false, lines: [] };
    if (text === 'CACHED') step.cached = true;
    step.lines.push(line);
    steps.set(id, step);
  }
  return [...steps.values()];
}

/** The dependency install: the build step that mounts a package cache. */
export function dependencyStep(log: string): BuildStep | undefined {
  return parseSteps(log).find((step) => /^\[.+\] RUN --mount=type=cache/.test(step.title));
}
