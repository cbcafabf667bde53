// What a test cluster changes outside its own folder, recorded before it starts so that it can be put
// back on every exit path: at the end of the run, on a signal, or by the next run (or `.ci/run`'s
// trap) when the process that started it died without cleaning up.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Global kernel settings. The kubelet sets the first six at start (its kernel tunables); kube-proxy
 * is configured to leave conntrack alone, and the last three prove it.
 */
export const GLOBAL_SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'net/netfilter/nf_conntrack_max',
  'net/netfilter/nf_conntrack_tcp_timeout_established',
  'net/netfilter/nf_conntrack_tcp_timeout_close_wait',
] as const;

const RECORDS_DIR = '/run/k8s-app-cluster';

/** Everything a run leaves on the host, by name. */
export interface ClusterRecord {
  /** The process that started the cluster; the record is stale once it is gone. */
  pid: number;
  netns: string;
  stateDir: string;
  /** The kubelet's cgroup root (under every cgroup v1 hierarchy). */
  cgroupRoot: string;
  containerdSocket: string;
  sysctls: Record<string, string>;
  /** Whether /run/netns was a mount point before the run: `ip netns add` makes it one, and it is undone
   * only when the run made it (absent in records of older runs: left alone). */
  netnsDirWasMounted?: boolean;
}

/** Where `ip netns add` puts named network namespaces (bind-mounting the folder onto itself first). */
export const NETNS_DIR = '/run/netns';

export function readSysctls(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of GLOBAL_SYSCTLS) {
    const file = `/proc/sys/${name}`;
    if (existsSync(file)) values[name] = readFileSync(file, 'utf8').trim();
  }
  return values;
}

export function writeRecord(record: ClusterRecord) {
  mkdirSync(RECORDS_DIR, { recursive: true });
  writeFileSync(path.join(RECORDS_DIR, `${record.netns}.json`), JSON.stringify(record, null, 2));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processes(): { pid: number; args: string[] }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        return [{ pid: Number(name), args: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean) }];
      } catch {
        return [];
      }
    });
}

function kill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Mounted cgroup v1 hierarchies: /sys/fs/cgroup/<controller>. */
function cgroupHierarchies(): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields[2] === 'cgroup')
    .map((fields) => fields[1]!);
}

/** Every cgroup under `root` in one hierarchy, deepest first. */
function cgroupTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const children = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => cgroupTree(path.join(dir, entry.name)));
  return [...children, dir];
}

/** Creates the kubelet's cgroup root in every hierarchy (cpuset needs its parent's CPUs and nodes). */
export function createCgroupRoot(cgroupRoot: string) {
  for (const hierarchy of cgroupHierarchies()) {
    const dir = path.join(hierarchy, cgroupRoot);
    mkdirSync(dir, { recursive: true });
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      const parent = path.join(hierarchy, file);
      if (existsSync(parent)) writeFileSync(path.join(dir, file), readFileSync(parent, 'utf8'));
    }
  }
}

function sleepMs(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The processes of every pod: everything in the kubelet's cgroup root. */
function killPodProcesses(cgroupRoot: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = cgroupHierarchies()
      .filter((hierarchy) => hierarchy.endsWith('/pids') || hierarchy.endsWith('/freezer'))
      .flatMap((hierarchy) => cgroupTree(path.join(hierarchy, cgroupRoot)))
      .flatMap((dir) => readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
    if (pids.length === 0) return;
    for (const pid of pids) kill(pid, 'SIGKILL');
    sleepMs(100);
  }
}

function removeCgroups(cgroupRoot: string) {
  for (const hierarchy of cgroupHierarchies()) {
    for (const dir of cgroupTree(path.join(hierarchy, cgroupRoot))) {
      try {
        rmdirSync(dir);
      } catch {
        // Busy or gone; a later cleanup retries.
      }
    }
  }
}

/** Every mount point of this mount namespace. */
function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountPoint): mountPoint is string => Boolean(mountPoint));
}

export function isMountPoint(dir: string): boolean {
  return mountPoints().includes(dir);
}

/** Unmounts everything mounted under `dir` (kubelet volumes, container root filesystems), deepest first. */
function unmountUnder(dir: string) {
  const mounts = mountPoints()
    .filter((mountPoint) => mountPoint === dir || mountPoint.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const mountPoint of mounts) {
    try {
      execFileSync('umount', ['--lazy', mountPoint], { stdio: 'ignore' });
    } catch {
      // Already unmounted with its parent.
    }
  }
}

/**
 * Stops whatever of a run is still there and puts the host back: pod processes, containerd's shims,
 * mounts, cgroups, the network namespace, the kernel settings. Safe to call more than once.
 */
export function cleanUp(record: ClusterRecord) {
  const mine = (args: string[]) => args.some((arg) => arg === record.containerdSocket || arg.startsWith(record.stateDir));
  for (const { pid, args } of processes()) if (pid !== process.pid && mine(args)) kill(pid, 'SIGKILL');
  killPodProcesses(record.cgroupRoot);
  unmountUnder(record.stateDir);
  removeCgroups(record.cgroupRoot);
  try {
    execFileSync('ip', ['netns', 'delete', record.netns], { stdio: 'ignore' });
  } catch {
    // Not there.
  }
  // The folder's own mount, when this run made it and no other namespace is left in it.
  if (record.netnsDirWasMounted === false && isMountPoint(NETNS_DIR) && readdirSync(NETNS_DIR).length === 0) unmountUnder(NETNS_DIR);
  for (const [name, value] of Object.entries(record.sysctls)) {
    try {
      if (readFileSync(`/proc/sys/${name}`, 'utf8').trim() !== value) writeFileSync(`/proc/sys/${name}`, value);
    } catch {
      // Not writable here: nothing could have changed it either.
    }
  }
  rmSync(record.stateDir, { recursive: true, force: true });
  rmSync(path.join(RECORDS_DIR, `${record.netns}.json`), { force: true });
}

/** Cleans up after runs whose process died without doing it. */
export function cleanUpStaleClusters(): string[] {
  if (!existsSync(RECORDS_DIR)) return [];
  const cleaned: string[] = [];
  for (const file of readdirSync(RECORDS_DIR).filter((name) => name.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(path.join(RECORDS_DIR, file), 'utf8')) as ClusterRecord;
    if (alive(record.pid)) continue;
    cleanUp(record);
    cleaned.push(record.netns);
  }
  return cleaned;
}
