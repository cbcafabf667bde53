// What every k8s-app generator shares: its options (from ANSWER_SPECS), the answers (resolved once by
// the generator the run starts with, and handed to the ones it composes), the template data, and the
// checks that run before anything is written. The parts live in their own modules: answer-resolver,
// template-data, rendering, file-ledger, and yeoman-adapter for what reaches into yeoman.
import path from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { findStack } from '../../stacks/registry.ts';
import type { RetrofitBuild } from '../../stacks/types.ts';
import { AnswerResolver, parseOrThrow, type StoredConfig } from './answer-resolver.ts';
import { ANSWER_SPECS, type AnswerSpec, type Answers, commandWords } from './answers.ts';
import { composeBuildsOfDockerfile } from './compose-files.ts';
import { codeWithoutProject, type Detection, detectProject, projectMarkers } from './detect.ts';
import { UsageError } from './errors.ts';
import { assertConfigParses, assertFilesWritable, assertWritable, conflictsError, type PendingFile, pendingFiles, sha256OfFile } from './file-ledger.ts';
import { dryRunReport, GENERATOR_VERSION, RUN_OPTIONS } from './info.ts';
import type { ManifestWriter } from './manifests.ts';
import { type LoadedPreset, loadPreset } from './preset.ts';
import { render, renderTree, TEMPLATES_ROOT } from './rendering.ts';
import { repoFiles } from './repo-files.ts';
import { type RetrofitProject, type TemplateData, templateData } from './template-data.ts';
import {
  commitFiles,
  environmentFlag,
  isRootGenerator,
  reportConfigFileAsCreated,
  stagedFiles,
  unknownOptionFromYo,
  withoutTaskErrorBanner,
  writeWithConsent,
} from './yeoman-adapter.ts';

export { TEMPLATES_ROOT } from './rendering.ts';
export { type TemplateData, templateData, yamlScalar } from './template-data.ts';

/** What the generator a run starts with resolves, and hands to the generators it composes. */
export interface RunState {
  answers: Answers;
  /** Adding container and Kubernetes files around existing code (not writing a new service). */
  retrofit: boolean;
  detection: Detection;
  preset?: LoadedPreset;
}

export type K8sAppOptions = BaseOptions & {
  defaults?: boolean;
  force?: boolean;
  /** Set by the app generator for the generators it composes: the answers are known. */
  runState?: RunState;
  [option: string]: unknown;
};

/** Run options each generator declares (the environment's own, like --force, it reads itself). */
const GENERATOR_RUN_OPTIONS: readonly string[] = ['defaults', 'json', 'preset', 'override-lock', 'backstage-template'];

export default class K8sAppGenerator extends Generator<StoredConfig, K8sAppOptions> {
  declare answers: Answers;
  /** What the destination already holds: an existing repository is retrofitted, not overwritten. */
  detection: Detection = { kind: 'none' };
  /** The company preset in use (--preset, or recorded in .yo-rc.json). */
  preset: LoadedPreset | undefined;
  retrofit = false;
  /** Resolves the answers; absent in a generator that was handed them. */
  resolver: AnswerResolver | undefined;
  /** Answers known without asking, resolved in the constructor so bad input fails before any task runs. */
  known: Partial<Answers> = {};
  /** --backstage-template: the run writes a Backstage software template, and no service. */
  writesBackstageTemplate = false;
  /** Files of the user's own (not written by k8s-app) this run would change, with what it would write. */
  ownFilesToChange: PendingFile[] = [];

  constructor(args: string[], options: K8sAppOptions, features: Record<string, unknown> = {}) {
    // Before yeoman reads .yo-rc.json (it would throw a stack trace on a broken one).
    if (!options.runState)
      assertConfigParses(path.resolve(String(options.destinationRoot ?? (options.env as { cwd?: string } | undefined)?.cwd ?? process.cwd())));
    super(args, options, {
      // Helpers are plain methods; only priority-named methods (initializing, writing...) are tasks,
      // and sub-generators inherit this class's tasks.
      inheritTasks: true,
      // Templates read only the data they are given.
      templateContext: 'throw',
      // A preset's template overrides live in its own folder.
      allowTemplatesOutsideRoot: true,
      // The generator the run starts with writes the files of all (a feature of one generator only:
      // yeoman warns when several provide it).
      ...(options.runState ? {} : { customCommitTask: () => commitFiles(this) }),
      ...features,
    });
    this.sourceRoot(TEMPLATES_ROOT);
    (this as { log: Generator['log'] }).log = withoutTaskErrorBanner(this.log);
    reportConfigFileAsCreated(this);
    for (const spec of ANSWER_SPECS) this.option(spec.option, { type: String, description: spec.description });
    for (const { option, type, description } of RUN_OPTIONS.filter((candidate) => GENERATOR_RUN_OPTIONS.includes(candidate.option))) {
      this.option(option, { type: type === 'boolean' ? Boolean : String, description });
    }
    if (options.runState) {
      ({ answers: this.answers, retrofit: this.retrofit, detection: this.detection, preset: this.preset } = options.runState);
      return;
    }
    // Checked here, not in a task: a bad option or an unwritable folder stops the run before anything starts.
    const unknownOption = unknownOptionFromYo(this, Object.keys(this._options));
    if (unknownOption) throw new UsageError(unknownOption);
    if (this.options.json && !environmentFlag(this, 'dryRun')) {
      throw new UsageError('--json prints what a dry run would do. Fix: pass --dry-run with --json.');
    }
    assertWritable(this.destinationRoot());
    if (this.options.preset === true || this.options.preset === '') {
      throw new UsageError('--preset needs a value. Fix: pass --preset <file or installed package>, e.g. --preset ./acme-preset.yaml.');
    }
    if (this.options['backstage-template']) {
      this.startBackstageTemplate();
      return;
    }
    this.detection = detectProject(this.destinationRoot());
    const stored = this.config.getAll();
    // A preset given now, else the one an earlier run recorded.
    const presetSource = typeof this.options.preset === 'string' ? this.options.preset : stored.preset;
    if (presetSource) this.preset = loadPreset(presetSource, this.destinationRoot());
    // A folder holding a project this generator did not write is retrofitted (or an earlier retrofit said so).
    this.retrofit = stored.appName !== undefined ? stored.retrofit === true : this.detection.kind !== 'none';
    if (stored.appName === undefined && this.detection.kind === 'none') this.refuseStarterNextToCode();
    this.resolver = new AnswerResolver({
      options: this.options,
      stored,
      preset: this.preset,
      detection: this.detection,
      retrofit: this.retrofit,
      folder: this.destinationRoot(),
    });
    this.resolver.resolveKnown(this.known);
  }

  /** A new service's starter is never written into a folder that already holds code k8s-app cannot place. */
  refuseStarterNextToCode() {
    const code = codeWithoutProject(this.destinationRoot());
    if (!code) return;
    const shown = code.sources.slice(0, 3).join(', ') + (code.sources.length > 3 ? ` and ${code.sources.length - 3} more` : '');
    const where = code.projectFileAbove
      ? `its project file is ${code.projectFileAbove}: run k8s-app in ${path.dirname(path.resolve(this.destinationRoot(), code.projectFileAbove))}, which k8s-app retrofits`
      : `create the project file its build needs (${projectMarkers()}) and run k8s-app again to retrofit it`;
    throw new UsageError(
      `This folder holds source code (${shown}) but no project file k8s-app recognises, so it is not a retrofit, and a new service's starter would be written next to that code. Nothing was written. Fix: ${where}; for a new service, run k8s-app in an empty folder.`,
    );
  }

  /** --backstage-template: the form asks every answer, so none may be given; the preset may be. */
  startBackstageTemplate() {
    this.writesBackstageTemplate = true;
    const given = ANSWER_SPECS.find((spec) => this.options[spec.option] !== undefined && this.options[spec.option] !== null);
    if (given) {
      throw new UsageError(
        `--${given.option} does not apply with --backstage-template: the template's form asks every answer. Nothing was written. Fix: leave out --${given.option}, or set it in a preset's defaults or locked (--preset).`,
      );
    }
    if (this.options.json) throw new UsageError('--json reports the answers of a generation, and --backstage-template asks none. Fix: leave out --json.');
    if (typeof this.options.preset === 'string') this.preset = loadPreset(this.options.preset, this.destinationRoot());
  }

  /** The state this generator hands to the generators it composes. */
  get runState(): RunState {
    return { answers: this.answers, retrofit: this.retrofit, detection: this.detection, preset: this.preset };
  }

  async prompting() {
    const resolver = this.resolver;
    if (!resolver) return;
    const answers: Partial<Answers> = { ...this.known };
    // Ask for the first missing answer, then take what is known again: an option given after it
    // could only be checked once it was answered.
    let asked = false;
    for (let spec = resolver.resolveKnown(answers); spec; spec = resolver.resolveKnown(answers)) {
      resolver.accept(spec, await this.ask(spec, answers), 'answered', answers);
      asked = true;
    }
    resolver.assertGivenOptionsApply(answers);
    // Answers typed at prompts are shown together once, before anything is written (not with --defaults).
    if (asked) await this.confirmRecap(answers);
    this.answers = answers as Answers;
    this.config.set(this.answers);
    if (this.retrofit) this.config.set('retrofit', true);
    if (this.preset) {
      this.config.set('preset', this.preset.source);
      for (const option of isRootGenerator(this) ? resolver.lockOverrides : []) {
        this.log(`WARNING: --${option} overrides the value the preset ${this.preset.name} locks (${this.preset.locked![option]}); recorded in .yo-rc.json.`);
      }
      if (resolver.lockOverrides.length > 0) this.config.set('lockOverrides', resolver.lockOverrides);
    }
  }

  /** Shows every answer that applies, with where it came from, and asks to go on. */
  async confirmRecap(answers: Partial<Answers>) {
    const lines = ANSWER_SPECS.filter((spec) => this.resolver!.applies(spec, answers) && answers[spec.name] !== undefined).map(
      (spec) => `  ${spec.prompt.message}: ${answers[spec.name]} (${this.resolver!.origins[spec.name]})`,
    );
    this.log(['', 'k8s-app will generate with these answers:', ...lines, ''].join('\n'));
    const { confirmAnswers } = (await this.prompt([{ type: 'confirm', name: 'confirmAnswers', message: 'Write the files?', default: true }] as never)) as {
      confirmAnswers: boolean;
    };
    if (!confirmAnswers) {
      throw new UsageError('Cancelled, nothing written. Run k8s-app again to give other answers (or pass them as options).');
    }
  }

  async ask(spec: AnswerSpec, answers: Partial<Answers>): Promise<string | number> {
    const resolver = this.resolver!;
    const question = {
      type: spec.prompt.type,
      name: spec.name,
      message: spec.prompt.message,
      default: resolver.defaultFor(spec, answers),
      ...(spec.choices ? { choices: resolver.choices(spec, answers) } : {}),
      validate: (input: unknown) => {
        const parsed = spec.parse(input, answers);
        return 'problem' in parsed ? `${parsed.problem.charAt(0).toUpperCase()}${parsed.problem.slice(1)}.` : true;
      },
    };
    const reply = await this.prompt([question] as never);
    return parseOrThrow(spec, (reply as Record<string, unknown>)[spec.name], answers, spec.prompt.message);
  }

  /** A flag the environment acts on: --force or --dry-run. */
  environmentFlag(name: 'force' | 'dryRun'): boolean {
    return environmentFlag(this, name);
  }

  /**
   * Before anything is written, by the generator the run started with (the files of every generator
   * are staged by then): a dry run reports; otherwise every file must be writable and, without a
   * terminal to ask in, none may change unless --force.
   */
  conflicts() {
    // Every generator's files are staged by now: the app generator's summary names the user's own files
    // the run changes, also when a company generator composes it.
    const pending = this.pendingFiles();
    if (!this.environmentFlag('dryRun')) this.ownFilesToChange = this.ownFilesIn(pending);
    if (!isRootGenerator(this)) return;
    if (this.environmentFlag('dryRun')) {
      // A dry run writes nothing: yeoman lists each file, conflicts included; --json says it on stdout.
      if (this.options.json) {
        const files = pending.map(({ path: file, action, edited }) => ({ path: file, action, ...(edited === undefined ? {} : { edited }) }));
        process.stdout.write(`${JSON.stringify(dryRunReport(this.answers, this.retrofit, files), null, 2)}\n`);
      }
      return;
    }
    assertFilesWritable(
      this.destinationRoot(),
      pending.filter((file) => file.action !== 'identical').map((file) => file.path),
    );
    const conflicts = this.environmentFlag('force') || process.stdin.isTTY ? undefined : conflictsError(pending);
    if (conflicts) throw conflicts;
    // A template is not a service: no .yo-rc.json.
    if (this.writesBackstageTemplate) return;
    // What this run writes, by content: a later run (an upgrade) can tell the files the user edited.
    const files = { ...this.config.get('files') };
    for (const file of pending) if (file.path !== '.yo-rc.json' && file.digest) files[file.path] = file.digest;
    this.config.set('files', files);
    this.config.set('generatorVersion', GENERATOR_VERSION);
  }

  /** Of the files a run would write, those that exist and differ, and that k8s-app did not write before. */
  ownFilesIn(pending: readonly PendingFile[]): PendingFile[] {
    const recorded = this.config.get('files') ?? {};
    return pending.filter((file) => (file.action === 'conflict' || file.action === 'force') && file.path !== '.yo-rc.json' && !recorded[file.path]);
  }

  /** The user's own files this run changed (with --force, their consent, or at the conflict prompt). */
  ownFilesChanged(): string[] {
    return this.ownFilesToChange.filter((file) => sha256OfFile(this.destinationPath(file.path)) === file.digest).map((file) => file.path);
  }

  /** Every file this run would write, and what writing it would do. */
  pendingFiles(): PendingFile[] {
    return pendingFiles(stagedFiles(this), this.destinationRoot(), this.config.get('files') ?? {});
  }

  /** Changes an existing file the user agreed to change (an answer that needs it): written without a conflict prompt. */
  writeWithConsent(file: string, text: string) {
    writeWithConsent(this, this.destinationPath(file), text);
  }

  get templateData(): TemplateData {
    return templateData(this.answers, this.retrofit ? this.retrofitProject() : undefined, this.preset);
  }

  /** The existing project's build, as the answered language's stack plans it from the repo's files. */
  retrofitProject(): RetrofitProject {
    const stack = findStack(this.answers.language)!;
    const repo = repoFiles(this.destinationRoot());
    const parsed = this.answers.startCommand ? commandWords(this.answers.startCommand) : { words: [] };
    const words = 'words' in parsed ? parsed.words : [];
    // Frameworks that do not read PORT get the answered port their own way (a flag, their own variable).
    const serving = stack.retrofit.serving?.({ words, port: this.answers.port, repo }) ?? {};
    const command = words.length > 0 ? stack.retrofit.command?.(serving.words ?? words) : undefined;
    const detected = this.detection.kind === 'found' && this.detection.project.language === stack.language ? this.detection.project : undefined;
    const plan = stack.retrofit.plan(repo, this.answers.program);
    return {
      build: this.answers.dockerfile === 'keep' ? this.keptDockerfileBuild(plan) : plan,
      command: command && 'args' in command ? command.args : [],
      serving,
      findings: {
        loopbackBinds: detected?.loopbackBinds ?? [],
        ...(detected?.sigtermUnhandled ? { sigtermUnhandled: detected.sigtermUnhandled } : {}),
        envVariables: detected?.envVariables ?? [],
        writableDirs: detected?.writableDirs ?? [],
        runtimeFiles: detected?.runtimeFiles ?? [],
        nativeLibraries: detected?.nativeLibraries ?? [],
        localDatabases: detected?.localDatabases ?? [],
        ...(detected?.ownDockerfile ? { ownDockerfile: detected.ownDockerfile } : {}),
      },
    };
  }

  /** A kept Dockerfile builds as the repository builds it: from the context a compose file of its own
   * gives it (a workspace root), else from its folder. */
  keptDockerfileBuild(plan: RetrofitBuild): RetrofitBuild {
    const root = this.destinationRoot();
    const composed = composeBuildsOfDockerfile(root, this.config.get('files') ?? {})[0];
    const context = composed ? path.relative(root, composed.contextPath) : '';
    const summary = `the repository's own Dockerfile${composed ? `, from the context ${path.relative(root, composed.file)} gives it` : ''}`;
    return { ...plan, context, servicePath: context ? path.relative(composed!.contextPath, root) : '', summary };
  }

  renderTree(source: string, destination: string, data: TemplateData & { m?: ManifestWriter }, include?: (file: string) => boolean) {
    renderTree(this, this.preset, source, destination, data, include);
  }

  render(source: string, destination: string, data: TemplateData & { m?: ManifestWriter }) {
    render(this, this.preset, source, destination, data);
  }
}
