// `k8s-app --backstage-template`: a Backstage software template whose form asks the answers a new
// service needs, generated from ANSWER_SPECS (titles, descriptions, choices, defaults, patterns) and
// the preset (locked answers are not asked, offered values and defaults are the preset's). Its steps
// run the generator through Backstage's run:yeoman action, publish the repository and register the
// service's catalog-info.yaml.
import { stringify } from 'yaml';
import { toDnsLabel } from './answer-parsers.ts';
import { AnswerResolver } from './answer-resolver.ts';
import { ANSWER_SPECS, type AnswerSpec, type Answers } from './answers.ts';
import type { LoadedPreset } from './preset.ts';

type JsonSchema = Record<string, unknown>;

/** A form object: its fields, which must be filled, and the fields that follow a choice. */
interface FormObject {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: string[];
  dependencies?: Record<string, { oneOf: FormObject[] }>;
}

/** Backstage's own pickers for answers that name catalog entities. */
const UI_FIELDS: Partial<Record<keyof Answers, JsonSchema>> = {
  owner: { 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: { kind: ['Group', 'User'] } } },
  system: { 'ui:field': 'EntityPicker', 'ui:options': { catalogFilter: { kind: ['System'] } } },
};

/** The template owner when the preset names none. */
const DEFAULT_TEMPLATE_OWNER = 'group:default/platform';

export interface TemplateSource {
  preset?: LoadedPreset;
  /** The yeoman generator the template runs: k8s-app:app, or a company generator that composes it. */
  generator: string;
  /** Whether the step passes the preset (k8s-app run directly); a company generator passes its own. */
  passPreset: boolean;
}

/** Whether a new service asks `spec`, given the answers before it. */
const appliesToNewService = (spec: AnswerSpec, answers: Partial<Answers>) => spec.when?.({ retrofit: false }, answers) ?? true;

/** The answers a form for a new service asks, in order, given those the preset locks; one that follows
 * an answer the form asks may apply to some of its choices only (the host, to an exposure). */
function formSpecs(locked: Partial<Answers>): AnswerSpec[] {
  const followsAsked = (spec: AnswerSpec) => spec.dependsOn !== undefined && locked[spec.dependsOn] === undefined;
  return ANSWER_SPECS.filter((spec) => (followsAsked(spec) || appliesToNewService(spec, locked)) && locked[spec.name] === undefined);
}

/** The preset's locked answers, in order (a locked runtime version follows a locked language). */
function lockedAnswers(preset: LoadedPreset | undefined): Partial<Answers> {
  const answers: Partial<Answers> = {};
  for (const spec of ANSWER_SPECS) {
    const value = preset?.locked?.[spec.option];
    if (value === undefined) continue;
    // As the preset gives it when it can only be checked with the answers it follows (a locked image family).
    const parsed = spec.parse(value, answers);
    (answers as Record<string, unknown>)[spec.name] = 'value' in parsed ? parsed.value : value;
  }
  return answers;
}

/** The parameters of the form's first page: one field per answer asked, named as the answer. */
function answerParameters(preset: LoadedPreset | undefined): FormObject {
  const locked = lockedAnswers(preset);
  const asked = formSpecs(locked);
  const isAsked = (name: keyof Answers | undefined) => asked.some((spec) => spec.name === name);

  // The defaults and choices a run with this preset and nothing given would offer (a new service).
  const resolver = new AnswerResolver({ options: {}, stored: {}, preset, detection: { kind: 'none' }, retrofit: false, folder: '' });

  /** The preset's choices, without those a locked answer that follows them would refuse. */
  const choices = (spec: AnswerSpec, answers: Partial<Answers>) =>
    (resolver.choices(spec, answers) ?? []).filter((choice) =>
      ANSWER_SPECS.filter((other) => other.dependsOn === spec.name && locked[other.name] !== undefined).every(
        (other) => 'value' in other.parse(locked[other.name], { ...answers, [spec.name]: choice.value }),
      ),
    );

  const field = (spec: AnswerSpec, answers: Partial<Answers>): { schema: JsonSchema; required: boolean } => {
    const schema: JsonSchema = { title: spec.prompt.message, description: spec.description, type: 'string', ...spec.schema };
    const offered = spec.choices ? choices(spec, answers) : undefined;
    if (offered) {
      schema.enum = offered.map((choice) => choice.value);
      schema.enumNames = offered.map((choice) => choice.name);
    }
    // A default the preset states is the form's too; otherwise the folder's name is not known in a
    // form, and a default derived from other answers is left to the generator (an empty field).
    const presetDefault = preset?.defaults?.[spec.option] !== undefined && 'value' in spec.parse(preset.defaults[spec.option], answers);
    let required = true;
    if (!presetDefault && spec.form && 'emptyMeans' in spec.form) {
      schema.description = `${spec.description}. Empty: ${spec.form.emptyMeans}.`;
      required = false;
    } else if (presetDefault || !spec.form) {
      // As the generator takes it (a port given as text is a number), and one the form offers.
      const parsed = spec.parse(resolver.defaultFor(spec, answers), answers);
      const values = offered?.map((choice) => choice.value);
      schema.default = 'value' in parsed && (!values || values.includes(String(parsed.value))) ? parsed.value : values?.[0];
      // An answer that may be empty (the system) need not be filled.
      required = presetDefault || !('value' in spec.parse('', answers));
    }
    return { schema: { ...schema, ...UI_FIELDS[spec.name] }, required };
  };

  /** Adds the field of `spec` to `form`, and the fields that follow its value as one branch per choice. */
  const add = (spec: AnswerSpec, answers: Partial<Answers>, form: FormObject) => {
    const { schema, required } = field(spec, answers);
    form.properties[spec.name] = schema;
    if (required) form.required.push(spec.name);
    const followers = asked.filter((other) => other.dependsOn === spec.name);
    if (followers.length === 0) return;
    form.dependencies = {
      ...form.dependencies,
      [spec.name]: {
        oneOf: (schema.enum as string[]).map((value) => {
          const branch: FormObject = { type: 'object', properties: { [spec.name]: { enum: [value] } }, required: [] };
          const chosen = { ...answers, [spec.name]: value };
          for (const follower of followers) if (appliesToNewService(follower, chosen)) add(follower, chosen, branch);
          return branch;
        }),
      },
    };
  };

  const form: FormObject = { type: 'object', properties: {}, required: [] };
  for (const spec of asked.filter((candidate) => !isAsked(candidate.dependsOn))) add(spec, locked, form);
  return form;
}

/** The template as Backstage reads it (scaffolder.backstage.io/v1beta3). */
export function backstageTemplate({ preset, generator, passPreset }: TemplateSource) {
  const asked = formSpecs(lockedAnswers(preset));
  const name = preset ? `${toDnsLabel(preset.name)}-service` : 'k8s-app-service';
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      title: preset ? `${preset.name} service on Kubernetes` : 'Service on Kubernetes',
      description:
        'A containerized service for Kubernetes: starter code with health endpoints and a graceful drain, a hardened multi-stage Dockerfile, kustomize overlays and its catalog entry.',
      tags: ['kubernetes', 'docker', 'recommended'],
    },
    spec: {
      owner: preset?.catalog?.templateOwner ?? DEFAULT_TEMPLATE_OWNER,
      type: 'service',
      parameters: [
        // The fields in the answers' order (those that follow a choice would otherwise come last).
        { title: 'Service', 'ui:order': [...asked.map((spec) => spec.name), '*'], ...answerParameters(preset) },
        {
          title: 'Repository',
          required: ['repoUrl'],
          type: 'object',
          properties: {
            repoUrl: { title: 'Repository location', type: 'string', 'ui:field': 'RepoUrlPicker', 'ui:options': { allowedHosts: ['github.com'] } },
          },
        },
      ],
      steps: [
        {
          id: 'generate',
          name: `Generate the service (${generator})`,
          action: 'run:yeoman',
          input: {
            namespace: generator,
            options: {
              // No questions (every answer is an option, or the default) and no dependencies installed:
              // the repository is published as generated.
              defaults: true,
              skipInstall: true,
              ...(passPreset && preset ? { preset: preset.source } : {}),
              // An empty field is left out (Backstage renders it as undefined): the generator's default applies.
              ...Object.fromEntries(asked.map((spec) => [spec.option, `\${{ parameters.${spec.name} }}`])),
            },
          },
        },
        {
          id: 'publish',
          name: 'Publish',
          action: 'publish:github',
          input: { repoUrl: '${{ parameters.repoUrl }}', description: '${{ parameters.appName }}', defaultBranch: 'main' },
        },
        {
          id: 'register',
          name: 'Register in the catalog',
          action: 'catalog:register',
          input: { repoContentsUrl: "${{ steps['publish'].output.repoContentsUrl }}", catalogInfoPath: '/catalog-info.yaml' },
        },
      ],
      output: {
        links: [
          { title: 'Repository', url: "${{ steps['publish'].output.remoteUrl }}" },
          { title: 'Open in catalog', icon: 'catalog', entityRef: "${{ steps['register'].output.entityRef }}" },
        ],
      },
    },
  };
}

/** template.yaml's text: what it is and how it was made, then the template. */
export function backstageTemplateYaml(source: TemplateSource, version: string): string {
  // A generator's package is generator-<its namespace's first part> (k8s-app:app: generator-k8s-app).
  const generatorName = source.generator.split(':')[0]!;
  const made = source.passPreset
    ? `k8s-app --backstage-template${source.preset ? ` --preset ${source.preset.source}` : ''}`
    : `yo ${generatorName} --backstage-template`;
  const header = [
    `# A Backstage software template, written by ${made} (generator-k8s-app ${version}).`,
    '# Register this file in Backstage; its run:yeoman step needs @backstage/plugin-scaffolder-backend-module-yeoman',
    `# and generator-${generatorName} installed in the Backstage backend. Run the command again after upgrading:`,
    '# the form follows the answers k8s-app asks.',
  ];
  return `${header.join('\n')}\n${stringify(backstageTemplate(source), { lineWidth: 0 })}`;
}
