// How each language's stack plans the image of an existing repository (the build the Dockerfile
// follows), the start command's words, and the Rust health-module edit; each case a small repository.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import helpers from 'yeoman-test';
import { commandWords } from '../generators/shared/answers.ts';
import { detectProject } from '../generators/shared/detect.ts';
import { repoFiles } from '../generators/shared/repo-files.ts';
import type { GoBuild } from '../stacks/go.ts';
import type { JavaBuild } from '../stacks/java.ts';
import type { NodeBuild } from '../stacks/node.ts';
import type { PythonBuild } from '../stacks/python.ts';
import { findStack } from '../stacks/registry.ts';
import type { RustBuild } from '../stacks/rust.ts';
import type { RetrofitBuild } from '../stacks/types.ts';
import { APP_GENERATOR, retrofitProject } from './support/generate.ts';
import { writeRepo } from './support/temp-repo.ts';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Writes `files` into a new folder; returns the folder of the service (`service` inside it). */
function repo(files: Record<string, string>, service = ''): string {
  const root = writeRepo(files, 'existing-build-');
  roots.push(root);
  return path.join(root, service);
}

/** Any language's build facts, each possibly absent: the specs read the ones of the language planned. */
type AnyBuild = RetrofitBuild & Partial<NodeBuild> & Partial<PythonBuild> & Partial<GoBuild> & Partial<JavaBuild> & Partial<RustBuild>;

function plan(language: string, files: Record<string, string>, service = ''): AnyBuild {
  return findStack(language)!.retrofit.plan(repoFiles(repo(files, service)));
}

describe('start commands', () => {
  it('split into words as a shell splits simple words', () => {
    assert.deepEqual(commandWords(`python -c "from app import run; run()"`), { words: ['python', '-c', 'from app import run; run()'] });
    assert.deepEqual(commandWords(`  node   'dist/my server.js' --flag `), { words: ['node', 'dist/my server.js', '--flag'] });
  });

  it('refuse what needs a shell, an open quote, or nothing', () => {
    for (const text of ['npm run build && node dist/x.js', 'uvicorn app:app --port $PORT', 'node x.js | tee log', 'node *.js']) {
      assert.match((commandWords(text) as { problem: string }).problem, /uses the shell/, text);
    }
    assert.deepEqual(commandWords('node "x.js'), { problem: 'a " quote is not closed' });
    assert.deepEqual(commandWords('   '), { problem: 'it is empty' });
  });

  it("become the arguments after each language's entrypoint", () => {
    const node = findStack('node')!.retrofit.command!;
    assert.deepEqual(node(['node', '--enable-source-maps', 'dist/index.js']), { args: ['--enable-source-maps', 'dist/index.js'] });
    assert.deepEqual(node(['next', 'start']), { args: ['/app/node_modules/.bin/next', 'start'] });
    assert.match((node(['npm', 'start']) as { problem: string }).problem, /does not pass SIGTERM on/);
    const python = findStack('python')!.retrofit.command!;
    assert.deepEqual(python(['python3', '-m', 'app']), { args: ['/venv/bin/python', '-m', 'app'] });
    assert.deepEqual(python(['gunicorn', 'app:app']), { args: ['/venv/bin/gunicorn', 'app:app'] });
  });
});

describe('existing Node.js builds', () => {
  it('a pnpm workspace: the workspace root is the context, with every manifest the install reads', () => {
    const build = plan(
      'node',
      {
        'package.json': '{"name":"root","private":true,"packageManager":"pnpm@9.15.4"}',
        'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - libs/shared\n",
        'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
        'apps/api/package.json': '{"name":"api","scripts":{"build":"tsc","start":"node dist/main.js"}}',
        'apps/api/tsconfig.json': '{"compilerOptions":{"outDir":"./dist/"}}',
        'apps/admin/package.json': '{"name":"admin"}',
        'libs/shared/package.json': '{"name":"shared"}',
      },
      'apps/api',
    );
    assert.equal(build.tool, 'pnpm');
    assert.equal(build.context, '../..');
    assert.equal(build.servicePath, 'apps/api');
    assert.deepEqual(build.manifests, [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'apps/admin/package.json',
      'apps/api/package.json',
      'libs/shared/package.json',
    ]);
    assert.equal(build.setup, 'npm install --global --no-audit --no-fund pnpm@9.15.4');
    assert.equal(build.buildScript, 'pnpm run build');
    assert.equal(build.outDir, 'dist');
  });

  it('a lock file above the service counts only when that folder is a workspace root holding it', () => {
    const build = plan('node', { 'package-lock.json': '{}', 'package.json': '{"workspaces":["other"]}', 'svc/package.json': '{"name":"svc"}' }, 'svc');
    assert.equal(build.context, '');
    assert.equal(build.lockFile, undefined);
    assert.equal(build.install, 'npm install --no-audit --no-fund');
    assert.match(build.summary, /no lock file/);
  });

  it('Yarn 2 and later: an immutable install and a production focus', () => {
    const build = plan('node', { 'package.json': '{"packageManager":"yarn@4.5.1"}', 'yarn.lock': '' });
    assert.equal(build.install, 'yarn install --immutable');
    assert.equal(build.prune, 'yarn workspaces focus --all --production');
    assert.equal(build.setup, 'npm install --global --no-audit --no-fund @yarnpkg/cli-dist@4.5.1');
  });

  it("the repository's search for a workspace root stops at its own root (.git)", () => {
    const service = repo(
      {
        'outer/pnpm-lock.yaml': '',
        'outer/pnpm-workspace.yaml': 'packages:\n  - inner/svc\n',
        'outer/inner/.git/HEAD': '',
        'outer/inner/svc/package.json': '{}',
      },
      'outer/inner/svc',
    );
    assert.equal(repoFiles(service).findUp('pnpm-lock.yaml'), undefined);
    assert.deepEqual(repoFiles(service).findUp('package.json'), { up: '', servicePath: '' });
  });
});

describe('existing Python, Go, Java and Rust builds', () => {
  it('Python without a lock installs the project itself', () => {
    const build = plan('python', { 'pyproject.toml': '[project]\nname = "x"\n' });
    assert.equal(build.installProject, true);
    assert.match(build.summary, /pip install \. \(no lock file/);
  });

  it('Python requirements with hashes are installed with --require-hashes', () => {
    assert.equal(plan('python', { 'requirements.txt': 'a==1 \\\n    --hash=sha256:00\n' }).hashes, true);
  });

  it('Python with Poetry: path dependencies outside the folder, and a monorepo root holding the one lock (issue 16, classes 6 and 14)', () => {
    const poetry = (dependencies: string) => `[project]\nname = "x"\n[tool.poetry.dependencies]\n${dependencies}`;
    // Its own lock, a path dependency two folders up that has one of its own: built from the folder holding both.
    const own = plan(
      'python',
      {
        'apps/api/pyproject.toml': poetry('core = { path = "../../libs/core", develop = true }\n'),
        'apps/api/poetry.lock': '',
        'libs/core/pyproject.toml': poetry('util = { path = "../util" }\n'),
        'libs/util/pyproject.toml': '[project]\nname = "util"\n',
      },
      'apps/api',
    );
    assert.deepEqual(
      { context: own.context, servicePath: own.servicePath, manifests: own.manifests, localPackages: own.localPackages },
      {
        context: '../..',
        servicePath: 'apps/api',
        manifests: ['apps/api/poetry.lock', 'apps/api/pyproject.toml', 'libs/core/pyproject.toml', 'libs/util/pyproject.toml'],
        localPackages: ['libs/core', 'libs/util'],
      },
    );
    assert.match(own.export!, /^\/opt\/build-tool\/bin\/poetry export --directory apps\/api --only main .* && sed -i -e '\/\^-e file:\/d'/s);
    // A root lock covers the service only when the root project pulls it in by path.
    const files = { 'pyproject.toml': poetry('api = { path = "svc" }\n'), 'poetry.lock': '', 'svc/pyproject.toml': poetry('') };
    assert.deepEqual(
      [plan('python', files, 'svc').context, plan('python', files, 'svc').manifests],
      ['..', ['poetry.lock', 'pyproject.toml', 'svc/pyproject.toml']],
    );
    const elsewhere = plan('python', { ...files, 'pyproject.toml': poetry('api = { path = "other" }\n') }, 'svc');
    assert.equal(elsewhere.context, '');
    assert.equal(elsewhere.installProject, true);
  });

  it("Go: the module root's main package, else the first under cmd/, and vendored modules", () => {
    assert.equal(plan('go', { 'go.mod': 'module m\n', 'main.go': 'package main\n' }).mainPackage, '.');
    const build = plan('go', {
      'go.mod': 'module m\n',
      'cmd/b/main.go': 'package main\n',
      'cmd/a/main.go': 'package main\n',
      'cmd/lib/main.go': 'package lib\n',
      'vendor/modules.txt': '',
      'vendor/example.com/tool/main.go': 'package main\n',
    });
    assert.equal(build.mainPackage, './cmd/a');
    assert.equal(build.moduleDir, 'cmd/a');
    assert.equal(build.vendored, true);
    assert.equal(build.summary, 'go build of one main package: ./cmd/a, ./cmd/b (--program picks)');
  });

  it('Go: main packages anywhere in the module, not only the root and cmd/*; the one answered is built', () => {
    const files = {
      'go.mod': 'module m\n',
      'services/api/server.go': '// Package main serves the API.\npackage main\n',
      'services/api/server_test.go': 'package main\n',
      'internal/store/store.go': 'package store\n',
      'tools/gen/testdata/main.go': 'package main\n',
      'tools/gen/gen.go': 'package main\n',
      '.github/x/main.go': 'package main\n',
    };
    const module = repoFiles(repo(files));
    assert.deepEqual(findStack('go')!.retrofit.programs!(module), ['./services/api', './tools/gen']);
    const built = findStack('go')!.retrofit.plan(module, './tools/gen') as GoBuild;
    assert.deepEqual([built.mainPackage, built.moduleDir], ['./tools/gen', 'tools/gen']);
  });

  it('Go: a module that compiles C code (cgo) builds with cgo and runs on distroless cc; musl on Alpine (issue 16, class 3)', () => {
    const sqlite = plan('go', { 'go.mod': 'module m\n\nrequire github.com/mattn/go-sqlite3 v1.14.53\n', 'main.go': 'package main\n' }) as GoBuild;
    assert.equal(sqlite.cgo, 'github.com/mattn/go-sqlite3 in go.mod compiles C code');
    assert.deepEqual(sqlite.runtime, { distroless: 'gcr.io/distroless/cc-debian13:nonroot' });
    assert.match(sqlite.summary, /with cgo \(github\.com\/mattn\/go-sqlite3 in go\.mod compiles C code\)/);
    // Inside a require block, and indirect (a driver that wraps it).
    assert.ok(plan('go', { 'go.mod': 'module m\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.53 // indirect\n)\n', 'main.go': 'package main\n' }).cgo);
    assert.equal(
      plan('go', { 'go.mod': 'module m\n', 'main.go': 'package main\n', 'native/sum.go': 'package native\n\n// #include <stdlib.h>\nimport "C"\n' }).cgo,
      './native/sum.go imports "C"',
    );
    // A pure-Go driver, a name that only starts alike, and test files need no cgo.
    assert.equal(
      plan('go', { 'go.mod': 'module m\n\nrequire modernc.org/sqlite v1.40.0\n', 'main.go': 'package main\n', 'c_test.go': 'package main\nimport "C"\n' }).cgo,
      undefined,
    );
    assert.equal(plan('go', { 'go.mod': 'module m\n\nrequire github.com/mattn/go-sqlite3x v1.0.0\n', 'main.go': 'package main\n' }).cgo, undefined);
  });

  it('Rust: implicit targets get empty stand-ins for the download step; a workspace builds from its root (issue 16, classes 1 and 14)', () => {
    const single = plan('rust', {
      'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\n',
      'src/main.rs': 'fn main() {}\n',
      'src/lib.rs': '',
    }) as RustBuild;
    assert.deepEqual(
      [single.context, single.bin, single.stubs, single.manifests, single.sources],
      ['', 'svc', ['src/lib.rs', 'src/main.rs'], ['Cargo.toml'], ['src']],
    );
    // Only src/bin/*.rs: the binary is the first, and one stand-in suffices.
    const bins = plan('rust', { 'Cargo.toml': '[package]\nname = "svc"\n', 'src/bin/serve.rs': '', 'src/bin/tool.rs': '' }) as RustBuild;
    assert.deepEqual([bins.bin, bins.mainSource, bins.stubs], ['serve', 'src/bin/serve.rs', ['src/bin/serve.rs']]);
    // A workspace two folders up: members by glob, one excluded, a path dependency outside it, a named bench.
    const dir = repo(
      {
        '.git/HEAD': 'ref: refs/heads/main\n',
        'Cargo.toml':
          '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\n[workspace.package]\nrust-version = "1.90"\n[workspace.dependencies]\nshared = { path = "libs/shared" }\n',
        'Cargo.lock': '',
        'crates/api/Cargo.toml':
          '[package]\nname = "api"\nrust-version.workspace = true\n[dependencies]\nshared.workspace = true\nutil = { path = "../util" }\n',
        'crates/api/src/main.rs': 'fn main() {}\n',
        'crates/util/Cargo.toml': '[package]\nname = "util"\n[[bench]]\nname = "speed"\n',
        'crates/util/src/lib.rs': '',
        'crates/cli/Cargo.toml': '[package]\nname = "cli"\n[[bin]]\nname = "cli"\npath = "main.rs"\n',
        'crates/old/Cargo.toml': '[package]\nname = "old"\n',
        'libs/shared/Cargo.toml': '[package]\nname = "shared"\n',
        'libs/shared/src/lib.rs': '',
      },
      'crates/api',
    );
    const workspace = findStack('rust')!.retrofit.plan(repoFiles(dir)) as RustBuild;
    assert.deepEqual(
      {
        context: workspace.context,
        servicePath: workspace.servicePath,
        lockFile: workspace.lockFile,
        manifestPath: workspace.manifestPath,
        manifests: workspace.manifests,
        stubs: workspace.stubs,
        sources: workspace.sources,
      },
      {
        context: '../..',
        servicePath: 'crates/api',
        lockFile: 'Cargo.lock',
        manifestPath: 'crates/api/Cargo.toml',
        manifests: ['Cargo.toml', 'crates/api/Cargo.toml', 'crates/cli/Cargo.toml', 'crates/util/Cargo.toml', 'libs/shared/Cargo.toml'],
        stubs: ['crates/api/src/main.rs', 'crates/util/benches/speed.rs', 'crates/util/src/lib.rs', 'libs/shared/src/lib.rs'],
        sources: ['crates/api/src', 'crates/util/src', 'libs/shared/src'],
      },
    );
    const detected = detectProject(dir);
    assert.ok(detected.kind === 'found');
    assert.deepEqual(detected.project.runtimeVersion, { value: '1.90', from: 'Cargo.toml, inherited from ../../Cargo.toml', offered: '1.99' });
    // Not a member (excluded): a crate of its own, built from its folder.
    const excluded = findStack('rust')!.retrofit.plan(repoFiles(path.join(dir, '../old'))) as RustBuild;
    assert.deepEqual([excluded.context, excluded.manifests], ['', ['Cargo.toml']]);
  });

  it('health routes on routers mounted under prefixes: the full path, through every level (issue 16, class 6)', () => {
    const health = (files: Record<string, string>) => {
      const detected = detectProject(repo({ 'requirements.txt': 'fastapi\nflask\n', ...files }));
      return detected.kind === 'found' ? detected.project.health : undefined;
    };
    // A blueprint with its own prefix, registered with another, which replaces it (as Flask does).
    assert.deepEqual(
      health({
        'app.py': 'from flask import Flask\nfrom ops import bp\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix="/internal")\n',
        'ops.py':
          'from flask import Blueprint\nbp = Blueprint("ops", __name__, url_prefix="/ops")\n@bp.route("/healthz")\ndef healthz():\n    return "ok"\n@bp.route("/readyz")\ndef readyz():\n    return "ok"\n',
      }),
      {
        liveness: { value: '/internal/healthz', from: "ops.py, under its routers' prefixes" },
        readiness: { value: '/internal/readyz', from: "ops.py, under its routers' prefixes" },
      },
    );
    // Registered without a prefix: the blueprint's own.
    assert.equal(
      health({
        'app.py': 'from flask import Flask\nfrom ops import bp\napp = Flask(__name__)\napp.register_blueprint(bp)\n',
        'ops.py': 'from flask import Blueprint\nbp = Blueprint("ops", __name__, url_prefix="/ops")\n@bp.route("/health")\ndef health():\n    return "ok"\n',
      })?.liveness?.value,
      '/ops/health',
    );
    // Routes on the app itself keep their literal paths.
    assert.deepEqual(health({ 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/healthz")\ndef h():\n    return {}\n' }), {
      liveness: { value: '/healthz', from: 'main.py' },
      readiness: { value: '/healthz', from: 'main.py' },
    });
  });

  it('dependencies that link system libraries: handled in the build, or named with what to use instead (issue 16, class 12)', () => {
    const found = (files: Record<string, string>, service = '') => {
      const detected = detectProject(repo(files, service));
      return detected.kind === 'found' ? detected.project.nativeLibraries.map((library) => [library.dependency, Boolean(library.build)]) : detected.kind;
    };
    const crate = '[package]\nname = "svc"\n';
    const lock = (entries: [string, string[]][]) =>
      entries
        .map(([name, dependencies]) => `[[package]]\nname = "${name}"\nversion = "1.0.0"\ndependencies = [${dependencies.map((d) => `"${d}"`).join(', ')}]\n`)
        .join('\n');
    assert.deepEqual(
      found({
        'Cargo.toml': crate,
        'Cargo.lock': lock([
          ['svc', ['openssl-sys', 'pq-sys']],
          ['openssl-sys', []],
          ['pq-sys', []],
        ]),
        'src/main.rs': '',
      }),
      [
        ['openssl-sys', true],
        ['pq-sys', false],
      ],
    );
    // A workspace member: the lock file is at the workspace root.
    // A workspace's lock at its root lists every member's crates: only those the service reaches count.
    const workspace = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'Cargo.lock': lock([
        ['svc', ['reqwest']],
        ['reqwest', ['native-tls 0.2.14']],
        ['native-tls', ['openssl-sys']],
        ['openssl-sys', []],
        ['tool', ['pq-sys']],
        ['pq-sys', []],
      ]),
      'crates/api/Cargo.toml': crate,
      'crates/api/src/main.rs': '',
      'crates/tool/Cargo.toml': '[package]\nname = "tool"\n',
      'crates/tool/src/main.rs': '',
    };
    assert.deepEqual(found(workspace, 'crates/api'), [['openssl-sys', true]]);
    assert.deepEqual(found(workspace, 'crates/tool'), [['pq-sys', false]]);
    assert.deepEqual(found({ 'requirements.txt': 'flask\npsycopg2==2.9.10\n', 'app.py': '' }), [['psycopg2', false]]);
    assert.deepEqual(found({ 'requirements.txt': 'psycopg2-binary==2.9.10\nPyMySQL\n', 'app.py': '' }), []);
    assert.deepEqual(found({ 'pyproject.toml': '[project]\ndependencies = ["mysqlclient>=2"]\n', 'app.py': '' }), [['mysqlclient', false]]);
    assert.deepEqual(found({ 'package.json': '{"dependencies": {"canvas": "3.1.0", "sharp": "0.34.0"}}' }), [['canvas', false]]);
  });

  it("Go: gin's Run() with no address is port 8080; an SQLite file it opens is a warning (issue 16, class 6)", () => {
    const detected = detectProject(
      repo({
        'go.mod': 'module m\n',
        'main.go': 'package main\n\nfunc main() {\n\tr := gin.Default()\n\tdb, _ := gorm.Open("sqlite3", "./../app.db")\n\tr.Run()\n}\n',
      }),
    );
    assert.ok(detected.kind === 'found');
    assert.deepEqual(detected.project.port, { value: '8080', from: "main.go: gin's Run() with no address, which listens on 8080 (or on PORT)" });
    assert.deepEqual(
      detected.project.localDatabases.map((database) => [database.path, database.line]),
      [['../app.db', 5]],
    );
  });

  it("Node.js: an SQLite file, relative or absolute, is a warning (docker's getting-started app); other .db strings are not", () => {
    const databases = (files: Record<string, string>) => {
      const detected = detectProject(repo({ 'package.json': '{"dependencies":{"sqlite3":"5.1.7"}}', ...files }));
      assert.ok(detected.kind === 'found');
      return detected.project.localDatabases.map((database) => `${database.path}@${database.file}:${database.line}`);
    };
    assert.deepEqual(
      databases({
        'src/persistence/sqlite.js': "const sqlite3 = require('sqlite3');\nconst location = process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db';\n",
        'db.js': "const Database = require('better-sqlite3');\nconst db = new Database('data/app.db');\n",
      }),
      ['data/app.db@db.js:2', '/etc/todos/todo.db@src/persistence/sqlite.js:2'],
    );
    assert.deepEqual(databases({ 'index.js': "const name = 'config.db';\nconst mongo = 'mongodb://db/app';\n" }), []);
  });

  it('Rust: a path dependency that belongs to another workspace brings that workspace manifest (axum examples)', () => {
    const dir = repo(
      {
        '.git/HEAD': 'ref: refs/heads/main\n',
        'Cargo.toml': '[workspace]\nmembers = ["lib"]\n[workspace.package]\nedition = "2021"\n',
        'lib/Cargo.toml': '[package]\nname = "lib"\nedition.workspace = true\n',
        'lib/src/lib.rs': '',
        'examples/Cargo.toml': '[workspace]\nmembers = ["*"]\n',
        'examples/Cargo.lock': '',
        'examples/hello/Cargo.toml': '[package]\nname = "hello"\n[dependencies]\nlib = { path = "../../lib" }\n',
        'examples/hello/src/main.rs': '',
      },
      'examples/hello',
    );
    const built = findStack('rust')!.retrofit.plan(repoFiles(dir)) as RustBuild;
    assert.deepEqual([built.context, built.servicePath, built.lockFile], ['../..', 'examples/hello', 'examples/Cargo.lock']);
    assert.deepEqual(built.manifests, ['Cargo.toml', 'examples/Cargo.toml', 'examples/hello/Cargo.toml', 'lib/Cargo.toml']);
    assert.deepEqual(built.sources, ['examples/hello/src', 'lib/src']);
  });

  it('a runtime version the repository does not state, where k8s-app offers only one (Rust), is that one', async () => {
    const dir = repo({ 'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\n', 'src/main.rs': 'fn main() { let _ = "0.0.0.0:8080"; }\n' });
    await retrofitProject(dir);
    assert.equal(JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['generator-k8s-app'].runtimeVersion, '1.99');
  });

  it("Java without a wrapper builds on the build tool's image; with one, on the JDK image", () => {
    assert.deepEqual(plan('java', { 'pom.xml': '<project/>' }).builder, {
      distroless: 'maven:3-eclipse-temurin-{version}',
      alpine: 'maven:3-eclipse-temurin-{version}-alpine',
    });
    const gradle = plan('java', { 'build.gradle': '', 'settings.gradle': '', gradlew: '', 'gradle/wrapper/gradle-wrapper.properties': '' });
    assert.equal(gradle.builder, undefined);
    assert.deepEqual(gradle.manifests, ['gradlew', 'settings.gradle', 'build.gradle']);
    assert.deepEqual(gradle.manifestFolders, ['gradle']);
    assert.equal(gradle.package, './gradlew --no-daemon -q assemble');
  });

  describe("Rust: the health module's two lines in the binary's main file", () => {
    const wire = (main: string, manifest = '[package]\nname = "svc"\n') => {
      const service = repo({ 'Cargo.toml': manifest, 'src/main.rs': main });
      const rust = findStack('rust')!.retrofit;
      return rust.wireHealthModule!(repoFiles(service), rust.plan(repoFiles(service)));
    };

    it('keep inner attributes and docs first, and start the module first in an async main', () => {
      const edited = wire('//! Docs.\n#![forbid(unsafe_code)]\n\nuse std::io;\n\n#[tokio::main]\nasync fn main() -> io::Result<()> {\n    run().await\n}\n');
      assert.deepEqual(edited, {
        file: 'src/main.rs',
        text: '//! Docs.\n#![forbid(unsafe_code)]\n\nmod k8s_health;\nuse std::io;\n\n#[tokio::main]\nasync fn main() -> io::Result<()> {\n    k8s_health::spawn();\n    run().await\n}\n',
      });
    });

    it('leave a file that already starts the module as it is', () => {
      const text = 'mod k8s_health;\nfn main() {\n    k8s_health::spawn();\n}\n';
      assert.deepEqual(wire(text), { file: 'src/main.rs', text });
    });

    it('name the problem when there is no main', () => {
      assert.deepEqual(wire('pub fn lib() {}\n'), { problem: 'src/main.rs has no fn main to start the health module from' });
    });
  });
});

describe('options for answers that do not apply', () => {
  it('stop the run, naming when the option applies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-app-new-'));
    roots.push(dir);
    await assert.rejects(
      helpers
        .run(APP_GENERATOR)
        .inDir(dir)
        .withOptions({ defaults: true, 'health-module': 'yes' } as never),
      /--health-module does not apply here: it is used only in an existing repository whose image k8s-app builds \(not with --dockerfile keep: the repository's own Dockerfile would not start the module\)\. Nothing was written\. Fix: leave out --health-module\./,
    );
  });
});

describe('a folder of source code with no project file k8s-app recognises', () => {
  /** Runs the app generator in `dir` with --defaults, as without a terminal. */
  async function runIn(dir: string) {
    const cwd = process.cwd();
    try {
      await helpers
        .run(APP_GENERATOR, {}, { force: false })
        .cd(dir)
        .withOptions({ defaults: true, skipInstall: true } as never);
    } finally {
      process.chdir(cwd);
    }
  }

  it('stops before writing a starter next to the code, naming the code and the fix', async () => {
    const dir = repo({ 'app.py': 'print("hello")\n', 'lib/util.py': 'X = 1\n' });
    const before = readdirSync(dir, { recursive: true }).sort();
    await assert.rejects(
      runIn(dir),
      /This folder holds source code \(app\.py, lib\/util\.py\) but no project file k8s-app recognises, so it is not a retrofit, and a new service's starter would be written next to that code\. Nothing was written\. Fix: create the project file its build needs \(package\.json, pyproject\.toml or requirements\.txt or setup\.py, go\.mod, .*\) and run k8s-app again to retrofit it; for a new service, run k8s-app in an empty folder\./,
    );
    assert.deepEqual(readdirSync(dir, { recursive: true }).sort(), before, 'files were written (or installed) next to the code');
  });

  it('a Python package folder below its project root names the project root to run in', async () => {
    const dir = repo(
      { '.git/HEAD': 'ref: refs/heads/main\n', 'pyproject.toml': '[project]\nname = "shop"\n', 'src/shop/api/app.py': 'print("shop")\n' },
      'src/shop/api',
    );
    await assert.rejects(
      runIn(dir),
      new RegExp(
        `Fix: its project file is \\.\\./\\.\\./\\.\\./pyproject\\.toml: run k8s-app in ${path.resolve(dir, '../../..').replace(/[.]/g, '\\.')}, which k8s-app retrofits`,
      ),
    );
    assert.deepEqual(readdirSync(dir), ['app.py']);
  });

  it('a Go package folder below its module root is a retrofit built from the module root (issue 16, class 14)', async () => {
    const dir = repo(
      {
        '.git/HEAD': 'ref: refs/heads/main\n',
        'go.mod': 'module example.com/shop\n\ngo 1.26\n',
        'services/api/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      },
      'services/api',
    );
    await runIn(dir);
    const saved = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['generator-k8s-app'];
    assert.deepEqual([saved.language, saved.retrofit, saved.program], ['go', true, './services/api']);
    const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /build context is the workspace root \(\.\.\/\.\.\)/);
    assert.match(dockerfile, /go build -trimpath -ldflags='-s -w' -o \/out\/service \.\/services\/api\n/);
    assert.ok(!readdirSync(dir).includes('package.json'), 'a starter was written');
  });

  it('a folder with only documents is a new service', async () => {
    const dir = repo({ LICENSE: 'MIT\n', 'docs/design.md': '# shop\n' });
    await runIn(dir);
    assert.ok(readdirSync(dir).includes('package.json'), 'no starter was written');
  });
});

describe('the port and drain of frameworks that do not read PORT or drain within the contract deadline', () => {
  const serving = (language: string, words: string[], files: Record<string, string> = {}) =>
    findStack(language)!.retrofit.serving!({ words, port: 9000, repo: repoFiles(repo({ 'placeholder.txt': '', ...files })) });

  it('gunicorn: its --bind, or GUNICORN_CMD_ARGS over its config file; graceful_timeout as stated, else 30 s', () => {
    // gunicorn 23 has no control socket.
    const gunicorn23 = { 'requirements.txt': 'gunicorn==23.0.0\n' };
    assert.deepEqual(serving('python', ['gunicorn', 'app:app'], gunicorn23), {
      env: { GUNICORN_CMD_ARGS: '--bind=0.0.0.0:9000' },
      drain: { seconds: 30, from: "gunicorn's default graceful_timeout" },
    });
    assert.deepEqual(serving('python', ['gunicorn', '-b', '127.0.0.1:8000', '--graceful-timeout', '12', 'app:app'], gunicorn23), {
      words: ['gunicorn', '-b', '0.0.0.0:9000', '--graceful-timeout', '12', 'app:app'],
      drain: { seconds: 12, from: 'the start command (--graceful-timeout)' },
    });
    assert.deepEqual(
      serving('python', ['gunicorn', '--bind=:8000', 'app:app'], { ...gunicorn23, 'gunicorn.conf.py': 'workers = 2\ngraceful_timeout = 45\n' }),
      {
        words: ['gunicorn', '--bind=0.0.0.0:9000', 'app:app'],
        drain: { seconds: 45, from: 'gunicorn.conf.py (graceful_timeout)' },
      },
    );
  });

  it('gunicorn 25.1 and later: the control socket in /tmp, not the read-only $HOME (issue 16, class 5)', () => {
    const socket = (files: Record<string, string>, words = ['gunicorn', 'app:app']) => serving('python', words, files);
    assert.deepEqual(socket({ 'requirements.txt': 'gunicorn==27.0.1\n' }).env, { GUNICORN_CMD_ARGS: '--bind=0.0.0.0:9000 --control-socket=/tmp/gunicorn.ctl' });
    assert.deepEqual(socket({ 'uv.lock': '[[package]]\nname = "gunicorn"\nversion = "25.1.0"\n' }).env, {
      GUNICORN_CMD_ARGS: '--bind=0.0.0.0:9000 --control-socket=/tmp/gunicorn.ctl',
    });
    assert.deepEqual(socket({ 'poetry.lock': '[[package]]\nname = "gunicorn"\nversion = "25.0.3"\n' }).env, { GUNICORN_CMD_ARGS: '--bind=0.0.0.0:9000' });
    // Not pinned: the newest is installed, which has it.
    assert.deepEqual(socket({ 'requirements.txt': 'gunicorn\n' }, ['gunicorn', '-b', ':8000', 'app:app']).words, [
      'gunicorn',
      '-b',
      '0.0.0.0:9000',
      'app:app',
      '--control-socket',
      '/tmp/gunicorn.ctl',
    ]);
    assert.deepEqual(socket({}, ['gunicorn', '--no-control-socket', 'app:app']).env, { GUNICORN_CMD_ARGS: '--bind=0.0.0.0:9000' });
  });

  it('Django: collectstatic at build time when the settings have STATIC_ROOT (issue 16, class 5)', () => {
    const manage = { 'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\n', 'requirements.txt': 'Django\n' };
    assert.equal(plan('python', { ...manage, 'site_app/settings.py': 'STATIC_ROOT = BASE_DIR / "static"\n' }).collectstatic, true);
    assert.equal(
      plan('python', { ...manage, 'site_app/settings/base.py': 'STATIC_ROOT = "/srv/static"\n', 'site_app/settings/__init__.py': '' }).collectstatic,
      true,
    );
    assert.equal(plan('python', { ...manage, 'site_app/settings.py': 'STATIC_URL = "static/"\n' }).collectstatic, undefined);
    assert.match(plan('python', { ...manage, 'site_app/settings.py': 'STATIC_ROOT = "s"\n' }).summary, /, then manage\.py collectstatic$/);
  });

  it('uvicorn and fastapi run: --host and --port set, the drain when the command states one', () => {
    assert.deepEqual(serving('python', ['uvicorn', 'app.main:app', '--port', '8000', '--timeout-graceful-shutdown', '20']), {
      words: ['uvicorn', 'app.main:app', '--port', '9000', '--timeout-graceful-shutdown', '20', '--host', '0.0.0.0'],
      drain: { seconds: 20, from: 'the start command (--timeout-graceful-shutdown)' },
    });
    assert.deepEqual(serving('python', ['fastapi', 'run', 'main.py']), { words: ['fastapi', 'run', 'main.py', '--host', '0.0.0.0', '--port', '9000'] });
    assert.deepEqual(serving('python', ['python', 'main.py']), {});
  });

  it('Spring Boot: SERVER_PORT, and timeout-per-shutdown-phase as its settings state, else 30 s', () => {
    const pom = { 'pom.xml': '<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>' };
    assert.deepEqual(serving('java', [], { ...pom, 'src/main/resources/application.properties': 'spring.lifecycle.timeout-per-shutdown-phase=20s\n' }), {
      env: { SERVER_PORT: '9000' },
      drain: { seconds: 20, from: 'src/main/resources/application.properties (timeout-per-shutdown-phase)' },
    });
    assert.deepEqual(
      serving('java', [], { ...pom, 'src/main/resources/application.yml': 'spring:\n  lifecycle:\n    timeout-per-shutdown-phase: 1m\n' }).drain,
      {
        seconds: 60,
        from: 'src/main/resources/application.yml (timeout-per-shutdown-phase)',
      },
    );
    assert.deepEqual(serving('java', [], pom), {
      env: { SERVER_PORT: '9000' },
      drain: { seconds: 30, from: "Spring Boot's default timeout-per-shutdown-phase" },
    });
    assert.deepEqual(serving('java', [], { 'pom.xml': '<project/>' }), {});
  });

  it("the grace period covers the drain, and a changed --port reaches the framework's command", async () => {
    const dir = repo({ 'requirements.txt': 'gunicorn\n', Procfile: 'web: gunicorn --bind 0.0.0.0:8000 app:app\n', 'app.py': 'app = None\n' });
    const cwd = process.cwd();
    try {
      await helpers
        .run(APP_GENERATOR, {}, { force: false })
        .cd(dir)
        .withOptions({ defaults: true, skipInstall: true, port: '9000', 'runtime-version': '3.13' } as never);
    } finally {
      process.chdir(cwd);
    }
    const deployment = readFileSync(path.join(dir, 'k8s/base/deployment.yaml'), 'utf8');
    assert.match(deployment, /drain deadline \(30 s: gunicorn's default graceful_timeout\) \+ a margin to exit\.\n\s+terminationGracePeriodSeconds: 40\n/);
    assert.match(
      readFileSync(path.join(dir, 'Dockerfile'), 'utf8'),
      /\nCMD \["\/venv\/bin\/gunicorn", "--bind", "0\.0\.0\.0:9000", "app:app", "--control-socket", "\/tmp\/gunicorn\.ctl"\]\n/,
    );
    assert.match(readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), /\n {4}stop_grace_period: 40s\n/);
    assert.match(
      readFileSync(path.join(dir, 'k8s/README.md'), 'utf8'),
      /exits within\n {2}30 seconds \(gunicorn's default graceful_timeout\): the pod's grace period is 40 seconds/,
    );
  });
});
