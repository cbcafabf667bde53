// Runs each real linter on one file and turns its output into findings: which rule, where, what.
import { execa } from 'execa';
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
