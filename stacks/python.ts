import path from 'node:path';
import { DOCKERFILE_START, flagValue, memberFolders, readToml, shortestPath, withFlag } from './common.ts';
import type { RepoFiles, RetrofitBuild, Serving, SourceFile, Stack } from './types.ts';

/** A module's `if __name__ == "__main__":` block, which runs it as a program. */
const MAIN_GUARD = /^(if)\s+__name__\s*==\s*["']__main__["']\s*:/m;

// Python: 3.13 by default. Distroless ships one interpreter, Debian 13's python3 (3.13), so 3.14 is
// offered only where an image for it exists: the official python:3.14-alpine.
const python: Stack = {
  language: 'python',
  displayName: 'Python (FastAPI on uvicorn)',
  versionArg: 'PYTHON_VERSION',
  defaultVersion: '3.13',
  versions: [
    { version: '3.13', label: 'Python 3.13', toolchain: '3.13', families: ['distroless', 'alpine'] },
    { version: '3.14', label: "Python 3.14 (Alpine only: distroless has Debian 13's 3.13)", toolchain: '3.14', families: ['alpine'] },
  ],
  images: {
    // The builder must make packages for exactly the runtime's interpreter: Debian 13's python3.
    distroless: { builder: 'debian:13-slim', runtime: 'gcr.io/distroless/python3-debian13:nonroot' },
    alpine: { builder: 'python:{version}-alpine', runtime: 'python:{version}-alpine' },
  },
  sourceDir: 'app',
  localToolchain: 'Python {version} or newer as python3 (requires-python in pyproject.toml; the install command checks it)',
  commands: {
    // The check first: venv would otherwise build the project on whatever python3 is (pip then fails
    // on requires-python, or worse, the tests run on a release the image never uses).
    install:
      'python3 -c \'import sys; sys.exit(sys.version_info < ({versionTuple}) and f"This project needs Python {version} or newer (requires-python); python3 is {sys.version.split()[0]}. Put Python {version} first on PATH and run this again.")\'' +
      ' && python3 -m venv .venv && .venv/bin/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt',
    build: '.venv/bin/python -m compileall -q app',
    test: '.venv/bin/python -m pytest',
    start: '.venv/bin/python -m app',
  },
  serveCommand: ['.venv/bin/python', '-m', 'app'],
  container: (family, { retrofit, healthModule, command }) => {
    if (!retrofit) return { program: [family === 'distroless' ? '/venv/bin/python3' : '/venv/bin/python'], args: ['-m', 'app'] };
    // The start command runs as given; the health module starts it in the same interpreter.
    if (!healthModule) return { program: [], args: command };
    return { program: [], args: ['/venv/bin/python', 'k8s_health.py', ...(command[0] === '/venv/bin/python' ? command.slice(1) : command)] };
  },
  signalExitCodes: [],
  cacheMounts: ['/root/.cache/pip'],
  dockerignore: ['.venv', '__pycache__', '*.pyc', '.pytest_cache', 'tests'],
  gitignore: ['.venv/', '__pycache__/', '*.pyc', '.pytest_cache/'],
  ci: {
    githubSetup: {
      uses: 'actions/setup-python@v6',
      with: { 'python-version': '{version}', cache: 'pip', 'cache-dependency-path': 'requirements*.txt' },
    },
    gitlabImage: 'python:{version}-slim-trixie',
  },
  startupProbe: { periodSeconds: 2, failureThreshold: 30 },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
  // Measured: 35 MB idle, 36 MB under the bench's load.
  starterResources: {
    requests: { cpu: '100m', memory: '64Mi' },
    limits: { cpu: '500m', memory: '128Mi' },
  },
  // Top-level pins; requirements.txt and requirements-dev.txt lock them with hashes (pip-compile --generate-hashes).
  detection: {
    markers: ['pyproject.toml', 'requirements.txt', 'setup.py'],
    buildTools: [
      { name: 'uv', markers: ['uv.lock'] },
      { name: 'poetry', markers: ['poetry.lock'] },
      { name: 'pip', markers: ['requirements.txt', 'pyproject.toml', 'setup.py'] },
    ],
    runtimeVersion: [
      // The first line naming a version: pyenv and uv skip comment lines (`# pinned for ...`).
      // uv and pyenv read the nearest one up: a workspace's root counts.
      { file: '.python-version', pattern: /^(?!\s*#)\s*(\d+\.\d+)/m, above: true },
      { file: 'pyproject.toml', pattern: /requires-python\s*=\s*"[^"\d]*(\d+\.\d+)/ },
      { file: 'pyproject.toml', pattern: /^python\s*=\s*"[^"\d]*(\d+\.\d+)/m },
      // The image an existing Dockerfile builds on, last: the repo's own files say it first.
      { file: 'Dockerfile', pattern: /^FROM\s+(?:\S+\/)?python:(\d+\.\d+)/m },
    ],
    start: [
      { file: 'Procfile', pattern: /^web:\s*(.+)$/m },
      { file: 'pyproject.toml', pattern: /\[project\.scripts\][^[]*?^\s*[\w-]+\s*=\s*"([^"]+)"/m, as: entryPointCommand },
      { file: 'pyproject.toml', pattern: /\[tool\.poetry\.scripts\][^[]*?^\s*[\w-]+\s*=\s*"([^"]+)"/m, as: entryPointCommand },
      // A script that starts its own server when run (`if __name__ == "__main__": uvicorn.run(app)`).
      ...['main.py', 'app.py', 'server.py', 'run.py'].map((file) => ({ file, pattern: MAIN_GUARD, as: () => `python ${file}` })),
      DOCKERFILE_START,
    ],
    // The servers' own defaults when nothing names a port: gunicorn, uvicorn and `fastapi run` 8000,
    // Django's runserver 8000, Flask's run 5000.
    defaultPort: (_repo, found) => {
      const start = found?.value;
      // The start command's own --bind or --port says it first.
      const flag = start && /(?:--bind|-b|--port)[= ](?:[\w.[\]]*:)?(\d{2,5})\b/.exec(start);
      if (flag) return { value: flag[1]!, from: `${found.from.split(',')[0]}, the start command's ${flag[0].split(/[= ]/)[0]}` };
      const program = start?.split(/\s+/)[0]?.split('/').at(-1);
      if (program === 'gunicorn' || program === 'uvicorn' || program === 'fastapi') return { value: '8000', from: `${program}'s default port` };
      if (start && /\bmanage\.py\s+runserver\b/.test(start)) return { value: '8000', from: "Django's runserver default port" };
      if (start && /^flask\s+run\b/.test(start)) return { value: '5000', from: "Flask's default port" };
      return undefined;
    },
    // Environment the service reads without a default: listed for the manifests (k8s/README.md).
    env: [/\bos\.environ\[["']([A-Z][A-Z0-9_]*)["']\]/g, /\bos\.(?:getenv|environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']\s*\)/g],
    // Folders the service writes into (Flask's instance folder, uploads, log files): mounted writable.
    writableDirs: [
      /\b(instance)_relative_config\s*=\s*True/g,
      /\bos\.makedirs\(\s*app\.(instance)_path/g,
      /\bUPLOAD_FOLDER\s*=\s*["']\.?\/?([\w-]+)\/?["']/g,
      /\b(?:Rotating|TimedRotating|Watched)?FileHandler\(\s*["']\.?\/?([\w-]+)\/[^"'/]+["']/g,
      /\bos\.(?:makedirs|mkdir)\(\s*["']\.?\/?([\w-]+)\/?["']/g,
    ],
    // A listener on loopback only: unreachable from the kubelet's probes and the Service.
    loopback: [
      /\b(?:run|run_simple|serve|Config)\([^)\n]*\bhost\s*=\s*["'](?:127\.0\.0\.1|localhost)["']/,
      /\bbind\s*=\s*\[?\s*["'](?:127\.0\.0\.1|localhost):/,
      /--(?:host|bind)[= ](?:127\.0\.0\.1|localhost)\b/,
    ],
    mountedHealthRoutes,
    // SQLite databases in the source folder (Django's default db.sqlite3, a sqlite:/// URL): written at run time.
    localDatabases: [/["'](?:sqlite:\/\/\/)?(?:\.\/)?([\w-]+\.(?:sqlite3?|db))["']/g],
    // Packages that build against a system library the runtime image lacks.
    nativeLibraries: [
      {
        dependency: 'psycopg2',
        files: ['requirements.txt', 'pyproject.toml', 'poetry.lock', 'uv.lock'],
        pattern: /(?:^|name = "|")psycopg2(?![\w-])/m,
        note: 'builds from source against libpq and needs libpq at run time, which the runtime image lacks: psycopg2-binary or psycopg[binary] (psycopg 3) bring it with the wheel',
      },
      {
        dependency: 'mysqlclient',
        files: ['requirements.txt', 'pyproject.toml', 'poetry.lock', 'uv.lock'],
        pattern: /(?:^|name = "|")mysqlclient(?![\w-])/im,
        note: 'builds from source against libmysqlclient and needs it at run time, which the runtime image lacks: PyMySQL is pure Python',
      },
    ],
    port: { extensions: ['.py'], patterns: [/["']PORT["'][^)\n]*?["']?(\d{2,5})/, /port\s*=\s*(\d{2,5})/] },
  },
  retrofit: {
    plan: retrofitBuild,
    workdir: (build) => (build.servicePath ? `/app/${build.servicePath}` : '/app'),
    serving: pythonServing,
    command: ([program, ...rest]) => {
      if (!program) return { problem: 'it is empty' };
      // The virtual environment's interpreter, or a console script it installed (uvicorn, gunicorn...).
      return { args: [/^python(3(\.\d+)?)?$/.test(program) ? '/venv/bin/python' : `/venv/bin/${program}`, ...rest] };
    },
  },
  // For repositories that use them: they export the lock file to hashed requirements.
  buildToolVersions: { poetry: '2.5.1', 'poetry-plugin-export': '1.10.1', uv: '0.13.9' },
  dependencies: {
    fastapi: '0.165.0',
    uvicorn: '0.54.0',
    pytest: '9.2.0',
    httpx2: '2.16.2',
  },
};

export default python;

/**
 * The servers that do not read PORT get the port their own way: gunicorn through its --bind (or
 * GUNICORN_CMD_ARGS, which overrides its config file), uvicorn and `fastapi run` through --host and
 * --port. gunicorn drains for graceful_timeout (30 s unless the command or gunicorn.conf.py says),
 * uvicorn for --timeout-graceful-shutdown when given.
 */
function pythonServing({ words, port, repo }: { words: readonly string[]; port: number; repo: RepoFiles }): Serving {
  const program = (words[0] ?? '').split('/').at(-1);
  const bind = `0.0.0.0:${port}`;
  if (program === 'gunicorn') {
    const stated = flagValue(words, ['--graceful-timeout']);
    const config = /^graceful_timeout\s*=\s*(\d+)/m.exec(repo.read('gunicorn.conf.py') ?? '')?.[1];
    const drain = stated
      ? { seconds: Number(stated), from: 'the start command (--graceful-timeout)' }
      : config
        ? { seconds: Number(config), from: 'gunicorn.conf.py (graceful_timeout)' }
        : { seconds: 30, from: "gunicorn's default graceful_timeout" };
    // gunicorn 25.1 and later open a control socket in $HOME, which the read-only root refuses: /tmp instead.
    const socket = gunicornControlSocket(repo) && flagValue(words, ['--control-socket']) === undefined && !words.includes('--no-control-socket');
    if (flagValue(words, ['--bind', '-b']) === undefined) {
      return { env: { GUNICORN_CMD_ARGS: `--bind=${bind}${socket ? ` --control-socket=${GUNICORN_CONTROL_SOCKET}` : ''}` }, drain };
    }
    const bound = withFlag(words, ['--bind', '-b'], bind);
    return { words: socket ? withFlag(bound, ['--control-socket'], GUNICORN_CONTROL_SOCKET) : bound, drain };
  }
  const serves = program === 'uvicorn' || (program === 'fastapi' && words[1] === 'run');
  if (!serves) return {};
  const stated = flagValue(words, ['--timeout-graceful-shutdown']);
  return {
    words: withFlag(withFlag(words, ['--host'], '0.0.0.0'), ['--port'], String(port)),
    ...(stated ? { drain: { seconds: Number(stated), from: 'the start command (--timeout-graceful-shutdown)' } } : {}),
  };
}

/** A health route on a FastAPI router or Flask blueprint: `@router.get("/health-check/")`. */
const HEALTH_ROUTE = /@(\w+)\.(?:get|api_route|route)\(\s*["']([^"']*(?:health|live|ready)[^"']*)["']/g;

/**
 * FastAPI's and Flask's health routes with the prefixes their routers are mounted under, through every
 * level: `APIRouter(prefix=...)` or `Blueprint(..., url_prefix=...)` where the router is made,
 * `include_router(module.router, prefix=...)` or `register_blueprint(bp, url_prefix=...)` where it is
 * mounted, up to the app. A prefix held in a setting (`settings.API_V1_STR`) is read where the setting
 * is assigned. Undefined when no route is mounted under a prefix (the literal paths then stand).
 */
function mountedHealthRoutes(sources: readonly SourceFile[]) {
  const routes = sources.flatMap((source) => [...source.text.matchAll(HEALTH_ROUTE)].map((match) => ({ source, router: match[1]!, route: match[2]! })));
  const resolved = routes.map(({ source, router, route }) => ({ path: joinRoute(mountPrefix(sources, source, router, 0), route), from: source.file }));
  if (!resolved.some(({ path }, index) => path !== routes[index]!.route)) return undefined;
  const readiness = resolved.find(({ path }) => /ready/.test(path));
  const liveness = resolved.find(({ path }) => !/ready/.test(path)) ?? readiness;
  const finding = (route?: { path: string; from: string }) => route && { value: route.path, from: `${route.from}, under its routers' prefixes` };
  return { liveness: finding(liveness), readiness: finding(readiness ?? liveness) };
}

/** The prefix a router (a variable of `source`) serves under: its own, and those of every level that mounts it. */
function mountPrefix(sources: readonly SourceFile[], source: SourceFile, router: string, depth: number): string {
  const own = prefixValue(sources, new RegExp(`\\b${router}\\s*=\\s*(?:APIRouter|Blueprint)\\(([^)]*)\\)`).exec(source.text)?.[1]);
  if (depth > 5) return own;
  const module = source.file.replace(/\.py$/, '').split('/').at(-1)!;
  // Mounted as `module.router` elsewhere, or by its own name in a file that imports it from the module.
  const qualified = new RegExp(`\\b(\\w+)\\.(include_router|register_blueprint)\\(\\s*${module}\\.${router}\\b([^)]*)\\)`);
  const bare = new RegExp(`\\b(\\w+)\\.(include_router|register_blueprint)\\(\\s*${router}\\b([^)]*)\\)`);
  const imports = new RegExp(`\\b${module}\\b[^\\n]*\\bimport\\b[^\\n]*\\b${router}\\b`);
  for (const parent of sources) {
    if (parent === source) continue;
    const match = qualified.exec(parent.text) ?? (imports.test(parent.text) ? bare.exec(parent.text) : null);
    if (!match) continue;
    const mountedAt = prefixValue(sources, match[3]);
    // The app mounts it at the root; a router that mounts it is mounted itself.
    const isApp = new RegExp(`\\b${match[1]}\\s*=\\s*(?:FastAPI|Flask)\\(`).test(parent.text);
    const above = isApp ? '' : mountPrefix(sources, parent, match[1]!, depth + 1);
    // FastAPI adds the router's own prefix after the one it is included with; Flask's url_prefix at
    // registration replaces the blueprint's.
    const replaces = match[2] === 'register_blueprint' && mountedAt !== '';
    return joinRoute(joinRoute(above, mountedAt), replaces ? '' : own);
  }
  return own;
}

/** The `prefix=`/`url_prefix=` argument among a call's arguments: a string, or a setting read where it is assigned. */
function prefixValue(sources: readonly SourceFile[], args: string | undefined): string {
  const value = /\b(?:url_)?prefix\s*=\s*([^,)]+)/.exec(args ?? '')?.[1]?.trim();
  if (!value) return '';
  const literal = /^f?["']([^"']*)["']$/.exec(value);
  if (literal) return literal[1]!;
  const setting = value.split('.').at(-1)!;
  const assigned = new RegExp(`\\b${setting}\\s*(?::[^=\\n]+)?=\\s*["']([^"']*)["']`);
  for (const source of sources) {
    const match = assigned.exec(source.text);
    if (match) return match[1]!;
  }
  return '';
}

/** Two parts of a URL path joined with one slash between them. */
function joinRoute(prefix: string, route: string): string {
  if (!prefix) return route;
  return `${prefix.replace(/\/+$/, '')}/${route.replace(/^\/+/, '')}`;
}

/** Where gunicorn's control socket goes: the one writable folder of the read-only root. */
const GUNICORN_CONTROL_SOCKET = '/tmp/gunicorn.ctl';

/** Whether the gunicorn the image installs has the control socket (25.1 and later): the version the
 * requirements or lock file pin, or, with none pinned, the newest, which has it. */
function gunicornControlSocket(repo: RepoFiles): boolean {
  const pinned =
    /^gunicorn\s*==\s*(\d+)\.(\d+)/im.exec(repo.read('requirements.txt') ?? '') ??
    /name = "gunicorn"\s*\nversion = "(\d+)\.(\d+)/.exec(`${repo.read('uv.lock') ?? ''}\n${repo.read('poetry.lock') ?? ''}`);
  return !pinned || Number(pinned[1]) > 25 || (Number(pinned[1]) === 25 && Number(pinned[2]) >= 1);
}

/** `pkg.module:function`, an entry point, as a command the image can run without installing the project. */
function entryPointCommand(entryPoint: string): string {
  const [module, func] = entryPoint.split(':');
  return func ? `python -c "from ${module} import ${func}; ${func}()"` : `python -m ${module}`;
}

/** What a Python project's image build needs beyond the common facts. */
export interface PythonBuild extends RetrofitBuild {
  /** Files the dependency install reads, copied before the sources. */
  manifests: string[];
  /** The tool that exports a lock to hashed requirements, installed in its own venv, and its export command. */
  toolPackages?: string[];
  export?: string;
  /** Why the export command does more than export, as the Dockerfile's comment above it. */
  exportNote?: string;
  /** The requirements file pip installs, and whether it carries hashes. */
  requirements?: string;
  hashes?: boolean;
  /** No lock: pip installs the project itself. */
  installProject?: boolean;
  /** A Django project with STATIC_ROOT: collectstatic runs at build time (the manifest its storage needs). */
  collectstatic?: boolean;
  /** The repository's own packages the service uses (a uv workspace's members, Poetry path dependencies),
   * as folders from the context: installed from their sources, their dependencies being in the lock's export. */
  localPackages?: string[];
}

/** The service as a member of a uv workspace whose root (and uv.lock) is in a folder above: the root,
 * every member's folder and the members the service depends on, from the root; undefined otherwise. */
function uvWorkspace(repo: RepoFiles): { root: string; servicePath: string; members: string[]; dependencies: string[]; name: string } | undefined {
  const lock = repo.findUp('uv.lock');
  if (!lock?.up) return undefined;
  const toml = (file: string) => (readToml(repo, file) ?? {}) as Record<string, any>;
  const workspace = toml(path.posix.join(lock.up, 'pyproject.toml')).tool?.uv?.workspace ?? {};
  const members = memberFolders(repo, lock.up, workspace.members ?? [], 'pyproject.toml', workspace.exclude ?? []);
  if (!members.includes(lock.servicePath)) return undefined;
  const own = toml('pyproject.toml');
  const byName = new Map(members.map((member) => [toml(path.posix.join(lock.up, member, 'pyproject.toml')).project?.name, member]));
  // Members it depends on are `{ workspace = true }` sources.
  const sources = Object.entries(own.tool?.uv?.sources ?? {}) as [string, { workspace?: boolean }][];
  const dependencies = sources.filter(([, source]) => source.workspace === true).flatMap(([name]) => byName.get(name) ?? []);
  return { root: lock.up, servicePath: lock.servicePath, members, dependencies, name: String(own.project?.name ?? '') };
}

/** The folders a pyproject.toml's project depends on by path (Poetry's `{ path = "..." }` runtime
 * dependencies), from the service folder. */
function poetryPathDependencies(repo: RepoFiles, dir: string): string[] {
  const dependencies = ((readToml(repo, path.posix.join(dir, 'pyproject.toml')) ?? {}) as Record<string, any>).tool?.poetry?.dependencies ?? {};
  return Object.values(dependencies as Record<string, { path?: unknown }>)
    .flatMap((dependency) => (typeof dependency?.path === 'string' ? [shortestPath(repo, path.posix.join(dir, dependency.path))] : []))
    .filter((folder) => repo.exists(path.posix.join(folder, 'pyproject.toml')));
}

/** A Poetry project: its poetry.lock (the service's own, or a monorepo root's above it: Poetry has no
 * workspaces, so a root project pulls the packages in by path and holds the one lock) and the packages
 * of the repository the service uses by path, directly or not; undefined without a lock that covers it. */
function poetryProject(repo: RepoFiles): { lockDir: string; rootPackages: string[]; localPackages: string[] } | undefined {
  const lock = repo.findUp('poetry.lock');
  if (!lock) return undefined;
  const lockDir = lock.up || '.';
  const rootPackages = lockDir === '.' ? [] : poetryPathDependencies(repo, lockDir);
  if (lockDir !== '.' && !rootPackages.includes('.')) return undefined;
  const localPackages: string[] = [];
  const queue = poetryPathDependencies(repo, '.');
  while (queue.length > 0) {
    const folder = queue.shift()!;
    if (folder === '.' || localPackages.includes(folder)) continue;
    localPackages.push(folder);
    queue.push(...poetryPathDependencies(repo, folder));
  }
  return { lockDir, rootPackages, localPackages };
}

/** Django's settings module, from manage.py's DJANGO_SETTINGS_MODULE, as files to read (a module, or a package's files). */
function djangoSettings(repo: RepoFiles): string[] {
  const module = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(repo.read('manage.py') ?? '')?.[1];
  if (!module) return [];
  const file = module.replaceAll('.', '/');
  return repo.exists(`${file}.py`)
    ? [`${file}.py`]
    : repo
        .files(file)
        .filter((name) => name.endsWith('.py'))
        .map((name) => `${file}/${name}`);
}

function retrofitBuild(repo: RepoFiles): PythonBuild {
  const ignore = ['.venv', 'venv', '**/__pycache__', '**/*.pyc', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox'];
  // Django serves static files from STATIC_ROOT, filled by collectstatic (with the manifest its hashed storage reads).
  const collectstatic = djangoSettings(repo).some((file) => /^\s*STATIC_ROOT\s*=/m.test(repo.read(file) ?? ''));
  const base = { context: '', servicePath: '', ignore, ...(collectstatic ? { collectstatic } : {}) };
  const then = collectstatic ? ', then manage.py collectstatic' : '';
  // Poetry and uv lock files become hashed requirements (their export), so the image's virtual
  // environment is made by pip alone and holds only the locked runtime dependencies.
  const workspace = uvWorkspace(repo);
  if (workspace) {
    // Built from the workspace root: the lock is there, and so are the members the service depends on.
    const tool = `uv==${python.buildToolVersions!.uv}`;
    return {
      ...base,
      context: workspace.root,
      servicePath: workspace.servicePath,
      tool: 'uv',
      summary: `uv export --package ${workspace.name} (the workspace's uv.lock at ${workspace.root}), then pip install --require-hashes${workspace.dependencies.length > 0 ? `, and the workspace members it uses (${workspace.dependencies.join(', ')})` : ''}${then}`,
      manifests: ['pyproject.toml', 'uv.lock', ...workspace.members.map((member) => `${member}/pyproject.toml`)],
      toolPackages: [tool],
      // The workspace's own packages are no index's: they are installed from their folders below.
      export: `/opt/build-tool/bin/uv export --frozen --no-dev --package ${workspace.name} --no-emit-workspace --no-header --format requirements-txt --output-file /tmp/requirements.txt`,
      requirements: '/tmp/requirements.txt',
      hashes: true,
      localPackages: workspace.dependencies,
      ignore: ignore.map((entry) => (entry.startsWith('**/') ? entry : `**/${entry}`)),
    };
  }
  if (repo.exists('uv.lock')) {
    return {
      ...base,
      tool: 'uv',
      summary: `uv export (uv.lock), then pip install --require-hashes${then}`,
      manifests: ['pyproject.toml', 'uv.lock'],
      toolPackages: [`uv==${python.buildToolVersions!.uv}`],
      export: '/opt/build-tool/bin/uv export --frozen --no-dev --no-emit-project --no-header --format requirements-txt --output-file /tmp/requirements.txt',
      requirements: '/tmp/requirements.txt',
      hashes: true,
    };
  }
  const poetry = poetryProject(repo);
  if (poetry) {
    const toolPackages = [`poetry==${python.buildToolVersions!.poetry}`, `poetry-plugin-export==${python.buildToolVersions!['poetry-plugin-export']}`];
    if (poetry.lockDir === '.' && poetry.localPackages.length === 0) {
      return {
        ...base,
        tool: 'poetry',
        summary: `poetry export (poetry.lock), then pip install --require-hashes${then}`,
        manifests: ['pyproject.toml', 'poetry.lock'],
        toolPackages,
        export: '/opt/build-tool/bin/poetry export --only main --format requirements.txt --output /tmp/requirements.txt',
        requirements: '/tmp/requirements.txt',
        hashes: true,
      };
    }
    // Built from the nearest folder holding the lock and every package the service uses by path.
    const folders = [poetry.lockDir, ...poetry.localPackages];
    const ups = Math.max(...folders.map((folder) => folder.split('/').filter((part) => part === '..').length));
    const context = Array(ups).fill('..').join('/');
    const servicePath = context ? repo.pathFrom(context) : '';
    const fromContext = (file: string) => path.posix.normalize(path.posix.join(servicePath || '.', file));
    const lockFolder = fromContext(poetry.lockDir);
    const projects = [...new Set(['.', ...poetry.rootPackages, ...poetry.localPackages])].map((folder) =>
      fromContext(path.posix.join(folder, 'pyproject.toml')),
    );
    const localPackages = poetry.localPackages.map(fromContext);
    return {
      ...base,
      context,
      servicePath,
      tool: 'poetry',
      summary: `poetry export (poetry.lock${poetry.lockDir === '.' ? '' : ` at ${poetry.lockDir}, the monorepo's root project`}), then pip install --require-hashes${localPackages.length > 0 ? `, and the repository's packages it uses by path (${localPackages.join(', ')})` : ''}${then}`,
      manifests: [
        ...new Set([fromContext(path.posix.join(poetry.lockDir, 'pyproject.toml')), fromContext(path.posix.join(poetry.lockDir, 'poetry.lock')), ...projects]),
      ].sort(),
      toolPackages,
      export: `/opt/build-tool/bin/poetry export${lockFolder === '.' ? '' : ` --directory ${lockFolder}`} --only main --format requirements.txt --output /tmp/requirements.txt \\\n && sed -i -e '/^-e file:/d' -e '/^[^ ]* @ file:/d' /tmp/requirements.txt`,
      exportNote:
        'Path dependencies are exported as folders, which pip cannot check against hashes: they are\ndropped from the requirements and installed from their folders once the sources are in.',
      requirements: '/tmp/requirements.txt',
      hashes: true,
      localPackages,
      ignore: ignore.map((entry) => (entry.startsWith('**/') ? entry : `**/${entry}`)),
    };
  }
  if (repo.exists('requirements.txt')) {
    const hashes = /--hash[= ]/.test(repo.read('requirements.txt')!);
    return {
      ...base,
      tool: 'pip',
      summary: `pip install${hashes ? ' --require-hashes' : ''} -r requirements.txt${then}`,
      manifests: ['requirements.txt'],
      requirements: 'requirements.txt',
      hashes,
    };
  }
  // No lock: pip installs the project itself, resolving its dependencies at build time.
  return { ...base, tool: 'pip', summary: `pip install . (no lock file: versions are resolved at build time)${then}`, manifests: [], installProject: true };
}
