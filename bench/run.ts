// `npm run bench`: what users care about in the generated output, one table per run. For each
// language and family (the default runtime version): image size against its floor (the runtime base
// plus the app's own files, read from the image's layers), cold and source-edit build times (and
// whether the dependency layers were reused), container start to first 200 from /readyz, SIGTERM to
// exit with requests in flight, memory idle and under a short load on GET / with its requests per second
// and p99 latency, and the generator's wall time through the installed bin; beside it, a
// naive single-stage image of the same service. Build timings are the median of RUNS runs, start and
// stop timings of STARTS starts, with min and max; then each target beside the figure it judges (met or
// missed). Alpine images cannot be built offline: their rows say so.
//
// It fails on what does not depend on the machine's load: a size target missed, dependency layers
// rebuilt after a source edit, requests lost or a non-zero exit on SIGTERM, an out-of-memory kill. It
// removes only the images and build cache entries it created.
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { ensureHelm } from '../lint/tools.ts';
import { IMAGE_FAMILIES, imageRef, STACKS, type Stack, stackCommands } from '../stacks/registry.ts';
import { HARDENING, startDetached } from '../test/containers/container-launcher.ts';
import { DOCKER, ensureEngine } from '../test/containers/engine.ts';
import { dependencyStep, dockerBuild } from '../test/containers/image-build.ts';
import { ensureStandIns } from '../test/containers/standins.ts';
import { freePort, request } from '../test/contract/harness.ts';
import { installedBin, installPackedPackage } from '../test/support/installed-package.ts';
import { type ImageContents, imageContents } from './image-layers.ts';

const APP_NAME = 'bench-svc';
/** Each build timing is the median of this many runs. */
const RUNS = 3;
/** Start to ready and SIGTERM to exit: the median of this many starts. */
const STARTS = 5;
/** Above the floor, the image may hold at most this share of it in package managers, caches and overwritten files. */
const BLOAT_TARGET = 0.02;
/** Requests held open by `GET /delay/{ms}` when SIGTERM arrives. */
const IN_FLIGHT = 8;
/** The short load on GET /: this many keep-alive connections, each sending requests back to back, for this long. */
const LOAD_CONNECTIONS = 16;
const LOAD_SECONDS = 3;

// The speed targets, judged from the table (marked met or missed; timings never fail the run).
/** Start to the first 200 from /readyz in the hardened container, per language (seconds). */
const START_TARGETS: Record<string, number> = { node: 1, python: 1.5, java: 3, go: 0.3, rust: 0.3 };
/** A one-line source edit rebuilds in at most this share of the cold build (Node's, where a compile of
 * the whole service follows any edit; the others' rebuild is shown without a target). */
const REBUILD_TARGETS: Record<string, number> = { node: 0.2 };
/** `k8s-app --help` takes at most this many times `node -e 0`. */
const HELP_TARGET = 3;
/** `k8s-app --defaults --language go` takes at most this many times `helm create`, and at most SECONDS on an idle machine. */
const GENERATE_TARGET = { ratio: 4, seconds: 0.35 };

interface Stats {
  median: number;
  min: number;
  max: number;
}

interface Row {
  variant: string;
  size?: number;
  floor?: number;
  contents?: ImageContents;
  coldBuild?: Stats;
  rebuild?: Stats;
  dependenciesReused?: boolean;
  startToReady?: Stats;
  stop?: Stats & { exitCodes: string[]; lost: number };
  /** The container's memory (its cgroup's, without page cache, as docker stats reports it), idle once ready and during the load. */
  memory?: { idle: number; loaded: number };
  /** The starter's manifests: the memory request and limit (bytes); the bench runs the container with that limit. */
  memoryBounds?: { request: number; limit: number };
  /** The container was killed for passing its memory limit. */
  oomKilled?: boolean;
  load?: Load;
  generator?: Stats;
  note?: string;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

async function imageSize(ref: string): Promise<number> {
  const { stdout } = await execa(DOCKER, ['image', 'inspect', '--format', '{{.Size}}', ref]);
  return Number(stdout.trim());
}

/** IDs of the engine's build cache entries, to remove afterwards only those the bench created. */
async function buildCacheIds(): Promise<Set<string>> {
  const { stdout } = await execa(DOCKER, ['system', 'df', '-v', '--format', '{{range .BuildCache}}{{.ID}}\n{{end}}']);
  return new Set(stdout.split('\n').filter(Boolean));
}

/**
 * Removes the build cache entries created since `before`, and no other. The engine takes one id per
 * prune; an entry another one still refers to goes in a later pass.
 */
async function pruneCreatedCache(before: Set<string>) {
  for (let pass = 0; pass < 5; pass += 1) {
    const created = [...(await buildCacheIds())].filter((id) => !before.has(id));
    if (created.length === 0) return;
    for (const id of created) await execa(DOCKER, ['builder', 'prune', '--force', '--all', '--filter', `id=${id}`], { reject: false });
  }
}

/**
 * The generated Dockerfile with its cache mounts given ids of this run only: a cold build then starts
 * with empty package caches without pruning anyone else's, and a rebuild of the same file reuses them.
 */
function isolatedDockerfile(dockerfile: string, run: string): string {
  return dockerfile.replaceAll(
    /--mount=type=cache,target=(\S+?)(?=[ \\]|$)/gm,
    (_, target: string) => `--mount=type=cache,id=k8s-app-bench-${run}${target},target=${target}`,
  );
}

/** A source file of the service (not a test) to edit, as a developer's one-line change. */
function sourceFileToEdit(projectDir: string, sourceDir: string): string {
  const files = (readdirSync(path.join(projectDir, sourceDir), { recursive: true, encoding: 'utf8' }) as string[])
    .filter((file) => /\.(ts|py|go|java|rs)$/.test(file) && !/(^|\/)tests?\/|_test\.|\.test\./.test(file))
    .sort();
  if (files.length === 0) throw new Error(`bench: no source file to edit under ${sourceDir}`);
  return path.join(projectDir, sourceDir, files[0]!);
}

function editSource(file: string, round: number) {
  const comment = file.endsWith('.py') ? '#' : '//';
  appendFileSync(file, `${comment} bench edit ${round}\n`);
}

/**
 * Cold builds (no layer cache, empty package caches) and, when `sourceDir` is given, a rebuild after a
 * one-line edit of a source file each time; RUNS rounds.
 */
async function buildTimings(context: string, tag: string, sourceDir?: string): Promise<Pick<Row, 'coldBuild' | 'rebuild' | 'dependenciesReused'>> {
  const original = readFileSync(path.join(context, 'Dockerfile'), 'utf8');
  const dockerfiles = mkdtempSync(path.join(tmpdir(), 'k8s-app-bench-dockerfile-'));
  const cold: number[] = [];
  const rebuild: number[] = [];
  let dependenciesReused = true;
  try {
    for (let round = 1; round <= RUNS; round += 1) {
      const dockerfile = path.join(dockerfiles, `Dockerfile.${round}`);
      writeFileSync(dockerfile, isolatedDockerfile(original, `${process.pid}-${Date.now()}-${round}`));
      cold.push((await dockerBuild(context, tag, ['--no-cache', '-f', dockerfile])).seconds);
      if (sourceDir === undefined) continue;
      editSource(sourceFileToEdit(context, sourceDir), round);
      const result = await dockerBuild(context, tag, ['-f', dockerfile]);
      rebuild.push(result.seconds);
      const dependencies = dependencyStep(result.log);
      if (!dependencies?.cached) dependenciesReused = false;
    }
  } finally {
    rmSync(dockerfiles, { recursive: true, force: true });
  }
  return sourceDir === undefined ? { coldBuild: stats(cold) } : { coldBuild: stats(cold), rebuild: stats(rebuild), dependenciesReused };
}

/**
 * STARTS times: start the image, time start to the first 200 from /readyz, hold IN_FLIGHT requests
 * open (demo-endpoints on), then time SIGTERM (docker stop) to exit and count requests that failed.
 */
async function runTimings(image: string, runArgs: string[]): Promise<Pick<Row, 'startToReady' | 'stop' | 'memory' | 'load' | 'oomKilled'>> {
  let measured: Pick<Row, 'memory' | 'load'> = {};
  const ready: number[] = [];
  const stops: number[] = [];
  const exitCodes: string[] = [];
  let lost = 0;
  let oomKilled = false;
  for (let round = 0; round < STARTS; round += 1) {
    const port = await freePort();
    const name = `k8s-app-bench-${port}`;
    try {
      // A container that never becomes ready is reported as such ('-'), not as a crash of the bench.
      const startToReady = await startDetached(image, name, port, [...runArgs, '-e', 'DEMO_ENDPOINTS=true'], 60_000).catch(() => undefined);
      if (startToReady === undefined) {
        exitCodes.push('not ready');
        continue;
      }
      ready.push(startToReady);
      // Once, in the first run: memory and throughput do not need a median of starts.
      if (round === 0) measured = await loadAndMemory(name, port);
      const inFlight = Array.from({ length: IN_FLIGHT }, () => request(port, '/delay/1000').catch((error: Error) => error));
      await sleep(200);
      const [, stopSeconds] = await timed(() => execa(DOCKER, ['stop', '--time', '10', name]));
      stops.push(stopSeconds);
      lost += (await Promise.all(inFlight)).filter((result) => result instanceof Error || result.status !== 200 || !result.complete).length;
      const { stdout } = await execa(DOCKER, ['inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', name]);
      const [exitCode = '', killed] = stdout.trim().split(' ');
      exitCodes.push(exitCode);
      if (killed === 'true') oomKilled = true;
    } finally {
      await execa(DOCKER, ['rm', '-f', name], { reject: false });
    }
  }
  return {
    ...measured,
    oomKilled,
    startToReady: ready.length > 0 ? stats(ready) : undefined,
    stop: stops.length > 0 ? { ...stats(stops), exitCodes, lost } : undefined,
  };
}

interface Load {
  perSecond: number;
  p99: number;
  failed: number;
}

/** GET / from LOAD_CONNECTIONS keep-alive connections for LOAD_SECONDS: requests per second, the 99th
 * percentile latency in seconds, and the requests that did not answer 200. */
async function loadRoot(port: number): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: LOAD_CONNECTIONS });
  const latencies: number[] = [];
  let failed = 0;
  const until = performance.now() + LOAD_SECONDS * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const done = (ok: boolean) => {
        if (ok) latencies.push((performance.now() - started) / 1000);
        else failed += 1;
        resolve();
      };
      http
        .get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
          response.resume();
          response.on('end', () => done(response.statusCode === 200));
          response.on('error', () => done(false));
        })
        .on('error', () => done(false));
    });
  const connection = async () => {
    while (performance.now() < until) await once();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: LOAD_CONNECTIONS }, connection));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0, failed };
}

/** A running container's memory use in bytes, as `docker stats` reports it (its cgroup, less page cache). */
async function memoryUse(name: string): Promise<number> {
  const { stdout } = await execa(DOCKER, ['stats', '--no-stream', '--format', '{{.MemUsage}}', name]);
  const [, amount = '0', unit = 'B'] = /^([\d.]+)\s*([KMG]?i?B)/.exec(stdout.trim()) ?? [];
  const scale: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
  return Number(amount) * (scale[unit] ?? 1);
}

/** Idle memory once ready, then memory and throughput under the short load on GET /. */
async function loadAndMemory(name: string, port: number): Promise<Pick<Row, 'memory' | 'load'>> {
  await sleep(500);
  const idle = await memoryUse(name);
  // Memory is read halfway through the load, while every connection is busy.
  const [load, loaded] = await Promise.all([loadRoot(port), sleep((LOAD_SECONDS * 1000) / 2).then(() => memoryUse(name))]);
  return { memory: { idle, loaded }, load };
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

/** Generates the service RUNS times through the installed bin; returns the last project and the timing. */
async function generate(bin: string, stack: Stack, version: string, family: string): Promise<{ dir: string; seconds: Stats }> {
  const samples: number[] = [];
  let dir = '';
  for (let round = 0; round < RUNS; round += 1) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-bench-'));
    const [, seconds] = await timed(() =>
      execa(
        bin,
        ['--defaults', '--skip-install', '--app-name', APP_NAME, '--language', stack.language, '--runtime-version', version, '--image-family', family],
        {
          cwd: dir,
          stdin: 'ignore',
        },
      ),
    );
    samples.push(seconds);
  }
  return { dir, seconds: stats(samples) };
}

async function benchStack(stack: Stack, bin: string): Promise<Row[]> {
  const version = stack.defaultVersion;
  const rows: Row[] = [];
  for (const family of IMAGE_FAMILIES) {
    const variant = `${stack.language} ${version} ${family}`;
    const { dir, seconds: generator } = await generate(bin, stack, version, family);
    try {
      if (family === 'alpine') {
        rows.push({ variant, generator, note: `not built: ${imageRef(stack.images.alpine.runtime, version)} cannot be assembled offline here` });
        continue;
      }
      const tag = `k8s-app-bench/${stack.language}:${version}`;
      const builds = await buildTimings(dir, tag, stack.sourceDir);
      const base = imageRef(stack.images.distroless.runtime, version);
      const contents = await imageContents(tag, base);
      const floor = (await imageSize(base)) + contents.app;
      // With the memory limit the manifests give the starter: an out-of-memory kill under the load shows.
      const memoryBounds = { request: quantity(stack.starterResources.requests.memory), limit: quantity(stack.starterResources.limits.memory) };
      const timings = await runTimings(tag, [...HARDENING, '--memory', String(memoryBounds.limit)]);
      rows.push({ variant, size: await imageSize(tag), floor, contents, ...builds, ...timings, memoryBounds, generator });
      await execa(DOCKER, ['rmi', '-f', tag], { reject: false });

      // The naive image of the same service, from a copy without our Dockerfile and .dockerignore.
      const naiveDir = mkdtempSync(path.join(tmpdir(), 'k8s-app-naive-'));
      cpSync(dir, naiveDir, { recursive: true, filter: (source) => !['.dockerignore', 'Dockerfile'].includes(path.basename(source)) });
      writeFileSync(path.join(naiveDir, 'Dockerfile'), naiveDockerfile(stack, version));
      const naiveTag = `k8s-app-bench/${stack.language}-naive:${version}`;
      // No source rebuild: COPY . . comes before the install, so any change reruns everything.
      const naiveBuilds = await buildTimings(naiveDir, naiveTag);
      rows.push({
        variant: `${variant} (naive single stage)`,
        size: await imageSize(naiveTag),
        ...naiveBuilds,
        ...(await runTimings(naiveTag, [])),
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

/** A Kubernetes memory quantity (`64Mi`, `1Gi`) in bytes. */
function quantity(text: string): number {
  const [, amount = '0', unit = ''] = /^(\d+)([KMG]i)?$/.exec(text) ?? [];
  return Number(amount) * ({ '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[unit] ?? Number.NaN);
}

const verdict = (met: boolean | undefined) => (met === undefined ? '-' : met ? 'met' : 'MISSED');

/** Each timing and memory target beside the figure it judges. */
function targetsTable(rows: Row[], startUp: StartUp): string {
  const lines: string[][] = [
    [
      'k8s-app --help',
      `at most ${HELP_TARGET}x node -e 0`,
      `${timing(startUp.help)}; node -e 0 ${timing(startUp.node)}: ${(startUp.help.median / startUp.node.median).toFixed(1)}x`,
      verdict(startUp.help.median <= HELP_TARGET * startUp.node.median),
    ],
    [
      'k8s-app --defaults --language go',
      `at most ${GENERATE_TARGET.ratio}x helm create, under ${GENERATE_TARGET.seconds} s`,
      `${timing(startUp.generate)}; helm create ${timing(startUp.helmCreate)}: ${(startUp.generate.median / startUp.helmCreate.median).toFixed(1)}x`,
      verdict(startUp.generate.median <= GENERATE_TARGET.ratio * startUp.helmCreate.median && startUp.generate.median < GENERATE_TARGET.seconds),
    ],
  ];
  for (const row of rows.filter((candidate) => candidate.size !== undefined && !candidate.variant.includes('naive'))) {
    const language = row.variant.split(' ')[0]!;
    const start = START_TARGETS[language]!;
    lines.push([`${row.variant}: start to ready`, `under ${start} s`, timing(row.startToReady), verdict(row.startToReady && row.startToReady.median < start)]);
    const rebuildTarget = REBUILD_TARGETS[language];
    if (row.rebuild && row.coldBuild) {
      const share = row.rebuild.median / row.coldBuild.median;
      lines.push([
        `${row.variant}: source edit rebuild`,
        rebuildTarget === undefined ? '-' : `at most ${rebuildTarget}x the cold build`,
        `${share.toFixed(2)}x`,
        rebuildTarget === undefined ? '-' : verdict(share <= rebuildTarget),
      ]);
    }
    if (row.memory && row.memoryBounds) {
      lines.push([
        `${row.variant}: memory`,
        'request covers the loaded figure, limit twice it, no OOM kill',
        `${mb(row.memory.loaded)} loaded; request ${mb(row.memoryBounds.request)}, limit ${mb(row.memoryBounds.limit)}${row.oomKilled ? ', OOM-killed' : ''}`,
        verdict(row.memoryBounds.request >= row.memory.loaded && row.memoryBounds.limit >= 2 * row.memory.loaded && !row.oomKilled),
      ]);
    }
  }
  const header = ['figure', 'target', 'measured', ''];
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

interface StartUp {
  node: Stats;
  help: Stats;
  generate: Stats;
  helmCreate: Stats;
}

/** The generator's start-up beside Node's own and helm create's, each the median of STARTS runs. */
async function startUpTimings(bin: string): Promise<StartUp> {
  const helm = await ensureHelm();
  const samples = async (run: (dir: string) => Promise<unknown>) => {
    const seconds: number[] = [];
    for (let round = 0; round < STARTS; round += 1) {
      const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-bench-start-'));
      try {
        seconds.push((await timed(() => run(dir)))[1]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return stats(seconds);
  };
  return {
    node: await samples(() => execa(process.execPath, ['-e', '0'])),
    help: await samples(() => execa(bin, ['--help'])),
    generate: await samples((dir) => execa(bin, ['--defaults', '--skip-install', '--app-name', APP_NAME, '--language', 'go'], { cwd: dir, stdin: 'ignore' })),
    helmCreate: await samples((dir) => execa(helm, ['create', APP_NAME], { cwd: dir })),
  };
}

const mb = (bytes?: number) => (bytes === undefined ? '-' : `${(bytes / 1e6).toFixed(1)} MB`);
const timing = (value?: Stats) => (value === undefined ? '-' : `${value.median.toFixed(2)} s (${value.min.toFixed(2)}-${value.max.toFixed(2)})`);

/** The bytes above the floor that are not tini: what a size target judges. */
const bloat = (contents: ImageContents) => Object.entries(contents.other).reduce((sum, [kind, bytes]) => (kind === 'tini' ? sum : sum + bytes), 0);

function aboveFloor(contents?: ImageContents): string {
  if (!contents) return '-';
  const parts = Object.entries(contents.other).map(
    ([kind, bytes]) => `${kind} ${mb(bytes)}${kind === 'tini' ? '' : ` (${contents.examples[kind]!.join(', ')})`}`,
  );
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}

function table(rows: Row[]): string {
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);
  const header = [
    'variant',
    'image',
    'floor',
    'image/floor',
    'above the floor',
    'cold build',
    'source edit rebuild',
    'dependencies reused',
    'start to ready',
    'SIGTERM to exit, requests in flight (exit codes, lost)',
    'memory idle / under load',
    `GET / under load: req/s, p99 (failed)`,
    'generator (installed bin)',
    'note',
  ];
  const lines = rows.map((row) => [
    row.variant,
    mb(row.size),
    mb(row.floor),
    ratio(row.size, row.floor),
    aboveFloor(row.contents),
    timing(row.coldBuild),
    timing(row.rebuild),
    row.dependenciesReused === undefined ? '-' : row.dependenciesReused ? 'yes' : 'NO',
    timing(row.startToReady),
    row.stop ? `${timing(row.stop)} (${row.stop.exitCodes.join(' ')}; ${row.stop.lost} lost)` : '-',
    row.memory ? `${mb(row.memory.idle)} / ${mb(row.memory.loaded)}` : '-',
    row.load ? `${Math.round(row.load.perSecond)}, ${(row.load.p99 * 1000).toFixed(1)} ms (${row.load.failed})` : '-',
    timing(row.generator),
    row.note ?? '',
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** What fails the bench: only figures that do not depend on the machine's load. */
function failures(rows: Row[]): string[] {
  return rows.flatMap((row) => {
    if (row.variant.includes('naive')) return [];
    const problems: string[] = [];
    if (row.contents && row.floor !== undefined && bloat(row.contents) > BLOAT_TARGET * row.floor) {
      problems.push(
        `${row.variant}: ${mb(bloat(row.contents))} above the floor is not the app (${aboveFloor(row.contents)}), more than ${BLOAT_TARGET * 100}% of the floor`,
      );
    }
    if (row.dependenciesReused === false) problems.push(`${row.variant}: a source edit rebuilt the dependency layers`);
    if (row.stop && (row.stop.lost > 0 || row.stop.exitCodes.some((code) => code !== '0'))) {
      problems.push(`${row.variant}: SIGTERM with requests in flight lost ${row.stop.lost} of them, exit codes ${row.stop.exitCodes.join(' ')}`);
    }
    if (row.size !== undefined && row.stop === undefined) problems.push(`${row.variant}: the image never became ready`);
    if (row.oomKilled) problems.push(`${row.variant}: killed for passing its memory limit (${mb(row.memoryBounds?.limit)})`);
    return problems;
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
const cacheBefore = await buildCacheIds();
const prefix = mkdtempSync(path.join(tmpdir(), 'k8s-app-bench-bin-'));
try {
  await ensureStandIns();
  await installPackedPackage(prefix);
  const rows: Row[] = [];
  const startUp = await startUpTimings(installedBin(prefix));
  for (const stack of benched) rows.push(...(await benchStack(stack, installedBin(prefix))));
  console.log(`\ngenerator-k8s-app bench, ${new Date().toISOString()}, medians of ${RUNS} builds and ${STARTS} starts (min-max)\n\n${table(rows)}\n`);
  console.log(`Targets (judged from these figures; the machine's load moves them)\n\n${targetsTable(rows, startUp)}\n`);
  console.log(
    "floor = the runtime base image + the application's own files in the layers above it (the app and its installed dependencies, without package managers, caches or files a later layer replaced); " +
      'cold build = no layer cache and empty package caches; source edit = one line appended to a source file; naive = FROM the builder image, COPY . ., install, shell-form CMD, no init; ' +
      `memory = the container's cgroup without page cache (docker stats), idle once ready and halfway through the load; load = ${LOAD_CONNECTIONS} keep-alive connections sending GET / back to back for ${LOAD_SECONDS} s, in the first of the runs (a figure of this machine, judged from the table).`,
  );
  const failed = failures(rows);
  console.log(
    `targets: at most ${BLOAT_TARGET * 100}% of the floor above it besides tini, dependency layers reused after a source edit, no request lost and exit 0 on SIGTERM: ${failed.length === 0 ? 'all met' : 'MISSED'}`,
  );
  for (const line of failed) console.error(`bench: ${line}`);
  if (failed.length > 0) process.exitCode = 1;
} finally {
  rmSync(prefix, { recursive: true, force: true });
  await pruneCreatedCache(cacheBefore);
  await engine.stop();
}
