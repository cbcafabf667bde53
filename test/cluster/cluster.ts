// A real single-node Kubernetes for the tests: etcd, the API server, controller manager and scheduler,
// a containerd of its own, the kubelet, kube-proxy and a local image registry, all inside a network
// namespace this run creates, with no route out (docs/testing.md, "The cluster").
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Options as ExecaOptions, execa, type Result } from 'execa';
import { DOCKER } from '../containers/engine.ts';
import { type ClusterBinaries, ensureClusterBinaries } from './binaries.ts';
import { type ClusterRecord, cleanUp, cleanUpStaleClusters, createCgroupRoot, isMountPoint, NETNS_DIR, readSysctls, writeRecord } from './host-state.ts';
import { createPki, writeKubeconfig } from './pki.ts';

/** The node's address, on a veth pair inside the namespace (the kubelet refuses a loopback one). */
const NODE_IP = '10.200.0.1';
const SERVICE_CIDR = '10.201.0.0/24';
/** The `kubernetes` Service's ClusterIP: the first address of the range. */
const API_SERVICE_IP = '10.201.0.1';
const POD_CIDR = '10.202.0.0/24';
const NODE_NAME = 'k8s-app-node';
const REGISTRY = '127.0.0.1:5000';
/** The sandbox image containerd runs as each pod's first container; the rig builds it (pause/). */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10.1';
/** How often the kubelet re-syncs a pod, which is when a ConfigMap edit reaches its files (default 1m). */
export const KUBELET_SYNC_SECONDS = 10;
/** Registries whose image names the rig serves from the local registry (containerd mirrors). */
const MIRRORED_REGISTRIES = { 'docker.io': 'https://registry-1.docker.io', 'registry.k8s.io': 'https://registry.k8s.io' };

export interface Cluster {
  /** The network namespace everything runs in; `nsenter --net=<netnsPath>` joins it. */
  netnsPath: string;
  stateDir: string;
  kubeconfig: string;
  /** The kubelet's directory of container logs, one folder per pod (`<namespace>_<pod>_<uid>`). */
  podLogsDir: string;
  binaries: ClusterBinaries;
  /** The global kernel settings as they were when this cluster started (after putting back those of
   * earlier runs that died), which stop() restores. */
  kernelSettingsBefore: Readonly<Record<string, string>>;
  /** Whether /run/netns was a mount point when this cluster started; stop() leaves it as it was. */
  netnsDirWasMounted: boolean;
  /** kubectl of the cluster's version, run inside the namespace as the cluster admin. */
  kubectl(args: string[], options?: ExecaOptions): Promise<Result>;
  /** A command run inside the namespace (where the Services' ClusterIPs answer). */
  inNetwork(command: string, args: string[], options?: ExecaOptions): Promise<Result>;
  /** A command left running inside the namespace (a watch, a log follow, a load loop): `output()` is
   * its stdout so far; `stop()` sends SIGTERM and resolves with all of it once it exited. */
  follow(command: string, args: string[]): { output: () => string; stop: () => Promise<string> };
  /** Copies a Docker image into the local registry under the name the image reference implies. */
  pushImage(image: string): Promise<void>;
  /** The state of a namespace for a failure report: pods, events and each container's last log lines. */
  describeNamespace(namespace: string): Promise<string>;
  stop(): Promise<void>;
}

interface Component {
  name: string;
  process: ChildProcess;
  log: string;
}

function hasRegistry(image: string): boolean {
  const [first, ...rest] = image.split('/');
  return rest.length > 0 && (first!.includes('.') || first!.includes(':') || first === 'localhost');
}

/** `orders:0.1.0` -> `library/orders:0.1.0` (Docker Hub's implied path), `registry.k8s.io/pause:3.10.1` -> `pause:3.10.1`. */
export function registryPath(image: string): string {
  if (hasRegistry(image)) return image.slice(image.indexOf('/') + 1);
  return image.includes('/') ? image : `library/${image}`;
}

/** The name containerd gives an image: `orders:0.1.0` -> `docker.io/library/orders:0.1.0`. */
function fullName(image: string): string {
  return hasRegistry(image) ? image : `docker.io/${registryPath(image)}`;
}

function yamlConfig(lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export async function startCluster(): Promise<Cluster> {
  if (process.getuid?.() !== 0) throw new Error('the cluster tests run as root: they create a network namespace, cgroups and mounts');
  const stale = cleanUpStaleClusters();
  if (stale.length > 0) console.log(`  cleaned up after earlier runs that died: ${stale.join(', ')}`);
  const binaries = await ensureClusterBinaries();

  const id = `k8s-app-${process.pid}`;
  const stateDir = mkdtempSync(`/var/tmp/${id}-`);
  const record: ClusterRecord = {
    pid: process.pid,
    netns: id,
    stateDir,
    cgroupRoot: `/${id}`,
    containerdSocket: path.join(stateDir, 'containerd', 'containerd.sock'),
    sysctls: readSysctls(),
    netnsDirWasMounted: isMountPoint(NETNS_DIR),
  };
  writeRecord(record);
  const components: Component[] = [];
  const netnsPath = `/var/run/netns/${id}`;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // SIGTERM to every component, a few seconds to stop; cleanUp kills what is left.
    const running = components.filter((component) => component.process.exitCode === null && component.process.signalCode === null);
    const exited = running.map((component) => new Promise((resolve) => component.process.once('exit', resolve)));
    for (const component of running) component.process.kill('SIGTERM');
    await Promise.race([Promise.all(exited), sleep(5_000)]);
    cleanUp(record);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const logsDir = path.join(stateDir, 'logs');
    mkdirSync(logsDir, { recursive: true });
    const start = (name: string, command: string, args: string[]) => {
      const log = path.join(logsDir, `${name}.log`);
      const output = openSync(log, 'a');
      const child = spawn('nsenter', [`--net=${netnsPath}`, '--', command, ...args], { stdio: ['ignore', output, output], detached: true });
      components.push({ name, process: child, log });
      return child;
    };
    const inNetwork = (command: string, args: string[], options: ExecaOptions = {}) =>
      execa('nsenter', [`--net=${netnsPath}`, '--', command, ...args], { stdin: 'ignore', ...options }) as Promise<Result>;
    const kubeconfig = path.join(stateDir, 'admin.kubeconfig');
    const kubectl = (args: string[], options: ExecaOptions = {}) => inNetwork(binaries.kubernetes.kubectl, ['--kubeconfig', kubeconfig, ...args], options);

    // The network: lo, a veth pair carrying the node IP, the route to ClusterIPs; no default route.
    const ip = (...args: string[]) => execa('ip', ['-n', id, ...args]);
    await execa('ip', ['netns', 'add', id]);
    await ip('link', 'set', 'lo', 'up');
    await ip('link', 'add', 'node0', 'type', 'veth', 'peer', 'name', 'node1');
    await ip('addr', 'add', `${NODE_IP}/24`, 'dev', 'node0');
    await ip('link', 'set', 'node0', 'up');
    await ip('link', 'set', 'node1', 'up');
    await ip('route', 'add', SERVICE_CIDR, 'dev', 'node0');

    const pki = await createPki(path.join(stateDir, 'pki'), {
      nodeIp: NODE_IP,
      serviceIp: API_SERVICE_IP,
      clients: {
        admin: { user: 'k8s-app-admin', groups: ['system:masters'] },
        'apiserver-kubelet-client': { user: 'kube-apiserver-kubelet-client', groups: ['system:masters'] },
        'controller-manager': { user: 'system:kube-controller-manager' },
        scheduler: { user: 'system:kube-scheduler' },
        kubelet: { user: `system:node:${NODE_NAME}`, groups: ['system:nodes'] },
        'kube-proxy': { user: 'system:kube-proxy' },
      },
    });
    const server = 'https://127.0.0.1:6443';
    const kubeconfigs: Record<string, string> = {};
    for (const client of ['admin', 'controller-manager', 'scheduler', 'kubelet', 'kube-proxy']) {
      kubeconfigs[client] = path.join(stateDir, `${client}.kubeconfig`);
      writeKubeconfig(kubeconfigs[client], server, pki, client);
    }

    // The registry and containerd first: they need nothing else.
    const registryDir = path.join(stateDir, 'registry');
    writeFileSync(
      path.join(stateDir, 'registry.yaml'),
      yamlConfig(['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${registryDir}`, 'http:', `  addr: ${REGISTRY}`]),
    );
    start('registry', binaries.registry, ['serve', path.join(stateDir, 'registry.yaml')]);

    const containerdDir = path.join(stateDir, 'containerd');
    const cniConfDir = path.join(stateDir, 'cni');
    const hostsDir = path.join(containerdDir, 'certs.d');
    for (const [registry, upstream] of Object.entries(MIRRORED_REGISTRIES)) {
      mkdirSync(path.join(hostsDir, registry), { recursive: true });
      writeFileSync(
        path.join(hostsDir, registry, 'hosts.toml'),
        `server = "${upstream}"\n\n# The local registry answers for ${registry}: the upstream is out of reach.\n[host."http://${REGISTRY}"]\n  capabilities = ["pull", "resolve"]\n`,
      );
    }
    mkdirSync(cniConfDir, { recursive: true });
    writeFileSync(
      path.join(cniConfDir, '10-bridge.conflist'),
      JSON.stringify(
        {
          cniVersion: '0.4.0',
          name: 'k8s-app-test',
          plugins: [
            {
              type: 'bridge',
              bridge: 'cni0',
              isGateway: true,
              // Pods reach the pod subnet only: no default route, no NAT out.
              isDefaultGateway: false,
              ipMasq: false,
              hairpinMode: true,
              ipam: { type: 'host-local', ranges: [[{ subnet: POD_CIDR }]], dataDir: path.join(stateDir, 'cni-ipam') },
            },
            { type: 'portmap', capabilities: { portMappings: true } },
          ],
        },
        null,
        2,
      ),
    );
    writeFileSync(
      path.join(containerdDir, 'config.toml'),
      [
        'version = 2',
        `root = "${path.join(containerdDir, 'root')}"`,
        `state = "${path.join(containerdDir, 'state')}"`,
        '[grpc]',
        `  address = "${record.containerdSocket}"`,
        '[plugins."io.containerd.grpc.v1.cri"]',
        `  sandbox_image = "${SANDBOX_IMAGE}"`,
        // runc cannot write /proc/self/oom_score_adj in this sandbox; this keeps it within what is allowed.
        '  restrict_oom_score_adj = true',
        // Pods' network namespaces under the state dir, not /var/run/netns, so the end of the run finds them.
        '  netns_mounts_under_state_dir = true',
        '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
        '  runtime_type = "io.containerd.runc.v2"',
        '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
        '  SystemdCgroup = false',
        `  Root = "${path.join(containerdDir, 'runc')}"`,
        '[plugins."io.containerd.grpc.v1.cri".cni]',
        '  bin_dir = "/usr/lib/cni"',
        `  conf_dir = "${cniConfDir}"`,
        '[plugins."io.containerd.grpc.v1.cri".registry]',
        `  config_path = "${hostsDir}"`,
        '',
      ].join('\n'),
    );
    start('containerd', '/usr/bin/containerd', ['--config', path.join(containerdDir, 'config.toml')]);

    // etcd, then the control plane.
    start('etcd', '/usr/bin/etcd', [
      '--name=k8s-app-test',
      `--data-dir=${path.join(stateDir, 'etcd')}`,
      '--listen-client-urls=http://127.0.0.1:2379',
      '--advertise-client-urls=http://127.0.0.1:2379',
      '--listen-peer-urls=http://127.0.0.1:2380',
      '--initial-advertise-peer-urls=http://127.0.0.1:2380',
      '--initial-cluster=k8s-app-test=http://127.0.0.1:2380',
      '--log-level=warn',
    ]);
    start('kube-apiserver', binaries.kubernetes['kube-apiserver'], [
      '--etcd-servers=http://127.0.0.1:2379',
      '--bind-address=127.0.0.1',
      `--advertise-address=${NODE_IP}`,
      '--secure-port=6443',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      `--client-ca-file=${pki.ca.cert}`,
      `--tls-cert-file=${pki.apiserver.cert}`,
      `--tls-private-key-file=${pki.apiserver.key}`,
      `--service-account-key-file=${pki.serviceAccount.publicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccount.privateKey}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      '--authorization-mode=Node,RBAC',
      // PodSecurity admission is on by default; the namespaces' labels choose the profile.
      '--enable-admission-plugins=NodeRestriction',
      `--kubelet-client-certificate=${pki.client('apiserver-kubelet-client').cert}`,
      `--kubelet-client-key=${pki.client('apiserver-kubelet-client').key}`,
      '--kubelet-preferred-address-types=InternalIP',
      // It would write the loopback address it binds to into the kubernetes Service's endpoints.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ]);
    const deadline = Date.now() + 120_000;
    const waitFor = async (what: string, check: () => Promise<boolean>) => {
      while (!(await check())) {
        const dead = components.find((component) => component.process.exitCode !== null);
        if (dead) throw new Error(`${dead.name} exited with ${dead.process.exitCode} while waiting for ${what}:\n${tail(dead.log, 30)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(250);
      }
    };
    await waitFor('the API server', async () => (await kubectl(['get', '--raw', '/readyz'], { reject: false })).exitCode === 0);

    start('kube-controller-manager', binaries.kubernetes['kube-controller-manager'], [
      `--kubeconfig=${kubeconfigs['controller-manager']}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.serviceAccount.privateKey}`,
      `--root-ca-file=${pki.ca.cert}`,
      `--cluster-signing-cert-file=${pki.ca.cert}`,
      `--cluster-signing-key-file=${pki.ca.key}`,
      '--profiling=false',
    ]);
    start('kube-scheduler', binaries.kubernetes['kube-scheduler'], [
      `--kubeconfig=${kubeconfigs.scheduler}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      '--profiling=false',
    ]);

    // The node.
    const kubeletDir = path.join(stateDir, 'kubelet');
    const podLogsDir = path.join(stateDir, 'pod-logs');
    mkdirSync(kubeletDir, { recursive: true });
    // Pods get no name servers: there is no cluster DNS, and nothing outside may be asked.
    writeFileSync(path.join(stateDir, 'resolv.conf'), '# no DNS in the test cluster\n');
    createCgroupRoot(record.cgroupRoot);
    writeFileSync(
      path.join(stateDir, 'kubelet.yaml'),
      yamlConfig([
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        `address: ${NODE_IP}`,
        'readOnlyPort: 0',
        'healthzBindAddress: 127.0.0.1',
        'authentication:',
        '  anonymous: {enabled: false}',
        '  webhook: {enabled: true}',
        `  x509: {clientCAFile: ${pki.ca.cert}}`,
        'authorization: {mode: Webhook}',
        `containerRuntimeEndpoint: unix://${record.containerdSocket}`,
        `podLogsDir: ${podLogsDir}`,
        `resolvConf: ${path.join(stateDir, 'resolv.conf')}`,
        // Every pod cgroup under a root of this run's, so that the end of the run can find them all.
        `cgroupRoot: ${record.cgroupRoot}`,
        'cgroupDriver: cgroupfs',
        // These machines have cgroup v1, which 1.34 still runs when told to.
        'failCgroupV1: false',
        'failSwapOn: false',
        'makeIPTablesUtilChains: false',
        `syncFrequency: ${KUBELET_SYNC_SECONDS}s`,
        'serializeImagePulls: false',
        'evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}',
        'imageGCHighThresholdPercent: 100',
        'imageGCLowThresholdPercent: 99',
      ]),
    );
    start('kubelet', binaries.kubernetes.kubelet, [
      `--config=${path.join(stateDir, 'kubelet.yaml')}`,
      `--kubeconfig=${kubeconfigs.kubelet}`,
      `--root-dir=${kubeletDir}`,
      `--cert-dir=${path.join(stateDir, 'kubelet-pki')}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
    ]);
    writeFileSync(
      path.join(stateDir, 'kube-proxy.yaml'),
      yamlConfig([
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
        'kind: KubeProxyConfiguration',
        `clientConnection: {kubeconfig: ${kubeconfigs['kube-proxy']}}`,
        'mode: iptables',
        `hostnameOverride: ${NODE_NAME}`,
        // Traffic from outside the pod range to a ClusterIP is masqueraded, so pods can answer it.
        `clusterCIDR: ${POD_CIDR}`,
        'metricsBindAddress: 127.0.0.1:10249',
        'healthzBindAddress: 127.0.0.1:10256',
        // Zero: leave the kernel's global conntrack settings as they are.
        'conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}',
      ]),
    );
    start('kube-proxy', binaries.kubernetes['kube-proxy'], [`--config=${path.join(stateDir, 'kube-proxy.yaml')}`]);

    const cluster: Cluster = {
      netnsPath,
      stateDir,
      kubeconfig,
      podLogsDir,
      binaries,
      kernelSettingsBefore: record.sysctls,
      netnsDirWasMounted: record.netnsDirWasMounted ?? true,
      kubectl,
      inNetwork,
      follow(command, args) {
        const child = spawn('nsenter', [`--net=${netnsPath}`, '--', command, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
        let output = '';
        child.stdout!.on('data', (chunk) => {
          output += chunk;
        });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        return {
          output: () => output,
          async stop() {
            child.kill('SIGTERM');
            await exited;
            return output;
          },
        };
      },
      async pushImage(image) {
        const archive = path.join(stateDir, 'push.tar');
        await execa(DOCKER, ['save', '--output', archive, image]);
        const ctr = (...args: string[]) => inNetwork('ctr', ['--address', record.containerdSocket, '--namespace', 'k8s-app-push', ...args]);
        // Imported into a namespace of its own, so the kubelet's (k8s.io) gets it only by pulling.
        await ctr('images', 'import', '--no-unpack', archive);
        const target = `${REGISTRY}/${registryPath(image)}`;
        await ctr('images', 'tag', '--force', fullName(image), target);
        // The registry's connection can drop mid-upload (ctr: "unexpected EOF"); a push is idempotent, so
        // it is tried again, twice, before the run fails with the last error.
        for (let attempt = 1; ; attempt += 1) {
          try {
            await ctr('images', 'push', '--plain-http', target);
            break;
          } catch (error) {
            if (attempt === 3) throw error;
            await sleep(1000 * attempt);
          }
        }
        await ctr('images', 'remove', target, fullName(image));
      },
      async describeNamespace(namespace) {
        const sections = await Promise.all([
          kubectl(['get', 'pods,replicasets,endpointslices', '-n', namespace, '-o', 'wide'], { reject: false, all: true }),
          kubectl(['get', 'events', '-n', namespace, '--sort-by=.lastTimestamp'], { reject: false, all: true }),
        ]);
        const pods = await kubectl(['get', 'pods', '-n', namespace, '-o', 'name'], { reject: false });
        const logs: string[] = [];
        for (const pod of String(pods.stdout).split('\n').filter(Boolean)) {
          const result = await kubectl(['logs', '-n', namespace, pod, '--all-containers', '--tail=20'], { reject: false, all: true });
          logs.push(`--- ${pod} (last 20 lines)\n${result.all}`);
        }
        return [`namespace ${namespace}`, ...sections.map((section) => section.all), ...logs].join('\n');
      },
      stop,
    };

    await waitFor('the node to be Ready', async () => {
      const { stdout, exitCode } = await kubectl(['get', 'node', NODE_NAME, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], {
        reject: false,
      });
      return exitCode === 0 && stdout === 'True';
    });
    await pushSandboxImage(cluster, binaries.pause);
    return cluster;
  } catch (error) {
    const logs = components.map((component) => `--- ${component.name}\n${tail(component.log, 15)}`).join('\n');
    await stop();
    throw new Error(`the test cluster did not start: ${(error as Error).message}\n${logs}`);
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The pause image, FROM scratch around the rig's own static binary, into the local registry. */
async function pushSandboxImage(cluster: Cluster, pauseBinary: string) {
  const context = mkdtempSync(path.join(cluster.stateDir, 'pause-'));
  writeFileSync(path.join(context, 'pause'), readFileSync(pauseBinary), { mode: 0o755 });
  writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n');
  await execa(DOCKER, ['build', '--quiet', '--network', 'host', '-t', SANDBOX_IMAGE, context], { env: { DOCKER_BUILDKIT: '1' } });
  await cluster.pushImage(SANDBOX_IMAGE);
}
