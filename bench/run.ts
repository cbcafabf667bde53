// `npm run bench`: what users care about in the generated output, one table per run. For each
// language and family (the default runtime version): image size against its floor, cold and
// source-only build times, container start to first 200 from /readyz, SIGTERM to exit, and the
// generator's own wall time; beside it, a naive single-stage image of the same service.
// Figures are reported, not asserted. Alpine images cannot be built offline: their rows say so.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { IMAGE_FAMILIES, STACKS, imageRef, stackCommands, type Stack } from '../stacks/registry.ts';
import { freePort } from '../test/contract/harness.ts';
import { HARDENING, startDetached } from '../test/containers/container-launcher.ts';
import { DOCKER, ensureEngine } from '../test/containers/engine.ts';
import { dockerBuild } from '../test/containers/image-build.ts';
import { ensureStandIns } from '../test/containers/standins.ts';

const REPO = new URL('..', import.meta.url).pathname;
// The source, run by Node's type stripping: a stale build in the work tree cannot skew the figures.
const BIN = path.join(REPO, 'bin/k8s-app.ts');
const APP_NAME = 'bench-svc';

interface Row {
  variant: string;
  size?: number;
  floor?: number;
  coldBuild?: number;
  rebuild?: number;
  startToReady?: number;
  stop?: { seconds: number; exitCode: string };
  generator?: number;
  note?: string;
}

const seconds = (ms: number) => ms / 1000;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, seconds(performance.now() - started)];
}

async function imageSize(ref: string): Promise<number> {
  const { stdout } = await execa(DOCKER, ['image', 'inspect', '--format', '{{.Size}}', ref]);
  return Number(stdout.trim());
}

/** Sizes of the layers an image adds on top of its base, with the instruction that made each. */
async function layersAbove(ref: string, base: string): Promise<{ createdBy: string; size: number }[]> {
  const history = async (image: string) =>
    (await execa(DOCKER, ['history', '--no-trunc', '--human=false', '--format', '{{.Size}}\t{{.CreatedBy}}', image])).stdout
      .split('\n')
      .map((line) => ({ size: Number(line.split('\t')[0]), createdBy: line.split('\t').slice(1).join('\t') }));
  const [own, inherited] = await Promise.all([history(ref), history(base)]);
  return own.slice(0, own.length - inherited.length);
}

/** Starts the image, measures start to the first 200 from /readyz, then SIGTERM (docker stop) to exit. */
async function runTimings(image: string, runArgs: string[]): Promise<Pick<Row, 'startToReady' | 'stop'>> {
  const port = await freePort();
  const name = `k8s-app-bench-${port}`;
  try {
    // A container that never becomes ready is reported as such ('-'), not as a crash of the bench.
    const startToReady = await startDetached(image, name, port, runArgs, 60_000).catch(() => undefined);
    const [, stopSeconds] = await timed(() => execa(DOCKER, ['stop', '--time', '10', name]));
    const { stdout } = await execa(DOCKER, ['inspect', '--format', '{{.State.ExitCode}}', name]);
    return { startToReady, stop: { seconds: stopSeconds, exitCode: stdout.trim() } };
  } finally {
    await execa(DOCKER, ['rm', '-f', name], { reject: false });
  }
}

/** Cold build (no build cache at all), then, when `sourceDir` is given, a rebuild after a source-only change. */
async function buildTimings(context: string, tag: string, sourceDir?: string): Promise<Pick<Row, 'coldBuild' | 'rebuild'>> {
  await execa(DOCKER, ['builder', 'prune', '--all', '--force']);
  const cold = await dockerBuild(context, tag);
  if (sourceDir === undefined) return { coldBuild: cold.seconds };
  writeFileSync(path.join(context, sourceDir, 'bench-probe.txt'), `${Date.now()}\n`);
  const rebuild = await dockerBuild(context, tag);
  return { coldBuild: cold.seconds, rebuild: rebuild.seconds };
}

/** What a naive image adds to the builder image before it can install anything. */
const NAIVE_SETUP: Record<string, string[]> = {
  python: ['RUN apt-get update && apt-get install -y python3 python3-venv ca-certificates'],
};

/** A single-stage image as many generators emit it: everything copied, installed and run by a shell. */
function naiveDockerfile(stack: Stack, version: string): string {
  const base = imageRef(stack.images.distroless.builder, version);
  const commands = stackCommands(stack, version);
  return [
    `FROM ${base}`,
    ...(NAIVE_SETUP[stack.language] ?? []),
    'WORKDIR /app',
    'COPY . .',
    `RUN ${commands.install} && ${commands.build}`,
    `CMD ${commands.start}`,
    '',
  ].join('\n');
}

async function benchStack(stack: Stack): Promise<Row[]> {
  const version = stack.defaultVersion;
  const rows: Row[] = [];
  for (const family of IMAGE_FAMILIES) {
    const variant = `${stack.language} ${version} ${family}`;
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-bench-'));
    try {
      const [, generator] = await timed(() =>
        execa(process.execPath, [BIN, '--defaults', '--skip-install', '--app-name', APP_NAME, '--language', stack.language, '--runtime-version', version, '--image-family', family], {
          cwd: dir,
          stdin: 'ignore',
        }),
      );
      if (family === 'alpine') {
        rows.push({ variant, generator, note: `not built: ${imageRef(stack.images.alpine.runtime, version)} cannot be assembled offline here` });
        continue;
      }
      const tag = `k8s-app-bench/${stack.language}:${version}`;
      const builds = await buildTimings(dir, tag, stack.sourceDir);
      const base = imageRef(stack.images.distroless.runtime, version);
      // The floor: the runtime base plus the app's own artifacts (every layer we add but tini).
      const artifacts = (await layersAbove(tag, base)).filter((layer) => !layer.createdBy.includes('tini'));
      const floor = (await imageSize(base)) + artifacts.reduce((sum, layer) => sum + layer.size, 0);
      rows.push({ variant, size: await imageSize(tag), floor, ...builds, ...(await runTimings(tag, HARDENING)), generator });
      await execa(DOCKER, ['rmi', '-f', tag], { reject: false });

      // The naive image of the same service, from a copy without our Dockerfile and .dockerignore.
      const naiveDir = mkdtempSync(path.join(tmpdir(), 'k8s-app-naive-'));
      cpSync(dir, naiveDir, { recursive: true, filter: (source) => !['.dockerignore', 'Dockerfile'].includes(path.basename(source)) });
      writeFileSync(path.join(naiveDir, 'Dockerfile'), naiveDockerfile(stack, version));
      const naiveTag = `k8s-app-bench/${stack.language}-naive:${version}`;
      // No source rebuild: COPY . . comes before the install, so any change reruns everything (it
      // measured as slow as the cold build, and cost CI minutes per language).
      const naiveBuilds = await buildTimings(naiveDir, naiveTag);
      rows.push({
        variant: `${variant} (naive single stage)`, size: await imageSize(naiveTag), ...naiveBuilds, ...(await runTimings(naiveTag, [])),
        note: 'a source change reruns the whole build (COPY . . before the install)',
      });
      await execa(DOCKER, ['rmi', '-f', naiveTag], { reject: false });
      rmSync(naiveDir, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

function table(rows: Row[]): string {
  const mb = (bytes?: number) => (bytes === undefined ? '-' : `${(bytes / 1e6).toFixed(1)} MB`);
  const s = (value?: number) => (value === undefined ? '-' : `${value.toFixed(2)} s`);
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);
  const header = ['variant', 'image', 'floor', 'image/floor', 'cold build', 'source rebuild', 'cold/rebuild', 'start to ready', 'SIGTERM to exit (code)', 'generator', 'note'];
  const lines = rows.map((row) => [
    row.variant, mb(row.size), mb(row.floor), ratio(row.size, row.floor), s(row.coldBuild), s(row.rebuild), ratio(row.coldBuild, row.rebuild),
    s(row.startToReady), row.stop ? `${s(row.stop.seconds)} (${row.stop.exitCode})` : '-', s(row.generator), row.note ?? '',
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Size targets: the generated image may be at most this many times its floor. */
const SIZE_TARGETS: Record<string, number> = { rust: 1.3 };

/** The rows that miss their language's size target, as lines to print. */
function missedTargets(rows: Row[]): string[] {
  return rows.flatMap((row) => {
    const target = SIZE_TARGETS[row.variant.split(' ')[0]!];
    if (target === undefined || row.size === undefined || row.floor === undefined || row.variant.includes('naive')) return [];
    const ratio = row.size / row.floor;
    return ratio > target ? [`${row.variant}: image/floor ${ratio.toFixed(2)}x is above the target of ${target}x`] : [];
  });
}

// `npm run bench -- java go` measures only those languages; no argument measures all.
const wanted = process.argv.slice(2);
const unknown = wanted.filter((language) => !STACKS.some((stack) => stack.language === language));
if (unknown.length > 0) {
  console.error(`bench: unknown language ${unknown.join(', ')}; pick from ${STACKS.map((stack) => stack.language).join(', ')}`);
  process.exit(2);
}
const benched = wanted.length === 0 ? STACKS : STACKS.filter((stack) => wanted.includes(stack.language));

const engine = await ensureEngine(path.join(tmpdir(), 'k8s-app-dockerd.log'));
try {
  await ensureStandIns();
  const rows: Row[] = [];
  for (const stack of benched) rows.push(...(await benchStack(stack)));
  console.log(`\ngenerator-k8s-app bench, ${new Date().toISOString()}\n\n${table(rows)}\n`);
  console.log('floor = runtime base image + the layers holding the app\'s own artifacts; naive = FROM the builder image, COPY . ., install, shell-form CMD, no init.');
  const missed = missedTargets(rows);
  console.log(`size targets (image/floor at most): ${Object.entries(SIZE_TARGETS).map(([language, target]) => `${language} ${target}x`).join(', ')}: ${missed.length === 0 ? 'all met' : 'MISSED'}`);
  for (const line of missed) console.error(`bench: ${line}`);
  if (missed.length > 0) process.exitCode = 1;
} finally {
  await engine.stop();
}
