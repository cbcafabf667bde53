// Templates to files: `templates/<source>` rendered with EJS, a preset's override folder taking
// precedence file by file, and `{name}` path segments replaced by the stack's names.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Generator from 'yeoman-generator';
import { compiledTemplates } from './compiled-templates.ts';
import { UsageError } from './errors.ts';
import type { Preset } from './preset.ts';

export const TEMPLATES_ROOT = fileURLToPath(new URL('../../templates', import.meta.url));

/** EJS escapes `<%= %>` for HTML; no file we write is HTML, so values are written as they are. */
const asWritten = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const TEMPLATE_OPTIONS = { transformOptions: { escape: asWritten } };

/** Renders every file under `templates/<source>` to `<destination>`, dropping the `.ejs` suffix;
 * a `{name}` in a path becomes the stack's name of that key (a Java package path, say). Our files
 * `include` turns down are skipped; files a preset's override folder adds are always written. */
export function renderTree(
  generator: Generator,
  preset: Preset | undefined,
  source: string,
  destination: string,
  data: { names: Readonly<Record<string, string>> },
  include: (file: string) => boolean = () => true,
) {
  const ours = listFiles(generator.templatePath(source));
  const overrides = preset?.templates ? path.join(preset.templates, source) : undefined;
  const added = overrides && existsSync(overrides) ? listFiles(overrides).filter((file) => !ours.includes(file)) : [];
  for (const file of [...ours.filter(include), ...added].sort()) {
    render(generator, preset, path.join(source, file), path.join(destination, outputPath(file, data.names)), data);
  }
}

/** Renders a template: the preset's override at the same relative path when it has one, else ours. */
export function render(generator: Generator, preset: Preset | undefined, source: string, destination: string, data: object) {
  const override = preset?.templates ? path.join(preset.templates, source) : undefined;
  if (!override || !existsSync(override)) {
    const template = source.split(path.sep).join('/');
    if (compiledTemplates[template]) {
      // The built package: the template's function, and the template file's mode, as yeoman's
      // renderTemplate keeps it (mvnw is executable).
      const stat = statSync(generator.templatePath(source));
      generator.fs.write(generator.destinationPath(destination), renderCompiled(template, data), { stat });
    } else {
      generator.renderTemplate(source, destination, data, TEMPLATE_OPTIONS);
    }
    return;
  }
  try {
    generator.renderTemplate(override, destination, data, TEMPLATE_OPTIONS);
  } catch (error) {
    const missing = /(\S+) is not defined|Property (\S+) (?:does not exist|not found)/.exec((error as Error).message);
    throw new UsageError(
      `The preset ${preset!.name}'s template ${override} cannot be rendered: ${missing ? `it uses "${missing[1] ?? missing[2]}", which k8s-app does not provide` : (error as Error).message.split('\n')[0]}. Template data: ${Object.keys(data).sort().join(', ')}. Nothing was written. Fix: correct the template.`,
    );
  }
}

/** Renders one of our templates with its compiled function, as EJS runs it: on a copy of the data,
 * with `include` reading a template relative to the one including it, on the data and what it adds. */
export function renderCompiled(template: string, data: object, templates = compiledTemplates): string {
  const render = templates[template];
  if (!render) throw new Error(`templates/${template} is not in the bundle's compiled templates (tools/compile-templates.ts)`);
  const include = (file: string, added?: object) => renderCompiled(path.posix.join(path.posix.dirname(template), file), { ...data, ...added }, templates);
  return render(Object.assign(Object.create(null), data), asWritten, include);
}

/** Where a template of a tree is written, relative to the tree's destination: without `.ejs`, and
 * each `{name}` segment replaced by the stack's name of that key. */
export function outputPath(file: string, names: Readonly<Record<string, string>>): string {
  const renamed = file.replace(/\{([A-Za-z]+)\}/g, (segment, key: string) => {
    const name = names[key];
    if (name === undefined) throw new Error(`Template path ${file} names ${segment}, but the stack defines no name "${key}"`);
    return name;
  });
  return renamed.replace(/\.ejs$/, '');
}

export function listFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).filter((entry) => statSync(path.join(root, entry)).isFile()).sort();
}
