import type { RepoFiles, RetrofitBuild, Serving, Stack } from './types.ts';

// Java: Spring Boot on the current LTS by default (25), the previous LTS (21) offered. Distroless
// java<version>-debian13 carries a Temurin JRE; Alpine uses Temurin's own JRE image.
/**
 * The JVM's options wherever the service runs. The heap follows the container's memory limit (the
 * default is a quarter of it): 60%, so the rest holds what lives outside the heap (a Spring Boot
 * service's metaspace, code cache and thread stacks: most of the 260 MB the bench measures under load); an OutOfMemoryError ends the process so Kubernetes restarts it; and the
 * JVM's own warnings (CDS, perf data) go to stderr, since stdout carries only the service's JSON lines.
 */
const JVM_OPTIONS = ['-XX:MaxRAMPercentage=60', '-XX:+ExitOnOutOfMemoryError', '-Xlog:disable', '-Xlog:all=warning:stderr'];

/**
 * The starter's start-up archive, written at build time by a training run (templates/docker/java/
 * _runtime-app.ejs): from Java 24 the AOT cache (the classes a start loads, already linked, and on 25
 * their method profiles), a sixth faster to ready than Java 21's class data sharing archive.
 */
const startupArchiveOption = (version: string) => (Number(version) >= 24 ? '-XX:AOTCache=/app/app.aot' : '-XX:SharedArchiveFile=/app/app.jsa');

const java: Stack = {
  language: 'java',
  displayName: 'Java (Spring Boot with Actuator)',
  versionArg: 'JAVA_VERSION',
  defaultVersion: '25',
  versions: [
    // Stand-ins carry Debian 13's OpenJDK of the same feature release (the tag names only that).
    { version: '25', label: 'Java 25 (LTS)', toolchain: '25', families: ['distroless', 'alpine'] },
    { version: '21', label: 'Java 21 (LTS)', toolchain: '21', families: ['distroless', 'alpine'] },
  ],
  images: {
    distroless: { builder: 'eclipse-temurin:{version}-jdk', runtime: 'gcr.io/distroless/java{version}-debian13:nonroot' },
    alpine: { builder: 'eclipse-temurin:{version}-jdk-alpine', runtime: 'eclipse-temurin:{version}-jre-alpine' },
  },
  sourceDir: 'src',
  localToolchain: 'a JDK {version} (Eclipse Temurin {version}, say) as JAVA_HOME or java on PATH; the Maven wrapper fetches Maven itself',
  commands: {
    install: './mvnw -B -q dependency:go-offline',
    build: './mvnw -B -q package -DskipTests',
    test: './mvnw -B -q test',
    start: 'java -jar target/app.jar',
  },
  runtimeOptions: JVM_OPTIONS,
  // The java launcher reads JDK_JAVA_OPTIONS; asking for large pages where none are configured (as on
  // these machines) makes the JVM log a warning of its own, by default on stdout.
  runtimeDiagnostics: { env: { JDK_JAVA_OPTIONS: '-XX:+UseLargePages' }, printed: 'UseLargePages disabled' },
  serveCommand: ['java', ...JVM_OPTIONS, '-jar', 'target/app.jar'],
  container: (family, { retrofit, healthModule, runtimeVersion }) => ({
    program: [
      family === 'distroless' ? '/usr/bin/java' : '/opt/java/openjdk/bin/java',
      ...JVM_OPTIONS,
      ...(retrofit ? [] : [startupArchiveOption(runtimeVersion)]),
      ...(healthModule ? ['-javaagent:/app/k8s-health.jar'] : []),
      '-jar',
      '/app/app.jar',
    ],
  }),
  // The JVM exits 128+signal after its shutdown hooks ran: 143 for SIGTERM, 130 for SIGINT.
  signalExitCodes: [143, 130],
  cacheMounts: ['/root/.m2'],
  dockerignore: ['target'],
  gitignore: ['/target/'],
  // The JVM and Spring take seconds to start, more at a low CPU limit: 60 periods of 2 s.
  ci: {
    githubSetup: { uses: 'actions/setup-java@v5', with: { distribution: 'temurin', 'java-version': '{version}', cache: 'maven' } },
    gitlabImage: 'eclipse-temurin:{version}-jdk',
  },
  startupProbe: { periodSeconds: 2, failureThreshold: 60 },
  resources: {
    requests: { cpu: '250m', memory: '384Mi' },
    limits: { cpu: '1', memory: '512Mi' },
  },
  // Measured: 230 MB idle, 260 MB under the bench's load, most of it outside the heap (metaspace,
  // code cache, threads): the heap's cap (MaxRAMPercentage) leaves 256Mi of the limit to those.
  starterResources: {
    requests: { cpu: '250m', memory: '320Mi' },
    limits: { cpu: '1', memory: '640Mi' },
  },
  detection: {
    markers: ['pom.xml', 'build.gradle', 'build.gradle.kts'],
    buildTools: [
      { name: 'maven', markers: ['pom.xml'] },
      { name: 'gradle', markers: ['build.gradle.kts', 'build.gradle'] },
    ],
    runtimeVersion: [
      { file: 'pom.xml', pattern: /<(?:java\.version|maven\.compiler\.release|maven\.compiler\.target)>(\d+)</ },
      { file: 'build.gradle.kts', pattern: /JavaLanguageVersion\.of\((\d+)\)/ },
      { file: 'build.gradle', pattern: /JavaLanguageVersion\.of\((\d+)\)/ },
      { file: 'build.gradle', pattern: /sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_)?['"]?(\d+)/ },
      // The image an existing Dockerfile builds on, last: the repo's own files say it first.
      { file: 'Dockerfile', pattern: /^FROM\s+(?:\S+\/)?(?:eclipse-temurin|openjdk|amazoncorretto):(\d+)/m },
    ],
    start: [
      { file: 'pom.xml', pattern: /<(?:start-class|mainClass)>([^<]+)</ },
      { file: 'build.gradle.kts', pattern: /mainClass\.set\("([^"]+)"\)/ },
    ],
    // Spring Boot Actuator serves these on Kubernetes (it enables its probe groups there by itself).
    health: [
      { file: 'pom.xml', pattern: /(spring-boot-starter-actuator)/, liveness: '/actuator/health/liveness', readiness: '/actuator/health/readiness' },
      { file: 'build.gradle.kts', pattern: /(spring-boot-starter-actuator)/, liveness: '/actuator/health/liveness', readiness: '/actuator/health/readiness' },
      { file: 'build.gradle', pattern: /(spring-boot-starter-actuator)/, liveness: '/actuator/health/liveness', readiness: '/actuator/health/readiness' },
    ],
    // Spring Boot listens on 8080 unless server.port says otherwise.
    defaultPort: (repo) => (usesSpringBoot(repo) ? { value: '8080', from: "Spring Boot's default server.port" } : undefined),
    // Placeholders without a default (`${DB_URL}`, not `${DB_URL:jdbc:...}`): listed for the manifests (k8s/README.md).
    env: [/\$\{([A-Z][A-Z0-9_]*)\}/g],
    // Folders the service writes into (log files): mounted writable where the image can.
    writableDirs: [/^logging\.file\.name\s*=\s*\.?\/?([\w-]+)\/[^/\s]+$/gm],
    // A listener on loopback only: unreachable from the kubelet's probes and the Service.
    loopback: [
      /server\.address\s*[=:]\s*(?:127\.0\.0\.1|localhost)\b/,
      /^server:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+address:[ \t]*["']?(?:127\.0\.0\.1|localhost)\b/m,
    ],
    port: { extensions: ['.properties', '.yml', '.yaml'], patterns: [/server\.port\s*[=:]\s*(?:\$\{[^:}]+:)?(\d{2,5})/, /^\s*port:\s*(\d{2,5})/m] },
  },
  retrofit: { plan: retrofitBuild, workdir: () => '/app', serving: springServing },
  // Gradle's image (its major release), for repositories without the Gradle wrapper.
  buildToolVersions: { gradle: '9' },
  dependencies: {
    // The current GA line. 4.1.2 is published, but not all of its artifacts are reachable from
    // this project's build machines yet; move on when they are.
    'spring-boot': '4.1.1',
    maven: '3.9.16',
    'maven-wrapper': '3.3.2',
  },
  names: (appName) => {
    const identifier = javaIdentifier(appName.replaceAll('-', ''));
    return { javaPackage: `com.example.${identifier}`, javaPackagePath: `com/example/${identifier}` };
  },
};

/** Java keywords cannot name a package; the convention is a trailing underscore. */
const JAVA_KEYWORDS = new Set(
  (
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends final ' +
    'finally float for goto if implements import instanceof int interface long native new package private protected ' +
    'public return short static strictfp super switch synchronized this throw throws transient try void volatile while ' +
    'true false null var record yield sealed permits'
  ).split(' '),
);

/** A package name part from a DNS label: keywords get a trailing underscore, a leading digit a leading one (JLS 6.1). */
function javaIdentifier(text: string): string {
  if (JAVA_KEYWORDS.has(text)) return `${text}_`;
  return /^[0-9]/.test(text) ? `_${text}` : text;
}

export default java;

/** Maven or Gradle, through the repo's wrapper when it has one; the runnable jar becomes /app/app.jar. */
/** What a Maven or Gradle project's image build needs beyond the common facts. */
export interface JavaBuild extends RetrofitBuild {
  /** Whether the repository has the tool's wrapper (else the tool's own image builds it). */
  wrapper: boolean;
  /** Files and folders the dependency resolution reads, copied before the sources. */
  manifests: string[];
  manifestFolders: string[];
  /** The commands that resolve the dependencies and build the jar, where the jar lands, and the tool's cache. */
  resolve: string;
  package: string;
  jarDir: string;
  cache: string;
}

function retrofitBuild(repo: RepoFiles): JavaBuild {
  const ignore = ['target', 'build', '.gradle', '**/*.iml', '.idea'];
  const base = { context: '', servicePath: '', ignore };
  if (repo.exists('pom.xml')) {
    const wrapper = repo.exists('mvnw');
    const mvn = wrapper ? './mvnw' : 'mvn';
    return {
      ...base,
      tool: 'maven',
      summary: `${mvn} package (pom.xml)${wrapper ? '' : ', on the Maven image: the repo has no Maven wrapper'}`,
      wrapper,
      builder: wrapper ? undefined : { distroless: 'maven:3-eclipse-temurin-{version}', alpine: 'maven:3-eclipse-temurin-{version}-alpine' },
      manifests: wrapper ? ['mvnw', 'pom.xml'] : ['pom.xml'],
      manifestFolders: wrapper && repo.exists('.mvn') ? ['.mvn'] : [],
      resolve: `${mvn} -B -q dependency:go-offline`,
      package: `${mvn} -B -q package -DskipTests`,
      jarDir: 'target',
      cache: '/root/.m2',
    };
  }
  const wrapper = repo.exists('gradlew');
  const gradle = wrapper ? './gradlew' : 'gradle';
  const buildFile = repo.exists('build.gradle.kts') ? 'build.gradle.kts' : 'build.gradle';
  return {
    ...base,
    tool: 'gradle',
    summary: `${gradle} assemble (${buildFile})${wrapper ? '' : ', on the Gradle image: the repo has no Gradle wrapper'}`,
    wrapper,
    builder: wrapper
      ? undefined
      : { distroless: `gradle:${java.buildToolVersions!.gradle}-jdk{version}`, alpine: `gradle:${java.buildToolVersions!.gradle}-jdk{version}-alpine` },
    manifests: [
      ...(wrapper ? ['gradlew'] : []),
      ...['settings.gradle.kts', 'settings.gradle', buildFile, 'gradle.properties'].filter((file) => repo.exists(file)),
    ],
    manifestFolders: repo.exists('gradle') ? ['gradle'] : [],
    resolve: `${gradle} --no-daemon -q dependencies`,
    package: `${gradle} --no-daemon -q assemble`,
    jarDir: 'build/libs',
    cache: '/root/.gradle',
  };
}

/**
 * Spring Boot reads its port from SERVER_PORT (server.port), not PORT. Its graceful shutdown (the
 * default since Spring Boot 3.4) waits spring.lifecycle.timeout-per-shutdown-phase, 30 s unless the
 * application's settings say.
 */
function springServing({ port, repo }: { port: number; repo: RepoFiles }): Serving {
  if (!usesSpringBoot(repo)) return {};
  const settings = ['src/main/resources/application.properties', 'src/main/resources/application.yml', 'src/main/resources/application.yaml'];
  for (const file of settings) {
    const match = /timeout-per-shutdown-phase\s*[=:]\s*["']?(\d+)\s*(ms|s|m)?\b/.exec(repo.read(file) ?? '');
    if (!match) continue;
    const factor = { ms: 0.001, s: 1, m: 60 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm'];
    return { env: { SERVER_PORT: String(port) }, drain: { seconds: Math.ceil(Number(match[1]) * factor), from: `${file} (timeout-per-shutdown-phase)` } };
  }
  return { env: { SERVER_PORT: String(port) }, drain: { seconds: 30, from: "Spring Boot's default timeout-per-shutdown-phase" } };
}

/** Whether the build (Maven or Gradle) is a Spring Boot application's. */
function usesSpringBoot(repo: RepoFiles): boolean {
  return ['pom.xml', 'build.gradle.kts', 'build.gradle'].some((file) => /spring-boot/.test(repo.read(file) ?? ''));
}
