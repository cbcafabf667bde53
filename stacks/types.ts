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
}

/** How an existing repository of this language is recognised (retrofitting). */
export interface Detection {
  /** Any of these files marks a project of this language. */
  markers: readonly string[];
  /** Build tools, most specific first: the first whose marker file exists is the one the repo uses. */
  buildTools: readonly { name: string; markers: readonly string[] }[];
  /** Where the runtime version may be stated, most authoritative first (a major, or major.minor). */
  runtimeVersion: readonly FileFact[];
  /** Where the start command or entrypoint may be stated. */
  start: readonly FileFact[];
  /** Source files that may name the port, and how (the first capture group is the number). */
  port: { extensions: readonly string[]; patterns: readonly RegExp[] };
}

export interface Stack {
  language: string;
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
  /** Starts the built service directly, with no package-manager wrapper, so signals reach it. */
  serveCommand: readonly string[];
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
  /** Resource defaults for the container. */
  resources: {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
  };
  /** Versions of the generated project's own dependencies. */
  dependencies: Readonly<Record<string, string>>;
  detection: Detection;
  /** Names the language derives from the app name (a Java package, say): template data, and the
   * value of a `{name}` in a template's path. */
  names?: (appName: string) => Readonly<Record<string, string>>;
}
