// The k8s-app command line, checked before yeoman loads: every option we support, declared once
// (ANSWER_SPECS and RUN_OPTIONS), so a typo stops the run instead of being ignored.
import { ANSWER_SPECS } from './answers.ts';
import { RUN_OPTIONS } from './info.ts';

export const GENERATORS = ['app', 'service', 'docker', 'kubernetes'] as const;

export interface CommandLineOption {
  option: string;
  takesValue: boolean;
  description: string;
}

/** Options that act on the command itself, not on a generation. */
const COMMAND_OPTIONS: readonly CommandLineOption[] = [
  { option: 'help', takesValue: false, description: 'Print this help and exit' },
  { option: 'version', takesValue: false, description: "Print k8s-app's version and exit" },
];

/** Every option k8s-app accepts, in the order --help lists them. */
export const COMMAND_LINE_OPTIONS: readonly CommandLineOption[] = [
  ...ANSWER_SPECS.map((spec) => ({ option: spec.option, takesValue: true, description: spec.description })),
  ...RUN_OPTIONS.map(({ option, type, description }) => ({ option, takesValue: type === 'string', description })),
  ...COMMAND_OPTIONS,
];

export type ParsedCommandLine =
  | { kind: 'help' | 'version' | 'info'; generator: string }
  | { kind: 'run'; generator: string; args: string[] }
  | { kind: 'error'; message: string };

/**
 * Checks the arguments: a sub-generator name first (app when absent), then options. `--name value`,
 * `--name=value` and `-h` are understood; anything else is an error naming the fix.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const args = [...argv];
  const generator = (GENERATORS as readonly string[]).includes(args[0] ?? '') ? args.shift()! : 'app';
  const given = new Set<string>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '-h') {
      given.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      const known = index === 0 ? `; the first word may name a part to run alone (${GENERATORS.join(', ')})` : '';
      return {
        kind: 'error',
        message: `unexpected argument "${arg}"${known}. Fix: leave it out, or give it as the value of an option (k8s-app --help lists them).`,
      };
    }
    const [name, inlineValue] = splitOption(arg.slice(2));
    const option = COMMAND_LINE_OPTIONS.find((candidate) => candidate.option === name);
    if (!option) return { kind: 'error', message: unknownOptionMessage(name, 'k8s-app') };
    if (option.takesValue && inlineValue === undefined) {
      const next = args[index + 1];
      if (next === undefined || next.startsWith('--')) {
        return { kind: 'error', message: `--${name} needs a value. Nothing was written. Fix: pass it as --${name} <value>.` };
      }
      index++;
    } else if (!option.takesValue && inlineValue !== undefined && !['true', 'false'].includes(inlineValue)) {
      return { kind: 'error', message: `--${name} takes no value (given "${inlineValue}"). Nothing was written. Fix: pass --${name} alone.` };
    }
    given.add(name);
  }
  for (const kind of ['help', 'version', 'info'] as const) if (given.has(kind)) return { kind, generator };
  return { kind: 'run', generator, args };
}

/**
 * For `yo k8s-app`, which hands the generator its raw arguments: the first option that is neither
 * ours nor one yo and yeoman act on, as the error to stop with; undefined when all are known.
 */
export function unknownOptionError(args: readonly string[], yeomanOptions: readonly string[]): string | undefined {
  for (const arg of args) {
    if (!arg.startsWith('--')) continue;
    const [name] = splitOption(arg.slice(2));
    const known =
      COMMAND_LINE_OPTIONS.some(({ option }) => option === name) ||
      [...yeomanOptions, ...YO_OPTIONS].some((option) => option === name || `no-${option}` === name);
    if (!known) return unknownOptionMessage(name, 'yo k8s-app');
  }
  return undefined;
}

/** The error for an option nobody declares, with the one it most likely meant. */
function unknownOptionMessage(name: string, command: string): string {
  const suggestion = closestOption(name);
  return `unknown option --${name}. ${suggestion ? `Did you mean --${suggestion}? ` : ''}Nothing was written. Fix: ${command} --help lists every option.`;
}

/** Options yo and yeoman-environment read from the same command line. */
const YO_OPTIONS = [
  'bail',
  'whitespace',
  'skip-yo-resolve',
  'insight',
  'local-config-only',
  'ask-answered',
  'cwd',
  'experimental',
  'skip-local-cache',
  'skip-cache',
  'skip-install',
  'force-install',
  'generators',
  'update-notifier',
];

function splitOption(text: string): [string, string | undefined] {
  const equals = text.indexOf('=');
  return equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
}

/** The option a typo most likely meant: within a third of its length in edits, or one it starts. */
export function closestOption(name: string): string | undefined {
  let best: { option: string; distance: number } | undefined;
  for (const { option } of COMMAND_LINE_OPTIONS) {
    const distance = option.startsWith(name) || name.startsWith(option) ? 1 : editDistance(name, option);
    if (!best || distance < best.distance) best = { option, distance };
  }
  return best && best.distance <= Math.max(2, Math.ceil(name.length / 3)) ? best.option : undefined;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The help text, wrapped to `width` columns. */
export function helpText(generator: string, width: number): string {
  const usage = `Usage: k8s-app [${GENERATORS.join('|')}] [options]`;
  const intro =
    'Generates a containerized service for Kubernetes (a new service, or the container and Kubernetes files around an existing one). ' +
    'The same as yo k8s-app[:part], for any user. Every question is also an option; without a terminal pass --defaults.';
  const column = Math.min(30, Math.max(...COMMAND_LINE_OPTIONS.map(({ option, takesValue }) => optionLabel(option, takesValue).length)) + 4);
  const lines = [usage, '', ...wrap(intro, width), '', generator === 'app' ? 'Options:' : `Options (k8s-app ${generator}):`];
  for (const { option, takesValue, description } of COMMAND_LINE_OPTIONS) {
    const label = `  ${optionLabel(option, takesValue)}`;
    const text = wrap(description, Math.max(20, width - column));
    if (label.length + 2 > column) {
      lines.push(label);
      lines.push(...text.map((line) => ' '.repeat(column) + line));
    } else {
      lines.push(label.padEnd(column) + text[0], ...text.slice(1).map((line) => ' '.repeat(column) + line));
    }
  }
  return lines.join('\n');
}

function optionLabel(option: string, takesValue: boolean): string {
  return `--${option}${takesValue ? ' <value>' : ''}`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
