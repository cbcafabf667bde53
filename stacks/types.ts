// The shape of a language's stack data. A language is one file of this shape plus its templates
// (templates/service/<language>/, templates/docker/<language>/): generator code never names a language.

export const IMAGE_FAMILIES = ['distroless', 'alpine'] as const;
export type ImageFamily = (typeof IMAGE_FAMILIES)[number];

/** An image reference pattern: `{version}` stands for the runtime version (e.g. `node:{version}-alpine`). */
export type ImagePattern = string;

export interface RuntimeVersion {
  /** What the user picks and what the Dockerfile's version ARG defaults to, e.g. `26`. */
  version: string;
  /** Shown in the prompt, e.g. `Node.js 26 (Active LTS)`. */
  label: string;
  /** The exact toolchain release a local stand-in image for this version contains. */
  toolchain: string;
  /** Families that publish an image for this version. */
  families: readonly ImageFamily[];
}

export interface FamilyImages {
  /** Where the code is built; build tools never reach the final stage. */
  builder: ImagePattern;
  /** The final stage. */
  runtime: ImagePattern;
}

/** Where a repository states something, found by a pattern: its first capture group is the value. */
export interface FileFact {
  /** Relative to the project root. */
  file: string;
  pattern: RegExp;
  /** Also looked for in the folders above, up to the repository's root: a toolchain file a workspace shares. */
  above?: boolean;
  /** Turns the captured value into what it stands for (an entry point `pkg.mod:func` into a command),
   * reading the repository where it must; undefined when it stands for nothing usable (the next fact
   * is tried), `note` when the value is not what the file says, and why. */
  as?: (value: string, repo: RepoFiles) => string | { value: string; note: string } | undefined;
}

/** A dependency that links a library of the operating system (OpenSSL, libpq), found in the repository's
 * lock or manifest files: what the image build installs for it, or why the image cannot have it. */
export interface NativeLibrary {
  /** The dependency, as the findings name it. */
  dependency: string;
  /** Where it shows: any of these files (here or, for a workspace's lock file, in a folder above) matching
   * the pattern; or, where a lock file records the dependency graph, whether the service's part of it has it. */
  files?: readonly string[];
  pattern?: RegExp;
  present?: (repo: RepoFiles) => boolean;
  /** What it needs, said in the findings and k8s/README.md. */
  note: string;
  /** The build stage's packages (pinned, hadolint DL3008/DL3018) and environment, per family; absent when
   * the runtime image lacks the library, so the note names the alternative. */
  build?: Record<ImageFamily, { packages: readonly string[]; env?: Readonly<Record<string, string>> }>;
}

/** How an existing repository of this language is recognised (retrofit). */
export interface Detection {
  /** Any of these files marks a project of this language: a name, or a pattern with `*` (`*.csproj`). */
  markers: readonly string[];
  /** Whether a marker in a folder above counts, for a folder that holds this language's sources (a Go
   * package below its module's go.mod): the build then runs from that folder. */
  markersAbove?: boolean;
  /** Build tools, most specific first: the first whose marker file exists is the one the repo uses. */
  buildTools: readonly { name: string; markers: readonly string[] }[];
  /** Where the runtime version may be stated, most authoritative first (a major, or major.minor). */
  runtimeVersion: readonly FileFact[];
  /** Where the start command or entrypoint may be stated. */
  start: readonly FileFact[];
  /** Files whose content means the service has health endpoints at known paths (a framework's, say). */
  health?: readonly (FileFact & { liveness: string; readiness: string })[];
  /** Source files that may name the port, and how (the first capture group is the number). */
  port: { extensions: readonly string[]; patterns: readonly RegExp[] };
  /** The port a start command's own flag names, else the one a framework listens on when the repository
   * never names one (Spring Boot's 8080), given the start command found (and where) and the service's
   * sources, as the value and where it comes from. */
  defaultPort?: (
    repo: RepoFiles,
    start: { value: string; from: string } | undefined,
    sources: readonly SourceFile[],
  ) => { value: string; from: string } | undefined;
  /** Environment variables the code reads without a default (global patterns, the first group the name), in the files the port is searched in. */
  env: readonly RegExp[];
  /** Folders the service writes into at start or while serving (Flask's instance/, uploads, log files),
   * which the read-only root refuses: global patterns whose first group is the folder, relative to the
   * service's folder, in the files the port is searched in. */
  writableDirs: readonly RegExp[];
  /** A server bound to loopback only, in the files the port is searched in: a line matching any is reported. */
  loopback: readonly RegExp[];
  /** Code that acts on SIGTERM (a handler, or a library that drains on it), in the files the port is
   * searched in. None found is a warning with `fix`: the runtime's default then ends the process at
   * once, and requests in flight when the pod stops fail. Absent where the frameworks drain themselves. */
  sigtermHandling?: { patterns: readonly RegExp[]; fix: string };
  /** Files and folders the service reads at run time by a path relative to where it starts (HTML templates,
   * static assets): global patterns whose first group is the path's first part, relative to the service's
   * folder, in the files the port is searched in. Languages whose image holds only the build output copy
   * the ones that exist beside the working directory. */
  runtimeFiles?: readonly RegExp[];
  /** Dependencies that link system libraries. */
  nativeLibraries?: readonly NativeLibrary[];
  /** Health routes declared on routers mounted under prefixes (FastAPI's include_router(prefix=...)):
   * the full paths, with the file that declares each, from the service's sources. */
  mountedHealthRoutes?: (
    sources: readonly SourceFile[],
  ) => { liveness?: { value: string; from: string }; readiness?: { value: string; from: string } } | undefined;
  /** Database files the service opens in its own folder or at an absolute path (SQLite), which the read-only root refuses to
   * write: global patterns whose first group is the file, in the files the port is searched in. */
  localDatabases?: readonly RegExp[];
}

/** A source file of the service and its text. */
export interface SourceFile {
  file: string;
  text: string;
}

/** Read access to an existing repository, for a language's build plan. Paths are relative to the
 * service folder; `..` reaches the folders above it (a monorepo root). */
export interface RepoFiles {
  /** A file's text, or undefined when it is not a file. */
  read(file: string): string | undefined;
  /** Whether a file or folder exists. */
  exists(path: string): boolean;
  /** Sub-folders of `dir`, sorted. */
  folders(dir: string): string[];
  /** Files in `dir` (names), sorted. */
  files(dir: string): string[];
  /** The nearest folder at or above the service folder (or `start`, a folder above it: '..'), inside the
   * repository, that holds `file`: `up` leads to it from the service folder ('' or '../..'),
   * `servicePath` back ('' or 'services/web'). */
  findUp(file: string, start?: string): { up: string; servicePath: string } | undefined;
  /** The service folder's path from `folder`, a folder above it ('..' gives 'web' for services/web). */
  pathFrom(folder: string): string;
}

/** How the image of an existing project is built: template data (`build`) for
 * `templates/docker/<language>/retrofit.Dockerfile.ejs`. */
export interface RetrofitBuild {
  /** The build tool the Dockerfile runs (npm, poetry, gradle...). */
  tool: string;
  /** The build context, from the service folder: '' for the service folder itself, '../..' for a monorepo root. */
  context: string;
  /** The service folder, from the build context ('' when they are the same). */
  servicePath: string;
  /** A builder image pattern replacing the family's (a Gradle image when the repo has no wrapper, say). */
  builder?: Partial<Record<ImageFamily, ImagePattern>>;
  /** A runtime image pattern replacing the family's (a C library for a Go binary built with cgo). */
  runtime?: Partial<Record<ImageFamily, ImagePattern>>;
  /** What the .dockerignore keeps out of the context (relative to the context). */
  ignore: readonly string[];
  /** Where k8s-app's health module goes (templates/health/<language>/), from the service folder:
   * next to the main source file where the language compiles a folder (Go's main package). */
  moduleDir?: string;
  /** What the findings print about the build, e.g. `pnpm install --frozen-lockfile (pnpm-lock.yaml)`. */
  summary: string;
}

/** How an existing service is told its port and how long it drains, where its framework has a way of
 * its own: the container's extra environment, the start command's words with the port in place, and
 * the drain deadline the repository states (or its framework's default), with where that came from. */
export interface Serving {
  env?: Readonly<Record<string, string>>;
  words?: string[];
  drain?: { seconds: number; from: string };
}

/** Retrofitting: how an existing repository of this language becomes an image. */
export interface RetrofitPlans {
  /** The build the Dockerfile follows, from the repo's files; `program` is the one answered (--program). */
  plan(repo: RepoFiles, program?: string): RetrofitBuild;
  /** Languages whose repository may hold several programs (Go's main packages): each, as the build names
   * it. One is taken as it is; among several, --program picks (or a prompt asks). */
  programs?: (repo: RepoFiles) => string[];
  /** Interpreted languages run the repo's start command (an answer, --start-command): its words
   * after the image's entrypoint, or the problem that keeps it from running without a shell.
   * Compiled languages run their build output and have no start command. */
  command?: (words: readonly string[]) => { args: string[] } | { problem: string };
  /** Where the health module needs a line in an existing file to be compiled in (Rust's `mod`), the
   * edit: the file's new text, or the problem. Made only when the user asked for the module. */
  wireHealthModule?: (repo: RepoFiles, build: RetrofitBuild) => { file: string; text: string } | { problem: string };
  /** Where the image runs the service from (its WORKDIR): folders it writes into are mounted there. */
  workdir?: (build: RetrofitBuild) => string;
  /** The port and drain, for frameworks that do not read PORT or drain within SHUTDOWN_TIMEOUT_SECONDS. */
  serving?: (service: { words: readonly string[]; port: number; repo: RepoFiles }) => Serving;
}

/** The languages k8s-app offers: each has its stack data (stacks/<language>.ts) and templates. */
export type Language = 'node' | 'python' | 'go' | 'java' | 'rust';

export interface Stack {
  language: Language;
  displayName: string;
  /** The Dockerfile ARG that carries the runtime version, so an upgrade is a one-line diff. */
  versionArg: string;
  defaultVersion: string;
  versions: readonly RuntimeVersion[];
  images: Record<ImageFamily, FamilyImages>;
  /** Where the service's own code lives: a change there must leave the dependency layer cached. */
  sourceDir: string;
  /** Commands as a developer types them in the generated project (shown in its README); the
   * generator runs `install` after writing a new project (unless --skip-install). */
  commands: { install: string; build: string; test: string; start: string };
  /** What a developer needs installed to run those commands, as the generated README says it
   * ({version} and {toolchain} are filled in). */
  localToolchain: string;
  /** Starts the built service directly, with no package-manager wrapper, so signals reach it. */
  serveCommand: readonly string[];
  /**
   * What tini starts in the image: the program with its fixed arguments (the ENTRYPOINT after
   * tini's), and the arguments a `docker run` may replace (CMD), for an image family. A retrofit
   * passes the start command's words after the program (`command`) and whether the health module runs.
   */
  container: (
    family: ImageFamily,
    image: { retrofit: boolean; healthModule: boolean; command: readonly string[]; runtimeVersion: string },
  ) => { program: readonly string[]; args?: readonly string[] };
  /** The starter's lock file, when it names the service itself (Cargo.lock): the text for this app. */
  starterLockFile?: (appName: string, version: string) => string;
  /** Options of the runtime itself (the JVM's), in the image's entrypoint and the serve command. */
  runtimeOptions?: readonly string[];
  /** For runtimes that print diagnostics of their own: an environment that makes it print one, and
   * text of it. The contract checks that it reaches stderr, never the JSON lines on stdout. */
  runtimeDiagnostics?: { env: Record<string, string>; printed: string };
  /** Exit codes that mean "stopped cleanly on a signal" for this runtime (the JVM exits 128+signal);
   * tini maps them to 0 (`tini -e`), in the image and in native runs. */
  signalExitCodes: readonly number[];
  /** Build caches the Dockerfile mounts with BuildKit (`RUN --mount=type=cache,target=...`). */
  cacheMounts: readonly string[];
  /** Paths kept out of the build context, beyond the ones every language shares. */
  dockerignore: readonly string[];
  /** Paths git ignores in the generated project. */
  gitignore: readonly string[];
  /** Startup probe budget: a slow-starting runtime gets more periods before liveness takes over. */
  startupProbe: { periodSeconds: number; failureThreshold: number };
  /** Resource defaults for an existing service's container, whose use k8s-app cannot know. */
  resources: Resources;
  /**
   * The starter's, from what `npm run bench` measures of it (memory idle and under load): the request
   * covers the loaded figure, the limit is at least twice it.
   */
  starterResources: Resources;
  /** The generated CI pipeline's toolchain (--ci): GitHub's setup action and its inputs (none where
   * the runner's own tool reads the project's pin, as rustup reads rust-toolchain.toml), and the image
   * GitLab's test job runs in. `{version}` is the runtime version. */
  ci: { githubSetup?: { uses: string; with: Readonly<Record<string, string>> }; gitlabImage: ImagePattern };
  /** Versions of the generated project's own dependencies. */
  dependencies: Readonly<Record<string, string>>;
  /** Versions of the build tools an existing repository's Dockerfile installs when the repo names none. */
  buildToolVersions?: Readonly<Record<string, string>>;
  detection: Detection;
  retrofit: RetrofitPlans;
  /** Names the language derives from the app name (a Java package, say): template data, and the
   * value of a `{name}` in a template's path. */
  names?: (appName: string) => Readonly<Record<string, string>>;
}

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}
