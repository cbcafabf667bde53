// Works out what an existing repository holds, from the stack data's detection rules: the language,
// its build tool, and where the repo states its runtime version, start command and port. Every
// finding says where it came from, so the generator can show it and the user can correct it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RUNTIME_USER } from '../../stacks/common.ts';
import { STACKS } from '../../stacks/registry.ts';
import type { FileFact, NativeLibrary, RetrofitBuild, SourceFile, Stack } from '../../stacks/types.ts';
import { repoFiles } from './repo-files.ts';

/** A value and the file it was read from (relative to the project root). */
export interface Finding {
  value: string;
  from: string;
}

/** A source file of the service and its text. */
type SourceText = SourceFile;

/** A line of a source file, for findings that point at it. */
export interface SourceLine {
  file: string;
  line: number;
  text: string;
}

/** A variable a `.env` file names (never its value) or the code reads, where, and whether it looks like a secret. */
export interface EnvVariable {
  name: string;
  file: string;
  secret: boolean;
}

/** A Dockerfile the repository brings (not one k8s-app wrote), as far as it matters to the pod that runs its image. */
export interface OwnDockerfile {
  /** The user the image runs as (the last USER), if it names one. */
  user?: string;
  /** Whether the start (ENTRYPOINT, else CMD) is in shell form: /bin/sh is then PID 1, and SIGTERM does not reach the service. */
  shellForm: boolean;
  /** An init the start runs as PID 1 (tini, dumb-init), if any. */
  init?: string;
  /** Whether it declares a HEALTHCHECK, which Kubernetes ignores. */
  healthcheck: boolean;
}

export interface DetectedProject {
  language: string;
  buildTool: Finding;
  /** The version the repo states, and the offered version closest to it. */
  runtimeVersion?: Finding & { offered: string };
  start?: Finding;
  port?: Finding;
  /** Health endpoints the sources name. */
  health?: { liveness?: Finding; readiness?: Finding };
  /** How the image will build it: the repo's own package manager, lock file and build. */
  build: RetrofitBuild;
  /** The programs the repository holds, where its language may hold several (Go's main packages). */
  programs?: string[];
  /** Servers bound to loopback only: the kubelet's probes and the Service cannot reach them. */
  loopbackBinds: SourceLine[];
  /** No code acts on SIGTERM, so the process ends at once when the pod stops: how to handle it. */
  sigtermUnhandled?: string;
  /** Folders the service writes into (relative to its folder), each with the first line that says so. */
  writableDirs: (SourceLine & { dir: string })[];
  /** Files and folders of the repository the service reads at run time by relative path, each with the first line that says so. */
  runtimeFiles: (SourceLine & { path: string })[];
  /** Variables the repository's .env files name, or its code reads without a default: the manifests set none. */
  envVariables: EnvVariable[];
  /** Database files the service opens on the root filesystem (SQLite), each with the first line that names it. */
  localDatabases: (SourceLine & { path: string })[];
  /** Dependencies that link system libraries: handled in the build, or said to be missing from the runtime image. */
  nativeLibraries: NativeLibrary[];
  /** The repository's own Dockerfile, which a retrofit may keep (--dockerfile keep). */
  ownDockerfile?: OwnDockerfile;
}

export type Detection = { kind: 'none' } | { kind: 'found'; project: DetectedProject } | { kind: 'ambiguous'; candidates: Finding[] };

/** Folders that hold dependencies, build output or tests, never the service's own sources: a port or a
 * variable a test names is not the service's. */
const SKIPPED_DIRS = new Set([
  ...['.git', 'node_modules', 'target', 'dist', 'build', 'vendor', '.venv', 'venv', '__pycache__', '.gradle', '.mvn', 'k8s'],
  ...['test', 'tests', '__tests__', 'spec', '__mocks__', 'e2e', 'testdata'],
]);
/** Test files beside the code (server.test.js, db.spec.ts, main_test.go, test_app.py): not what the service runs. */
const TEST_FILE = /(?:[._](?:test|spec)\.[cm]?[jt]sx?|_test\.(?:go|py)|^test_\w*\.py)$/;
/** Paths services commonly answer probes on, most specific first. */
const LIVENESS_PATHS = ['/livez', '/healthz', '/actuator/health/liveness', '/health/live', '/health'];
const READINESS_PATHS = ['/readyz', '/actuator/health/readiness', '/health/ready', '/ready'];

/** Source files of any language, k8s-app's or not: what tells a folder of code from one of documents
 * and settings (the stacks' port search also reads settings files, so it is not this list). */
const SOURCE_EXTENSIONS = [
  ...['.go', '.py', '.js', '.mjs', '.cjs', '.ts', '.mts', '.jsx', '.tsx', '.java', '.kt', '.scala', '.groovy', '.rs'],
  ...['.rb', '.php', '.cs', '.fs', '.c', '.cc', '.cpp', '.swift', '.ex', '.exs', '.erl', '.clj', '.dart', '.lua'],
];

/** Enough to find a port in a service; a huge monorepo root is not searched exhaustively. */
const MAX_SOURCE_FILES = 2000;

export function detectProject(root: string): Detection {
  const here = STACKS.flatMap((stack) => {
    const marker = stack.detection.markers.map((pattern) => findMarker(root, pattern)).find((file) => file !== undefined);
    return marker ? [{ stack, marker }] : [];
  });
  const candidates = here.length > 0 ? here : markersAbove(root);
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length > 1) {
    return { kind: 'ambiguous', candidates: candidates.map(({ stack, marker }) => ({ value: stack.language, from: marker })) };
  }
  const { stack, marker } = candidates[0]!;
  const tool = stack.detection.buildTools.find((candidate) => candidate.markers.some((pattern) => findMarker(root, pattern))) ?? {
    name: stack.detection.buildTools[0]!.name,
    markers: [marker],
  };
  const repo = repoFiles(root);
  const build = stack.retrofit.plan(repo);
  const programs = stack.retrofit.programs?.(repo);
  // The service's sources, read once for every search below.
  const sources = sourceFiles(root, stack.detection.port.extensions).map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));
  const project: DetectedProject = {
    language: stack.language,
    // The plan looks further (a workspace root's lock file), so its tool wins.
    buildTool: {
      value: build.tool,
      from: build.tool === tool.name ? (tool.markers.map((pattern) => findMarker(root, pattern)).find(Boolean) ?? marker) : build.summary,
    },
    build,
    ...(programs ? { programs } : {}),
    loopbackBinds: loopbackBinds(sources, stack),
    ...sigtermUnhandled(sources, stack),
    writableDirs: writableDirs(sources, stack),
    runtimeFiles: runtimeFiles(root, sources, stack),
    localDatabases: firstLines(sources, stack.detection.localDatabases ?? []),
    nativeLibraries: (stack.detection.nativeLibraries ?? []).filter(
      (library) =>
        library.present?.(repo) ??
        (library.files ?? []).some((file) => {
          const found = repo.findUp(file);
          return found !== undefined && library.pattern!.test(repo.read(path.join(found.up, file)) ?? '');
        }),
    ),
    envVariables: envVariables(root, sources, stack),
  };
  const dockerfile = ownDockerfile(root);
  if (dockerfile) project.ownDockerfile = dockerfile;
  const version = firstFact(root, stack.detection.runtimeVersion);
  if (version) project.runtimeVersion = { ...version, offered: nearestOffered(stack, version.value) };
  const start = firstFact(root, stack.detection.start);
  if (start) project.start = start;
  // The repository's own word first, else the default of the framework it runs on.
  const port = findPort(root, sources, stack) ?? stack.detection.defaultPort?.(repo, start, sources);
  if (port) project.port = port;
  const framework = stack.detection.health?.find((fact) => isFile(root, fact.file) && fact.pattern.test(readFileSync(path.join(root, fact.file), 'utf8')));
  if (framework) {
    project.health = { liveness: { value: framework.liveness, from: framework.file }, readiness: { value: framework.readiness, from: framework.file } };
  } else {
    // Routes on routers mounted under a prefix first: their literal alone is not the path served.
    const mounted = stack.detection.mountedHealthRoutes?.(sources);
    const liveness = mounted?.liveness ?? findPath(sources, LIVENESS_PATHS);
    const readiness = mounted?.readiness ?? findPath(sources, READINESS_PATHS) ?? liveness;
    if (liveness || readiness) project.health = { liveness, readiness };
  }
  return { kind: 'found', project };
}

/** Languages whose project file counts from a folder above (Go's go.mod), when this folder holds their
 * sources: each with the marker's path from here ('../../go.mod'). */
function markersAbove(root: string): { stack: Stack; marker: string }[] {
  const repo = repoFiles(root);
  return STACKS.flatMap((stack) => {
    if (!stack.detection.markersAbove || sourceFiles(root, stack.detection.port.extensions).length === 0) return [];
    const found = stack.detection.markers.map((marker) => ({ marker, at: repo.findUp(marker, '..') })).find(({ at }) => at !== undefined);
    return found ? [{ stack, marker: path.join(found.at!.up, found.marker) }] : [];
  });
}

/**
 * A folder with no project file k8s-app recognises, which still holds source code: a new service there
 * would be written next to someone's code. The source files (the first few, for the message), and the
 * nearest project file above the folder inside the repository (a module or workspace root), if any.
 */
export function codeWithoutProject(root: string): { sources: string[]; projectFileAbove?: string } | undefined {
  const sources = sourceFiles(root, SOURCE_EXTENSIONS);
  if (sources.length === 0) return undefined;
  const repo = repoFiles(root);
  const markers = STACKS.flatMap((stack) => stack.detection.markers).filter((marker) => !marker.includes('*'));
  const above = markers.flatMap((marker) => {
    const found = repo.findUp(marker);
    return found ? [path.join(found.up, marker)] : [];
  });
  // The nearest: the fewest folders up.
  const nearest = above.sort((a, b) => a.split(path.sep).length - b.split(path.sep).length)[0];
  return { sources, ...(nearest ? { projectFileAbove: nearest } : {}) };
}

/** The project files k8s-app recognises, as a list for messages. */
export function projectMarkers(): string {
  return STACKS.map((stack) => stack.detection.markers.join(' or ')).join(', ');
}

/** Versions compared number by number (`3.9` < `3.13`). */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** A stated version as precise as the stack's versions are (`3.13.1` is Python `3.13`, `v22.11.0` Node.js `22`). */
function atOfferedDepth(stack: Stack, stated: string): string {
  return stated.split('.').slice(0, stack.versions[0]!.version.split('.').length).join('.');
}

/** Offered versions that meet the version a repository states (what it needs at least), oldest first. */
export function versionsMeeting(stack: Stack, stated: string): string[] {
  const wanted = atOfferedDepth(stack, stated);
  return stack.versions
    .map((runtime) => runtime.version)
    .filter((version) => compareVersions(version, wanted) >= 0)
    .sort(compareVersions);
}

/** The offered version a stated one maps to: the same, else the oldest newer one, else the newest. */
export function nearestOffered(stack: Stack, stated: string): string {
  return (
    versionsMeeting(stack, stated)[0] ??
    stack.versions
      .map((runtime) => runtime.version)
      .sort(compareVersions)
      .at(-1)!
  );
}

function firstFact(root: string, facts: readonly FileFact[]): Finding | undefined {
  const repo = repoFiles(root);
  for (const fact of facts) {
    const found = fact.above ? repo.findUp(fact.file) : { up: '' };
    const file = found ? path.join(found.up, fact.file) : fact.file;
    if (!isFile(root, file)) continue;
    const match = fact.pattern.exec(readFileSync(path.join(root, file), 'utf8'));
    if (!match?.[1]) continue;
    const value = fact.as ? fact.as(match[1].trim(), repo) : match[1].trim();
    if (value === undefined) continue;
    if (typeof value === 'string') return { value, from: file };
    return { value: value.value, from: `${file}, ${value.note}` };
  }
  return undefined;
}

/** What the repository's own Dockerfile does that the pod depends on; undefined without one, or when k8s-app wrote it. */
export function ownDockerfile(root: string): OwnDockerfile | undefined {
  if (!isFile(root, 'Dockerfile')) return undefined;
  const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8').replace(/\\\r?\n/g, ' ');
  // k8s-app's retrofit Dockerfiles say how to regenerate them.
  if (text.includes('Regenerate with k8s-app')) return undefined;
  // The final stage is what runs.
  const finalStage = text.split(/^FROM\s/im).at(-1)!;
  const instruction = (name: string) => [...finalStage.matchAll(new RegExp(`^\\s*${name}\\s+(.+)$`, 'gim'))].at(-1)?.[1]?.trim();
  const start = instruction('ENTRYPOINT') ?? instruction('CMD');
  const user = instruction('USER');
  const init = /\b(tini|dumb-init)\b/.exec(start ?? '')?.[1];
  return {
    ...(user ? { user } : {}),
    shellForm: start !== undefined && !start.startsWith('['),
    ...(init ? { init } : {}),
    healthcheck: /^\s*HEALTHCHECK\s+(?!NONE\b)/im.test(finalStage),
  };
}

/** The port an existing Dockerfile exposes, else the first the sources name. */
function findPort(root: string, sources: readonly SourceText[], stack: Stack): Finding | undefined {
  const exposed = isFile(root, 'Dockerfile') ? /^EXPOSE\s+(\d{2,5})/m.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8')) : null;
  if (exposed) return { value: exposed[1]!, from: 'Dockerfile' };
  for (const { file, text } of sources) {
    for (const pattern of stack.detection.port.patterns) {
      const match = pattern.exec(text);
      if (match?.[1] && Number(match[1]) >= 1 && Number(match[1]) <= 65535) return { value: match[1], from: file };
    }
  }
  return undefined;
}

/** The lines that bind a server to loopback only, the first of each pattern in each file. */
function loopbackBinds(sources: readonly SourceText[], stack: Stack): SourceLine[] {
  const found: SourceLine[] = [];
  for (const source of sources) {
    for (const pattern of stack.detection.loopback) {
      const match = pattern.exec(source.text);
      if (match) found.push(lineOf(source, match.index));
    }
  }
  return found;
}

/** The fix, when the stack knows what handles SIGTERM and no source file does it. */
function sigtermUnhandled(sources: readonly SourceText[], stack: Stack): { sigtermUnhandled?: string } {
  const handling = stack.detection.sigtermHandling;
  if (!handling || sources.length === 0) return {};
  return sources.some((source) => handling.patterns.some((pattern) => pattern.test(source.text))) ? {} : { sigtermUnhandled: handling.fix };
}

/** The line of a source file an index falls on. */
function lineOf({ file, text }: SourceText, index: number): SourceLine {
  const line = text.slice(0, index).split('\n').length;
  return { file, line, text: text.split('\n')[line - 1]!.trim() };
}

/** The folders the code writes into, each once, with the first line that names it. */
function writableDirs(sources: readonly SourceText[], stack: Stack): (SourceLine & { dir: string })[] {
  const found = new Map<string, SourceLine & { dir: string }>();
  for (const source of sources) {
    for (const pattern of stack.detection.writableDirs) {
      for (const match of source.text.matchAll(pattern)) {
        const dir = match[1]!;
        if (!found.has(dir) && dir !== 'tmp') found.set(dir, { dir, ...lineOf(source, match.index) });
      }
    }
  }
  return [...found.values()];
}

/** What the patterns' first groups name in the sources, each once, with the first line that names it. */
function firstLines(sources: readonly SourceText[], patterns: readonly RegExp[]): (SourceLine & { path: string })[] {
  const found = new Map<string, SourceLine & { path: string }>();
  for (const source of sources) {
    for (const pattern of patterns) {
      for (const match of source.text.matchAll(pattern)) if (!found.has(match[1]!)) found.set(match[1]!, { path: match[1]!, ...lineOf(source, match.index) });
    }
  }
  return [...found.values()];
}

/** The repository's files and folders the code reads by relative path, each once, with the first line that names it. */
function runtimeFiles(root: string, sources: readonly SourceText[], stack: Stack): (SourceLine & { path: string })[] {
  // Only what the repository holds: a path the code builds at run time, or outside the repo, is not copied.
  return firstLines(sources, stack.detection.runtimeFiles ?? []).filter(
    (read) => !['.', '..'].includes(read.path) && !SKIPPED_DIRS.has(read.path) && existsSync(path.join(root, read.path)),
  );
}

/** Files that list a service's environment: an example to copy, or the developer's own. */
const ENV_FILES = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env'];
/** Names that hold credentials: a Secret's, not a ConfigMap's. */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL|_DSN$|DATABASE_URL|_URI$|AUTH/;

/** Variables the Deployment or the platform sets, which the service may read without a default. */
const PROVIDED_VARIABLES = new Set(['PORT', 'SHUTDOWN_TIMEOUT', 'HEALTH_PORT', 'CONFIG_DIR', 'SECRETS_DIR', 'HOME', 'PATH', 'HOSTNAME', 'NODE_ENV', 'TZ']);

/** The variables the .env files name (never their values) and those the code reads without a default, each
 * once, from the first file that names it. */
function envVariables(root: string, sources: readonly SourceText[], stack: Stack): EnvVariable[] {
  const variables = new Map<string, EnvVariable>();
  const add = (name: string, file: string) => {
    if (PROVIDED_VARIABLES.has(name) || variables.has(name)) return;
    variables.set(name, { name, file, secret: SECRET_NAME.test(name.toUpperCase()) });
  };
  for (const file of ENV_FILES) {
    if (!isFile(root, file)) continue;
    for (const [, name] of readFileSync(path.join(root, file), 'utf8').matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/gm)) add(name!, file);
  }
  for (const { file, text } of sources) {
    for (const pattern of stack.detection.env) for (const [, name] of text.matchAll(pattern)) add(name!, file);
  }
  return [...variables.values()];
}

/** The first of `paths` that a source file names as a string literal (a route pattern may lead with its method). */
function findPath(sources: readonly SourceText[], paths: string[]): Finding | undefined {
  for (const candidate of paths) {
    const literal = new RegExp(`['"\`](?:(?:GET|HEAD) )?${candidate.replace(/[/]/g, '\\/')}['"\`]`);
    const hit = sources.find(({ text }) => literal.test(text));
    if (hit) return { value: candidate, from: hit.file };
  }
  return undefined;
}

function sourceFiles(root: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= MAX_SOURCE_FILES) return;
      const child = path.join(relative, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(child);
      else if (entry.isFile() && extensions.includes(path.extname(entry.name)) && !TEST_FILE.test(entry.name)) found.push(child);
    }
  };
  walk('.');
  return found.map((file) => path.normalize(file));
}

/**
 * The file in `root` a marker names: a file name, or a pattern with `*` (`*.csproj`), so a language
 * whose project file is named after the project needs no change here. The first match, sorted.
 */
export function findMarker(root: string, marker: string): string | undefined {
  if (!marker.includes('*')) return isFile(root, marker) ? marker : undefined;
  const pattern = new RegExp(
    `^${marker
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  let entries: string[];
  try {
    entries = readdirSync(root).sort();
  } catch {
    return undefined;
  }
  return entries.find((entry) => pattern.test(entry) && isFile(root, entry));
}

function isFile(root: string, file: string): boolean {
  const full = path.join(root, file);
  return existsSync(full) && statSync(full).isFile();
}

/** What was found and where, as lines to show before anything is asked or written. */
export function describeDetection(detection: Detection, folder: string): string[] {
  if (detection.kind === 'none') return [];
  if (detection.kind === 'ambiguous') {
    return [`Found more than one kind of project in ${folder}: ${detection.candidates.map((c) => `${c.value} (${c.from})`).join(', ')}.`];
  }
  const project = detection.project;
  const lines = [`Found an existing ${project.language} project in ${folder}:`, `  build tool   ${project.buildTool.value} (${project.buildTool.from})`];
  const version = project.runtimeVersion;
  lines.push(
    version
      ? `  runtime      ${version.value} (${version.from})${version.offered === version.value ? '' : `, built with the nearest offered version, ${version.offered}`}`
      : '  runtime      not stated',
  );
  lines.push(`  image build  ${project.build.summary}`);
  if (project.build.context)
    lines.push(`  context      ${project.build.context} (the workspace root; the Dockerfile builds ${project.build.servicePath} from there)`);
  lines.push(project.start ? `  start        ${project.start.value} (${project.start.from})` : '  start        not stated');
  lines.push(project.port ? `  port         ${project.port.value} (${project.port.from})` : '  port         not found');
  const health = project.health;
  lines.push(
    health?.liveness || health?.readiness
      ? `  probes       liveness ${health.liveness?.value ?? 'tcp'}, readiness ${health.readiness?.value ?? 'tcp'} (${health.liveness?.from ?? health.readiness?.from})`
      : '  probes       no health endpoint found: TCP checks unless you pass --liveness-path and --readiness-path',
  );
  for (const bind of project.loopbackBinds) {
    lines.push(
      `  WARNING      ${bind.file}:${bind.line} binds the server to loopback only (${bind.text}): the probes and the Service cannot reach it in a pod. Bind 0.0.0.0 (all interfaces) instead.`,
    );
  }
  if (project.sigtermUnhandled) {
    lines.push(
      `  WARNING      no code handles SIGTERM: the process ends at once when the pod stops (exit 143), and requests in flight fail. ${project.sigtermUnhandled}`,
    );
  }
  for (const written of project.writableDirs) {
    lines.push(
      `  writes       ${written.dir}/ (${written.file}:${written.line}): the root filesystem is read-only; an emptyDir is mounted there where the image allows`,
    );
  }
  if (project.ownDockerfile) {
    const kept = project.ownDockerfile;
    const notes = [
      kept.user ? `USER ${kept.user}` : 'no USER (root)',
      ...(kept.shellForm ? ['starts in shell form (SIGTERM stops at /bin/sh)'] : []),
      kept.init ? `${kept.init} as PID 1` : 'no init as PID 1',
    ];
    lines.push(
      `  Dockerfile   the repository's own (${notes.join(', ')}): kept unless --dockerfile generate (with --force) replaces it; the pod runs its image as ${RUNTIME_USER}, read-only (k8s/README.md says what that needs)`,
    );
  }
  for (const database of project.localDatabases) {
    lines.push(
      `  WARNING      ${database.file}:${database.line} opens the SQLite database ${database.path}${database.path.startsWith('/') ? '' : " among the service's files"}, on the root filesystem, which is read-only in the pod: point it at a database service, or at /tmp (lost at each restart)`,
    );
  }
  for (const library of project.nativeLibraries) {
    lines.push(`  ${library.build ? 'native lib' : 'WARNING    '} ${library.dependency}: ${library.note}`);
  }
  for (const read of project.runtimeFiles) {
    lines.push(`  reads        ${read.path} (${read.file}:${read.line}) at run time: copied into the image, where the relative path finds it`);
  }
  if (project.envVariables.length > 0) {
    const files = [...new Set(project.envVariables.map((variable) => variable.file))].join(', ');
    lines.push(
      `  environment  ${project.envVariables.map((variable) => variable.name).join(', ')} (${files}): read without a default or named in a .env file, and the manifests set none of them; k8s/README.md shows a ConfigMap or Secret entry for each`,
    );
  }
  lines.push('Its source files are left as they are; the container and Kubernetes files are added around them.');
  return lines;
}
