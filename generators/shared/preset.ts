// Company presets: defaults, locked answers, base images, labels, resources and template overrides a
// platform team sets once for every service (schemas/preset.schema.json). A preset is a JSON or YAML
// file, or an installed npm package that ships one.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import type { ImageFamily, ImagePattern } from '../../stacks/types.ts';
import { UsageError } from './errors.ts';

type Quantities = { cpu?: string; memory?: string };

export interface Preset {
  name: string;
  defaults?: Record<string, string | number>;
  locked?: Record<string, string | number>;
  languages?: string[];
  imageRepositoryPrefix?: string;
  images?: Record<string, Partial<Record<ImageFamily, { builder?: ImagePattern; runtime?: ImagePattern }>>>;
  /** The Debian 13 image the distroless Dockerfiles' tini stage installs tini from. */
  tiniImage?: string;
  /** Base images pinned by digest: image reference (version resolved) -> sha256 digest. */
  imageDigests?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The Backstage catalog entry's extra annotations, and the owner of the software template. */
  catalog?: { annotations?: Record<string, string>; templateOwner?: string };
  resources?: { requests?: Quantities; limits?: Quantities };
  /** The override folder, relative to the preset file in the file; absolute once loaded. */
  templates?: string;
}

export interface LoadedPreset extends Preset {
  /** As the user gave it (--preset), and as .yo-rc.json records it. */
  source: string;
  /** The file read. */
  file: string;
}

const SCHEMA_FILE = new URL('../../schemas/preset.schema.json', import.meta.url);
let presetSchema: { document: Record<string, unknown>; validate: ValidateFunction } | undefined;
/** Loaded, read and compiled on the first preset read: a run without one skips the cost (about 45 ms). */
function loadPresetSchema(): { document: Record<string, unknown>; validate: ValidateFunction } {
  if (!presetSchema) {
    const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const document = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    presetSchema = { document, validate: new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(document) };
  }
  return presetSchema;
}
/** Files a preset package may ship, when its package.json names none ("k8sAppPreset"). */
const PACKAGE_PRESET_FILES = ['preset.json', 'preset.yaml', 'preset.yml'];

/** Reads and validates the preset `source` names: a file (relative to `cwd`) or an installed package. */
export function loadPreset(source: string, cwd: string): LoadedPreset {
  const file = presetFile(source, cwd);
  let document: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    document = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `The preset ${file} cannot be read: ${(error as Error).message.split('\n')[0]}. Fix: make it valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}.`,
    );
  }
  const { validate } = loadPresetSchema();
  if (!validate(document)) {
    const problems = (validate.errors ?? []).map(describeError);
    throw new UsageError(
      `The preset ${file} does not match schemas/preset.schema.json:\n${[...new Set(problems)].map((problem) => `  - ${problem}`).join('\n')}\nFix: correct those keys; the schema documents each one.`,
    );
  }
  const preset = document as Preset;
  const templates = preset.templates === undefined ? undefined : path.resolve(path.dirname(file), preset.templates);
  if (templates !== undefined && !(existsSync(templates) && statSync(templates).isDirectory())) {
    throw new UsageError(
      `The preset ${file} names the template folder "${preset.templates}", and ${templates} is not a folder. Fix: create it, or correct "templates".`,
    );
  }
  return { ...preset, ...(templates ? { templates } : {}), source, file };
}

/** A path (./acme.yaml, presets/acme.json), not a package name (acme-preset, @acme/k8s-preset). */
export function isPresetPath(source: string): boolean {
  return (/[\\/]/.test(source) && !source.startsWith('@')) || /\.(json|ya?ml)$/i.test(source);
}

function presetFile(source: string, cwd: string): string {
  const asFile = path.resolve(cwd, source);
  if (existsSync(asFile) && statSync(asFile).isFile()) return asFile;
  const looksLikeFile = isPresetPath(source);
  if (!looksLikeFile) {
    try {
      const manifest = installedPackageManifest(source, cwd);
      const packageDir = path.dirname(manifest);
      const named = (JSON.parse(readFileSync(manifest, 'utf8')) as { k8sAppPreset?: string }).k8sAppPreset;
      const candidates = named ? [named] : PACKAGE_PRESET_FILES;
      const found = candidates.map((candidate) => path.join(packageDir, candidate)).find((candidate) => existsSync(candidate));
      if (found) return found;
      throw new UsageError(
        `The package ${source} (${packageDir}) holds no preset: ${named ? `its "k8sAppPreset" names ${named}, which does not exist` : `no ${PACKAGE_PRESET_FILES.join(', ')} and no "k8sAppPreset" in its package.json`}. Fix: add one.`,
      );
    } catch (error) {
      if (error instanceof UsageError) throw error;
    }
  }
  throw new UsageError(
    `No preset "${source}": there is no file ${asFile}${looksLikeFile ? '' : `, and no installed package ${source}`}. Fix: pass a preset file's path, or install the package (npm install ${looksLikeFile ? '<package>' : source}).`,
  );
}

/**
 * An installed package's package.json: from the folder k8s-app runs in, else from k8s-app's own
 * installation (a Backstage backend installs presets next to the generator, and runs it in an empty
 * workspace). Throws when neither has it.
 */
function installedPackageManifest(source: string, cwd: string): string {
  try {
    return createRequire(path.join(cwd, 'package.json')).resolve(`${source}/package.json`);
  } catch {
    return createRequire(import.meta.url).resolve(`${source}/package.json`);
  }
}

/** One schema error as a sentence: which key, what is wrong, what is allowed. */
function describeError(error: ErrorObject): string {
  const key = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : '(top level)';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${key === '(top level)' ? '' : `${key}.`}${String(params.additionalProperty)} is not a preset key; allowed: ${allowedKeys(error.schemaPath).join(', ')}`;
    case 'propertyNames':
      return `${key}: "${String(params.propertyName)}" is not allowed as a key here`;
    case 'enum':
      return key.includes('.') || key !== '(top level)'
        ? `${key} is ${JSON.stringify(error.data)}; allowed: ${(params.allowedValues as unknown[]).join(', ')}`
        : `allowed: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'required':
      return `${String(params.missingProperty)} is missing (required)`;
    case 'type':
      return `${key} is ${JSON.stringify(error.data)}; it must be ${Array.isArray(params.type) ? (params.type as string[]).join(' or ') : String(params.type)}`;
    case 'pattern':
      return `${key} is ${JSON.stringify(error.data)}, which is not ${patternMeaning(error.schemaPath)}`;
    default:
      return `${key} ${error.message ?? 'is not valid'}`;
  }
}

/** The keys the schema allows where an unknown key was found. */
function allowedKeys(schemaPath: string): string[] {
  let node: unknown = loadPresetSchema().document;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown>)[part];
  return Object.keys((node as { properties?: Record<string, unknown> }).properties ?? {});
}

function patternMeaning(schemaPath: string): string {
  if (schemaPath.includes('templateOwner')) return 'a Backstage group or user reference (e.g. group:default/platform)';
  if (schemaPath.includes('quantities')) return 'a Kubernetes quantity (e.g. 250m, 0.5, 256Mi)';
  if (schemaPath.includes('keyValues')) return 'a Kubernetes label or annotation key (e.g. example.com/team)';
  if (schemaPath.includes('/name/')) return 'one line of text (the name appears in comments of the generated files)';
  if (schemaPath.includes('imageDigests')) return 'a digest (sha256: and 64 lowercase hex digits)';
  if (schemaPath.includes('tiniImage')) return 'an image reference without {version} (e.g. registry.example.com/mirror/debian:13-slim)';
  if (schemaPath.includes('image')) return 'an image reference (e.g. registry.example.com/mirror/node:{version}-alpine)';
  return 'in the expected form';
}
