// Loads our generators with yeoman: from source, bin/run-generator.ts; once built, its bundle
// bin/bundle/run-generator.cjs (tools/bundle.ts) with V8's compiled code kept between runs.
//
// Node's compile cache keeps only what V8 compiles when a module loads, the outer code of each module:
// every function is compiled again when first called, on every run. The cache made here is taken after
// a generation, so it holds each function the run called (about 20 ms of each later run). It lives
// beside Node's own (module.getCompileCacheDir(): none when NODE_DISABLE_COMPILE_CACHE is set), named
// by a checksum of the bundle; V8 refuses it if Node or its flags changed, and the run writes it anew.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';

type RunGenerator = typeof import('./run-generator.ts').runGenerator;

export interface Generators {
  runGenerator: RunGenerator;
  /** After a generation: keeps the code it compiled, if the cache had none or V8 refused it. */
  keepCompiledCode(): void;
}

export async function loadGenerators(): Promise<Generators> {
  if (import.meta.url.endsWith('.ts')) {
    // A variable, so that the bundle of the command line does not take the generators in.
    const source = './run-generator.ts';
    const { runGenerator } = (await import(source)) as typeof import('./run-generator.ts');
    return { runGenerator, keepCompiledCode: () => {} };
  }
  return loadBundle(fileURLToPath(new URL('./bundle/run-generator.cjs', import.meta.url)));
}

function loadBundle(file: string): Generators {
  const bytes = readFileSync(file);
  const cacheDir = module.getCompileCacheDir();
  const cacheFile = cacheDir && path.join(cacheDir, `k8s-app-${crc32(bytes).toString(16)}.cache`);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // None yet.
  }
  // Run as Node runs a CommonJS module, with its own require.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const bundle = { exports: {} as typeof import('./run-generator.ts') };
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, path.dirname(file));
  return {
    runGenerator: bundle.exports.runGenerator,
    keepCompiledCode() {
      if (!cacheFile || (cachedData && !script.cachedDataRejected)) return;
      // Written whole, then renamed: a run started meanwhile reads the old file or the new, never half.
      const partial = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // A cache only: where it cannot be written (a read-only folder, a full disk), runs compile as before.
        rmSync(partial, { force: true });
      }
    },
  };
}
