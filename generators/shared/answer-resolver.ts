// Answer precedence, without yeoman: the command line > a preset's lock > .yo-rc.json > (with
// --defaults) what the existing repository states > the preset's default > the built-in default; a
// prompt asks for the rest. Every value keeps where it came from. Nothing here names an answer: what
// differs between answers is a field of its spec (answers.ts).
import path from 'node:path';
import { ANSWER_SPECS, type AnswerSpec, type Answers } from './answers.ts';
import type { DetectedProject, Detection, Finding } from './detect.ts';
import { UsageError } from './errors.ts';
import type { LoadedPreset } from './preset.ts';

/** What .yo-rc.json holds: the answers, whether the project was retrofitted, the preset in use, the
 * locked answers the user overrode, and what the last run wrote. */
export type StoredConfig = Partial<Answers> & {
  retrofit?: boolean;
  preset?: string;
  lockOverrides?: string[];
  /** The k8s-app release that last wrote the files, and a digest of each file as it wrote it. */
  generatorVersion?: string;
  files?: Record<string, string>;
};

export interface ResolverSources {
  /** Option values as parsed from the command line, by option name (`runtime-version`). */
  options: Record<string, unknown>;
  stored: StoredConfig;
  preset?: LoadedPreset;
  detection: Detection;
  retrofit: boolean;
  /** The folder generated into: its name is the default app name, and errors name it. */
  folder: string;
}

export class AnswerResolver {
  /** Where each resolved answer came from, for the recap. */
  readonly origins: Partial<Record<keyof Answers, string>> = {};
  /** Locked answers the command line overrode (--override-lock): reported and recorded. */
  readonly lockOverrides: string[];

  private readonly sources: ResolverSources;

  constructor(sources: ResolverSources) {
    this.sources = sources;
    this.lockOverrides = [...(sources.stored.lockOverrides ?? [])];
  }

  /** Whether an answer applies to this run, given the answers before it. */
  applies(spec: AnswerSpec, answers: Partial<Answers>): boolean {
    return spec.when?.({ retrofit: this.sources.retrofit, project: this.detectedProject(answers) }, answers) ?? true;
  }

  /** The value the existing repository states for an answer, and where; undefined when it states none
   * (or states another language than the one answered). */
  detected(spec: AnswerSpec, answers: Partial<Answers>): Finding | undefined {
    const project = this.detectedProject(answers);
    return project && spec.detected?.(project);
  }

  detectedProject(answers: Partial<Answers>): DetectedProject | undefined {
    const { detection, retrofit } = this.sources;
    if (!retrofit || detection.kind !== 'found') return undefined;
    return answers.language === undefined || answers.language === detection.project.language ? detection.project : undefined;
  }

  defaultFor(spec: AnswerSpec, answers: Partial<Answers>): string | number {
    const preset = this.sources.preset;
    const detected = this.detected(spec, answers);
    if (detected) return detected.value;
    const fromPreset = preset?.defaults?.[spec.option] ?? (preset && spec.presetDefault?.(preset, answers));
    if (fromPreset !== undefined) return fromPreset;
    const builtIn = spec.default(answers, { directoryName: path.basename(this.sources.folder) });
    // A preset that offers fewer values defaults to the first it offers.
    const offered = this.offered(spec);
    return offered && !offered.includes(String(builtIn)) ? offered[0]! : builtIn;
  }

  /** The values the preset offers for this answer, when it limits them. */
  offered(spec: AnswerSpec): readonly string[] | undefined {
    return this.sources.preset && spec.presetOffers?.(this.sources.preset);
  }

  /** A select prompt's choices, without those the preset does not offer or the repository cannot use. */
  choices(spec: AnswerSpec, answers: Partial<Answers>) {
    const offered = this.offered(spec);
    const choices = spec.choices?.(answers, this.detectedProject(answers)).filter((choice) => !offered || offered.includes(choice.value));
    const fitting = choices?.filter((choice) => !this.repositoryProblem(spec, choice.value, answers));
    // None fits: the first one's problem says why, and what to do.
    if (choices?.[0] && fitting?.length === 0) this.assertFitsRepository(spec, choices[0].value, 'every choice', answers);
    return fitting;
  }

  private repositoryProblem(spec: AnswerSpec, value: string | number, answers: Partial<Answers>) {
    const project = this.detectedProject(answers);
    return project && spec.repositoryProblem?.(value, project);
  }

  /** A value the existing repository cannot work with stops the run, naming why and what fits. */
  private assertFitsRepository(spec: AnswerSpec, value: string | number, origin: string, answers: Partial<Answers>) {
    const found = this.repositoryProblem(spec, value, answers);
    if (found)
      throw new UsageError(
        `The ${spec.prompt.message.toLowerCase()} ${value} (${origin}) does not fit the repository: ${found.problem}. Nothing was written. Fix: ${found.fix}.`,
      );
  }

  /**
   * Resolves, in order, every answer given on the command line, saved in .yo-rc.json or (with
   * --defaults) defaulted. Stops at the first that needs a prompt, and returns it: later ones may
   * depend on it. Returns undefined when every answer that applies is known.
   */
  resolveKnown(answers: Partial<Answers>): AnswerSpec | undefined {
    const { options, stored, preset } = this.sources;
    for (const spec of ANSWER_SPECS) {
      if (!this.applies(spec, answers) || answers[spec.name] !== undefined) continue;
      const fromCli = options[spec.option];
      const locked = preset?.locked?.[spec.option];
      const given = fromCli !== undefined && fromCli !== null;
      // Overridden now (--override-lock with a value), or in an earlier run that recorded it.
      const overridden = given ? Boolean(options['override-lock']) : (stored.lockOverrides ?? []).includes(spec.option);
      let value: string | number;
      let origin: string;
      if (locked !== undefined && !overridden) {
        // A locked answer is the preset's; a different one on the command line needs --override-lock.
        origin = `locked by the preset ${preset!.name}`;
        value = parseOrThrow(spec, locked, answers, `--${spec.option} ${origin}`);
        if (given && String(fromCli) !== String(locked)) {
          throw new UsageError(
            `--${spec.option} is locked to ${locked} by the preset ${preset!.name} (${preset!.file}). Nothing was written. Fix: leave out --${spec.option}, or pass --override-lock to override it (the override is reported and recorded in .yo-rc.json).`,
          );
        }
      } else if (fromCli === true || fromCli === '') {
        throw new UsageError(
          `--${spec.option} needs a value. Fix: pass it as --${spec.option} <value>, e.g. --${spec.option} ${this.defaultFor(spec, answers)}.`,
        );
      } else if (given) {
        origin = `--${spec.option}`;
        value = parseOrThrow(spec, fromCli, answers, origin);
        if (locked !== undefined && String(value) !== String(locked) && !this.lockOverrides.includes(spec.option)) this.lockOverrides.push(spec.option);
      } else if (stored[spec.name] !== undefined) {
        origin = '.yo-rc.json';
        value = parseOrThrow(spec, stored[spec.name], answers, `${spec.name} in .yo-rc.json`);
      } else if (stored.appName !== undefined && !spec.retrofitFact) {
        // An answer this project's .yo-rc.json predates: an upgrade takes its default rather than
        // stopping at a question, and saves it (the recap and .yo-rc.json show it).
        origin = 'default (new since .yo-rc.json was written)';
        value = parseOrThrow(spec, this.defaultFor(spec, answers), answers, `the default ${spec.name}`);
      } else if (options.defaults) {
        const detected = this.detected(spec, answers);
        if (detected) {
          origin = detected.from;
          value = parseOrThrow(spec, detected.value, answers, `${spec.prompt.message.toLowerCase()} in ${detected.from}`);
        } else if (this.onlyChoice(spec, answers) !== undefined) {
          // Nothing stated, but only one value can fit (Rust's one toolchain): no reason to stop.
          origin = `the only ${spec.prompt.message.toLowerCase()} k8s-app offers`;
          value = parseOrThrow(spec, this.onlyChoice(spec, answers), answers, origin);
        } else {
          this.assertDefaultFitsRetrofit(spec, answers);
          origin = 'default';
          value = parseOrThrow(spec, this.defaultFor(spec, answers), answers, `the default ${spec.name}`);
        }
      } else {
        return spec;
      }
      this.accept(spec, value, origin, answers);
    }
    return undefined;
  }

  /** Takes a value for an answer (resolved, or typed at a prompt), after the preset's say on it. */
  accept(spec: AnswerSpec, value: string | number, origin: string, answers: Partial<Answers>) {
    this.assertFitsRepository(spec, value, origin, answers);
    const offered = this.offered(spec);
    if (offered && !offered.includes(String(value))) {
      const preset = this.sources.preset!;
      throw new UsageError(
        `The preset ${preset.name} offers ${offered.join(', ')}; not ${value}. Nothing was written. Fix: pass --${spec.option} ${offered[0]}, or ask the preset's owners to offer ${value}.`,
      );
    }
    (answers as Record<string, unknown>)[spec.name] = value;
    this.origins[spec.name] = origin;
  }

  /** An option for an answer this run does not use (--health-module for a new project) would be
   * silently ignored: stop and say when it applies instead. */
  assertGivenOptionsApply(answers: Partial<Answers>) {
    for (const spec of ANSWER_SPECS) {
      const given = this.sources.options[spec.option];
      if (given === undefined || given === null || this.applies(spec, answers)) continue;
      throw new UsageError(
        `--${spec.option} does not apply here: it is used only ${spec.appliesWhen ?? 'in other runs'}. Nothing was written. Fix: leave out --${spec.option}.`,
      );
    }
  }

  /**
   * Existing code decides its language, runtime and port: a guess would give a Dockerfile and
   * probes that do not fit it. With --defaults, what the repository does not state must be passed.
   */
  /** Retrofitting, an answer the repository must state (a runtime version) that has one possible value: it. */
  private onlyChoice(spec: AnswerSpec, answers: Partial<Answers>): string | undefined {
    const { retrofit, detection } = this.sources;
    if (!retrofit || !spec.retrofitFact || detection.kind !== 'found') return undefined;
    const choices = spec.choices?.(answers, detection.project) ?? [];
    return choices.length === 1 ? choices[0]!.value : undefined;
  }

  private assertDefaultFitsRetrofit(spec: AnswerSpec, answers: Partial<Answers>) {
    const { retrofit, detection, folder } = this.sources;
    if (!retrofit || !spec.retrofitFact) return;
    if (detection.kind === 'ambiguous') {
      const found = detection.candidates.map((candidate) => `${candidate.value} (${candidate.from})`).join(', ');
      throw new UsageError(
        `${folder} holds more than one kind of project: ${found}. Fix: pass --language, e.g. --language ${detection.candidates[0]!.value}, or run k8s-app in the service's own folder.`,
      );
    }
    // Where the repository offers several (programs), name them.
    const candidates = spec.choices?.(answers, detection.kind === 'found' ? detection.project : undefined).map((choice) => choice.value);
    if (candidates?.length === 0)
      throw new UsageError(`The existing project in ${folder} has no ${spec.prompt.message.toLowerCase()}: nothing to run in a container.`);
    const among = candidates ? ` (one of: ${candidates.join(', ')})` : '';
    throw new UsageError(
      `The existing project in ${folder} does not state its ${spec.prompt.message.toLowerCase()}${among}. Fix: pass --${spec.option} <value>${among ? `, e.g. --${spec.option} ${candidates![0]}` : ''}.`,
    );
  }
}

export function parseOrThrow(spec: AnswerSpec, raw: unknown, answers: Partial<Answers>, source: string): string | number {
  const parsed = spec.parse(raw, answers);
  if ('problem' in parsed) {
    const example = spec.default(answers, { directoryName: 'my-service' });
    const fix = example === '' ? `pass --${spec.option} <value>` : `pass a valid value, e.g. --${spec.option} ${example}`;
    throw new UsageError(`Invalid ${source}: ${parsed.problem}. Fix: ${fix}.`);
  }
  return parsed.value;
}
