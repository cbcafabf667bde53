import type { Stack } from './types.ts';

// Python: 3.13 by default. Distroless ships one interpreter, Debian 13's python3 (3.13), so 3.14 is
// offered only where an image for it exists: the official python:3.14-alpine.
const python: Stack = {
  language: 'python',
  displayName: 'Python (FastAPI on uvicorn)',
  versionArg: 'PYTHON_VERSION',
  defaultVersion: '3.13',
  versions: [
    { version: '3.13', label: 'Python 3.13', toolchain: '3.13', families: ['distroless', 'alpine'] },
    { version: '3.14', label: 'Python 3.14 (Alpine only: distroless has Debian 13\'s 3.13)', toolchain: '3.14', families: ['alpine'] },
  ],
  images: {
    // The builder must make packages for exactly the runtime's interpreter: Debian 13's python3.
    distroless: { builder: 'debian:13-slim', runtime: 'gcr.io/distroless/python3-debian13:nonroot' },
    alpine: { builder: 'python:{version}-alpine', runtime: 'python:{version}-alpine' },
  },
  sourceDir: 'app',
  commands: {
    install: 'python3 -m venv .venv && .venv/bin/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt',
    build: '.venv/bin/python -m compileall -q app',
    test: '.venv/bin/python -m pytest',
    start: '.venv/bin/python -m app',
  },
  serveCommand: ['.venv/bin/python', '-m', 'app'],
  signalExitCodes: [],
  cacheMounts: ['/root/.cache/pip'],
  dockerignore: ['.venv', '__pycache__', '*.pyc', '.pytest_cache', 'tests'],
  gitignore: ['.venv/', '__pycache__/', '*.pyc', '.pytest_cache/'],
  startupProbe: { periodSeconds: 2, failureThreshold: 30 },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
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
      { file: '.python-version', pattern: /^\s*(\d+\.\d+)/ },
      { file: 'pyproject.toml', pattern: /requires-python\s*=\s*"[^"\d]*(\d+\.\d+)/ },
      { file: 'pyproject.toml', pattern: /^python\s*=\s*"[^"\d]*(\d+\.\d+)/m },
    ],
    start: [
      { file: 'Procfile', pattern: /^web:\s*(.+)$/m },
      { file: 'pyproject.toml', pattern: /\[project\.scripts\][^[]*?^\s*[\w-]+\s*=\s*"([^"]+)"/m },
    ],
    port: { extensions: ['.py'], patterns: [/["']PORT["'][^)\n]*?["']?(\d{2,5})/, /port\s*=\s*(\d{2,5})/] },
  },
  dependencies: {
    fastapi: '0.165.0',
    uvicorn: '0.54.0',
    pytest: '9.2.0',
    httpx2: '2.16.2',
  },
};

export default python;
