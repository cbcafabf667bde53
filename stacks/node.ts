import type { Stack } from './types.ts';

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
  commands: { install: 'npm ci', build: 'npm run build', test: 'npm test', start: 'npm start' },
  serveCommand: ['node', 'dist/server.js'],
  signalExitCodes: [],
  cacheMounts: ['/root/.npm'],
  dockerignore: ['node_modules', 'dist', 'npm-debug.log*', 'coverage'],
  gitignore: ['node_modules/', 'dist/', 'coverage/', 'npm-debug.log*'],
  startupProbe: { periodSeconds: 2, failureThreshold: 30 },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
  detection: {
    markers: ['package.json'],
    buildTools: [
      { name: 'pnpm', markers: ['pnpm-lock.yaml'] },
      { name: 'yarn', markers: ['yarn.lock'] },
      { name: 'npm', markers: ['package-lock.json', 'package.json'] },
    ],
    runtimeVersion: [
      { file: '.nvmrc', pattern: /^\s*v?(\d+)/ },
      { file: '.node-version', pattern: /^\s*v?(\d+)/ },
      { file: 'package.json', pattern: /"engines"\s*:\s*\{[^}]*"node"\s*:\s*"[^"\d]*(\d+)/ },
    ],
    start: [
      { file: 'package.json', pattern: /"scripts"\s*:\s*\{[^}]*"start"\s*:\s*"([^"]+)"/ },
      { file: 'package.json', pattern: /"main"\s*:\s*"([^"]+)"/ },
    ],
    port: { extensions: ['.js', '.mjs', '.cjs', '.ts', '.mts'], patterns: [/PORT\s*(?:\?\?|\|\|)\s*['"]?(\d{2,5})/, /\.listen\(\s*(?:\{\s*port:\s*)?(\d{2,5})/] },
  },
  dependencies: {
    fastify: '5.12.8',
    pino: '10.4.0',
    typescript: '6.0.3',
    // Types of the oldest supported line: they hold for every newer runtime the project can pick.
    '@types/node': '22.20.5',
  },
};

export default node;
