// The fixture repositories under test/fixtures/retrofit: existing services, written for these tests,
// one per language and package manager, a monorepo, and a repo with its own Dockerfile. Each entry says
// what k8s-app must find there and what a run may change.

import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { retrofitProject } from './generate.ts';

export const FIXTURES_ROOT = new URL('../fixtures/retrofit/', import.meta.url).pathname;

export interface RetrofitFixture {
  /** Folder under test/fixtures/retrofit. */
  repo: string;
  /** The service's folder in it ('' for the repository's root). */
  folder: string;
  /** Options beyond --defaults: what the repository does not state, or consent to overwrite. */
  options: Record<string, unknown>;
  /** What k8s-app must take from the repository (.yo-rc.json). */
  expected: Record<string, string | number>;
  /** Existing files the run changes, with the consent its options give. */
  changes: string[];
  /** Why its image cannot be built on these machines, when it cannot. */
  notBuilt?: string;
  /** The container's exit code when the pod is deleted, where the repository's own code does not
   * handle SIGTERM and so dies of it, or its server raises it again once drained (128 + 15), with why;
   * 0 otherwise. The container tests check it; k8s-app warns of the first case. */
  sigtermExit?: { code: number; why: string };
  /** Tells apart two runs on one repository (with and without the health module, say). */
  variant?: string;
  /** The service's own main route, and what the container must answer there: what it answers outside one. */
  mainRoute?: { path: string; status: number; body: RegExp };
  /** What k8s/README.md must say about what the repository holds (findings that need the user). */
  readme?: RegExp[];
  /** Files dockle flags by their name alone (CIS-DI-0010) that the framework needs, and why they are accepted. */
  dockleAcceptFiles?: { files: string[]; why: string };
  /** The repository's own Dockerfile builds the image (--dockerfile keep): the linters and dockle judge it as the repository's, not k8s-app's. */
  keptDockerfile?: boolean;
}

/** How the fixtures' std-only Rust servers end on SIGTERM: they have no handler. */
const STD_ONLY_SERVER_EXIT = { code: 143, why: 'its std-only server has no signal handler, so SIGTERM ends it (tini passes 128 + 15 on)' };
/** How the fixtures' Go servers that never ask os/signal for SIGTERM end: the generator warns of it. */
const GO_NO_SIGNAL_EXIT = { code: 143, why: 'its code never asks os/signal for SIGTERM, so the signal ends it (tini passes 128 + 15 on)' };

export const RETROFIT_FIXTURES: readonly RetrofitFixture[] = [
  {
    repo: 'node-npm',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'node', runtimeVersion: '24', port: 3000, livenessPath: '/healthz', readinessPath: '/healthz', startCommand: 'node dist/server.js' },
  },
  {
    // States no Node.js version: --defaults stops and names --runtime-version, so the test passes it.
    repo: 'node-pnpm',
    folder: '',
    options: { 'runtime-version': '22' },
    changes: [],
    expected: { language: 'node', runtimeVersion: '22', port: 8080, livenessPath: 'tcp', readinessPath: 'tcp', startCommand: 'node lib/index.js' },
  },
  {
    // TypeScript built to dist/, with views/ and public/ read at run time (issue 16, class 2): the image
    // holds the build output, so they are copied beside it.
    repo: 'node-views',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'node', runtimeVersion: '24', port: 3100, livenessPath: '/healthz', readinessPath: '/healthz', startCommand: 'node dist/server.js' },
    mainRoute: { path: '/', status: 200, body: /<h1>Welcome, guest<\/h1>/ },
    readme: [/\| `views` \| `src\/server\.ts` line 15 \|/, /\| `public` \| `src\/server\.ts` line 20 \|/],
  },
  {
    // A native addon (issue 16, class 12): sqlite3's prebuilt binary is a download from GitHub, which
    // fails here as behind many firewalls, so node-gyp compiles it in the build stage.
    repo: 'node-sqlite',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'node', runtimeVersion: '22', port: 3400, livenessPath: '/healthz', readinessPath: '/healthz', startCommand: 'node server.js' },
    mainRoute: {
      path: '/books',
      status: 200,
      body: /^\{"books":\[\{"title":"Kindred","pages":264\},\{"title":"Middlemarch","pages":880\}\],"engine":"SQLite 3\.\d+\.\d+"\}$/,
    },
    readme: [/- `sqlite3` a native addon/],
  },
  {
    // The start script runs ts-node, a dev dependency the image prunes (issue 16, class 4): the image
    // runs the TypeScript build's output with node.
    repo: 'node-tsnode',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'node', runtimeVersion: '24', port: 3200, livenessPath: '/healthz', readinessPath: '/healthz', startCommand: 'node build/index.js' },
    mainRoute: { path: '/channels', status: 200, body: /^\{"channels":\["email","sms","push"\]\}$/ },
  },
  {
    repo: 'node-yarn',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'node', runtimeVersion: '24', port: 3000, livenessPath: '/livez', readinessPath: '/readyz', startCommand: 'node server.mjs' },
  },
  {
    repo: 'python-pip',
    folder: '',
    options: {},
    changes: [],
    expected: {
      language: 'python',
      runtimeVersion: '3.13',
      port: 8000,
      livenessPath: '/health/live',
      readinessPath: '/health/ready',
      startCommand: 'python server.py',
    },
  },
  {
    // Django (issue 16, class 5): hashed static files need collectstatic's manifest, gunicorn 27's
    // control socket goes to /tmp, and its SQLite development database is named as read-only in the pod.
    repo: 'python-django',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'python', runtimeVersion: '3.13', port: 8000, livenessPath: 'tcp', readinessPath: 'tcp', startCommand: 'gunicorn shop.wsgi' },
    mainRoute: { path: '/', status: 200, body: /<link rel="stylesheet" href="\/static\/shop\/site\.[0-9a-f]{12}\.css">/ },
    dockleAcceptFiles: { files: ['settings.py'], why: "Django's settings module is settings.py by convention; it reads its secret from the environment" },
    readme: [
      /manage\.py collectstatic` runs in the image build/,
      /opens an SQLite database on the root filesystem/,
      /`shop\/settings\.py` line \d+: `db\.sqlite3`/,
    ],
  },
  {
    // FastAPI routers mounted under prefixes, one from a setting (issue 16, class 6): the health route's
    // full path is /api/v1/utils/health-check/, not the literal the route declares.
    repo: 'python-routers',
    folder: '',
    options: {},
    changes: [],
    expected: {
      language: 'python',
      runtimeVersion: '3.13',
      port: 8000,
      livenessPath: '/api/v1/utils/health-check/',
      readinessPath: '/api/v1/utils/health-check/',
      startCommand: 'uvicorn app.main:app --port 8000',
    },
    mainRoute: { path: '/api/v1/items/', status: 200, body: /^\[\{"id":"a1","title":"Teapot"\}\]$/ },
    sigtermExit: {
      code: 143,
      why: 'uvicorn (0.29 and later) drains, then raises SIGTERM again with its default action, so the process ends by the signal after a graceful shutdown',
    },
  },
  {
    // A uv workspace (issue 16, classes 6 and 14): the lock and .python-version at the root, a member
    // package the service imports, built from the root and installed from its folder.
    repo: 'python-uv-workspace',
    folder: 'services/api',
    options: {},
    changes: [],
    expected: { language: 'python', runtimeVersion: '3.13', port: 8600, livenessPath: '/healthz', readinessPath: '/healthz', startCommand: 'python -m api' },
    mainRoute: { path: '/price', status: 200, body: /^\{"price": "19\.99 EUR", "token": "[\w.-]+"\}$/ },
  },
  {
    // A Poetry monorepo (issue 16, classes 6 and 14): Poetry has no workspaces, so the root project
    // pulls the service and a shared package in by path and holds the one lock; built from the root,
    // the shared package installed from its folder.
    repo: 'python-poetry-monorepo',
    folder: 'services/api',
    options: {},
    changes: [],
    expected: {
      language: 'python',
      runtimeVersion: '3.13',
      port: 8700,
      livenessPath: '/healthz',
      readinessPath: '/healthz',
      startCommand: 'python -m billing_api',
    },
    mainRoute: { path: '/invoice', status: 200, body: /^\{"net": 1000, "total": 1200, "token": "[\w.-]+"\}$/ },
  },
  {
    // Writes into its own folders at start and per request (issue 16, class 17): Flask's instance/ and
    // uploads/, each an emptyDir in the pod; its port is the one the start command binds.
    repo: 'python-flask-writes',
    folder: '',
    options: {},
    changes: [],
    expected: {
      language: 'python',
      runtimeVersion: '3.13',
      port: 5050,
      livenessPath: '/healthz',
      readinessPath: '/healthz',
      startCommand: 'gunicorn --bind 0.0.0.0:5050 app:app',
    },
    mainRoute: { path: '/receipts/new', status: 200, body: /^\{"stored":"receipt-1\.txt"\}\n$/ },
    readme: [
      /\| `instance\/` \| `app\.py` line 7 \| an emptyDir at `\/app\/instance`/,
      /\| `uploads\/` \| `app\.py` line 9 \| an emptyDir at `\/app\/uploads`/,
      /#\s+- RECEIPT_FOOTER=\n/,
      /API_TOKEN/,
    ],
  },
  {
    repo: 'python-poetry',
    folder: '',
    options: {},
    changes: [],
    expected: {
      language: 'python',
      runtimeVersion: '3.13',
      port: 8000,
      livenessPath: '/livez',
      readinessPath: '/readyz',
      startCommand: 'python -c "from inventory.main import run; run()"',
    },
  },
  {
    repo: 'python-uv',
    folder: '',
    options: {},
    changes: [],
    expected: {
      language: 'python',
      runtimeVersion: '3.13',
      port: 9000,
      livenessPath: '/healthz',
      readinessPath: '/healthz',
      startCommand: 'python -m billing',
    },
  },
  {
    repo: 'go',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'go', runtimeVersion: '1.26', port: 8080, livenessPath: '/healthz', readinessPath: '/readyz' },
    mainRoute: { path: '/quotes', status: 200, body: /^\[\]\n$/ },
  },
  {
    // A main package outside the root and cmd/, and a module from outside the standard library: the
    // builder image needs its CA certificates to download it.
    repo: 'go-modules',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'go', runtimeVersion: '1.26', port: 8080, livenessPath: '/healthz', readinessPath: '/readyz', program: './server' },
    mainRoute: { path: '/entries/new', status: 200, body: /^\{"id":"[0-9a-f-]{36}","ledger":"main"\}\n$/ },
  },
  {
    // A module that compiles C code (issue 16, class 3): without cgo its SQLite driver fails every call.
    repo: 'go-cgo',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'go', runtimeVersion: '1.26', port: 8070, livenessPath: '/healthz', readinessPath: '/healthz', program: '.' },
    mainRoute: { path: '/notes', status: 200, body: /^\["buy milk","call home"\]\n$/ },
    sigtermExit: GO_NO_SIGNAL_EXIT,
    readme: [/with cgo \(github\.com\/mattn\/go-sqlite3 in go\.mod compiles C code\)/],
  },
  {
    // A main package two folders below its module's go.mod (issue 16, class 14): built from the module root.
    repo: 'go-package',
    folder: 'services/api',
    options: {},
    changes: [],
    expected: { language: 'go', runtimeVersion: '1.26', port: 8060, livenessPath: '/livez', readinessPath: '/readyz', program: './services/api' },
    sigtermExit: GO_NO_SIGNAL_EXIT,
    mainRoute: { path: '/products', status: 200, body: /^\[\{"sku":"mug","price":900\},\{"sku":"lamp","price":4500\}\]\n$/ },
  },
  {
    // Templates and static files read by relative path at run time (issue 16, class 2): copied into the image.
    repo: 'go-web',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'go', runtimeVersion: '1.26', port: 8050, livenessPath: '/healthz', readinessPath: '/healthz' },
    mainRoute: { path: '/', status: 200, body: /<li>Ada was here<\/li><li>Grace says hi<\/li>/ },
    sigtermExit: GO_NO_SIGNAL_EXIT,
    readme: [/## Files the service reads at run time/, /\| `templates` \| `main\.go` line 13 \|/, /\| `static` \| `main\.go` line 15 \|/],
  },
  {
    repo: 'java-maven',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'java', runtimeVersion: '21', port: 8081, livenessPath: '/actuator/health/liveness', readinessPath: '/actuator/health/readiness' },
  },
  {
    repo: 'java-gradle',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'java', runtimeVersion: '25', port: 8082, livenessPath: '/actuator/health/liveness', readinessPath: '/actuator/health/readiness' },
    notBuilt:
      'it has no Gradle wrapper, so its Dockerfile builds on the gradle image, and neither that image nor a Gradle distribution (services.gradle.org) can be obtained here; its Dockerfile is generated and linted',
  },
  {
    repo: 'rust',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'rust', runtimeVersion: '1.99', port: 8080, livenessPath: '/healthz', readinessPath: '/readyz' },
    sigtermExit: STD_ONLY_SERVER_EXIT,
  },
  {
    // A crate that links the system's OpenSSL (issue 16, class 12): its headers in the build stage, libssl3 at run time.
    repo: 'rust-openssl',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'rust', runtimeVersion: '1.99', port: 8030, livenessPath: '/healthz', readinessPath: '/healthz' },
    sigtermExit: STD_ONLY_SERVER_EXIT,
    mainRoute: { path: '/digest', status: 200, body: /^f0d64011ff21798ac98339dab250c8dc7bd8c3e3f91e40d5f4470a72a3b764b1$/ },
    readme: [/## System libraries/, /- `openssl-sys` links OpenSSL/],
  },
  {
    // Files read at run time by a relative path, in Rust (issue 16, class 2; found on actix's examples):
    // static/ copied where the binary's working folder finds it; the port from a bind tuple.
    repo: 'rust-static',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'rust', runtimeVersion: '1.99', port: 8035, livenessPath: '/healthz', readinessPath: '/healthz' },
    sigtermExit: STD_ONLY_SERVER_EXIT,
    mainRoute: { path: '/', status: 200, body: /<h1>Lantern Books<\/h1>/ },
    readme: [/## Files the service reads at run time/, /\| `static` \| `src\/main\.rs` line 16 \|/],
  },
  {
    // A cargo workspace (issue 16, classes 1 and 14): the service crate inherits its edition and
    // rust-version, depends on a sibling crate by path, shares the root's lock, and has no [[bin]];
    // the sibling has a named bench without a path, another member only src/bin/*.rs.
    repo: 'rust-workspace',
    folder: 'crates/api',
    options: {},
    changes: [],
    expected: { language: 'rust', runtimeVersion: '1.99', port: 8090, livenessPath: '/healthz', readinessPath: '/readyz' },
    sigtermExit: STD_ONLY_SERVER_EXIT,
    mainRoute: { path: '/balance', status: 200, body: /^\{"balance":4925,"entries":3\}$/ },
  },
  {
    // An npm workspace: the lock file is at the monorepo's root, which becomes the build context.
    repo: 'monorepo',
    folder: 'services/web',
    options: {},
    changes: [],
    expected: { language: 'node', runtimeVersion: '22', port: 3000, livenessPath: '/livez', readinessPath: '/readyz', startCommand: 'node server.js' },
  },
  {
    repo: 'monorepo',
    folder: 'services/quotes',
    options: {},
    changes: [],
    expected: { language: 'go', runtimeVersion: '1.27', port: 7070, livenessPath: 'tcp', readinessPath: 'tcp' },
    sigtermExit: GO_NO_SIGNAL_EXIT,
  },
  {
    // Its own Dockerfile is replaced when asked (--dockerfile generate), with consent (--force) (specs).
    repo: 'existing-dockerfile',
    folder: '',
    options: { dockerfile: 'generate', force: true },
    changes: ['Dockerfile'],
    expected: { language: 'python', runtimeVersion: '3.13', port: 5000, livenessPath: '/health', readinessPath: '/health', startCommand: 'python app.py' },
  },
  {
    // Its own Dockerfile (root user, no init) is kept by default (issue 16, class 13): the manifests
    // run its image as the pod runs any, read-only as 65532.
    repo: 'go-own-dockerfile',
    folder: '',
    options: {},
    changes: [],
    expected: { language: 'go', runtimeVersion: '1.26', port: 8040, livenessPath: '/healthz', readinessPath: '/healthz', dockerfile: 'keep' },
    mainRoute: { path: '/stock', status: 200, body: /^\{"bolts":120,"nuts":87\}\n$/ },
    keptDockerfile: true,
    readme: [/The repository's own Dockerfile builds the image, unchanged/, /It names no `USER`/],
  },
  // The health module, in each language, where the service has no usable health endpoint (or as asked).
  ...[
    { repo: 'node-pnpm', folder: '', options: { 'runtime-version': '22' }, changes: [] },
    { repo: 'python-pip', folder: '', options: {}, changes: [] },
    { repo: 'monorepo', folder: 'services/quotes', options: {}, changes: [], sigtermExit: GO_NO_SIGNAL_EXIT },
    { repo: 'java-maven', folder: '', options: {}, changes: [] },
    // Rust compiles only the modules main.rs names: the one existing file the module changes, by consent.
    { repo: 'rust', folder: '', options: {}, changes: ['src/main.rs'], sigtermExit: STD_ONLY_SERVER_EXIT },
  ].map((fixture) => ({
    ...fixture,
    variant: 'health module',
    options: { ...fixture.options, 'health-module': 'yes' },
    expected: { healthModule: 'yes' },
  })),
];

export function fixtureName(fixture: RetrofitFixture): string {
  const name = fixture.folder ? `${fixture.repo}/${fixture.folder}` : fixture.repo;
  return fixture.variant ? `${name} (${fixture.variant})` : name;
}

/** A fresh copy of the fixture's repository, in a folder of the same name (the app name comes from
 * the service's folder); returns its root and the service's folder in it. */
export function copyFixture(fixture: RetrofitFixture): { root: string; service: string } {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'k8s-app-retrofit-')), fixture.repo);
  cpSync(path.join(FIXTURES_ROOT, fixture.repo), root, { recursive: true });
  return { root, service: path.join(root, fixture.folder) };
}

/** A copy of the fixture retrofitted with --defaults, its options and `options`: the copy's root, the
 * service's folder, the repository's files before the run, and how to remove the copy. */
export async function retrofitCopy(fixture: RetrofitFixture, options: Record<string, unknown> = {}) {
  const { root, service } = copyFixture(fixture);
  const original = fileDigests(root);
  await retrofitProject(service, { ...fixture.options, ...options });
  return { root, service, original, remove: () => rmSync(path.dirname(root), { recursive: true, force: true }) };
}

/** Every file under `root` and a digest of its content. */
export function fileDigests(root: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(root, file);
    if (statSync(full).isFile()) digests.set(file, createHash('sha256').update(readFileSync(full)).digest('hex'));
  }
  return digests;
}

/** The files of `before` that differ, or are gone, in `after`. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before].filter(([file, digest]) => after.get(file) !== digest).map(([file]) => file);
}
