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

/** The ID of the image a tag names, if any. */
async function taggedImage(tag: string): Promise<string | undefined> {
  const { stdout, exitCode } = await execa(DOCKER, ['image', 'inspect', '--format', '{{.Id}}', tag], { reject: false, stdin: 'ignore' });
  return exitCode === 0 ? stdout.trim() : undefined;
}

export async function dockerBuild(context: string, tag: string, extraArgs: string[] = []): Promise<BuildResult> {
  const previous = await taggedImage(tag);
  const started = Date.now();
  const { all } = await execa(DOCKER, ['build', '--network', 'host', '--progress', 'plain', ...extraArgs, '-t', tag, context], {
    env: { DOCKER_BUILDKIT: '1' },
    all: true,
  });
  const seconds = (Date.now() - started) / 1000;
  // The tag moved to the new image and left the one it named untagged: removed, so rebuilds leave no
  // dangling images (the engine refuses while another tag or a container still uses it).
  if (previous && previous !== (await taggedImage(tag))) await execa(DOCKER, ['rmi', previous], { reject: false, stdin: 'ignore' });
  const steps = parseSteps(all);
  return {
    log: all,
    seconds,
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
