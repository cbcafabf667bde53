// Bundles what tsc built into bin/bundle/, which the installed bin loads: cli.js, the command line with
// the option data (an ES module), and run-generator.cjs, our generators with yeoman, every dependency
// and our templates compiled, loaded only to generate (CommonJS, so that bin/load-generators.ts can
// keep V8's compiled code of it).
// Two files instead of ~1400 modules is what makes a generation start in a fraction of a second (npm
// run bench measures it).
//   node tools/bundle.ts    (npm run build runs it after tsc)
import { readFile, rm } from 'node:fs/promises';
import { builtinModules, findPackageJSON } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { compiledTemplatesModule } from './compile-templates.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUTPUT_DIR = path.join(ROOT, 'bin/bundle');

// Imported by yeoman but never used by k8s-app, which registers its own generators and names every
// version it adds: fly-import installs missing generators from npm (it brings npm's arborist, pacote
// and sigstore), latest-version looks up a dependency added without a version (an HTTP client).
// The bundle holds these stand-ins, which say so if ever reached, instead of their ~450 modules.
const STAND_INS: Record<string, string> = {
  'fly-import': `
    const unavailable = (what) => new Error(\`k8s-app does not \${what}: it runs only its own generators, registered in bin/run-generator.ts\`);
    export class FlyRepository {
      constructor(options = {}) { this.repositoryPath = options.repositoryPath; }
      async install() { throw unavailable('install generators from npm'); }
    }
    export const flyImport = async (specifier) => { throw unavailable(\`install \${specifier} from npm\`); };`,
  'latest-version': `
    export default async function latestVersion(name) {
      throw new Error(\`k8s-app adds dependencies with their versions; none was given for \${name}\`);
    }`,
};

// Packages whose set-up when loaded costs more than a generation uses of them: string-width builds an
// Intl.Segmenter and an emoji regular expression (17 ms) for prompts and spinners, execa prepares
// ~140 modules (6 ms) for installs, and globby (yeoman's file matching) and the external editor (an
// editor prompt) set up more for what a generation with its answers given never calls. Their importers
// get a stand-in whose functions, listed here, load the package on their first call. A module that
// imports anything else from them fails the build.
const DEFERRED: Record<string, string[]> = {
  'string-width': ['default'],
  execa: ['execa', 'execaSync', 'parseCommandString'],
  globby: ['globbySync'],
  '@inquirer/external-editor': ['editAsync'],
};

const deferred: esbuild.Plugin = {
  name: 'deferred',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${Object.keys(DEFERRED).join('|')})$`) }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      // The copy the importer would load (npm may have installed several versions).
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'deferred', pluginData: args.path };
    });
    build.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => {
      const names = DEFERRED[args.pluginData as string]!;
      const calls = names.map((name) =>
        name === 'default'
          ? 'export default function (...args) { return load().default(...args); }'
          : `export function ${name}(...args) { return load().${name}(...args); }`,
      );
      // require() of the real file: esbuild bundles it, to run its module code only when called.
      const contents = `let loaded;\nconst load = () => (loaded ??= require(${JSON.stringify(args.path)}));\n${calls.join('\n')}\n`;
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

// A bundled module that finds files next to itself (import.meta.url, __dirname) must still find its
// own folder. Ours keep their place in this package; a dependency's folder is looked up when the bundle
// loads, as Node resolves it from here, so it is right however npm laid out node_modules.
const BANNER = {
  esm: `
import { createRequire as __createRequire, findPackageJSON as __findPackageJSON } from 'node:module';
import { fileURLToPath as __fileURLToPath, pathToFileURL as __pathToFileURL } from 'node:url';
const require = __createRequire(import.meta.url);
const __bundleUrl = import.meta.url;`,
  cjs: `
const { findPackageJSON: __findPackageJSON } = require('node:module');
const { fileURLToPath: __fileURLToPath, pathToFileURL: __pathToFileURL } = require('node:url');
const __bundleUrl = __pathToFileURL(__filename).href;`,
};
const DEPENDENCY_FILE_URL = `
/** The URL of \`file\` in the package reached through \`packages\` (each a dependency of the one before). */
function __dependencyFileUrl(packages, file) {
  let base = __bundleUrl;
  for (const name of packages) base = __pathToFileURL(__findPackageJSON(name, base)).href;
  return new URL(file, base).href;
}`;

/** Each chain of packages the bundle looks up when it loads. */
const lookedUp = new Set<string>();

/** The expression for a module's own URL in the bundle, from its path in this repository. */
function moduleUrlExpression(file: string): string {
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  const parts = relative.split('node_modules/');
  if (parts.length === 1) return `new URL(${JSON.stringify(path.posix.relative('bin/bundle', relative))}, __bundleUrl).href`;
  const packages: string[] = [];
  let rest = '';
  for (const part of parts.slice(1)) {
    const segments = part.split('/');
    const nameLength = segments[0]!.startsWith('@') ? 2 : 1;
    packages.push(segments.slice(0, nameLength).join('/'));
    rest = segments.slice(nameLength).join('/');
  }
  lookedUp.add(JSON.stringify(packages));
  return `__dependencyFileUrl(${JSON.stringify(packages)}, ${JSON.stringify(rest)})`;
}

// A CommonJS bundle imports a Node built-in by copying its properties (esbuild's __toESM) in every
// module that imports it: node:path 49 times, node:process 33, node:fs 18... when the bundle loads.
// Each module gets the built-in from one module per built-in instead, which copies them once.
const sharedBuiltins: esbuild.Plugin = {
  name: 'shared-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!builtinModules.includes(name) || args.kind !== 'import-statement') return undefined;
      if (args.namespace === 'builtin') return { path: `node:${name}`, external: true };
      return { path: `node:${name}`, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `export * from '${args.path}';\nexport { default } from '${args.path}';\n`,
      loader: 'js',
    }));
  },
};

// The generators bundle holds our templates compiled (tools/compile-templates.ts): a CommonJS module
// of its own namespace, as EJS's code needs (it uses `with`, which an ES module refuses).
const compiledTemplates: esbuild.Plugin = {
  name: 'compiled-templates',
  setup(build) {
    build.onResolve({ filter: /^\.\/compiled-templates\.js$/ }, () => ({ path: 'compiled-templates', namespace: 'compiled-templates' }));
    build.onLoad({ filter: /.*/, namespace: 'compiled-templates' }, () => ({
      contents: compiledTemplatesModule(path.join(ROOT, 'templates')),
      loader: 'js',
    }));
  },
};

const ownLocation: esbuild.Plugin = {
  name: 'own-location',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${Object.keys(STAND_INS).join('|')})$`) }, (args) => ({ path: args.path, namespace: 'stand-in' }));
    build.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({ contents: STAND_INS[args.path], loader: 'js' }));
    build.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (!/import\.meta\.(url|dirname|filename)|\b__(dirname|filename)\b/.test(contents)) return undefined;
      const url = moduleUrlExpression(args.path);
      contents = contents
        .replaceAll('import.meta.url', url)
        .replaceAll('import.meta.dirname', `__fileURLToPath(new URL('.', ${url}))`)
        .replaceAll('import.meta.filename', `__fileURLToPath(${url})`);
      // CommonJS modules get their own __dirname and __filename, as Node gives them.
      const commonJs = !/^\s*(import|export)\b/m.test(contents);
      if (commonJs && /\b__filename\b/.test(contents)) contents = `var __filename = __fileURLToPath(${url});\n${contents}`;
      if (commonJs && /\b__dirname\b/.test(contents)) contents = `var __dirname = __fileURLToPath(new URL('.', ${url}));\n${contents}`;
      return { contents, loader: 'js' };
    });
  },
};

/** Bundles `entry` (a file tsc built in bin/) into bin/bundle/`output`, as an ES or a CommonJS module. */
async function bundle(entry: string, output: string, format: 'esm' | 'cjs', plugins: esbuild.Plugin[]) {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'bin', entry)],
    outfile: path.join(OUTPUT_DIR, output),
    bundle: true,
    platform: 'node',
    format,
    target: 'node22.18',
    banner: { js: BANNER[format] + DEPENDENCY_FILE_URL },
    // import.meta is an ES module's: in CommonJS, __bundleUrl (the banner's) takes its place.
    define: format === 'cjs' ? { 'import.meta.url': '__bundleUrl' } : {},
    plugins: [...plugins, ownLocation],
    logLevel: 'warning',
  });
}

await rm(OUTPUT_DIR, { recursive: true, force: true });
await bundle('cli.js', 'cli.js', 'esm', []);
await bundle('run-generator.js', 'run-generator.cjs', 'cjs', [deferred, compiledTemplates, sharedBuiltins]);

// The same look-ups, here: a package Node cannot find from the bundle (one whose exports hide its entry)
// fails the build, not a user's run.
for (const chain of lookedUp) {
  let base = pathToFileURL(path.join(OUTPUT_DIR, 'cli.js')).href;
  for (const name of JSON.parse(chain) as string[]) {
    const found = findPackageJSON(name, base);
    if (!found) throw new Error(`tools/bundle.ts: ${name} (${chain}) cannot be found from ${OUTPUT_DIR}`);
    base = pathToFileURL(found).href;
  }
}
