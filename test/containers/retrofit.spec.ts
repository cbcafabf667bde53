// Retrofitted fixture repositories, built and run as the generated Deployment runs them: each image
// builds unmodified from the build context its Dockerfile names, and the probes of its Deployment
// pass against the running container (HTTP paths, or the TCP fallback), as the kubelet checks them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { freePort, request } from '../contract/harness.ts';
import { changedFiles, fileDigests, fixtureName, RETROFIT_FIXTURES, retrofitCopy } from '../support/retrofit-fixtures.ts';
import { HARDENING } from './container-launcher.ts';
import { assertDockleClean } from './dockle.ts';
import { DOCKER } from './engine.ts';
import { dockerBuild } from './image-build.ts';
import { containerReport } from './report.ts';

interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}

interface DeployedContainer {
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
}

/** The container of the generated Deployment, as the kubelet reads it, and where its emptyDir volumes are mounted. */
function deployedContainer(serviceDir: string): { container: DeployedContainer; grace: number; emptyDirs: string[] } {
  const documents = parseAllDocuments(readFileSync(path.join(serviceDir, 'k8s/base/deployment.yaml'), 'utf8'));
  const deployment = documents[0]!.toJS() as {
    spec: { template: { spec: { containers: DeployedContainer[]; terminationGracePeriodSeconds: number; volumes?: { name: string; emptyDir?: object }[] } } };
  };
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0]!;
  const empty = new Set((pod.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name));
  const emptyDirs = (container.volumeMounts ?? []).filter((mount) => empty.has(mount.name)).map((mount) => mount.mountPath);
  return { container, grace: pod.terminationGracePeriodSeconds, emptyDirs };
}

/** One probe attempt, as the kubelet makes it: an HTTP status from 200 to 399, or a TCP connection.
 * `ports` maps the container's port names to where they are reached here. */
async function probeOnce(probe: Probe, ports: Record<string, number>): Promise<string | undefined> {
  const target = probe.httpGet?.port ?? probe.tcpSocket!.port;
  const port = typeof target === 'number' ? target : ports[target]!;
  if (probe.httpGet) {
    const answer = await request(port, probe.httpGet.path, 2000).catch((error: Error) => ({ status: 0, error }));
    return answer.status >= 200 && answer.status < 400 ? undefined : `GET ${probe.httpGet.path}: ${'error' in answer ? answer.error.message : answer.status}`;
  }
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 2000 }, () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.on('error', (error) => resolve(`TCP ${port}: ${error.message}`));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(`TCP ${port}: timed out`);
    });
  });
}

/** One row per fixture for the container report's table: what held, step by step ('-': not reached). */
interface FixtureRow {
  build: string;
  starts: string;
  probes: string;
  mainRoute: string;
  sigterm: string;
}
const rows = new Map<string, FixtureRow>();

describe('retrofitted fixture repositories in containers', () => {
  after(() => {
    const header = ['fixture', 'build', 'starts', 'probes', 'main route', 'SIGTERM exit'];
    const table = [...rows].map(([name, row]) => [name, row.build, row.starts, row.probes, row.mainRoute, row.sigterm]);
    const widths = header.map((title, column) => Math.max(title.length, ...table.map((cells) => cells[column]!.length)));
    const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ');
    containerReport.push('retrofit fixtures:', line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...table.map(line));
  });

  for (const fixture of RETROFIT_FIXTURES) {
    const name = fixtureName(fixture);
    describe(`retrofit ${name}`, function () {
      this.timeout(600_000);
      const slug = name.replace(/[^a-z0-9]+/g, '-').replace(/-$/, '');
      const image = `k8s-app-retrofit/${slug}:test`;
      let copy: Awaited<ReturnType<typeof retrofitCopy>> | undefined;
      let root = '';
      let service = '';
      let original = new Map<string, string>();

      const row: FixtureRow = { build: '-', starts: '-', probes: '-', mainRoute: fixture.mainRoute ? '-' : 'not defined', sigterm: '-' };
      rows.set(name, row);

      before(async () => {
        copy = await retrofitCopy(fixture);
        ({ root, service, original } = copy);
      });
      after(async () => {
        copy?.remove();
        await execa(DOCKER, ['rmi', '-f', image], { reject: false });
      });

      it("adds its files and changes none of the repository's own", () => {
        assert.deepEqual(
          changedFiles(original, fileDigests(root)),
          fixture.changes.map((file) => path.join(fixture.folder, file)),
        );
      });

      if (fixture.notBuilt) {
        it('is generated, and reported as not built', () => {
          assert.ok(readFileSync(path.join(service, 'Dockerfile'), 'utf8').includes('FROM '));
          containerReport.push(`retrofit ${name}: NOT BUILT: ${fixture.notBuilt}`);
          row.build = 'not built';
        });
        return;
      }

      it('builds from the context its Dockerfile names, unmodified, with BuildKit', async () => {
        const header = readFileSync(path.join(service, 'Dockerfile'), 'utf8');
        // A workspace service is built from the workspace root, with -f naming its Dockerfile.
        const context = /build context is the workspace root \(([^)]+)\)/.exec(header)?.[1] ?? '.';
        row.build = 'FAILED';
        const build = await dockerBuild(path.resolve(service, context), image, ['-f', path.join(service, 'Dockerfile')]);
        containerReport.push(`retrofit ${name}: built in ${build.seconds.toFixed(1)} s`);
        row.build = `ok, ${build.seconds.toFixed(0)} s`;
      });

      // dockle judges the Dockerfile; a kept one is the repository's own, not k8s-app's.
      if (!fixture.keptDockerfile) {
        it('dockle finds nothing at WARN or above', async () => {
          const accepted = fixture.dockleAcceptFiles;
          if (accepted) containerReport.push(`retrofit ${name}: dockle accepts ${accepted.files.join(', ')}: ${accepted.why}`);
          await assertDockleClean(image, `retrofit ${name}`, accepted?.files);
        });
      }

      it("runs hardened, passes the Deployment's probes, and stops within its grace period", async () => {
        const { container, grace, emptyDirs } = deployedContainer(service);
        const httpPort = container.ports.find((declared) => declared.name === 'http')!.containerPort;
        // The service's own port is a free one, unless the image's command names it (uvicorn --port):
        // then the container port itself, as in the pod. The health module's is its container port.
        const { stdout: command } = await execa(DOCKER, ['image', 'inspect', '--format', '{{json .Config.Cmd}}', image]);
        const port = command.includes(`"${httpPort}"`) || command.includes(`:${httpPort}"`) ? httpPort : await freePort();
        const ports: Record<string, number> = { http: port };
        for (const declared of container.ports) if (declared.name !== 'http') ports[declared.name] = declared.containerPort;
        const containerName = `k8s-app-retrofit-${slug}`;
        // The Deployment's environment, with its port moved to the one used here on the host network: PORT,
        // and the port as a framework that ignores PORT reads it (GUNICORN_CMD_ARGS' --bind, SERVER_PORT).
        const env = (container.env ?? []).flatMap(({ name, value }) => {
          if (value === undefined) return [];
          const moved = name === 'PORT' || value === String(httpPort) ? String(port) : value.replaceAll(`:${httpPort}`, `:${port}`);
          return ['-e', `${name}=${moved}`];
        });
        const launched = Date.now();
        // The pod's emptyDirs beyond /tmp (folders the service writes into), as tmpfs mounts.
        const writable = emptyDirs.filter((mountPath) => mountPath !== '/tmp').flatMap((mountPath) => ['--tmpfs', mountPath]);
        await execa(DOCKER, ['run', '-d', '--name', containerName, '--network', 'host', ...HARDENING, ...writable, ...env, image]);
        try {
          const startup = container.startupProbe;
          const deadline = Date.now() + Math.min((startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3), 90) * 1000;
          let failure = await probeOnce(startup, ports);
          while (failure && Date.now() < deadline) {
            await sleep(200);
            failure = await probeOnce(startup, ports);
          }
          const logs = async () => (await execa(DOCKER, ['logs', containerName], { all: true, reject: false })).all;
          row.starts = failure ? 'no' : `ready in ${((Date.now() - launched) / 1000).toFixed(1)} s`;
          assert.equal(failure, undefined, `the startup probe never passed: ${failure}\n${await logs()}`);
          // Readiness may lag behind liveness while the service starts (the health module answers first).
          failure = await probeOnce(container.readinessProbe, ports);
          while (failure && Date.now() < deadline) {
            await sleep(200);
            failure = await probeOnce(container.readinessProbe, ports);
          }
          assert.equal(failure, undefined, `the readiness probe never passed: ${failure}\n${await logs()}`);
          row.probes = 'FAILED';
          for (let round = 0; round < 3; round += 1) {
            for (const [kind, probe] of [
              ['liveness', container.livenessProbe],
              ['readiness', container.readinessProbe],
            ] as const) {
              const result = await probeOnce(probe, ports);
              assert.equal(result, undefined, `the ${kind} probe failed: ${result}\n${await logs()}`);
            }
          }
          row.probes = 'ok';
          // The service's own main route answers in the container as it does outside one.
          if (fixture.mainRoute) {
            const { path: route, status, body } = fixture.mainRoute;
            const answer = await request(port, route, 5000).catch((error: Error) => ({ status: 0, body: error.message }));
            row.mainRoute = `GET ${route}: ${answer.status}`;
            assert.equal(answer.status, status, `GET ${route} answered ${answer.status}: ${answer.body}\n${await logs()}`);
            assert.match(answer.body, body, `GET ${route}`);
          }
          const started = Date.now();
          await execa(DOCKER, ['stop', '--time', String(grace), containerName]);
          const seconds = (Date.now() - started) / 1000;
          const { stdout: exitCode } = await execa(DOCKER, ['inspect', '--format', '{{.State.ExitCode}}', containerName]);
          row.sigterm = `${exitCode.trim()} after ${seconds.toFixed(1)} s`;
          assert.ok(seconds < grace, `docker stop took ${seconds} s, the whole grace period`);
          assert.equal(
            Number(exitCode),
            fixture.sigtermExit?.code ?? 0,
            `the exit code on SIGTERM${fixture.sigtermExit ? ` (${fixture.sigtermExit.why})` : ''}\n${await logs()}`,
          );
          const probes = [container.livenessProbe, container.readinessProbe]
            .map((probe) => (probe.httpGet ? `${probe.httpGet.path} on ${probe.httpGet.port}` : 'tcp'))
            .join(', ');
          containerReport.push(`retrofit ${name}: probes (${probes}) passed; stopped in ${seconds.toFixed(1)} s with exit code ${exitCode.trim()}`);
        } finally {
          await execa(DOCKER, ['rm', '-f', containerName], { reject: false });
        }
      });
    });
  }
});
