// Retrofitting: run in an existing repository, the generator says what it found, takes the
// answers the repository states, adds only the container and Kubernetes files, and leaves the
// user's files untouched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { result } from 'yeoman-test';
import { STACKS } from '../stacks/registry.ts';
import { runApp } from './support/generate.ts';
import { renderOverlay } from './support/kustomize.ts';
import { writeRepo } from './support/temp-repo.ts';

function existingRepo(files: Record<string, string>): string {
  return writeRepo(files, 'k8s-app-retrofit-');
}

const run = (dir: string, options: Record<string, unknown>) => runApp({ defaults: true, ...options }, dir);

describe('k8s-app in an existing repository', () => {
  const goRepo = {
    'go.mod': 'module example.com/orders\n\ngo 1.26.2\n',
    'main.go': 'package main\n\nfunc main() { _ = http.ListenAndServe(":9090", nil) }\n',
  };

  describe('a Go service with --defaults', () => {
    let dir = '';
    before(async () => {
      dir = existingRepo(goRepo);
      await run(dir, {});
    });

    it('takes the language, runtime and port the repository states', () => {
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { language: 'go', runtimeVersion: '1.26', port: 9090, retrofit: true } });
      result.assertFileContent('Dockerfile', '\nEXPOSE 9090\n');
    });

    it('adds the container and Kubernetes files, and no starter code', () => {
      result.assertFile(['Dockerfile', '.dockerignore', 'k8s/base/deployment.yaml']);
      result.assertNoFile(['internal/service/server.go', 'README.md', '.gitignore']);
    });

    it('leaves the existing files as they were', () => {
      for (const [file, content] of Object.entries(goRepo)) assert.equal(readFileSync(path.join(dir, file), 'utf8'), content);
    });

    it("mounts an empty ConfigMap and sets none of the starter's settings, which the service does not read", async () => {
      assert.equal(existsSync(path.join(dir, 'k8s/base/config')), false, 'no starter settings files');
      for (const overlay of ['dev', 'prod']) {
        const manifests = await renderOverlay(dir, overlay);
        const configMaps = manifests.filter((manifest) => manifest.kind === 'ConfigMap');
        assert.equal(configMaps.length, 1, `${overlay}: one ConfigMap`);
        assert.deepEqual(configMaps[0]!.data ?? {}, {}, `${overlay}: the ConfigMap is empty`);
        const [container] = manifests.find((manifest) => manifest.kind === 'Deployment')!.spec.template.spec.containers;
        assert.deepEqual(
          container.env.map((variable: { name: string }) => variable.name),
          ['PORT'],
          `${overlay}: only PORT is set`,
        );
        // The language's defaults: the starter's measured figures say nothing of this service's use.
        const go = STACKS.find((stack) => stack.language === 'go')!;
        assert.equal(container.resources.requests.memory, go.resources.requests.memory);
        assert.equal(container.resources.limits.memory, go.resources.limits.memory);
        assert.notEqual(go.resources.limits.memory, go.starterResources.limits.memory);
      }
    });
  });

  describe('probes', () => {
    it('fall back to TCP checks when the service has no health endpoint', async () => {
      await run(existingRepo(goRepo), {});
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { livenessPath: 'tcp', readinessPath: 'tcp' } });
      result.assertFileContent('k8s/base/deployment.yaml', /livenessProbe:\n\s+# No health endpoint[^\n]*\n\s+tcpSocket:\n\s+port: http/);
      result.assertNoFileContent('k8s/base/deployment.yaml', 'httpGet');
    });

    it('use the health paths the service names', async () => {
      await run(existingRepo({ ...goRepo, 'health.go': 'mux.HandleFunc("/healthz", ok)\nmux.HandleFunc("/ready", ready)\n' }), {});
      result.assertFileContent('k8s/base/deployment.yaml', /livenessProbe:\n\s+httpGet:\n\s+path: \/healthz/);
      result.assertFileContent('k8s/base/deployment.yaml', /readinessProbe:\n\s+httpGet:\n\s+path: \/ready\n/);
    });

    it('use the paths given as options', async () => {
      await run(existingRepo(goRepo), { 'liveness-path': '/status', 'readiness-path': '/status/ready' });
      result.assertFileContent('k8s/base/deployment.yaml', /readinessProbe:\n\s+httpGet:\n\s+path: \/status\/ready\n/);
    });

    it('reject a path that is neither a path nor tcp', async () => {
      await assert.rejects(
        run(existingRepo(goRepo), { 'liveness-path': 'health' }),
        /Invalid --liveness-path: the liveness path "health" is neither an HTTP path starting with \/ nor tcp/,
      );
    });
  });

  it("puts what the manifests cannot fix in k8s/README.md: a loopback bind, the .env file's variables", async () => {
    const dir = existingRepo({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'main.py': 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("main:app", host="127.0.0.1", port=8000)\n',
      '.env.example': 'DATABASE_URL=postgres://db/app\nLOG_LEVEL=info\n',
    });
    await run(dir, { 'runtime-version': '3.13' });
    const readme = readFileSync(path.join(dir, 'k8s/README.md'), 'utf8');
    assert.match(readme, /WARNING: the service binds to loopback only.*\n> `main\.py` line 4: `uvicorn\.run\("main:app", host="127\.0\.0\.1", port=8000\)`/);
    assert.match(readme, /or a `\.env` file names them \(in\n`\.env\.example`\); the manifests set none of them \(only `PORT`\):\n`DATABASE_URL`, `LOG_LEVEL`/);
    assert.match(readme, /#   - name: \S+-env\n#     literals:\n#       - LOG_LEVEL=\n/);
    assert.match(readme, /create secret generic \S+-env --from-literal=DATABASE_URL=\.\.\.\n/);
    assert.ok(!readme.includes('postgres://db/app'), 'a value from .env.example reached the README');
    result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { startCommand: 'python main.py', port: 8000 } });
  });

  describe('a Go module with several main packages', () => {
    const twoPrograms = {
      'go.mod': 'module example.com/shop\n\ngo 1.27\n',
      'services/api/main.go': 'package main\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n',
      'services/worker/main.go': 'package main\n\nfunc main() {}\n',
    };

    it('with --defaults: stops, naming each and the option that picks one', async () => {
      await assert.rejects(
        run(existingRepo(twoPrograms), {}),
        /does not state its program to build \(one of: \.\/services\/api, \.\/services\/worker\)\. Fix: pass --program <value>, e\.g\. --program \.\/services\/api\./,
      );
    });

    it('--program builds the one named, and refuses a folder without a main package', async () => {
      const dir = existingRepo(twoPrograms);
      await run(dir, { program: 'services/worker' });
      result.assertFileContent('Dockerfile', ' ./services/worker\n');
      result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { program: './services/worker' } });
      await assert.rejects(
        run(existingRepo(twoPrograms), { program: './internal' }),
        /The program to build \.\/internal \(--program\) does not fit the repository: \.\/internal holds no main package\. Nothing was written\. Fix: pass --program \.\/services\/api or \.\/services\/worker\./,
      );
    });

    it('a module with one main package, wherever it is, builds it without asking', async () => {
      const dir = existingRepo({
        'go.mod': 'module m\n\ngo 1.27\n',
        'app/server/main.go': 'package main\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n',
      });
      await run(dir, {});
      result.assertFileContent('Dockerfile', ' ./app/server\n');
    });
  });

  it('mounts an emptyDir where the service writes into its own folders, in the pod and in compose.yaml', async () => {
    const dir = existingRepo({
      'package.json': '{"name":"files","main":"server.js","engines":{"node":"24"}}',
      'package-lock.json': '{}',
      'server.js': "const upload = multer({ dest: 'uploads/' });\napp.listen(process.env.PORT ?? 3000);\n",
    });
    await run(dir, {});
    const deployment = (await renderOverlay(dir, 'prod')).find((object) => object.kind === 'Deployment')!;
    const pod = deployment.spec.template.spec;
    assert.deepEqual(
      pod.containers[0].volumeMounts.find((mount: { mountPath: string }) => mount.mountPath === '/app/uploads'),
      { name: 'writable-1', mountPath: '/app/uploads' },
    );
    assert.deepEqual(
      pod.volumes.find((volume: { name: string }) => volume.name === 'writable-1'),
      { name: 'writable-1', emptyDir: { sizeLimit: '64Mi' } },
    );
    assert.match(readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), /\n {6}- \/app\/uploads:size=64m,uid=65532,gid=65532\n/);
    assert.match(readFileSync(path.join(dir, 'k8s/README.md'), 'utf8'), /\| `uploads\/` \| `server\.js` line 1 \| an emptyDir at `\/app\/uploads`/);
  });

  it('stops with the option to pass when the repository does not state its port', async () => {
    const dir = existingRepo({ 'go.mod': 'module m\n\ngo 1.27\n' });
    await assert.rejects(run(dir, {}), /does not state its http port\. Fix: pass --port <value>\./);
    assert.deepEqual(readdirSync(dir).sort(), ['go.mod']);
  });

  it('stops naming the candidates when the folder holds two kinds of project', async () => {
    const dir = existingRepo({ 'package.json': '{}', 'pom.xml': '<project/>' });
    await assert.rejects(run(dir, {}), /holds more than one kind of project: node \(package\.json\), java \(pom\.xml\)\. Fix: pass --language/);
  });

  it('takes what the options say over what the repository states', async () => {
    const dir = existingRepo(goRepo);
    await run(dir, { port: '8080', 'runtime-version': '1.27' });
    result.assertJsonFileContent('.yo-rc.json', { 'generator-k8s-app': { runtimeVersion: '1.27', port: 8080 } });
  });
});
