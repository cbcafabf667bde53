// Runs each real linter on one file and turns its output into findings: which rule, where, what.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import type { LintTools } from './tools.ts';

export interface Finding {
  tool: string;
  rule: string;
  /** The object or line the rule fired on. */
  where: string;
  message: string;
}

/** hadolint at its default failure threshold (info and above). */
export async function hadolint(tools: LintTools, dockerfile: string): Promise<Finding[]> {
  const { stdout, exitCode } = await execa(tools.hadolint, ['--no-color', '--format', 'json', dockerfile], { reject: false });
  const results = JSON.parse(stdout || '[]') as { code: string; line: number; level: string; message: string }[];
  const findings = results.map((result) => ({ tool: 'hadolint', rule: result.code, where: `line ${result.line} (${result.level})`, message: result.message }));
  if (exitCode !== 0 && findings.length === 0) throw new Error(`hadolint failed on ${dockerfile}: ${stdout}`);
  return findings;
}

/** kube-score, where a warning fails as much as a critical (--exit-one-on-warning). */
export async function kubeScore(tools: LintTools, manifests: string): Promise<Finding[]> {
  const { stdout, exitCode } = await execa(
    tools.kubeScore,
    [
      'score',
      '--output-format',
      'json',
      '--exit-one-on-warning',
      '--kubernetes-version',
      tools.kubernetesMinor,
      '--enable-optional-test',
      'container-seccomp-profile',
      manifests,
    ],
    { reject: false },
  );
  type Scored = {
    object_name: string;
    type_meta: { kind: string };
    checks: { check: { id: string }; grade: number; skipped: boolean; comments: { summary: string; description: string }[] | null }[];
  };
  if (exitCode !== 0 && !stdout.startsWith('[')) throw new Error(`kube-score failed on ${manifests}: ${stdout}`);
  // Grades: 10 OK, 7 almost OK (a notice), 5 warning, 1 critical; --exit-one-on-warning fails at 5 and below.
  const findings = (JSON.parse(stdout) as Scored[]).flatMap((object) =>
    object.checks
      .filter((check) => !check.skipped && check.grade <= 5)
      .map((check) => ({
        tool: 'kube-score',
        rule: check.check.id,
        where: `${object.type_meta.kind}/${object.object_name}`,
        message: (check.comments ?? []).map((comment) => `${comment.summary} ${comment.description ?? ''}`.trim()).join('; '),
      })),
  );
  // kube-score's own verdict decides; the findings only explain it.
  if ((exitCode === 0) !== (findings.length === 0)) throw new Error(`kube-score exited ${exitCode} with ${findings.length} findings on ${manifests}`);
  return findings;
}

/** kubeconform -strict against the schemas of the pinned Kubernetes version; a missing schema is an error too. */
export async function kubeconform(tools: LintTools, manifests: string): Promise<Finding[]> {
  const { stdout } = await execa(
    tools.kubeconform,
    ['-strict', '-summary', '-output', 'json', '-kubernetes-version', tools.kubernetesVersion, '-schema-location', tools.schemaLocation, manifests],
    { reject: false },
  );
  const report = JSON.parse(stdout) as { resources: { kind: string; name: string; status: string; msg: string }[]; summary: { valid: number } };
  if (report.summary.valid === 0 && report.resources.length === 0) throw new Error(`kubeconform found no resource in ${manifests}`);
  return report.resources
    .filter((resource) => resource.status !== 'statusValid')
    .map((resource) => ({ tool: 'kubeconform', rule: resource.status, where: `${resource.kind}/${resource.name}`, message: resource.msg }));
}

/** The Pod Security Standards restricted profile, with the admission plugin's own policy code. */
export async function podSecurity(tools: LintTools, manifests: string, rendered: string): Promise<Finding[]> {
  const { stdout, stderr, exitCode } = await execa(tools.pssCheck, ['-level', 'restricted', '-version', tools.kubernetesMinor], {
    input: rendered,
    reject: false,
  });
  if (exitCode === 2) throw new Error(`pss-check could not read ${manifests}: ${stderr}`);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [where, reason, ...detail] = line.split(': ');
      return { tool: 'pod-security restricted', rule: reason ?? line, where: where ?? '', message: detail.join(': ') };
    });
}

export function describeFindings(findings: Finding[]): string {
  return findings.map((finding) => `  ${finding.tool} ${finding.rule} at ${finding.where}: ${finding.message}`).join('\n');
}

/** The probe checks kube-linter leaves out of its defaults. */
const KUBE_LINTER_PROBE_CHECKS = ['liveness-port', 'readiness-port', 'startup-port', 'no-liveness-probe', 'no-readiness-probe'];

/** kube-linter: its default checks plus the probe checks. */
export async function kubeLinter(tools: LintTools, manifests: string): Promise<Finding[]> {
  const { stdout, stderr, exitCode } = await execa(tools.kubeLinter, ['lint', '--format', 'json', '--include', KUBE_LINTER_PROBE_CHECKS.join(','), manifests], {
    reject: false,
  });
  type Report = { Check: string; Diagnostic: { Message: string }; Object: { K8sObject: { Name: string; GroupVersionKind: { Kind: string } } } };
  if (!stdout.startsWith('{')) throw new Error(`kube-linter failed on ${manifests} (exit ${exitCode}): ${stderr}`);
  const report = JSON.parse(stdout) as { Reports: Report[] | null; Summary: { ChecksStatus: string } };
  const findings = (report.Reports ?? []).map((found) => ({
    tool: 'kube-linter',
    rule: found.Check,
    where: `${found.Object.K8sObject.GroupVersionKind.Kind}/${found.Object.K8sObject.Name}`,
    message: found.Diagnostic.Message,
  }));
  if ((exitCode === 0) !== (findings.length === 0))
    throw new Error(`kube-linter exited ${exitCode} with ${findings.length} findings on ${manifests}: ${stderr}`);
  return findings;
}

/** Nothing leaves the machine: no check bundle download, no version check, no telemetry. */
const TRIVY_OFFLINE = ['--skip-check-update', '--skip-version-check', '--disable-telemetry'];

/**
 * trivy's misconfiguration scan of a folder, run in `cwd` so that the project's own trivy.yaml is
 * read as it is for a user; returns the findings per file, relative to `folder`.
 */
export async function trivyConfig(tools: LintTools, folder: string, cwd: string, cacheDir: string): Promise<Map<string, Finding[]>> {
  const { stdout, stderr, exitCode } = await execa(tools.trivy, ['config', ...TRIVY_OFFLINE, '--cache-dir', cacheDir, '--format', 'json', '--quiet', folder], {
    cwd,
    reject: false,
  });
  if (exitCode !== 0) throw new Error(`trivy config failed on ${folder} (exit ${exitCode}): ${stderr}`);
  type Result = { Target: string; Misconfigurations?: { ID: string; Severity: string; Message: string; CauseMetadata?: { StartLine?: number } }[] };
  const byFile = new Map<string, Finding[]>();
  for (const result of (JSON.parse(stdout) as { Results?: Result[] }).Results ?? []) {
    const findings = (result.Misconfigurations ?? []).map((found) => ({
      tool: 'trivy config',
      rule: found.ID,
      where: `line ${found.CauseMetadata?.StartLine ?? '-'} (${found.Severity})`,
      message: found.Message,
    }));
    byFile.set(result.Target, findings);
  }
  return byFile;
}

/**
 * checkov over a folder, its Kubernetes and Dockerfile checks, offline (no download of external
 * checks or guidelines, no version check). Returns, for every file it read, its failed checks; files
 * are named by their path from `folder`.
 */
export async function checkov(tools: LintTools, folder: string): Promise<Map<string, Finding[]>> {
  const { stdout, stderr, exitCode } = await execa(
    tools.checkovPython,
    ['-m', 'checkov.main', '--directory', '.', '--framework', 'kubernetes', 'dockerfile', '--skip-download', '--compact', '--output', 'json'],
    // Run inside the folder: checkov then names every file by its path from there.
    { cwd: folder, reject: false, env: { CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' } },
  );
  if (!/^[[{]/.test(stdout)) throw new Error(`checkov failed on ${folder} (exit ${exitCode}): ${stderr}`);
  type Check = { check_id: string; check_name: string; file_path: string; resource: string };
  // A framework that found no file to check reports a summary alone.
  type Report = { check_type: string; summary: { parsing_errors: number }; results?: { passed_checks: Check[]; failed_checks: Check[] } };
  const parsed = JSON.parse(stdout) as Report | Report[];
  // Every file checkov read has an entry, empty when all its checks passed.
  const byFile = new Map<string, Finding[]>();
  const fileOf = (check: Check) => check.file_path.replace(/^\//, '');
  for (const report of Array.isArray(parsed) ? parsed : [parsed]) {
    if (report.summary.parsing_errors > 0)
      throw new Error(`checkov could not parse ${report.summary.parsing_errors} ${report.check_type} file(s) in ${folder}`);
    for (const passed of report.results?.passed_checks ?? []) if (!byFile.has(fileOf(passed))) byFile.set(fileOf(passed), []);
    for (const failed of report.results?.failed_checks ?? []) {
      const file = fileOf(failed);
      byFile.set(file, [...(byFile.get(file) ?? []), { tool: 'checkov', rule: failed.check_id, where: failed.resource, message: failed.check_name }]);
    }
  }
  return byFile;
}

/** Compose v2's own check: `config` loads the project as `docker compose up` would, and needs no engine. */
export async function composeConfig(tools: LintTools, projectDir: string, file = 'compose.yaml'): Promise<Finding[]> {
  const { exitCode, all } = await execa(tools.compose, ['--project-directory', projectDir, '-f', path.join(projectDir, file), 'config', '--quiet'], {
    reject: false,
    all: true,
  });
  return exitCode === 0 ? [] : [{ tool: 'compose', rule: 'config', where: file, message: all.trim() }];
}

/** actionlint, with shellcheck on every `run:` script. */
export async function actionlint(tools: LintTools, workflow: string): Promise<Finding[]> {
  const { stdout, exitCode } = await execa(tools.actionlint, ['-format', '{{json .}}', '-shellcheck', tools.shellcheck, workflow], { reject: false });
  const results = JSON.parse(stdout || '[]') as { message: string; line: number; column: number; kind: string }[];
  const findings = results.map((result) => ({ tool: 'actionlint', rule: result.kind, where: `line ${result.line}:${result.column}`, message: result.message }));
  if ((exitCode === 0) !== (findings.length === 0)) throw new Error(`actionlint exited ${exitCode} with ${findings.length} findings on ${workflow}: ${stdout}`);
  return findings;
}

const GITLAB_CI_SCHEMA = new URL('./schemas/gitlab-ci.json', import.meta.url);
let gitlabValidator: ReturnType<Ajv['compile']> | undefined;

/** A .gitlab-ci.yml against GitLab's published CI schema (lint/schemas/, where it comes from). */
export function gitlabCiSchema(file: string): Finding[] {
  // The schema uses keywords of GitLab's editor (markdownDescription): not strict; formats are not checked.
  gitlabValidator ??= new Ajv({ strict: false, allErrors: true, logger: false }).compile(JSON.parse(readFileSync(GITLAB_CI_SCHEMA, 'utf8')));
  if (gitlabValidator(parseYaml(readFileSync(file, 'utf8')))) return [];
  return (gitlabValidator.errors ?? []).map((error) => ({
    tool: 'gitlab-ci schema',
    rule: error.keyword,
    where: error.instancePath || '/',
    message: `${error.message ?? ''} ${JSON.stringify(error.params)}`,
  }));
}

/** `helm lint --strict` of a chart with one environment's values file: every message is a finding. */
export async function helmLint(tools: LintTools, chart: string, valuesFile: string): Promise<Finding[]> {
  const { stdout, exitCode } = await execa(tools.helm, ['lint', '--strict', chart, '-f', valuesFile], { reject: false, all: true });
  // Chart.yaml's icon is for chart repositories' listings: a chart inside a service's repository has none.
  const findings = stdout
    .split('\n')
    .filter((line) => /^\[(INFO|WARNING|ERROR)\]/.test(line) && !line.includes('icon is recommended'))
    .map((line) => ({ tool: 'helm lint --strict', rule: /^\[(\w+)\]/.exec(line)![1]!, where: path.basename(valuesFile), message: line }));
  if (exitCode !== 0 && findings.length === 0) throw new Error(`helm lint failed on ${chart}: ${stdout}`);
  return findings;
}

/** The objects a chart renders with one environment's values into a namespace, as `helm template` prints them. */
export async function helmTemplate(tools: LintTools, chart: string, release: string, namespace: string, valuesFile: string): Promise<string> {
  const { stdout } = await execa(tools.helm, ['template', release, chart, '--namespace', namespace, '-f', valuesFile]);
  return stdout;
}
