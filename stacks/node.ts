import { BUILD_BASE_ALPINE_PIN, DOCKERFILE_START, memberFolders } from './common.ts';
import type { RepoFiles, RetrofitBuild, Stack } from './types.ts';

/** The module's or working folder leading a path, and the folder above it (`__dirname, '..', `). */
const ROOTED = `(?:__dirname|import\\.meta\\.dirname|process\\.cwd\\(\\))\\s*,\\s*(?:['"]\\.\\.['"]\\s*,\\s*)?`;
/** A path's first part, as a string or joined to the module's or working folder (`path.join(__dirname, '..', 'views')`). */
const RELATIVE_PATH = `(?:path\\.(?:join|resolve)\\(\\s*${ROOTED})?['"\`](?:\\.\\.?\\/)?(\\w[\\w.-]*)`;

// Node.js: Active LTS by default. Release lines as of November 2026: 26 entered Active LTS in
// October 2026; 24 and 22 are in Maintenance LTS (22 ends April 2027).
const node: Stack = {
  language: 'node',
  displayName: 'Node.js (TypeScript, Fastify)',
  versionArg: 'NODE_VERSION',
  defaultVersion: '26',
  versions: [
    { version: '26', label: 'Node.js 26 (Active LTS)', toolchain: '26.10.0', families: ['distroless', 'alpine'] },
    { version: '24', label: 'Node.js 24 (Maintenance LTS)', toolchain: '24.21.0', families: ['distroless', 'alpine'] },
    { version: '22', label: 'Node.js 22 (Maintenance LTS)', toolchain: '22.23.3', families: ['distroless', 'alpine'] },
  ],
  images: {
    // The builder is Debian 13 based, so native addons link against the same glibc as the runtime.
    distroless: { builder: 'node:{version}-trixie-slim', runtime: 'gcr.io/distroless/nodejs{version}-debian13:nonroot' },
    alpine: { builder: 'node:{version}-alpine', runtime: 'node:{version}-alpine' },
  },
  sourceDir: 'src',
  localToolchain: 'Node.js {version} (the version in .nvmrc, for nvm or fnm; engines in package.json says the same)',
  commands: { install: 'npm ci', build: 'npm run build', test: 'npm test', start: 'npm start' },
  serveCommand: ['node', 'dist/server.js'],
  container: (family, { retrofit, healthModule, command }) => ({
    program: [family === 'distroless' ? '/nodejs/bin/node' : 'node'],
    // The health module is loaded before the service's own code.
    args: retrofit ? [...(healthModule ? ['--require', './k8s-health.cjs'] : []), ...command] : ['dist/server.js'],
  }),
  signalExitCodes: [],
  cacheMounts: ['/root/.npm'],
  dockerignore: ['node_modules', 'dist', 'npm-debug.log*', 'coverage'],
  gitignore: ['node_modules/', 'dist/', 'coverage/', 'npm-debug.log*'],
  ci: {
    githubSetup: { uses: 'actions/setup-node@v6', with: { 'node-version-file': '.nvmrc', cache: 'npm' } },
    gitlabImage: 'node:{version}-trixie-slim',
  },
  startupProbe: { periodSeconds: 2, failureThreshold: 30 },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
  // Measured: 28 MB idle, 55 MB under the bench's load.
  starterResources: {
    requests: { cpu: '100m', memory: '64Mi' },
    limits: { cpu: '500m', memory: '128Mi' },
  },
  detection: {
    markers: ['package.json'],
    buildTools: [
      { name: 'pnpm', markers: ['pnpm-lock.yaml'] },
      { name: 'yarn', markers: ['yarn.lock'] },
      { name: 'npm', markers: ['package-lock.json', 'package.json'] },
    ],
    runtimeVersion: [
      // The first line naming a version: nvm skips comment lines.
      { file: '.nvmrc', pattern: /^(?!\s*#)\s*v?(\d+)/m },
      { file: '.node-version', pattern: /^\s*v?(\d+)/ },
      { file: 'package.json', pattern: /"engines"\s*:\s*\{[^}]*"node"\s*:\s*"[^"\d]*(\d+)/ },
      // The image an existing Dockerfile builds on, last: the repo's own files say it first.
      { file: 'Dockerfile', pattern: /^FROM\s+(?:\S+\/)?node:(\d+)/m },
    ],
    start: [
      { file: 'package.json', pattern: scriptPattern('start'), as: startWithoutDevTools },
      // The production start script many templates add beside a development "start" (Nest: node dist/main).
      {
        file: 'package.json',
        pattern: scriptPattern('start:prod(?:uction)?'),
        as: (script: string, repo: RepoFiles) => {
          const start = startWithoutDevTools(script, repo);
          return typeof start === 'string' ? { value: start, note: 'its production start script (start:prod)' } : start;
        },
      },
      // "main" when that file exists or a build script can make it: many apps leave npm init's index.js there.
      {
        file: 'package.json',
        pattern: /"main"\s*:\s*"([^"]+)"/,
        as: (main: string, repo: RepoFiles) =>
          repo.exists(main) || repo.exists(`${main}.js`) || (readJson(repo, 'package.json').scripts as Record<string, string> | undefined)?.build
            ? `node ${main}`
            : undefined,
      },
      DOCKERFILE_START,
      // Last: a development script through a source runner names the entry point (nodemon src/index.js).
      {
        file: 'package.json',
        pattern: scriptPattern('dev'),
        as: (script: string, repo: RepoFiles) => {
          const start = startWithoutDevTools(script, repo);
          return typeof start === 'object' ? { value: start.value, note: `its dev script: ${start.note}` } : undefined;
        },
      },
    ],
    // Environment the service reads without a default: listed for the manifests (k8s/README.md).
    env: [/\bprocess\.env\.([A-Z][A-Z0-9_]*)\b(?!\s*(?:\?\?|\|\|))/g, /\bprocess\.env\[['"]([A-Z][A-Z0-9_]*)['"]\](?!\s*(?:\?\?|\|\|))/g],
    // Folders the service writes into (uploads, log files, a folder it creates): mounted writable.
    writableDirs: [
      /\bdest\s*:\s*['"]\.?\/?([\w-]+)\/?['"]/g,
      /\bfilename\s*:\s*['"]\.?\/?([\w-]+)\/[^'"/]+['"]/g,
      /\bmkdirSync\(\s*['"]\.?\/?([\w-]+)\/?['"]/g,
    ],
    // Views, static assets and data read by a path relative to the working folder or the module's folder.
    runtimeFiles: [
      new RegExp(`\\bexpress\\.static\\(\\s*${RELATIVE_PATH}`, 'g'),
      new RegExp(`\\.set\\(\\s*['"]views['"]\\s*,\\s*${RELATIVE_PATH}`, 'g'),
      new RegExp(`\\b(?:readFileSync|readFile|readdirSync|readdir|createReadStream|sendFile)\\(\\s*${RELATIVE_PATH}`, 'g'),
      // Any path built from the module's or working folder, wherever it is used.
      new RegExp(`\\bpath\\.(?:join|resolve)\\(\\s*${ROOTED}['"](?:\\.\\/)?(\\w[\\w.-]*)`, 'g'),
    ],
    // A listener on loopback only: unreachable from the kubelet's probes and the Service.
    loopback: [/\.listen\([^)\n]*['"`](?:127\.0\.0\.1|localhost)['"`]/, /\.listen\(\s*\{[^}]*\bhost\s*:\s*['"`](?:127\.0\.0\.1|localhost)['"`]/],
    // Node.js ends at once on SIGTERM unless the code listens for it (Nest: enableShutdownHooks).
    sigtermHandling: {
      patterns: [/\bSIGTERM\b/, /\benableShutdownHooks\s*\(/, /@godaddy\/terminus|close-with-grace|http-terminator|lightship/],
      fix: "Close the server on it and exit once the requests in flight are answered: process.on('SIGTERM', () => server.close(() => process.exit(0))); NestJS: app.enableShutdownHooks().",
    },
    // SQLite files (sqlite3, better-sqlite3), relative or absolute: the root filesystem is read-only in the pod.
    localDatabases: [
      /sqlite[^\n]*?['"`]((?:\.{0,2}\/)?[\w./-]*\.(?:db|sqlite3?))['"`]/gi,
      /\bnew Database\(\s*['"`]((?:\.{0,2}\/)?[\w./-]*\.(?:db|sqlite3?))['"`]/g,
    ],
    // Packages that link system libraries the runtime image lacks (sharp and others bring theirs prebuilt).
    nativeLibraries: [
      // Addons whose prebuilt binaries come from GitHub releases: where that download fails (a
      // firewall, a new Node.js release), node-gyp compiles them (each bundles its C/C++ sources).
      ...['sqlite3', 'better-sqlite3', 'bcrypt'].map((dependency) => ({
        dependency,
        files: ['package.json'],
        pattern: new RegExp(`"${dependency}"\\s*:`),
        note: 'a native addon: where its prebuilt binary cannot be downloaded, node-gyp compiles it, so the build stage has a C++ toolchain, Python and the Node.js headers; the runtime needs nothing more',
        build: {
          // setuptools brings distutils back to Python 3.12 and later, which the node-gyp 8 that sqlite3 5 pins imports
          // (on Alpine at least the release that does, whichever each Alpine release ships).
          distroless: { packages: ['python3=3.13.*', 'python3-setuptools=78.*', 'make=4.4.*', 'g++=4:14.*'], env: { npm_config_nodedir: '/usr/local' } },
          alpine: { packages: [`build-base=${BUILD_BASE_ALPINE_PIN}`, 'python3=~3', 'py3-setuptools>=70'], env: { npm_config_nodedir: '/usr/local' } },
        },
      })),
      {
        dependency: 'canvas',
        files: ['package.json'],
        pattern: /"canvas"\s*:/,
        note: 'links cairo and pango, which the runtime image lacks: @napi-rs/canvas ships them prebuilt',
      },
    ],
    port: {
      extensions: ['.js', '.mjs', '.cjs', '.ts', '.mts'],
      patterns: [/PORT\s*(?:\?\?|\|\|)\s*['"]?(\d{2,5})/, /\.listen\(\s*(?:\{\s*port:\s*)?(\d{2,5})/],
    },
  },
  retrofit: {
    plan: retrofitBuild,
    workdir: (build) => (build.servicePath ? `/app/${build.servicePath}` : '/app'),
    command: (words) => {
      const [program, ...rest] = words;
      if (program === 'npm' || program === 'pnpm' || program === 'yarn' || program === 'npx') {
        return {
          problem: `it starts ${program}, which stands between tini and node and does not pass SIGTERM on; name what node runs, e.g. node dist/server.js`,
        };
      }
      // A package's bin is a JavaScript file; node runs it directly (distroless has no /usr/bin/env).
      return { args: program === 'node' ? rest : [`/app/node_modules/.bin/${program}`, ...rest] };
    },
  },
  // For repositories whose package.json names no release ("packageManager"); installed with npm.
  buildToolVersions: { pnpm: '10.34.8', yarn: '1.22.22' },
  dependencies: {
    fastify: '5.12.8',
    pino: '10.4.0',
    typescript: '6.0.3',
    // Types of the oldest supported line: they hold for every newer runtime the project can pick.
    '@types/node': '22.20.5',
  },
};

export default node;

/** A package.json script's command, by name (a pattern): the strings before it may hold braces
 * (an eslint glob such as {js,ts}), so they are skipped whole; a command with escaped quotes is not taken. */
function scriptPattern(name: string): RegExp {
  return new RegExp(`"scripts"\\s*:\\s*\\{(?:[^}"]|"(?:[^"\\\\]|\\\\.)*")*?"${name}"\\s*:\\s*"([^"\\\\]+)"`);
}

/** Runners that watch or compile the sources on the fly: development tools, the image runs node on the output. */
const SOURCE_RUNNERS = ['ts-node', 'ts-node-dev', 'tsx', 'babel-node', 'nodemon', 'node-dev', 'supervisor'];

/**
 * A start script that runs a tool only the devDependencies install (pruned from the image): the
 * built output with node instead (ts-node src/index.ts -> node dist/index.js, from the build script
 * and tsconfig's rootDir and outDir; nodemon server.js -> node server.js), said in the finding. Any
 * other devDependency (a monorepo runner, a dev server) gives no start command: the next fact, or
 * --start-command, says what node runs.
 */
function startWithoutDevTools(script: string, repo: RepoFiles, depth = 0): string | { value: string; note: string } | undefined {
  const manifest = readJson(repo, 'package.json');
  // `npm run serve` (yarn, pnpm): the script it runs, followed a few steps.
  const named = /^(?:npm run(?:-script)?|yarn(?: run)?|pnpm(?: run)?)\s+([\w:.-]+)$/.exec(script.trim())?.[1];
  const target = named ? ((manifest.scripts ?? {}) as Record<string, string>)[named] : undefined;
  if (target && depth < 3) {
    const start = startWithoutDevTools(target, repo, depth + 1);
    if (start === undefined) return undefined;
    const via = `${script.trim()} runs ${typeof start === 'string' ? start : start.value}`;
    return typeof start === 'string' ? { value: start, note: via } : { value: start.value, note: `${via}: ${start.note}` };
  }
  const [runner = '', ...args] = script.split(/\s+/);
  const devDependencies = (manifest.devDependencies ?? {}) as Record<string, string>;
  const tool = runner === 'ts-node-esm' ? 'ts-node' : runner;
  const devPackage = tool in devDependencies ? tool : devPackageOfBin(repo, runner);
  if (!devPackage) return script;
  const why = `${runner} is ${devPackage === tool ? 'a devDependency' : `${devPackage}'s command, a devDependency`}, pruned from the image`;
  const entry = args.find((arg) => /\.[cm]?[jt]sx?$/.test(arg));
  if (!SOURCE_RUNNERS.includes(tool) || !entry) return undefined;
  if (/\.[cm]?js$/.test(entry)) return { value: `node ${entry}`, note: `${why}: node runs ${entry}` };
  const scripts = (manifest.scripts ?? {}) as Record<string, string>;
  if (!scripts.build) return undefined;
  const tsconfig = repo.read('tsconfig.json') ?? '';
  const setting = (name: string) => new RegExp(`"${name}"\\s*:\\s*"\\.?\\/?([^"]*?)\\/?"`).exec(tsconfig)?.[1];
  const outDir = setting('outDir') ?? 'dist';
  const rootDir = setting('rootDir') ?? (entry.startsWith('src/') ? 'src' : '');
  const relative = rootDir && entry.startsWith(`${rootDir}/`) ? entry.slice(rootDir.length + 1) : entry;
  const output = `${outDir}/${relative.replace(/\.([cm]?)tsx?$/, '.$1js')}`;
  return { value: `node ${output}`, note: `${why}: node runs the build's output, ${output}` };
}

/** The dev-only package whose command `bin` is, as npm's lock records it (`nest` is @nestjs/cli's). */
function devPackageOfBin(repo: RepoFiles, bin: string): string | undefined {
  const packages = (readJson(repo, 'package-lock.json').packages ?? {}) as Record<string, { bin?: Record<string, string>; dev?: boolean }>;
  const found = Object.entries(packages).find(([folder, entry]) => entry.dev === true && entry.bin?.[bin] && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(folder));
  return found?.[0].slice('node_modules/'.length);
}

/** Lock files, most specific first, and the package manager each belongs to. */
const LOCK_FILES = [
  { file: 'pnpm-lock.yaml', tool: 'pnpm' },
  { file: 'yarn.lock', tool: 'yarn' },
  { file: 'package-lock.json', tool: 'npm' },
  { file: 'npm-shrinkwrap.json', tool: 'npm' },
] as const;

/** Package-manager settings that change what an install resolves; copied with the manifests. */
const INSTALL_SETTINGS = ['.npmrc', '.yarnrc', '.yarnrc.yml', 'pnpm-workspace.yaml'];

function readJson(repo: RepoFiles, file: string): Record<string, unknown> {
  try {
    return JSON.parse(repo.read(file) ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The workspace folders a monorepo root declares (package.json "workspaces" or pnpm-workspace.yaml),
 * with `dir/*` expanded to the folders that hold a package.json. */
function workspaceFolders(repo: RepoFiles, root: string): string[] {
  const manifest = readJson(repo, `${root}package.json`);
  const declared = manifest.workspaces as string[] | { packages?: string[] } | undefined;
  let patterns = Array.isArray(declared) ? declared : (declared?.packages ?? []);
  const pnpmWorkspace = repo.read(`${root}pnpm-workspace.yaml`);
  if (pnpmWorkspace) patterns = [...pnpmWorkspace.matchAll(/^\s*-\s*['"]?([^'"\s#]+)['"]?/gm)].map((match) => match[1]!);
  return memberFolders(repo, root || '.', patterns, 'package.json');
}

/** What a Node.js project's image build needs beyond the common facts. */
export interface NodeBuild extends RetrofitBuild {
  /** The lock file, and every file the install reads (copied before the sources). */
  lockFile?: string;
  manifests: string[];
  /** Workspace folders the service depends on (a monorepo), from the build context. */
  workspaces: string[];
  /** Installs the package manager the repository names, when it is not npm. */
  setup?: string;
  install: string;
  /** Removes the dev dependencies after the build. */
  prune: string;
  cache: string;
  buildScript?: string;
  /** The build's output folder, when only it (with package.json and node_modules) needs to reach the image. */
  outDir?: string;
}

function retrofitBuild(repo: RepoFiles): NodeBuild {
  // The nearest lock file decides the package manager. One above the service folder counts only when
  // that folder is a workspace root the service belongs to: then it is the build context.
  const locks = LOCK_FILES.flatMap(({ file, tool }) => {
    const found = repo.findUp(file);
    if (!found) return [];
    const root = found.up ? `${found.up}/` : '';
    const workspaces = found.up ? workspaceFolders(repo, root) : [];
    if (found.up && !workspaces.includes(found.servicePath)) return [];
    return [{ file, tool, root, servicePath: found.servicePath, workspaces, depth: found.up.split('/').filter(Boolean).length }];
  }).sort((a, b) => a.depth - b.depth);
  const lock = locks[0];
  const root = lock?.root ?? '';
  const tool = lock?.tool ?? 'npm';
  const rootManifest = readJson(repo, `${root}package.json`);
  const manifest = readJson(repo, 'package.json');
  // "packageManager": "pnpm@10.34.8+sha512..." names the exact release the repo is developed with.
  const declared = /^(npm|pnpm|yarn)@(\d+\.\d+\.\d+)/.exec(String(rootManifest.packageManager ?? ''));
  const toolVersion = declared?.[1] === tool ? declared[2]! : node.buildToolVersions![tool];
  const yarnBerry = tool === 'yarn' && Number(toolVersion?.split('.')[0]) >= 2;
  const scripts = (manifest.scripts ?? {}) as Record<string, string>;
  const workspaces = lock?.workspaces ?? [];
  const servicePath = lock?.servicePath ?? '';
  const manifests = [
    'package.json',
    ...(lock ? [lock.file] : []),
    ...INSTALL_SETTINGS.filter((file) => repo.exists(`${root}${file}`)),
    ...workspaces.map((folder) => `${folder}/package.json`),
  ];
  const outDir = /"outDir"\s*:\s*"\.?\/?([^"]+?)\/?"/.exec(repo.read('tsconfig.json') ?? '')?.[1];
  const install = {
    npm: lock ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund',
    pnpm: 'pnpm install --frozen-lockfile',
    yarn: yarnBerry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile --non-interactive',
  }[tool];
  return {
    tool,
    context: root.replace(/\/$/, ''),
    servicePath,
    summary: `${install}${lock ? ` (${root}${lock.file})` : ' (no lock file: versions are resolved at build time)'}${scripts.build ? `, then ${tool} run build` : ''}`,
    lockFile: lock?.file,
    manifests,
    workspaces,
    // npm comes with node; the others are installed with it, at the version the repo names.
    setup: tool === 'npm' ? undefined : `npm install --global --no-audit --no-fund ${yarnBerry ? '@yarnpkg/cli-dist' : tool}@${toolVersion}`,
    install,
    // Dev dependencies are needed to build, not to run.
    prune: {
      npm: 'npm prune --omit=dev --no-audit --no-fund',
      pnpm: 'pnpm install --frozen-lockfile --prod',
      yarn: yarnBerry ? 'yarn workspaces focus --all --production' : 'yarn install --frozen-lockfile --non-interactive --production',
    }[tool],
    cache: { npm: '/root/.npm', pnpm: '/root/.local/share/pnpm/store', yarn: yarnBerry ? '/root/.yarn/berry/cache' : '/usr/local/share/.cache/yarn' }[tool],
    buildScript: scripts.build ? `${tool} run build` : undefined,
    // What the build writes: with a build script and a known output folder, only that folder,
    // package.json and node_modules reach the image.
    outDir: scripts.build ? (outDir ?? (repo.exists('tsconfig.json') ? 'dist' : undefined)) : undefined,
    ignore: ['**/node_modules', '**/npm-debug.log*', '**/coverage', ...(scripts.build && outDir ? [`${servicePath ? `${servicePath}/` : ''}${outDir}`] : [])],
  };
}
