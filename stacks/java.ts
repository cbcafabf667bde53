import { ALPINE_IMAGE } from './common.ts';
import type { Stack } from './types.ts';

// Java: Spring Boot on the current LTS by default (25), the previous LTS (21) offered. Distroless
// java<version>-debian13 carries a Temurin JRE; Alpine uses Temurin's own JRE image.
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
  commands: {
    install: './mvnw -B -q dependency:go-offline',
    build: './mvnw -B -q package -DskipTests',
    test: './mvnw -B -q test',
    start: 'java -jar target/app.jar',
  },
  // The heap follows the container's memory limit (the JVM's default is a quarter of it).
  serveCommand: ['java', '-XX:MaxRAMPercentage=75', '-jar', 'target/app.jar'],
  // The JVM exits 128+signal after its shutdown hooks ran: 143 for SIGTERM, 130 for SIGINT.
  signalExitCodes: [143, 130],
  cacheMounts: ['/root/.m2'],
  dockerignore: ['target'],
  gitignore: ['/target/'],
  // The JVM and Spring take seconds to start, more at a low CPU limit: 60 periods of 2 s.
  startupProbe: { periodSeconds: 2, failureThreshold: 60 },
  resources: {
    requests: { cpu: '250m', memory: '384Mi' },
    limits: { cpu: '1', memory: '512Mi' },
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
    ],
    start: [
      { file: 'pom.xml', pattern: /<(?:start-class|mainClass)>([^<]+)</ },
      { file: 'build.gradle.kts', pattern: /mainClass\.set\("([^"]+)"\)/ },
    ],
    port: { extensions: ['.properties', '.yml', '.yaml'], patterns: [/server\.port\s*[=:]\s*(?:\$\{[^:}]+:)?(\d{2,5})/, /^\s*port:\s*(\d{2,5})/m] },
  },
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
  ('abstract assert boolean break byte case catch char class const continue default do double else enum extends final ' +
    'finally float for goto if implements import instanceof int interface long native new package private protected ' +
    'public return short static strictfp super switch synchronized this throw throws transient try void volatile while ' +
    'true false null var record yield sealed permits')
    .split(' '),
);

/** A package name part from a DNS label: keywords get a trailing underscore, a leading digit a leading one (JLS 6.1). */
function javaIdentifier(text: string): string {
  if (JAVA_KEYWORDS.has(text)) return `${text}_`;
  return /^[0-9]/.test(text) ? `_${text}` : text;
}

export default java;
