// The service contract (docs/service-contract.md), checked from outside against any language, run any
// way: a launcher starts the service; the harness only speaks HTTP to 127.0.0.1, writes the mounted
// config and secrets directories, reads the output and sends signals.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartOptions {
  port: number;
  /** Extra environment variables for the service. */
  env: Record<string, string>;
  /** Host directories the launcher exposes as the service's config and secrets directories. */
  configDir: string;
  secretsDir: string;
}

export interface RunningService {
  /** Everything the service printed so far, stdout and stderr. */
  output(): string;
  /** Lines the service printed on stdout so far. */
  stdoutLines(): string[];
  /** Resolves once PID 1 (tini) has the signal: `docker kill` alone can take 50-100 ms under load. */
  signal(signal: 'SIGTERM' | 'SIGINT'): Promise<void>;
  /** Resolves with the exit code once the service has stopped. */
  exited: Promise<number | null>;
  /** Ends the service whatever its state; used after each check. */
  kill(): Promise<void>;
}

export interface ServiceLauncher {
  start(options: StartOptions): Promise<RunningService>;
}

export interface ContractCheck {
  name: string;
  run: () => Promise<void>;
}

export interface ContractOptions {
  appName: string;
  launcher: ServiceLauncher;
  /** How long the service may take to become ready (a JVM needs longer than Node). */
  startupTimeoutMs?: number;
  /** How to make the runtime print a diagnostic of its own (the stack's runtimeDiagnostics), so the
   * log check shows it stays off stdout. */
  runtimeDiagnostics?: { env: Record<string, string>; printed: string };
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
/** The line every service logs when a drain begins (docs/service-contract.md, Shutdown). */
export const DRAIN_MESSAGE = 'shutting down: draining in-flight requests';

/** The contract's reload bound. */
const RELOAD_WITHIN_MS = 5000;
/** The demo routes (`GET /delay/{ms}`) are off unless this setting turns them on. */
const DEMO_ENDPOINTS_ON = { DEMO_ENDPOINTS: 'true' };

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

// ---------------------------------------------------------------- settings directories

/**
 * A directory laid out as the kubelet mounts a ConfigMap or Secret: the files live in a timestamped
 * folder, `..data` links to it and each visible name links through `..data`. `update` swaps the
 * `..data` link atomically, as a ConfigMap update does.
 */
export class MountedDir {
  private generation = 0;
  private names = new Set<string>();

  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  update(files: Record<string, string>) {
    this.generation += 1;
    const dataDir = `..2026_11_22_00_00_00.${String(this.generation).padStart(9, '0')}`;
    mkdirSync(path.join(this.dir, dataDir));
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(this.dir, dataDir, name), `${content}\n`);
    symlinkSync(dataDir, path.join(this.dir, '..data_tmp'));
    renameSync(path.join(this.dir, '..data_tmp'), path.join(this.dir, '..data'));
    for (const name of Object.keys(files)) {
      if (!this.names.has(name)) symlinkSync(path.join('..data', name), path.join(this.dir, name));
      this.names.add(name);
    }
    return this;
  }
}

// ---------------------------------------------------------------- HTTP on loopback

export interface HttpResult {
  status: number;
  body: string;
  /** False when the connection ended before the whole response arrived. */
  complete: boolean;
}

/** One request on its own connection to 127.0.0.1; rejects on connection errors. */
export function request(port: number, urlPath: string, timeoutMs = 15_000): Promise<HttpResult> {
  return pooledRequest(false, port, urlPath, timeoutMs);
}

/** A response with what a connection pool acts on. */
export interface PooledResult extends HttpResult {
  /** The response's `Connection` header, lower-cased ('' when absent). */
  connection: string;
  /** Whether the request went out on a connection an earlier request had used. */
  reusedSocket: boolean;
}

/**
 * One request through `agent`, a keep-alive pool as most HTTP clients and proxies send them (or on
 * a connection of its own, with `false`); a connection error carries `reusedSocket` too.
 */
export function pooledRequest(agent: http.Agent | false, port: number, urlPath: string, timeoutMs = 15_000): Promise<PooledResult> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          complete: res.complete,
          connection: String(res.headers.connection ?? '').toLowerCase(),
          reusedSocket: req.reusedSocket,
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${urlPath} within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
  });
}

/**
 * A keep-alive connection that has had one answered request and now sits idle, as in a client's pool;
 * `closedAt` resolves with the time the server closed it.
 */
function idleConnection(port: number, urlPath: string): Promise<{ closedAt: Promise<number>; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const closedAt = new Promise<number>((done) => socket.once('close', () => done(Date.now())));
    let received = Buffer.alloc(0);
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString('latin1');
      const headerEnd = text.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /^content-length:\s*(\d+)/im.exec(text.slice(0, headerEnd));
      const answered = length ? received.length >= headerEnd + 4 + Number(length[1]) : text.endsWith('0\r\n\r\n');
      if (!answered) return;
      socket.removeAllListeners('data');
      socket.removeListener('error', reject);
      // From here a reset is one way for the server to close it.
      socket.on('error', () => {});
      resolve({ closedAt, socket });
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(50);
  }
  throw new ContractViolation(`${what} did not happen within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

// ---------------------------------------------------------------- log lines

export interface LogLine {
  time?: unknown;
  level?: unknown;
  msg?: unknown;
  [field: string]: unknown;
}

/** Parses every stdout line as JSON; a line that is not JSON breaks the contract. */
export function jsonLines(service: RunningService): LogLine[] {
  return service
    .stdoutLines()
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new ContractViolation(`a log line on stdout is not JSON: ${line}`);
      }
    });
}

function messages(service: RunningService): string[] {
  return jsonLines(service).map((line) => String(line.msg ?? ''));
}

// ---------------------------------------------------------------- the checks

export function contractChecks(options: ContractOptions): ContractCheck[] {
  const startupTimeoutMs = options.startupTimeoutMs ?? 30_000;
  const defaultGreeting = `Hello from ${options.appName}`;

  /** Starts a service with fresh directories, waits until it is ready and always stops it afterwards. */
  async function withService(
    setup: { env?: Record<string, string>; config?: Record<string, string>; secrets?: Record<string, string> },
    body: (context: { service: RunningService; port: number; config: MountedDir; secrets: MountedDir }) => Promise<void>,
  ) {
    const root = mkdtempSync(path.join(tmpdir(), 'contract-'));
    const config = new MountedDir(path.join(root, 'config'));
    const secrets = new MountedDir(path.join(root, 'secrets'));
    if (setup.config) config.update(setup.config);
    if (setup.secrets) secrets.update(setup.secrets);
    const port = await freePort();
    const service = await options.launcher.start({ port, env: setup.env ?? {}, configDir: config.dir, secretsDir: secrets.dir });
    try {
      await waitUntilReady(service, port);
      await body({ service, port, config, secrets });
    } catch (error) {
      if (error instanceof Error) error.message += `\n--- service output ---\n${service.output().slice(-4000)}`;
      throw error;
    } finally {
      await service.kill();
      rmSync(root, { recursive: true, force: true });
    }
  }

  async function waitUntilReady(service: RunningService, port: number) {
    let exitCode: number | null | undefined;
    void service.exited.then((code) => (exitCode = code));
    await waitFor('GET /readyz answering 200', startupTimeoutMs, async () => {
      if (exitCode !== undefined) throw new ContractViolation(`the service exited with code ${exitCode} before it was ready`);
      const result = await request(port, '/readyz', 2000);
      return result.status === 200 ? true : undefined;
    });
  }

  async function greeting(port: number): Promise<{ greeting: unknown; apiKeyConfigured: unknown; raw: string }> {
    const result = await request(port, '/');
    expect(result.status === 200, `GET / answered ${result.status}: ${result.body}`);
    const body = JSON.parse(result.body) as { greeting: unknown; apiKeyConfigured: unknown };
    return { ...body, raw: result.body };
  }

  /** Starts a service expected to refuse its settings; returns its output and exit code. */
  async function startupFailure(setup: { env?: Record<string, string>; config?: Record<string, string> }) {
    const root = mkdtempSync(path.join(tmpdir(), 'contract-'));
    const config = new MountedDir(path.join(root, 'config'));
    if (setup.config) config.update(setup.config);
    const service = await options.launcher.start({
      port: await freePort(),
      env: setup.env ?? {},
      configDir: config.dir,
      secretsDir: path.join(root, 'secrets'),
    });
    try {
      const code = await Promise.race([service.exited, sleep(startupTimeoutMs).then(() => 'timeout' as const)]);
      expect(code !== 'timeout', `the service kept running with an invalid setting (${JSON.stringify(setup)})`);
      return { code, output: service.output(), configDir: config.dir };
    } finally {
      await service.kill();
      rmSync(root, { recursive: true, force: true });
    }
  }

  function assertStartupError(result: { code: number | null; output: string }, setting: string, value: string, source: string) {
    expect(result.code !== 0, `the service exited 0 with an invalid ${setting}`);
    const line = result.output.split('\n').find((text) => text.includes(setting) && text.includes(value));
    expect(line, `no line names the setting "${setting}" and the value "${value}":\n${result.output}`);
    for (const allowed of LOG_LEVELS) expect(line.includes(allowed), `the error does not list the allowed value "${allowed}": ${line}`);
    expect(line.includes(source), `the error does not say where the value came from (${source}): ${line}`);
  }

  return [
    {
      name: 'serves /livez, /readyz and / on PORT, and logs that it listens',
      async run() {
        await withService({}, async ({ service, port }) => {
          expect((await request(port, '/livez')).status === 200, '/livez is not 200');
          expect((await request(port, '/readyz')).status === 200, '/readyz is not 200 once started');
          const body = await greeting(port);
          expect(body.greeting === defaultGreeting, `GET / greeting is ${JSON.stringify(body.greeting)}, expected the default "${defaultGreeting}"`);
          expect(
            messages(service).some((msg) => /listening/i.test(msg)),
            'no log line says the service is listening',
          );
          const delay = await request(port, '/delay/5');
          expect(delay.status === 404, `GET /delay/5 answered ${delay.status} with demo-endpoints off (the default), expected 404`);
        });
        await withService({ config: { 'demo-endpoints': 'true' } }, async ({ port }) => {
          const delay = await request(port, '/delay/5');
          expect(delay.status === 200, `GET /delay/5 answered ${delay.status} with demo-endpoints set to true in a file, expected 200`);
        });
      },
    },
    {
      name: 'reads settings from defaults < files < environment, and secrets from the secrets directory',
      async run() {
        await withService({ config: { greeting: 'from-file' }, secrets: { 'api-key': 'k' } }, async ({ port }) => {
          const body = await greeting(port);
          expect(body.greeting === 'from-file', `a file did not override the default greeting: ${body.raw}`);
          expect(body.apiKeyConfigured === true, `the secrets directory was not read: ${body.raw}`);
        });
        await withService({ config: { greeting: 'from-file' }, env: { GREETING: 'from-env' } }, async ({ port }) => {
          const body = await greeting(port);
          expect(body.greeting === 'from-env', `the environment did not override a file: ${body.raw}`);
          expect(body.apiKeyConfigured === false, `api-key is set although nothing set it: ${body.raw}`);
        });
      },
    },
    {
      name: 'reloads files within 5 s after a ..data swap, and logs it',
      async run() {
        await withService({ config: { greeting: 'first' } }, async ({ service, port, config }) => {
          config.update({ greeting: 'second' });
          await waitFor('the new greeting', RELOAD_WITHIN_MS, async () => ((await greeting(port)).greeting === 'second' ? true : undefined));
          await waitFor('a log line about the reload', 1000, async () => (messages(service).some((msg) => /reload/i.test(msg)) ? true : undefined));
        });
      },
    },
    {
      name: 'keeps environment values above files after a reload',
      async run() {
        await withService({ config: { greeting: 'first', 'log-level': 'info' }, env: { GREETING: 'from-env' } }, async ({ service, port, config }) => {
          config.update({ greeting: 'second', 'log-level': 'debug' });
          await waitFor('a log line about the reload', RELOAD_WITHIN_MS, async () => (messages(service).some((msg) => /reload/i.test(msg)) ? true : undefined));
          const body = await greeting(port);
          expect(body.greeting === 'from-env', `after a reload a file won over the environment: ${body.raw}`);
        });
      },
    },
    {
      name: 'rejects an invalid reload and keeps the previous settings',
      async run() {
        await withService({ config: { greeting: 'good', 'log-level': 'info' } }, async ({ service, port, config }) => {
          config.update({ greeting: 'changed', 'log-level': 'verbose' });
          await waitFor('a log line rejecting the reload', RELOAD_WITHIN_MS + 1000, async () =>
            jsonLines(service).some((line) => /reject|invalid/i.test(String(line.msg)) && String(line.msg).includes('log-level')) ? true : undefined,
          );
          const body = await greeting(port);
          expect(body.greeting === 'good', `an invalid reload was partly applied: ${body.raw}`);
          expect((await request(port, '/readyz')).status === 200, 'the service stopped being ready after an invalid reload');
        });
      },
    },
    {
      name: 'stops at startup with one clear line for an invalid environment value',
      async run() {
        assertStartupError(await startupFailure({ env: { LOG_LEVEL: 'loud' } }), 'log-level', 'loud', 'LOG_LEVEL');
      },
    },
    {
      name: 'stops at startup with one clear line for an invalid file value',
      async run() {
        const result = await startupFailure({ config: { 'log-level': 'shouty' } });
        // The path as the service sees it: a container mounts the directory elsewhere.
        assertStartupError(result, 'log-level', 'shouty', `${path.basename(result.configDir)}/log-level`);
      },
    },
    {
      name: 'never shows a secret value in logs or responses',
      async run() {
        const first = `s1-${randomBytes(8).toString('hex')}`;
        const second = `s2-${randomBytes(8).toString('hex')}`;
        await withService({ secrets: { 'api-key': first }, env: { LOG_LEVEL: 'debug' } }, async ({ service, port, secrets }) => {
          const bodies = [(await greeting(port)).raw, (await request(port, '/readyz')).body];
          secrets.update({ 'api-key': second });
          await waitFor('a log line about the reload', RELOAD_WITHIN_MS, async () => (messages(service).some((msg) => /reload/i.test(msg)) ? true : undefined));
          bodies.push((await greeting(port)).raw);
          for (const text of [service.output(), ...bodies]) {
            expect(!text.includes(first) && !text.includes(second), 'a secret value appeared in the logs or a response');
          }
          expect(JSON.parse(bodies[2]!).apiKeyConfigured === true, 'the secret was not read');
        });
      },
    },
    {
      name: `logs JSON lines with time, level and msg, and requests except probes${options.runtimeDiagnostics ? "; the runtime's own diagnostics go to stderr" : ''}`,
      async run() {
        await withService({ env: options.runtimeDiagnostics?.env ?? {} }, async ({ service, port }) => {
          if (options.runtimeDiagnostics) {
            // The diagnostic was printed (stderr is in the output), and the stdout check below still holds.
            expect(service.output().includes(options.runtimeDiagnostics.printed), `the runtime printed no "${options.runtimeDiagnostics.printed}"`);
          }
          for (let i = 0; i < 3; i += 1) {
            await request(port, '/livez');
            await request(port, '/readyz');
          }
          await request(port, '/?from=contract');
          await waitFor('a request log line for GET /', 2000, async () =>
            service.stdoutLines().some((line) => line.includes('/?from=contract')) ? true : undefined,
          );
          for (const line of jsonLines(service)) {
            expect(
              line.time !== undefined && line.level !== undefined && typeof line.msg === 'string',
              `a log line lacks time, level or msg: ${JSON.stringify(line)}`,
            );
            expect(LOG_LEVELS.includes(String(line.level).toLowerCase()), `a log line has an unexpected level: ${JSON.stringify(line)}`);
          }
          const requestLine = jsonLines(service).find((line) => JSON.stringify(line).includes('/?from=contract'));
          expect(String(requestLine?.level).toLowerCase() === 'info', `the request was not logged at info: ${JSON.stringify(requestLine)}`);
          expect(!/\/livez|\/readyz/.test(service.stdoutLines().join('\n')), 'probe requests were logged');
        });
      },
    },
    {
      name: 'drains on SIGTERM: readiness 503, no new connections, in-flight requests finish, exit 0',
      async run() {
        await drainCheck('SIGTERM');
      },
    },
    {
      name: 'drains pooled keep-alive connections: in-flight responses say Connection: close, idle ones are closed, no reused connection fails',
      async run() {
        await pooledDrainCheck();
      },
    },
    {
      name: 'drains on SIGINT the same way',
      async run() {
        await drainCheck('SIGINT');
      },
    },
    {
      name: 'exits non-zero when requests outlive SHUTDOWN_TIMEOUT',
      async run() {
        await withService({ env: { SHUTDOWN_TIMEOUT: '1', ...DEMO_ENDPOINTS_ON } }, async ({ service, port }) => {
          const slow = request(port, '/delay/8000').catch((error: Error) => error);
          await sleep(300);
          await service.signal('SIGTERM');
          const sent = Date.now();
          const code = await Promise.race([service.exited, sleep(6000).then(() => 'timeout' as const)]);
          expect(code !== 'timeout', 'the service did not stop within 6 s of a 1 s SHUTDOWN_TIMEOUT');
          expect(code !== 0, 'the service exited 0 although a request was cut off at the deadline');
          expect(Date.now() - sent >= 900, 'the service stopped before its SHUTDOWN_TIMEOUT');
          await slow;
        });
      },
    },
  ];

  /**
   * Pooled clients during a drain: taking a pod out of the endpoints does not close the connections a
   * client or proxy already holds. Each response in flight at the signal must say `Connection: close`,
   * so the pool does not send its next request on a connection that is about to go; idle pooled
   * connections are closed at once; a request that still goes out on a reused connection is served.
   */
  async function pooledDrainCheck() {
    const pooled = 8;
    await withService({ env: DEMO_ENDPOINTS_ON }, async ({ service, port }) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: pooled, maxFreeSockets: pooled });
      const idle = await Promise.all(Array.from({ length: 4 }, () => idleConnection(port, '/livez')));
      try {
        // Fill the pool: one connection per request, each kept open after its response.
        await Promise.all(Array.from({ length: pooled }, () => pooledRequest(agent, port, '/')));
        const followUps: Promise<{ reused: boolean; outcome: string }>[] = [];
        const inFlight = Array.from({ length: pooled }, () =>
          pooledRequest(agent, port, '/delay/1500').then((result) => {
            // A busy client sends its next request as soon as the previous one is answered.
            followUps.push(
              pooledRequest(agent, port, '/').then(
                (next) => ({ reused: next.reusedSocket, outcome: `${next.status}${next.complete ? '' : ' (incomplete)'}` }),
                (error: NodeJS.ErrnoException & { reusedSocket?: boolean }) => ({ reused: error.reusedSocket === true, outcome: error.code ?? error.message }),
              ),
            );
            return result;
          }),
        );
        await sleep(300);
        await service.signal('SIGTERM');
        const sent = Date.now();

        const idleClosed = await Promise.all(idle.map(({ closedAt }) => Promise.race([closedAt, sleep(3000).then(() => undefined)])));
        const lateIdle = idleClosed.map((at) => (at === undefined ? 'still open after 3 s' : `closed after ${at - sent} ms`));
        expect(
          idleClosed.every((at) => at !== undefined && at - sent <= 1000),
          `idle keep-alive connections were not closed within 1 s of SIGTERM: ${lateIdle.join(', ')}`,
        );

        const results = await Promise.allSettled(inFlight);
        const failed = results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
        expect(failed.length === 0, `${failed.length} of ${pooled} in-flight requests on pooled connections failed: ${failed.slice(0, 3).join('; ')}`);
        const answers = results.map((result) => (result as PromiseFulfilledResult<PooledResult>).value);
        expect(
          answers.every((answer) => answer.reusedSocket),
          'the pooled client did not reuse its connections: the service closed them after one response',
        );
        const wrong = answers.filter((answer) => answer.status !== 200 || !answer.complete);
        expect(wrong.length === 0, `in-flight requests on pooled connections were cut off or failed: ${JSON.stringify(wrong.slice(0, 3))}`);
        const keptOpen = answers.filter(
          (answer) =>
            !answer.connection
              .split(',')
              .map((token) => token.trim())
              .includes('close'),
        );
        expect(
          keptOpen.length === 0,
          `${keptOpen.length} of ${pooled} responses finished during the drain without "Connection: close" (they said ${JSON.stringify(keptOpen[0]?.connection ?? '')}): a pooled client sends its next request on that connection and loses it`,
        );

        // On a reused connection only a full answer is fine; a new connection may be refused (the
        // listener is closed) or reset (queued just as it closed), which a client retries elsewhere.
        const next = await Promise.all(followUps);
        const lost = next.filter(({ reused, outcome }) => (reused ? outcome !== '200' : !['200', 'ECONNREFUSED', 'ECONNRESET'].includes(outcome)));
        expect(lost.length === 0, `follow-up requests failed during the drain: ${JSON.stringify(lost.slice(0, 3))}`);

        const code = await Promise.race([service.exited, sleep(10_000).then(() => 'timeout' as const)]);
        expect(code === 0, `the service exited with ${code} after SIGTERM, expected 0`);
      } finally {
        agent.destroy();
        for (const { socket } of idle) socket.destroy();
      }
    });
  }

  async function drainCheck(signal: 'SIGTERM' | 'SIGINT') {
    await withService({ env: DEMO_ENDPOINTS_ON }, async ({ service, port }) => {
      // Concurrent requests in flight when the signal arrives, on their own connections.
      const inFlight = Array.from({ length: 20 }, () => request(port, '/delay/1500'));
      await sleep(300);
      await service.signal(signal);
      // The clock starts when PID 1 has the signal, not when the launcher began sending it: the
      // service is judged on its own reaction, not on the container runtime's latency.
      const sent = Date.now();
      let exitCode: number | null | undefined;
      void service.exited.then((code) => (exitCode = code));
      // Readiness from the moment of the signal: refused or 503, never 200. tini forwards the
      // signal and the runtime wakes its handler, so answers to requests sent in the first 50 ms
      // are not judged.
      const readiness: { at: number; outcome: string }[] = [];
      while (Date.now() - sent < 1000 && exitCode === undefined) {
        const at = Date.now() - sent;
        try {
          readiness.push({ at, outcome: String((await request(port, '/readyz', 1000)).status) });
        } catch (error) {
          readiness.push({ at, outcome: (error as NodeJS.ErrnoException).code ?? 'error' });
        }
        await sleep(25);
      }
      const judged = readiness.filter((attempt) => attempt.at >= 50).map((attempt) => attempt.outcome);
      const seen = readiness.map((attempt) => `${attempt.at}ms:${attempt.outcome}`).join(' ');
      expect(judged.length > 0, `no readiness check ran during the drain: ${seen}`);
      // A connection the kernel queued just as the listener closed is reset, never served: like a
      // refusal, it is not a new connection accepted.
      expect(
        judged.every((outcome) => ['503', 'ECONNREFUSED', 'ECONNRESET'].includes(outcome)),
        `/readyz after ${signal} was not 503, a refused or a reset connection: ${seen}`,
      );
      const results = await Promise.allSettled(inFlight);
      const cut = results.filter((result) => result.status === 'rejected' || !result.value.complete || result.value.status !== 200);
      expect(cut.length === 0, `${cut.length} of ${results.length} in-flight requests were cut off or failed: ${JSON.stringify(cut.slice(0, 3))}`);
      const code = await Promise.race([service.exited, sleep(10_000).then(() => 'timeout' as const)]);
      expect(code !== 'timeout', `the service did not exit within 10 s of ${signal}`);
      expect(code === 0, `the service exited with ${code} after ${signal}, expected 0`);
      expect(messages(service).includes(DRAIN_MESSAGE), `the service did not log "${DRAIN_MESSAGE}" when the drain began`);
    });
  }
}
