// What every k8s-app sub-generator shares: options and prompts from ANSWER_SPECS, answers resolved
// from CLI > .yo-rc.json > prompt or default, the template data, and the safety checks.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Generator, { type BaseOptions } from 'yeoman-generator';
import * as common from '../../stacks/common.ts';
import { findStack, forVersion, imageRef, imageRefWithArg, stackCommands, tiniArguments, type Stack } from '../../stacks/registry.ts';
import type { ExistingBuild } from '../../stacks/types.ts';
import { ANSWER_SPECS, commandWords, type AnswerSpec, type Answers } from './answers.ts';
import { unknownOptionError } from './command-line.ts';
import { detectProject, type DetectedProject, type Detection } from './detect.ts';
import { dryRunReport, GENERATOR_VERSION, RUN_OPTIONS, type FileAction } from './info.ts';
import { loadPreset, type LoadedPreset, type Preset } from './preset.ts';
import { UsageError } from './errors.ts';
import { repoFiles } from './repo-files.ts';

export type K8sAppOptions = BaseOptions & {
  defaults?: boolean;
  force?: boolean;
  [option: string]: unknown;
};

export const TEMPLATES_ROOT = fileURLToPath(new URL('../../templates', import.meta.url));

export type TemplateData = ReturnType<typeof templateData>;

/** The tag the manifests deploy until CI sets its own. */
const IMAGE_TAG = '0.1.0';

/** Retrofitting: how the existing project is built, and the start command's words after the image's entrypoint. */
export interface ExistingProjectData {
  build: ExistingBuild;
  command: string[];
}

export function templateData(answers: Answers, existing?: ExistingProjectData, preset?: Preset) {
  const languageStack = findStack(answers.language) as Stack;
  const family = answers.imageFamily as keyof Stack['images'];
  // A preset's resources replace the language's defaults, request by request.
  const stack: Stack = {
    ...languageStack,
    // A command may name the runtime version, to check the interpreter it runs on.
    commands: stackCommands(languageStack, answers.runtimeVersion),
    localToolchain: forVersion(languageStack, answers.runtimeVersion, languageStack.localToolchain),
    ...(preset?.resources
      ? {
          resources: {
            requests: { ...languageStack.resources.requests, ...preset.resources.requests },
            limits: { ...languageStack.resources.limits, ...preset.resources.limits },
          },
        }
      : {}),
  };
  const images = {
    ...stack.images[family],
    ...(existing?.build.builder?.[family] ? { builder: existing.build.builder[family] } : {}),
    // A preset's base images (an internal mirror, golden images) win over both.
    ...preset?.images?.[answers.language]?.[family],
  };
  // Folder names a template path's {key} segments stand for (a Java package path, say).
  const names = stack.names?.(answers.appName) ?? {};
  // What the probes check: the contract's endpoints, or an existing service's own (tcp: the port only).
  // Retrofits may add k8s-app's health module, which serves the contract's paths on a port of its own.
  const probes =
    answers.healthModule === 'yes'
      ? { liveness: common.HEALTH.liveness, readiness: common.HEALTH.readiness, port: 'health' }
      : { liveness: answers.livenessPath ?? common.HEALTH.liveness, readiness: answers.readinessPath ?? common.HEALTH.readiness, port: 'http' };
  return {
    preset: preset ? { name: preset.name, labels: preset.labels ?? {}, annotations: preset.annotations ?? {} } : undefined,
    // Absent for a new project: its Dockerfile builds the starter.
    build: existing?.build,
    command: existing?.command ?? [],
    ...answers,
    stack,
    // The language alone, as prose names it ("Node.js" of "Node.js (TypeScript, Fastify)").
    languageName: stack.displayName.split(' (')[0]!,
    common,
    configDir: `/etc/${answers.appName}/config`,
    // The ConfigMap's files (k8s/base/config/): the settings the starter reads. An existing service
    // reads its own, so its ConfigMap starts empty for the team to fill.
    configFiles: existing ? [] : ['greeting', 'log-level', 'demo-endpoints'],
    secretsDir: `/etc/${answers.appName}/secrets`,
    imageTag: IMAGE_TAG,
    // As the Dockerfile writes them: the version is a top-level ARG.
    builderImage: imageRefWithArg(images.builder, stack.versionArg),
    runtimeImage: imageRefWithArg(images.runtime, stack.versionArg),
    // Whether the images carry the runtime version (from the Dockerfile's version ARG).
    versionedImage: images.runtime.includes('{version}'),
    // As it resolves for the chosen version.
    runtimeImageRef: imageRef(images.runtime, answers.runtimeVersion),
    // The exact toolchain release of the version answered (rust-toolchain.toml, go.mod).
    toolchain: forVersion(stack, answers.runtimeVersion, '{toolchain}'),
    // preStop pause + the app's own drain deadline + a margin for the process to exit.
    terminationGracePeriodSeconds: common.PRESTOP_SLEEP_SECONDS + common.SHUTDOWN_TIMEOUT_SECONDS + 5,
    tiniArgs: tiniArguments(stack),
    // The tini stage's image (distroless): Debian 13, or the preset's mirror of it.
    tiniImage: preset?.tiniImage ?? common.TINI_IMAGE,
    // Where the final stage has tini: copied from the tini stage (distroless), or Alpine's package.
    tiniPath: family === 'distroless' ? '/tini' : '/sbin/tini',
    healthModule: answers.healthModule === 'yes',
    // The module's files as the docker generator writes them (templates/health/<language>/), for k8s/README.md.
    healthModuleFiles:
      existing && answers.healthModule === 'yes'
        ? listFiles(path.join(TEMPLATES_ROOT, 'health', answers.language)).map((file) => path.posix.join(existing.build.moduleDir ?? '.', outputPath(file, names)))
        : [],
    probes,
    names,
    yamlScalar,
    // Where each overlay deploys: production in the namespace answered, development beside it.
    namespaces: { dev: `${answers.namespace}-dev`, prod: answers.namespace },
    // kube-score checks the Deployment waives, each for the reason its manifest gives.
    kubeScoreIgnores: probes.liveness === probes.readiness ? ['pod-probes-identical'] : [],
    // Run where the Dockerfile's build context is: a workspace service builds from the workspace root.
    dockerBuildCommand: existing?.build.context
      ? `cd ${existing.build.context} && DOCKER_BUILDKIT=1 docker build -f ${existing.build.servicePath}/Dockerfile -t ${answers.imageRepository}:${IMAGE_TAG} .`
      : `DOCKER_BUILDKIT=1 docker build -t ${answers.imageRepository}:${IMAGE_TAG} .`,
  };
}

/** A string as a YAML value: plain when it can only be read one way, else double-quoted (JSON is YAML). */
export function yamlScalar(value: string): string {
  return /^[A-Za-z0-9/._~-]+$/.test(value) ? value : JSON.stringify(value);
}

/** EJS escapes `<%= %>` for HTML; no file we write is HTML, so values are written as they are. */
const TEMPLATE_OPTIONS = { transformOptions: { escape: (value: unknown) => (value === undefined || value === null ? '' : String(value)) } };

interface MemFile {
  path: string;
  state?: string;
  contents: Buffer | null;
  /** Set before writing: yeoman's conflicter then reports the file with this status and asks nothing. */
  conflicter?: string;
}

/** What .yo-rc.json holds: the answers, whether the project was retrofitted, the preset in use, and
 * the locked answers the user overrode. */
type StoredConfig = Partial<Answers> & {
  retrofit?: boolean;
  preset?: string;
  lockOverrides?: string[];
  /** The k8s-app release that last wrote the files, and a digest of each file as it wrote it. */
  generatorVersion?: string;
  files?: Record<string, string>;
};

interface PendingFile {
  path: string;
  action: FileAction;
  /** sha256 of what this run would write. */
  digest: string;
  /** For a file that would change: whether it differs from what k8s-app last wrote (known from .yo-rc.json). */
  edited?: boolean;
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Run options each generator declares (the environment's own, like --force, it reads itself). */
const GENERATOR_RUN_OPTIONS: readonly string[] = ['defaults', 'json', 'preset', 'override-lock'];

export default class K8sAppGenerator extends Generator<StoredConfig, K8sAppOptions> {
  declare answers: Answers;

  constructor(args: string[], options: K8sAppOptions, features: Record<string, unknown> = {}) {
    // Before yeoman reads .yo-rc.json (it would throw a stack trace on a broken one).
    assertConfigParses(path.resolve(String(options.destinationRoot ?? (options.env as { cwd?: string } | undefined)?.cwd ?? process.cwd())));
    super(args, options, {
      // Helpers are plain methods; only priority-named methods (initializing, writing...) are tasks,
      // and sub-generators inherit this class's tasks.
      inheritTasks: true,
      // Templates read only the data they are given.
      templateContext: 'throw',
      // A preset's template overrides live in its own folder.
      allowTemplatesOutsideRoot: true,
      ...features,
    });
    this.sourceRoot(TEMPLATES_ROOT);
    (this as { log: Generator['log'] }).log = withoutTaskErrorBanner(this.log);
    reportConfigFileAsCreated(this.env.adapter.log as unknown as StatusLog, this.destinationRoot());
    for (const spec of ANSWER_SPECS) {
      this.option(spec.option, { type: String, description: spec.description });
    }
    for (const { option, type, description } of RUN_OPTIONS.filter((candidate) => GENERATOR_RUN_OPTIONS.includes(candidate.option))) {
      this.option(option, { type: type === 'boolean' ? Boolean : String, description });
    }
    // Checked here, not in a task: a bad option or an unwritable folder stops the run before anything starts.
    // yo hands the root generator every option it parsed, typos included: its command line tells them
    // apart. (Our bin checks its own before yeoman loads; a composing generator passes options of its own.)
    const env = this.env as unknown as { rootGenerator?: () => unknown };
    if (!env.rootGenerator?.() && /(^|\/)yo(\/lib\/cli\.js)?$/.test(process.argv[1] ?? '')) {
      const unknownOption = unknownOptionError(process.argv.slice(2), Object.keys(this._options));
      if (unknownOption) throw new UsageError(unknownOption);
    }
    if (this.options.json && !this._environmentFlag('dryRun')) {
      throw new UsageError('--json prints what a dry run would do. Fix: pass --dry-run with --json.');
    }
    assertWritable(this.destinationRoot());
    this._detection = detectProject(this.destinationRoot());
    const stored = this.config.getAll();
    // A preset given now, else the one an earlier run recorded.
    const presetSource = typeof this.options.preset === 'string' && this.options.preset !== '' ? this.options.preset : stored.preset;
    if (this.options.preset === true || this.options.preset === '') {
      throw new UsageError('--preset needs a value. Fix: pass --preset <file or installed package>, e.g. --preset ./acme-preset.yaml.');
    }
    if (presetSource) this._preset = loadPreset(presetSource, this.destinationRoot());
    this._lockOverrides = [...(stored.lockOverrides ?? [])];
    this.retrofitting = stored.appName !== undefined ? stored.retrofit === true : this._detection.kind !== 'none';
    this._resolveKnown(this._known);
  }

  /** What the destination already holds: an existing repository is retrofitted, not overwritten. */
  _detection: Detection = { kind: 'none' };

  /** The company preset in use (--preset, or recorded in .yo-rc.json). */
  _preset: LoadedPreset | undefined;

  /** Locked answers the command line overrode (--override-lock): reported and recorded. */
  _lockOverrides: string[] = [];

  /**
   * Whether this run adds container and Kubernetes files around existing code: the folder holds a
   * project this generator did not write (or an earlier retrofit said so in .yo-rc.json).
   */
  retrofitting = false;

  /** Whether an answer applies to this run, given the answers before it. */
  _applies(spec: AnswerSpec, answers: Partial<Answers>): boolean {
    return spec.when?.({ retrofitting: this.retrofitting }, answers) ?? true;
  }

  /** The project found, when its language is the one answered (or none is answered yet). */
  _detectedProject(answers: Partial<Answers>): DetectedProject | undefined {
    if (!this.retrofitting || this._detection.kind !== 'found') return undefined;
    const project = this._detection.project;
    return answers.language === undefined || answers.language === project.language ? project : undefined;
  }

  /** The value the existing repository states for an answer, and where; undefined when it states none. */
  _detected(spec: AnswerSpec, answers: Partial<Answers>): { value: string; from: string } | undefined {
    const project = this._detectedProject(answers);
    if (!project) return undefined;
    if (spec.name === 'language') return { value: project.language, from: project.buildTool.from };
    if (spec.name === 'runtimeVersion' && project.runtimeVersion) return { value: project.runtimeVersion.offered, from: project.runtimeVersion.from };
    if (spec.name === 'port' && project.port) return project.port;
    if (spec.name === 'livenessPath' && project.health?.liveness) return project.health.liveness;
    if (spec.name === 'readinessPath' && project.health?.readiness) return project.health.readiness;
    if (spec.name === 'startCommand' && project.start) return project.start;
    return undefined;
  }

  /** Answers known without asking, resolved in the constructor so bad input fails before any task runs. */
  _known: Partial<Answers> = {};

  /**
   * Resolves, in order, every answer given on the command line, saved in .yo-rc.json or (with
   * --defaults) defaulted. Stops at the first that needs a prompt, and returns it: later ones may
   * depend on it. Returns undefined when every answer that applies is known.
   */
  _resolveKnown(answers: Partial<Answers>): AnswerSpec | undefined {
    const stored = this.config.getAll();
    for (const spec of ANSWER_SPECS) {
      if (!this._applies(spec, answers)) continue;
      const fromCli = this.options[spec.option];
      const locked = this._preset?.locked?.[spec.option];
      let value: string | number;
      const given = fromCli !== undefined && fromCli !== null;
      // Overridden now (--override-lock with a value), or in an earlier run that recorded it.
      const overridden = given ? Boolean(this.options['override-lock']) : (stored.lockOverrides ?? []).includes(spec.option);
      if (locked !== undefined && !overridden) {
        // A locked answer is the preset's; a different one on the command line needs --override-lock.
        value = parseOrThrow(spec, locked, answers, `--${spec.option} locked by the preset ${this._preset!.name}`);
        if (given && String(fromCli) !== String(locked)) {
          throw new UsageError(
            `--${spec.option} is locked to ${locked} by the preset ${this._preset!.name} (${this._preset!.file}). Nothing was written. Fix: leave out --${spec.option}, or pass --override-lock to override it (the override is reported and recorded in .yo-rc.json).`,
          );
        }
      } else if (fromCli === true || fromCli === '') {
        throw new UsageError(`--${spec.option} needs a value. Fix: pass it as --${spec.option} <value>, e.g. --${spec.option} ${this._defaultFor(spec, answers)}.`);
      } else if (fromCli !== undefined && fromCli !== null) {
        value = parseOrThrow(spec, fromCli, answers, `--${spec.option}`);
        if (locked !== undefined && String(value) !== String(locked) && !this._lockOverrides.includes(spec.option)) this._lockOverrides.push(spec.option);
      } else if (stored[spec.name] !== undefined) {
        value = parseOrThrow(spec, stored[spec.name], answers, `${spec.name} in .yo-rc.json`);
      } else if (this.options.defaults) {
        const detected = this._detected(spec, answers);
        if (detected) {
          value = parseOrThrow(spec, detected.value, answers, `${spec.prompt.message.toLowerCase()} in ${detected.from}`);
        } else {
          this._assertDefaultFitsExistingCode(spec);
          value = parseOrThrow(spec, this._defaultFor(spec, answers), answers, `the default ${spec.name}`);
        }
      } else {
        return spec;
      }
      if (spec.name === 'language') this._assertLanguageOffered(String(value));
      (answers as Record<string, unknown>)[spec.name] = value;
    }
    return undefined;
  }

  async prompting() {
    const answers: Partial<Answers> = { ...this._known };
    // Ask for the first missing answer, then take what is known again: an option given after it
    // could only be checked once it was answered.
    let asked = false;
    for (let spec = this._resolveKnown(answers); spec; spec = this._resolveKnown(answers)) {
      (answers as Record<string, unknown>)[spec.name] = await this._ask(spec, answers);
      this.config.set(spec.name, answers[spec.name]!);
      asked = true;
    }
    this._assertGivenOptionsApply(answers);
    // Answers typed at prompts are shown together once, before anything is written (not with --defaults).
    if (asked) await this._confirmRecap(answers);
    this.answers = answers as Answers;
    this.config.set(this.answers);
    if (this.retrofitting) this.config.set('retrofit', true);
    if (this._preset) {
      this.config.set('preset', this._preset.source);
      const isRoot = this.env.rootGenerator() === (this as unknown);
      for (const option of isRoot ? this._lockOverrides : []) {
        this.log(`WARNING: --${option} overrides the value the preset ${this._preset.name} locks (${this._preset.locked![option]}); recorded in .yo-rc.json.`);
      }
      if (this._lockOverrides.length > 0) this.config.set('lockOverrides', this._lockOverrides);
    }
  }

  /** Shows every answer that applies, with where it came from, and asks to go on. */
  async _confirmRecap(answers: Partial<Answers>) {
    const lines = ANSWER_SPECS.filter((spec) => this._applies(spec, answers) && answers[spec.name] !== undefined).map(
      (spec) => `  ${spec.prompt.message}: ${answers[spec.name]}`,
    );
    this.log(['', 'k8s-app will generate with these answers:', ...lines, ''].join('\n'));
    const { confirmAnswers } = (await this.prompt([
      { type: 'confirm', name: 'confirmAnswers', message: 'Write the files?', default: true },
    ] as never)) as { confirmAnswers: boolean };
    if (!confirmAnswers) {
      throw new UsageError('Cancelled, nothing written. Run k8s-app again to give other answers (or pass them as options).');
    }
  }

  /** An option for an answer this run does not use (--health-module for a new project) would be
   * silently ignored: stop and say when it applies instead. */
  _assertGivenOptionsApply(answers: Partial<Answers>) {
    for (const spec of ANSWER_SPECS) {
      const given = this.options[spec.option];
      if (given === undefined || given === null || this._applies(spec, answers)) continue;
      throw new UsageError(`--${spec.option} does not apply here: it is used only ${spec.appliesWhen ?? 'in other runs'}. Nothing was written. Fix: leave out --${spec.option}.`);
    }
  }

  /** A flag the environment acts on (--force, --dry-run): set on the environment by yo, on the root generator by our bin. */
  _environmentFlag(name: 'force' | 'dryRun'): boolean {
    const env = this.env as unknown as { options: Record<string, unknown>; rootGenerator(): { options: Record<string, unknown> } | undefined };
    // While the root generator is being constructed, it is not the environment's root yet.
    return Boolean(env.options[name] ?? (env.rootGenerator() ?? this).options[name]);
  }

  _defaultFor(spec: AnswerSpec, answers: Partial<Answers>): string | number {
    const preset = this._preset;
    const fromPreset = preset?.defaults?.[spec.option];
    if (this._detected(spec, answers)) return this._detected(spec, answers)!.value;
    if (fromPreset !== undefined) return fromPreset;
    if (spec.name === 'imageRepository' && preset?.imageRepositoryPrefix && answers.appName) return `${preset.imageRepositoryPrefix}/${answers.appName}`;
    const builtIn = spec.default(answers, { directoryName: path.basename(this.destinationRoot()) });
    // A preset that offers fewer languages defaults to the first it offers.
    if (spec.name === 'language' && preset?.languages && !preset.languages.includes(String(builtIn))) return preset.languages[0]!;
    return builtIn;
  }

  /** A preset may offer fewer languages than k8s-app does. */
  _assertLanguageOffered(language: string) {
    const offered = this._preset?.languages;
    if (offered && !offered.includes(language)) {
      throw new UsageError(
        `The preset ${this._preset!.name} offers ${offered.join(', ')}; not ${language}. Nothing was written. Fix: pass --language ${offered[0]}, or ask the preset's owners to offer ${language}.`,
      );
    }
  }

  /**
   * Existing code decides its language, runtime and port: a guess would give a Dockerfile and
   * probes that do not fit it. With --defaults, what the repository does not state must be passed.
   */
  _assertDefaultFitsExistingCode(spec: AnswerSpec) {
    if (!this.retrofitting || !RETROFIT_FACTS.includes(spec.name)) return;
    const folder = this.destinationRoot();
    if (this._detection.kind === 'ambiguous') {
      const found = this._detection.candidates.map((candidate) => `${candidate.value} (${candidate.from})`).join(', ');
      throw new UsageError(
        `${folder} holds more than one kind of project: ${found}. Fix: pass --language, e.g. --language ${this._detection.candidates[0]!.value}, or run k8s-app in the service's own folder.`,
      );
    }
    throw new UsageError(
      `The existing project in ${folder} does not state its ${spec.prompt.message.toLowerCase()}. Fix: pass --${spec.option} <value>.`,
    );
  }

  async _ask(spec: AnswerSpec, answers: Partial<Answers>): Promise<string | number> {
    const question = {
      type: spec.prompt.type,
      name: spec.name,
      message: spec.prompt.message,
      default: this._defaultFor(spec, answers),
      ...(spec.choices
        ? { choices: spec.choices(answers).filter((choice) => spec.name !== 'language' || !this._preset?.languages || this._preset.languages.includes(choice.value)) }
        : {}),
      validate: (input: unknown) => {
        const parsed = spec.parse(input, answers);
        return 'problem' in parsed ? `${capitalize(parsed.problem)}.` : true;
      },
    };
    const reply = await this.prompt([question] as never);
    return parseOrThrow(spec, (reply as Record<string, unknown>)[spec.name], answers, spec.prompt.message);
  }

  /**
   * Without a terminal nobody can answer yeoman's overwrite prompt, and a conflict found while
   * writing would leave earlier files written: so stop before anything is written and say how to go on.
   */
  conflicts() {
    // The same setting the environment's conflicter uses: its own option, else the root generator's.
    const force = this._environmentFlag('force');
    if (this._environmentFlag('dryRun')) {
      // A dry run writes nothing: yeoman lists each file, conflicts included; --json says it on stdout.
      if (this.options.json && this.env.rootGenerator() === (this as unknown)) {
        const files = this._pendingFiles().map(({ path: file, action, edited }) => ({ path: file, action, ...(edited === undefined ? {} : { edited }) }));
        const report = dryRunReport(this.answers as unknown as Record<string, unknown>, this.retrofitting, files);
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      }
      return;
    }
    const pending = this._pendingFiles();
    const isRoot = this.env.rootGenerator() === (this as unknown);
    assertFilesWritable(this.destinationRoot(), pending.filter((file) => file.action !== 'identical').map((file) => file.path));
    if (!force && !process.stdin.isTTY) {
      const changed = pending.filter((file) => file.action === 'conflict' && file.path !== '.yo-rc.json');
      if (changed.length > 0) {
        const described = changed.map((file) =>
          file.edited === undefined ? file.path : `${file.path} (${file.edited ? 'edited since k8s-app wrote it' : 'not edited since k8s-app wrote it; its template changed'})`,
        );
        throw new UsageError(
          `These files exist and differ from what k8s-app would write: ${described.join(', ')}. Nothing was written. ` +
            'Run again in a terminal to review each change, or pass --force to overwrite them.',
        );
      }
    }
    if (isRoot) {
      // What this run writes, by content: a later run (an upgrade) can tell the files the user edited.
      const files = { ...this.config.get('files') };
      for (const file of pending) if (file.path !== '.yo-rc.json' && file.digest) files[file.path] = file.digest;
      this.config.set('files', files);
      this.config.set('generatorVersion', GENERATOR_VERSION);
    }
  }

  /** Changes an existing file the user agreed to change (an answer that needs it): written without a conflict prompt. */
  _writeWithConsent(file: string, text: string) {
    const target = this.destinationPath(file);
    this.fs.write(target, text);
    ((this.env as unknown as { sharedFs: { get(path: string): MemFile } }).sharedFs.get(target)).conflicter = 'force';
  }

  /** Every file this run would write, what writing it would do to the folder, and (for a file that
   * would change) whether the user edited it since k8s-app last wrote it, when .yo-rc.json says. */
  _pendingFiles(): PendingFile[] {
    const recorded = this.config.get('files') ?? {};
    const pending: PendingFile[] = [];
    for (const file of (this.env as unknown as { sharedFs: { all(): MemFile[] } }).sharedFs.all()) {
      if (file.state !== 'modified' || !file.contents) continue;
      const relative = path.relative(this.destinationRoot(), file.path);
      const entry: PendingFile = { path: relative, action: 'create', digest: sha256(file.contents) };
      if (existsSync(file.path)) {
        const onDisk = readFileSync(file.path);
        if (onDisk.equals(file.contents)) entry.action = 'identical';
        else {
          entry.action = file.conflicter === 'force' ? 'force' : 'conflict';
          if (recorded[relative]) entry.edited = sha256(onDisk) !== recorded[relative];
        }
      }
      pending.push(entry);
    }
    return pending.sort((a, b) => a.path.localeCompare(b.path));
  }

  get templateData(): TemplateData {
    return templateData(this.answers, this.retrofitting ? this._existingProject() : undefined, this._preset);
  }

  /** The existing project's build, as the answered language's stack plans it from the repo's files. */
  _existingProject(): ExistingProjectData {
    const stack = findStack(this.answers.language)!;
    const words = this.answers.startCommand ? commandWords(this.answers.startCommand) : { words: [] };
    const command = 'words' in words && words.words.length > 0 ? stack.existing.command?.(words.words) : undefined;
    return { build: stack.existing.plan(repoFiles(this.destinationRoot())), command: command && 'args' in command ? command.args : [] };
  }

  /** Renders every file under `templates/<source>` to `<destination>`, dropping the `.ejs` suffix;
   * a `{name}` in a path becomes the stack's name of that key (a Java package path, say). Our files
   * `include` turns down are skipped; files a preset's override folder adds are always written. */
  _renderTree(source: string, destination: string, data: { names: Readonly<Record<string, string>> }, include: (file: string) => boolean = () => true) {
    const ours = listFiles(this.templatePath(source));
    const overrides = this._preset?.templates ? path.join(this._preset.templates, source) : undefined;
    const added = overrides && existsSync(overrides) ? listFiles(overrides).filter((file) => !ours.includes(file)) : [];
    for (const file of [...ours.filter(include), ...added].sort()) {
      this._render(path.join(source, file), path.join(destination, outputPath(file, data.names)), data);
    }
  }

  /** Renders a template: the preset's override at the same relative path when it has one, else ours. */
  _render(source: string, destination: string, data: object) {
    const override = this._preset?.templates ? path.join(this._preset.templates, source) : undefined;
    if (!override || !existsSync(override)) {
      this.renderTemplate(source, destination, data, TEMPLATE_OPTIONS);
      return;
    }
    try {
      this.renderTemplate(override, destination, data, TEMPLATE_OPTIONS);
    } catch (error) {
      const missing = /(\S+) is not defined|Property (\S+) (?:does not exist|not found)/.exec((error as Error).message);
      throw new UsageError(
        `The preset ${this._preset!.name}'s template ${override} cannot be rendered: ${missing ? `it uses "${missing[1] ?? missing[2]}", which k8s-app does not provide` : (error as Error).message.split('\n')[0]}. Template data: ${Object.keys(data).sort().join(', ')}. Nothing was written. Fix: correct the template.`,
      );
    }
  }
}

/**
 * yeoman-generator logs "An error occured while running <task>" before a task's error reaches the
 * caller; our errors are one clear line of their own (printed by the bin), so the banner is dropped.
 */
function withoutTaskErrorBanner<Log extends { error(...args: unknown[]): unknown }>(log: Log): Log {
  return new Proxy(log, {
    get(target, key, receiver) {
      if (key !== 'error') return Reflect.get(target, key, receiver);
      return (message: unknown, ...rest: unknown[]) =>
        typeof message === 'string' && message.startsWith('An error occured while running') ? receiver : target.error(message, ...rest);
    },
  });
}

type StatusLog = Record<'force' | 'create', (file: string, ...rest: unknown[]) => unknown> & { [configStatus]?: true };
const configStatus = Symbol('k8s-app .yo-rc.json status');

/**
 * yeoman always writes .yo-rc.json without asking and logs it as "force", which reads as if a file
 * of the user's were overwritten. It is ours: logged as created when new, and not at all otherwise.
 */
function reportConfigFileAsCreated(log: StatusLog, destination: string) {
  if (log[configStatus]) return;
  const force = log.force;
  log.force = function (file, ...rest) {
    if (file !== '.yo-rc.json') return force.call(this, file, ...rest);
    return existsSync(path.join(destination, file)) ? this : this.create(file, ...rest);
  };
  log[configStatus] = true;
}

/** Answers an existing repository must state (or the user must pass) when retrofitting with --defaults. */
const RETROFIT_FACTS: readonly AnswerSpec['name'][] = ['language', 'runtimeVersion', 'port', 'startCommand'];

function parseOrThrow(spec: AnswerSpec, raw: unknown, answers: Partial<Answers>, source: string): string | number {
  const parsed = spec.parse(raw, answers);
  if ('problem' in parsed) {
    const example = spec.default(answers, { directoryName: 'my-service' });
    const fix = example === '' ? `pass --${spec.option} <value>` : `pass a valid value, e.g. --${spec.option} ${example}`;
    throw new UsageError(`Invalid ${source}: ${parsed.problem}. Fix: ${fix}.`);
  }
  return parsed.value;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where a template of a tree is written, relative to the tree's destination: without `.ejs`, and
 * each `{name}` segment replaced by the stack's name of that key. */
function outputPath(file: string, names: Readonly<Record<string, string>>): string {
  const renamed = file.replace(/\{([A-Za-z]+)\}/g, (segment, key: string) => {
    const name = names[key];
    if (name === undefined) throw new Error(`Template path ${file} names ${segment}, but the stack defines no name "${key}"`);
    return name;
  });
  return renamed.replace(/\.ejs$/, '');
}

function listFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((entry) => statSync(path.join(root, entry)).isFile())
    .sort();
}

/** A .yo-rc.json that is not JSON stops the run with the file and the fix (yeoman would throw a stack trace). */
function assertConfigParses(destination: string) {
  const file = path.join(destination, '.yo-rc.json');
  if (!existsSync(file)) return;
  try {
    JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON (${(error as Error).message}). Nothing was written. Fix: correct it, or delete it to answer every question again.`,
    );
  }
}

/**
 * Every file a run writes must be writable before the first is written: a folder the user cannot
 * write would otherwise leave a half-written project behind.
 */
function assertFilesWritable(destination: string, files: readonly string[]) {
  const blocked = new Map<string, string[]>();
  for (const file of files) {
    const target = path.join(destination, file);
    const obstacle = writeObstacle(target);
    if (obstacle) blocked.set(obstacle, [...(blocked.get(obstacle) ?? []), file]);
  }
  if (blocked.size === 0) return;
  const problems = [...blocked].map(([obstacle, blockedFiles]) => {
    const named = blockedFiles.slice(0, 3).join(', ') + (blockedFiles.length > 3 ? ` and ${blockedFiles.length - 3} more` : '');
    return `${obstacle} (needed for ${named})`;
  });
  throw new UsageError(
    `Cannot write the project: ${problems.join('; ')}. Nothing was written. Fix: make ${blocked.size === 1 ? 'it' : 'them'} writable by this user (chmod/chown), or run k8s-app in a directory you own.`,
  );
}

/** Why `target` cannot be written, as `<path> is ...`; undefined when it can. */
function writeObstacle(target: string): string | undefined {
  if (!existsSync(target)) {
    const blocked = folderObstacle(target);
    return blocked && `${blocked.folder} ${blocked.problem === 'file' ? 'is a file, not a folder' : 'is not writable'}`;
  }
  if (statSync(target).isDirectory()) return `${target} is a directory`;
  try {
    accessSync(target, constants.W_OK);
    return undefined;
  } catch {
    return `${target} is read-only`;
  }
}

/** What stops creating `target` (which need not exist): its nearest existing ancestor is a file, or a
 * folder this user cannot write. Undefined when nothing does. */
function folderObstacle(target: string): { folder: string; problem: 'file' | 'unwritable' } | undefined {
  let folder = target;
  while (!existsSync(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  if (!statSync(folder).isDirectory()) return { folder, problem: 'file' };
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
    return undefined;
  } catch {
    return { folder, problem: 'unwritable' };
  }
}

/** Fails before anything is generated when the destination (or the folder that would hold it) is not writable. */
function assertWritable(destination: string) {
  const blocked = folderObstacle(destination);
  if (blocked?.problem === 'file') {
    throw new UsageError(`Cannot write to ${destination}: ${blocked.folder} is a file, not a directory. Run k8s-app in a directory, or move that file away.`);
  }
  if (blocked) {
    throw new UsageError(
      `Cannot write to ${destination}: ${blocked.folder} is not writable by this user. Run k8s-app in a directory you own, or fix its permissions (chmod/chown).`,
    );
  }
}
