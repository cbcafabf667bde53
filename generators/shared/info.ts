// The machine interface for platforms that wrap k8s-app: what it offers (`k8s-app --info`) and what a
// dry run would do (`k8s-app --dry-run --json`), as JSON documents with published schemas (schemas/).
import { readFileSync } from 'node:fs';
import { IMAGE_FAMILIES, STACKS } from '../../stacks/registry.ts';
import { ANSWER_SPECS, type Answers } from './answers.ts';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** This release, as .yo-rc.json records it (an upgrade compares it). */
export const GENERATOR_VERSION = PACKAGE.version;

/** Options that act on the run rather than set an answer. */
export const RUN_OPTIONS = [
  { option: 'defaults', type: 'boolean', description: 'Use the default for every answer not given as an option; ask nothing' },
  { option: 'force', type: 'boolean', description: 'Overwrite existing files without asking' },
  { option: 'dry-run', type: 'boolean', description: 'List every file that would be created or changed; write and install nothing' },
  { option: 'json', type: 'boolean', description: 'With --dry-run: print the resolved answers and the files as JSON on stdout' },
  { option: 'skip-install', type: 'boolean', description: "Do not install a new project's dependencies" },
  { option: 'info', type: 'boolean', description: 'Print the languages, versions, image families and options as JSON, and exit' },
  {
    option: 'preset',
    type: 'string',
    description: 'A company preset (schemas/preset.schema.json): a JSON or YAML file, or an installed package that ships one; recorded in .yo-rc.json',
  },
  {
    option: 'backstage-template',
    type: 'boolean',
    description:
      "Write template.yaml, a Backstage software template whose form asks these answers (the preset's locked ones excepted) and runs k8s-app; generates no service",
  },
  { option: 'override-lock', type: 'boolean', description: 'Let options override the answers the preset locks (reported, and recorded in .yo-rc.json)' },
] as const;

export function generatorInfo() {
  return {
    generator: { name: PACKAGE.name, version: PACKAGE.version },
    imageFamilies: [...IMAGE_FAMILIES],
    languages: STACKS.map((stack) => ({
      language: stack.language,
      displayName: stack.displayName,
      defaultVersion: stack.defaultVersion,
      versions: stack.versions.map((runtime) => ({ version: runtime.version, label: runtime.label, families: [...runtime.families] })),
      images: stack.images,
    })),
    options: [
      ...ANSWER_SPECS.map((spec) => ({
        option: spec.option,
        answer: spec.name,
        type: 'string',
        description: spec.description,
        prompt: spec.prompt.message,
        ...(spec.appliesWhen ? { appliesWhen: spec.appliesWhen } : {}),
      })),
      ...RUN_OPTIONS.map((option) => ({ ...option })),
    ],
  };
}

export type FileAction = 'create' | 'conflict' | 'identical' | 'force';

/** What `--dry-run --json` prints. */
export function dryRunReport(answers: Answers, retrofit: boolean, files: { path: string; action: FileAction; edited?: boolean }[]) {
  return { generator: { name: PACKAGE.name, version: PACKAGE.version }, retrofit, answers, files };
}
