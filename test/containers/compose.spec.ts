// A generated compose.yaml brought up with Compose v2, as a developer runs it: `up --build` builds the
// Dockerfile, the service starts with the pod's hardening and mounts, answers on 127.0.0.1 with its
// settings from the mounted ConfigMap folder and secrets folder, and stops cleanly on `stop`.
// The rig's engine has no bridge network: a test override file (as a user's compose.override.yaml
// would) puts the build and the container on the host network, and leaves the file itself unchanged.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { ensureCompose } from '../../lint/tools.ts';
import { freePort, request } from '../contract/harness.ts';
import { generateProject } from '../support/generate.ts';
import { DOCKER } from './engine.ts';
import { containerReport } from './report.ts';

const APP_NAME = 'compose-svc';
const IMAGE = `${APP_NAME}:0.1.0`;

describe('compose.yaml, brought up with Compose v2 (go 1.27 distroless)', function () {
  this.timeout(600_000);
  let compose = '';
  let dir = '';
  let port = 0;
  const composeArgs = () => ['--project-directory', dir, '-f', path.join(dir, 'compose.yaml'), '-f', path.join(dir, 'compose.test.yaml')];
  const run = (...args: string[]) => execa(compose, [...composeArgs(), ...args], { env: { DOCKER_BUILDKIT: '1' }, all: true });
  const containerId = async () => (await run('ps', '--all', '--quiet', APP_NAME)).stdout.trim();

  before(async () => {
    compose = await ensureCompose();
    port = await freePort();
    dir = await generateProject({ 'app-name': APP_NAME, language: 'go', 'runtime-version': '1.27', 'image-family': 'distroless', port: String(port) });
    // A local secret, as a developer puts one there: one file per key, readable by user 65532.
    writeFileSync(path.join(dir, 'secrets', 'api-key'), 'local-key\n', { mode: 0o644 });
    writeFileSync(
      path.join(dir, 'compose.test.yaml'),
      [
        '# The rig has no bridge network: build and run on the host network (a published port needs a bridge).',
        'services:',
        `  ${APP_NAME}:`,
        '    network_mode: host',
        '    ports: !reset []',
        '    build:',
        '      network: host',
        '',
      ].join('\n'),
    );
  });

  after(async function () {
    this.timeout(120_000);
    if (compose && dir) await execa(compose, [...composeArgs(), 'down', '--timeout', '30'], { reject: false });
    await execa(DOCKER, ['rmi', '-f', IMAGE], { reject: false });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('docker compose up --build builds the Dockerfile and starts the service, ready on 127.0.0.1', async () => {
    const started = Date.now();
    await run('up', '--detach', '--build');
    let ready = false;
    while (!ready && Date.now() - started < 120_000) {
      ready = (await request(port, '/readyz', 1000).catch(() => undefined))?.status === 200;
      if (!ready) await sleep(100);
    }
    assert.ok(ready, `not ready on 127.0.0.1:${port} within 120 s:\n${(await run('logs')).all}`);
    containerReport.push(`compose (go 1.27 distroless): up --build and ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('runs with the hardening of the pod', async () => {
    const { stdout } = await execa(DOCKER, ['inspect', await containerId()]);
    const [container] = JSON.parse(stdout) as { Config: { User: string }; HostConfig: Record<string, unknown> }[];
    assert.equal(container!.Config.User, '65532:65532');
    assert.equal(container!.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(container!.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(container!.HostConfig.SecurityOpt, ['no-new-privileges:true']);
    assert.ok(Object.keys((container!.HostConfig.Tmpfs as Record<string, string>) ?? {}).includes('/tmp'), 'no tmpfs on /tmp');
  });

  it('reads its settings from the mounted ConfigMap folder and the secret from secrets/', async () => {
    const response = await request(port, '/');
    assert.equal(response.status, 200);
    const body = JSON.parse(response.body) as { greeting: string; apiKeyConfigured: boolean };
    assert.equal(body.greeting, `Hello from ${APP_NAME}`);
    assert.equal(body.apiKeyConfigured, true, `the secret in secrets/ did not reach the service: ${response.body}`);
  });

  it('docker compose stop: SIGTERM, a clean drain, exit code 0', async () => {
    const id = await containerId();
    const started = Date.now();
    await run('stop');
    const seconds = (Date.now() - started) / 1000;
    const { stdout } = await execa(DOCKER, ['inspect', '--format', '{{.State.ExitCode}}', id]);
    assert.equal(stdout.trim(), '0', `exit code after docker compose stop:\n${(await run('logs')).all}`);
    assert.ok(seconds < 10, `docker compose stop took ${seconds} s`);
    containerReport.push(`compose (go 1.27 distroless): stop took ${seconds.toFixed(1)} s, exit code 0`);
  });
});
